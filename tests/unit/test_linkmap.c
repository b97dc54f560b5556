/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/glibc/linkmap.c, the mirroring of loaded objects
 * into glibc 2.36's struct link_map (read through the offsets of the ABI
 * table, as libc.so.6 reads them): the chain in load order, the fields
 * libc reads (address, name, dynamic section, l_info, the hash table,
 * names, versions, TLS, flags), the search lists and lookup scopes, and
 * the maps a dlopen adds and a dlclose removes. The objects are built in
 * memory by elf_builder.c; _rtld_global and _rtld_global_ro are plain
 * arrays here, and glibc_tls_sync (thread.c) is a stub that counts calls.
 */
#include <check.h>
#include <elf.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/glibc/glibc.h"
#include "loader/glibc/internal.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

unsigned char _rtld_global[1 << 16];
unsigned char _rtld_global_ro[1 << 16];

static int tls_syncs;

int
glibc_tls_sync(void)
{
	tls_syncs++;
	return 0;
}

#define F(map, off, T) GLIBC_FIELD(map, off, T)

static const struct glibc_abi *abi;
static struct eb_image imgs[4];
static size_t nimgs;

static void
setup(void)
{
	memset(&ld_state, 0, sizeof(ld_state));
	memset(_rtld_global, 0, sizeof(_rtld_global));
	memset(_rtld_global_ro, 0, sizeof(_rtld_global_ro));
	ld_state.page_size = 4096;
	abi = ld_state.glibc.abi = glibc_abi_newest();
	symbol_reset();
	tls_syncs = 0;
	nimgs = 0;
}

static void
teardown(void)
{
	scope_global_publish(NULL);
	scope_quiesce();
	symbol_reset();
}

static const struct eb_symbol fn_sym[] = {
	{ .name = "fn", .bind = STB_GLOBAL, .type = STT_FUNC,
	  .shndx = EB_DEFINED, .value = EB_DATA, .size = 8 },
};

/* An object from spec on the load list (the first one is the program). */
static struct elf_object *
add(const struct eb_spec *spec)
{
	struct elf_object *obj = eb_image_load(&imgs[nimgs++], spec);

	if (!ld_state.head) {
		obj->is_main = true;
		ld_state.main_obj = obj;
	}
	deps_list_append(obj);
	return obj;
}

static struct elf_object *
add_named(const char *path, const char *soname)
{
	struct eb_spec spec = { .path = path, .soname = soname, .syms = fn_sym,
				.nsyms = 1, .data_size = 64 };

	return add(&spec);
}

/* The load list becomes the global scope, as deps_load_all leaves it for
 * objects that need nothing; then the maps are built. */
static void
build_maps(void)
{
	struct scope_global *g = scope_global_new(ld_state.nobjects);
	struct elf_object *obj;

	ck_assert_ptr_nonnull(g);
	for (obj = ld_state.head; obj; obj = obj->next)
		g->objs[g->len++] = obj;
	scope_global_publish(g);
	glibc_build_link_maps();
}

static bool
flag(const void *map, unsigned bit)
{
	return (F(map, abi->lm_flags_word, uint32_t) >> bit) & 1;
}

/* The r_scope_elem at elem lists exactly objs[0..n). */
static void
assert_elem(const unsigned char *elem, struct elf_object *const *objs, size_t n)
{
	void **list = F(elem, 0, void **);

	ck_assert_uint_eq(F(elem, 8, unsigned), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_eq(list[i], glibc_link_map(objs[i]));
}

START_TEST(build_link_maps_chains_in_load_order)
{
	struct elf_object *prog = add_named("prog", NULL);
	struct elf_object *a = add_named("/lib/liba.so", "liba.so");
	struct elf_object *b = add_named("/lib/libb.so", "libb.so");
	unsigned char *mp, *ma, *mb;

	build_maps();
	mp = glibc_link_map(prog);
	ma = glibc_link_map(a);
	mb = glibc_link_map(b);
	ck_assert_ptr_nonnull(mp);
	ck_assert_ptr_eq(F(mp, abi->lm_prev, void *), NULL);
	ck_assert_ptr_eq(F(mp, abi->lm_next, void *), ma);
	ck_assert_ptr_eq(F(ma, abi->lm_prev, void *), mp);
	ck_assert_ptr_eq(F(ma, abi->lm_next, void *), mb);
	ck_assert_ptr_eq(F(mb, abi->lm_next, void *), NULL);
	/* The program's map is named "", libraries by path. */
	ck_assert_str_eq(F(mp, abi->lm_name, const char *), "");
	ck_assert_str_eq(F(ma, abi->lm_name, const char *), "/lib/liba.so");
	/* Each map leads back to its object; an unknown pointer does not. */
	ck_assert_ptr_eq(glibc_object_of(ma), a);
	ck_assert_ptr_eq(glibc_object_of(mb), b);
	ck_assert_ptr_null(glibc_object_of(_rtld_global));
	ck_assert_ptr_eq(F(ma, abi->lm_real, void *), ma);
	/* l_type 0 for the program, 1 for a library; the main-map bit. */
	ck_assert_uint_eq(F(mp, abi->lm_flags_word, uint32_t) & 3, 0);
	ck_assert_uint_eq(F(ma, abi->lm_flags_word, uint32_t) & 3, 1);
	ck_assert(flag(mp, abi->lm_bit_main_map));
	ck_assert(!flag(ma, abi->lm_bit_main_map));
	/* Everything in the global scope is marked global. */
	ck_assert(flag(mp, abi->lm_bit_global) && flag(mb, abi->lm_bit_global));
	/* The debugger's view starts at the program. */
	ck_assert_ptr_eq(glibc_debug_maps(), (void *)mp);
}
END_TEST

START_TEST(link_map_mirrors_the_object)
{
	struct elf_object *prog = add_named("prog", NULL);
	struct elf_object *a = add_named("/lib/liba.so", "liba.so");
	struct eb_image *img = &imgs[1];
	unsigned char *ma;
	Elf64_Dyn **info;

	build_maps();
	(void)prog;
	ma = glibc_link_map(a);
	info = &F(ma, abi->lm_info, Elf64_Dyn *);
	ck_assert_uint_eq(F(ma, abi->lm_addr, uintptr_t), a->base);
	ck_assert_ptr_eq(F(ma, abi->lm_ld, void *), a->dynamic);
	ck_assert_ptr_eq(F(ma, abi->lm_phdr, const void *), a->phdr);
	ck_assert_uint_eq(F(ma, abi->lm_phnum, uint16_t), a->phnum);
	ck_assert_uint_eq(F(ma, abi->lm_map_start, uintptr_t), a->map_start);
	ck_assert_uint_eq(F(ma, abi->lm_map_end, uintptr_t), a->map_end);
	/* l_info[tag] is the tag's .dynamic entry; l_ldnum counts DT_NULL. */
	ck_assert_ptr_eq(info[DT_STRTAB], eb_dyn_find(img, DT_STRTAB));
	ck_assert_ptr_eq(info[DT_SONAME], eb_dyn_find(img, DT_SONAME));
	ck_assert_ptr_null(info[DT_RPATH]);
	ck_assert_uint_eq(F(ma, abi->lm_ldnum, uint16_t), img->ndyn + 1);
	/* A writable .dynamic gets its addresses relocated, as glibc's. */
	if (!flag(ma, abi->lm_bit_ld_readonly))
		ck_assert_uint_eq(info[DT_STRTAB]->d_un.d_ptr,
				  a->base + img->dynstr);
	else
		ck_assert_uint_eq(info[DT_STRTAB]->d_un.d_ptr, img->dynstr);
	/* DT_GNU_HASH as glibc's lookup reads it. */
	ck_assert_uint_eq(F(ma, abi->lm_nbuckets, uint32_t), a->gnu_nbuckets);
	ck_assert_uint_eq(F(ma, abi->lm_gnu_bitmask_idxbits, uint32_t),
			  a->gnu_bloom_mask);
	ck_assert_ptr_eq(F(ma, abi->lm_gnu_bitmask, const void *), a->gnu_bloom);
	ck_assert_ptr_eq(F(ma, abi->lm_gnu_chain_zero, const uint32_t *),
			 a->gnu_chain - a->gnu_symoffset);
	/* TLS and the relocated flag follow the object on update. */
	a->tls_modid = 3;
	a->tls_offset = 128;
	a->relocated = true;
	ck_assert(!flag(ma, abi->lm_bit_relocated));
	glibc_link_map_update(a);
	ck_assert_uint_eq(F(ma, abi->lm_tls_modid, size_t), 3);
	ck_assert_int_eq(F(ma, abi->lm_tls_offset, ptrdiff_t), 128);
	ck_assert(flag(ma, abi->lm_bit_relocated));
}
END_TEST

/* struct libname_list: name at 0, next at 8. */
START_TEST(link_map_names_path_then_soname)
{
	struct elf_object *prog = add_named("prog", NULL);
	struct elf_object *a = add_named("/lib/liba.so.1", "liba.so.1");
	struct elf_object *b = add_named("libb.so", "libb.so");
	unsigned char *n;

	build_maps();
	(void)prog;
	n = F(glibc_link_map(a), abi->lm_libname, unsigned char *);
	ck_assert_str_eq(F(n, 0, const char *), "/lib/liba.so.1");
	n = F(n, 8, unsigned char *);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(F(n, 0, const char *), "liba.so.1");
	ck_assert_ptr_null(F(n, 8, void *));
	/* A soname equal to the name is listed once. */
	n = F(glibc_link_map(b), abi->lm_libname, unsigned char *);
	ck_assert_str_eq(F(n, 0, const char *), "libb.so");
	ck_assert_ptr_null(F(n, 8, void *));
}
END_TEST

START_TEST(link_map_versions_are_found_versions)
{
	static const struct eb_symbol syms[] = {
		{ .name = "puts", .bind = STB_GLOBAL, .type = STT_FUNC,
		  .shndx = SHN_UNDEF, .versym = 2 },
	};
	static const struct eb_verneed vn[] = {
		{ .file = "libc.so.6", .name = "GLIBC_2.2.5", .other = 2 },
	};
	struct eb_spec spec = { .path = "prog", .syms = syms, .nsyms = 1,
				.verneeds = vn, .nverneeds = 1, .data_size = 64 };
	struct elf_object *prog = add(&spec);
	unsigned char *mp, *v;

	build_maps();
	mp = glibc_link_map(prog);
	ck_assert_uint_eq(F(mp, abi->lm_nversions, unsigned), prog->nversions);
	ck_assert_uint_ge(prog->nversions, 3);
	v = F(mp, abi->lm_versions, unsigned char *) + 2 * abi->lm_found_version_size;
	/* struct r_found_version: name, hash, hidden, filename. */
	ck_assert_str_eq(F(v, 0, const char *), "GLIBC_2.2.5");
	ck_assert_uint_eq(F(v, 8, uint32_t), 0x09691a75);   /* its ELF hash */
	ck_assert_str_eq(F(v, 16, const char *), "libc.so.6");
}
END_TEST

START_TEST(link_map_scopes_follow_scope_c)
{
	struct elf_object *prog = add_named("prog", NULL);
	struct elf_object *a = add_named("/lib/liba.so", "liba.so");
	struct elf_object *b = add_named("/lib/libb.so", "libb.so");
	struct elf_object *global[] = { prog, a, b };
	struct elf_object *own[] = { a };
	unsigned char *mp, *ma;
	void **scope;

	build_maps();
	mp = glibc_link_map(prog);
	ma = glibc_link_map(a);
	/* The program's search list is the global scope, and libc's
	 * initial search list a copy of it. */
	assert_elem(mp + abi->lm_searchlist, global, 3);
	ck_assert_mem_eq(_rtld_global_ro + abi->glro_initial_searchlist,
			 mp + abi->lm_searchlist, 16);
	/* A library without dependencies searches itself alone; its lookup
	 * scope is the global scope first; its local scope its own list. */
	assert_elem(ma + abi->lm_searchlist, own, 1);
	scope = F(ma, abi->lm_scope, void **);
	ck_assert_ptr_eq(scope[0], mp + abi->lm_searchlist);
	ck_assert_ptr_eq(F(ma, abi->lm_local_scope, void *), ma + abi->lm_searchlist);
	/* A newly published global scope is what the program's map lists. */
	ck_assert_int_eq(glibc_global_scope_changed(own, 1), 0);
	assert_elem(mp + abi->lm_searchlist, own, 1);
}
END_TEST

START_TEST(map_added_and_removed_keep_the_chain)
{
	struct elf_object *prog = add_named("prog", NULL);
	struct elf_object *a = add_named("/lib/liba.so", "liba.so");
	struct elf_object *d;
	unsigned char *ns0 = _rtld_global + abi->gl_ns;
	unsigned char *ma, *md;

	build_maps();
	(void)prog;
	ld_state.startup_done = true;
	d = add_named("/lib/libd.so", "libd.so");
	ck_assert_int_eq(glibc_map_added(d), 0);
	ma = glibc_link_map(a);
	md = glibc_link_map(d);
	ck_assert_ptr_nonnull(md);
	ck_assert_ptr_eq(F(ma, abi->lm_next, void *), md);
	ck_assert_ptr_eq(F(md, abi->lm_prev, void *), ma);
	/* l_type 2: loaded by dlopen; dl_iterate_phdr's counters. */
	ck_assert_uint_eq(F(md, abi->lm_flags_word, uint32_t) & 3, 2);
	ck_assert_uint_eq(F(ns0, abi->ns_nloaded, unsigned), ld_state.nobjects);
	ck_assert_uint_eq(F(_rtld_global, abi->gl_load_adds, unsigned long long), 1);
	ck_assert_int_eq(tls_syncs, 1);
	glibc_map_removed(d);
	ck_assert_ptr_null(F(ma, abi->lm_next, void *));
	ck_assert_ptr_null(glibc_link_map(d));
	ck_assert_uint_eq(F(ns0, abi->ns_nloaded, unsigned), ld_state.nobjects - 1);
	deps_list_remove(d);
}
END_TEST

static Suite *
linkmap_suite(void)
{
	Suite *s = suite_create("linkmap");
	TCase *tc = tcase_create("glibc_build_link_maps");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, build_link_maps_chains_in_load_order);
	tcase_add_test(tc, link_map_mirrors_the_object);
	tcase_add_test(tc, link_map_names_path_then_soname);
	tcase_add_test(tc, link_map_versions_are_found_versions);
	tcase_add_test(tc, link_map_scopes_follow_scope_c);
	tcase_add_test(tc, map_added_and_removed_keep_the_chain);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(linkmap_suite());
}
