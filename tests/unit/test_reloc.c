/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/reloc.c: reloc_object on an in-memory object built
 * by elf_builder.c (liba.so) whose relocations refer to a second one
 * (libdef.so). The data area of liba.so is filled with 0xaa first, so every
 * word a relocation writes, and every word it must not, can be checked.
 * Covered: RELATIVE, GLOB_DAT, 64, PC32, 32/32S overflow, COPY, DT_RELR,
 * JUMP_SLOT both lazy and bind-now, weak undefined symbols, undefined
 * ones counted and reported, protected and DT_SYMBOLIC binding, unknown
 * relocation types and offsets outside the object.
 */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/error.h"
#include "loader/reloc.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_state.page_size = 4096;
	ld_state.startup_done = true;
	ld_state.progname = "prog";
	ld_state.bind_now = false;
	memset(&ld_state.stats, 0, sizeof(ld_state.stats));
	symbol_reset();
	ld_error_clear();
}

static void
teardown(void)
{
	symbol_reset();
}

/* libdef.so: what liba.so's relocations bind to. */
static const struct eb_symbol def_syms[] = {
	{ "data_b", STB_GLOBAL, STT_OBJECT, EB_DEFINED, EB_DATA, 8, 0, 0 },
	{ "func_b", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1100, 0, 0, 0 },
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1200, 0, 0, 0 },
	{ "prot", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1500, 0, 0, 0 },
	{ "big", STB_GLOBAL, STT_OBJECT, SHN_ABS, 0x100000000, 0, 0, 0 },
	{ "max32", STB_GLOBAL, STT_OBJECT, SHN_ABS, 0xffffffff, 0, 0, 0 },
	{ "min32s", STB_GLOBAL, STT_OBJECT, SHN_ABS, 0xffffffff80000000, 0, 0, 0 },
	{ "over32s", STB_GLOBAL, STT_OBJECT, SHN_ABS, 0x80000000, 0, 0, 0 },
};

/* liba.so's symbols: references, and definitions of its own. */
static const struct eb_symbol a_syms[] = {
	{ "data_b", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "func_b", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0, 0, 0 },
	{ "weak_missing", STB_WEAK, STT_FUNC, SHN_UNDEF, 0, 0, 0, 0 },
	{ "missing1", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0, 0, 0 },
	{ "missing2", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "big", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "max32", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "min32s", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "over32s", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1300, 0, 0, 0 },
	{ "prot", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1400, 0, 0, STV_PROTECTED },
	/* A program's copy of libdef's data_b (for COPY). */
	{ "copy_of_b", STB_GLOBAL, STT_OBJECT, EB_DEFINED, EB_DATA + 0x80, 8, 0, 0 },
};

struct pair {
	struct eb_image a, def;
	struct elf_object *scope[2];       /* libdef.so, liba.so */
};

static uint64_t
word(const struct pair *p, uint64_t off)
{
	uint64_t v;

	memcpy(&v, eb_at(&p->a, EB_DATA + off), 8);
	return v;
}

static void
set_word(struct pair *p, uint64_t off, uint64_t v)
{
	memcpy(eb_at(&p->a, EB_DATA + off), &v, 8);
}

/* Builds both objects; liba.so gets relas (and plt relocations). */
static void
build_pair(struct pair *p, const struct eb_rela *relas, size_t n,
	   const struct eb_rela *plt, size_t nplt)
{
	struct eb_spec def = {
		.path = "libdef.so", .syms = def_syms,
		.nsyms = sizeof(def_syms) / sizeof(def_syms[0]), .data_size = 64,
	};
	struct eb_spec a = {
		.path = "liba.so", .syms = a_syms,
		.nsyms = sizeof(a_syms) / sizeof(a_syms[0]), .data_size = 0x400,
		.relas = relas, .nrelas = n, .plt_relas = plt, .nplt_relas = nplt,
	};

	eb_image_load(&p->def, &def);
	eb_image_load(&p->a, &a);
	memset(eb_at(&p->a, EB_DATA), 0xaa, 0x400);
	p->scope[0] = p->def.obj;
	p->scope[1] = p->a.obj;
}

static void
free_pair(struct pair *p)
{
	eb_image_free(&p->a);
	eb_image_free(&p->def);
}

#define FILL 0xaaaaaaaaaaaaaaaaull

START_TEST(reloc_object_applies_types)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_RELATIVE, NULL, 0x40 },
		{ 0x08, R_X86_64_GLOB_DAT, "data_b", 0 },
		{ 0x10, R_X86_64_64, "func_b", 5 },
		{ 0x18, R_X86_64_PC32, "func_b", -4 },
		{ 0x20, R_X86_64_64, "common", 0 },
		{ 0x28, R_X86_64_64, "prot", 0 },
		{ 0x30, R_X86_64_NONE, NULL, 0 },
		{ 0x38, R_X86_64_PC64, "func_b", 0 },
		{ 0x40, R_X86_64_32, "max32", 0 },
		{ 0x48, R_X86_64_32S, "min32s", 0 },
		{ 0x50, R_X86_64_64, "big", -1 },
	};
	struct pair p;
	uintptr_t a, b, pc32;
	int32_t rel;

	build_pair(&p, relas, sizeof(relas) / sizeof(relas[0]), NULL, 0);
	a = p.a.obj->base;
	b = p.def.obj->base;
	pc32 = a + EB_DATA + 0x18;
	/* PC32 needs the two mappings within 2 GiB of each other. */
	ck_assert_uint_lt(b + 0x1100 > pc32 ? b + 0x1100 - pc32 : pc32 - b - 0x1100,
			  (uintptr_t)1 << 30);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert(p.a.obj->relocated);
	ck_assert_uint_eq(word(&p, 0x00), a + 0x40);
	ck_assert_uint_eq(word(&p, 0x08), b + EB_DATA);
	ck_assert_uint_eq(word(&p, 0x10), b + 0x1100 + 5);
	memcpy(&rel, eb_at(&p.a, EB_DATA + 0x18), 4);
	ck_assert_int_eq(rel, (int64_t)(b + 0x1100 - 4 - pc32));
	/* PC32 writes 4 bytes only. */
	ck_assert_uint_eq(word(&p, 0x18) >> 32, 0xaaaaaaaa);
	/* The scope starts with libdef.so: its "common" wins... */
	ck_assert_uint_eq(word(&p, 0x20), b + 0x1200);
	/* ...but a protected definition binds to its own object. */
	ck_assert_uint_eq(word(&p, 0x28), a + 0x1400);
	ck_assert_uint_eq(word(&p, 0x30), FILL);
	ck_assert_uint_eq(word(&p, 0x38), b + 0x1100 - (a + EB_DATA + 0x38));
	ck_assert_uint_eq(word(&p, 0x40), 0xaaaaaaaaffffffffull);
	ck_assert_uint_eq(word(&p, 0x48), 0xaaaaaaaa80000000ull);
	/* An SHN_ABS symbol is not biased. */
	ck_assert_uint_eq(word(&p, 0x50), 0xffffffff);
	ck_assert_uint_eq(ld_state.stats.relocations, 11);
	ck_assert_uint_eq(ld_state.stats.relative, 1);
	ck_assert_uint_eq(ld_state.stats.by_type[R_X86_64_GLOB_DAT], 1);
	/* A second call does nothing. */
	set_word(&p, 0x00, 0);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, 0x00), 0);
	free_pair(&p);
}
END_TEST

/* Consecutive relocations of one symbol reuse the lookup. */
START_TEST(reloc_object_reuses_lookup)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_GLOB_DAT, "func_b", 0 },
		{ 0x08, R_X86_64_64, "func_b", 8 },
		{ 0x10, R_X86_64_64, "func_b", 16 },
	};
	struct pair p;

	build_pair(&p, relas, 3, NULL, 0);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(ld_state.stats.lookups, 1);
	ck_assert_uint_eq(ld_state.stats.lookup_cache, 2);
	ck_assert_uint_eq(word(&p, 0x10), p.def.obj->base + 0x1100 + 16);
	free_pair(&p);
}
END_TEST

/* An undefined weak symbol resolves to 0 (plus the addend). */
START_TEST(reloc_object_weak_undefined_is_zero)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_GLOB_DAT, "weak_missing", 0 },
		{ 0x08, R_X86_64_64, "weak_missing", 0 },
		{ 0x10, R_X86_64_64, "weak_missing", 0x10 },
	};
	struct pair p;

	build_pair(&p, relas, 3, NULL, 0);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, 0x00), 0);
	ck_assert_uint_eq(word(&p, 0x08), 0);
	ck_assert_uint_eq(word(&p, 0x10), 0x10);
	free_pair(&p);
}
END_TEST

/* stderr while reloc_object runs. */
static int
reloc_capturing(struct pair *p, char *buf, size_t len)
{
	char path[] = "/tmp/myld-unit-reloc-XXXXXX";
	int fd = mkstemp(path), saved = dup(2), ret;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	dup2(fd, 2);
	ret = reloc_object(p->a.obj, p->scope, 2);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, buf, len - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

/* At start-up every undefined symbol is reported before anything
 * exits; each counts as one failure. The other relocations still go. */
START_TEST(reloc_object_counts_undefined_symbols)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_GLOB_DAT, "missing1", 0 },
		{ 0x08, R_X86_64_GLOB_DAT, "data_b", 0 },
		{ 0x10, R_X86_64_64, "missing2", 0 },
		{ 0x18, R_X86_64_RELATIVE, NULL, 8 },
	};
	struct pair p;
	char err[1024];

	build_pair(&p, relas, 4, NULL, 0);
	ld_state.startup_done = false;
	ck_assert_int_eq(reloc_capturing(&p, err, sizeof(err)), 2);
	ck_assert_str_eq(err,
			 "prog: symbol lookup error: liba.so: undefined symbol: missing1\n"
			 "prog: symbol lookup error: liba.so: undefined symbol: missing2\n");
	ck_assert_str_eq(ld_error_message(), "liba.so: undefined symbol: missing2");
	ck_assert_uint_eq(word(&p, 0x00), FILL);
	ck_assert_uint_eq(word(&p, 0x08), p.def.obj->base + EB_DATA);
	ck_assert_uint_eq(word(&p, 0x18), p.a.obj->base + 8);
	free_pair(&p);
}
END_TEST

/* After start-up (dlopen) the first failure stops the object, silently
 * apart from the recorded message. */
START_TEST(reloc_object_stops_at_first_failure_after_startup)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_GLOB_DAT, "missing1", 0 },
		{ 0x08, R_X86_64_GLOB_DAT, "missing2", 0 },
		{ 0x10, R_X86_64_RELATIVE, NULL, 8 },
	};
	struct pair p;
	char err[256];

	build_pair(&p, relas, 3, NULL, 0);
	ck_assert_int_eq(reloc_capturing(&p, err, sizeof(err)), 1);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(ld_error_message(), "liba.so: undefined symbol: missing1");
	ck_assert_uint_eq(word(&p, 0x10), FILL);
	free_pair(&p);
}
END_TEST

/* Relocations the loader cannot apply: each a failure with a message
 * naming the problem. */
struct bad_reloc {
	struct eb_rela rela;
	const char *message;
};

static const struct bad_reloc bad_relocs[] = {
	{ { 0x00, 0x30, "func_b", 0 }, "liba.so: unexpected reloc type 0x30" },
	{ { 0x00, R_X86_64_GOTPCREL, "func_b", 0 },
	  "liba.so: unexpected reloc type R_X86_64_GOTPCREL" },
	{ { 0x00, R_X86_64_16, "func_b", 0 },
	  "liba.so: unexpected reloc type R_X86_64_16" },
	{ { 0x00, R_X86_64_32, "big", 0 },
	  "liba.so: Symbol `big' causes overflow in R_X86_64_32 relocation" },
	{ { 0x00, R_X86_64_32, "max32", 1 },
	  "liba.so: Symbol `max32' causes overflow in R_X86_64_32 relocation" },
	{ { 0x00, R_X86_64_32S, "over32s", 0 },
	  "liba.so: Symbol `over32s' causes overflow in R_X86_64_32S relocation" },
	{ { 0x00, R_X86_64_PC32, "big", 0 },
	  "liba.so: Symbol `big' causes overflow in R_X86_64_PC32 relocation" },
	{ { 0x100000, R_X86_64_GLOB_DAT, "func_b", 0 },
	  "liba.so: relocation offset 0x101000 outside the object" },
	{ { 0x100000, R_X86_64_RELATIVE, NULL, 0 },
	  "liba.so: relocation offset 0x101000 outside the object" },
	/* The last word of the span is fine, one byte further is not. */
	{ { 0x3fc, R_X86_64_RELATIVE, NULL, 0 }, NULL },
};

START_TEST(reloc_object_rejects_bad_relocations)
{
	const struct bad_reloc *c = &bad_relocs[_i];
	struct eb_rela r = c->rela;
	struct pair p;
	uint64_t room;

	if (!c->message) {
		/* Place it on the span's last word (and one byte after). */
		build_pair(&p, &r, 1, NULL, 0);
		room = p.a.obj->map_end - p.a.obj->base - EB_DATA;
		free_pair(&p);
		r.offset = room - 8;
		build_pair(&p, &r, 1, NULL, 0);
		ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
		free_pair(&p);
		r.offset = room - 7;
		build_pair(&p, &r, 1, NULL, 0);
		ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
		free_pair(&p);
		return;
	}
	build_pair(&p, &r, 1, NULL, 0);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(), c->message);
	free_pair(&p);
}
END_TEST

/* A symbol index past the symbol table. */
START_TEST(reloc_object_rejects_bad_symbol_index)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_GLOB_DAT, "func_b", 0 },
	};
	struct pair p;
	Elf64_Rela *r;

	build_pair(&p, relas, 1, NULL, 0);
	r = eb_at(&p.a, p.a.rela);
	r->r_info = ELF64_R_INFO(p.a.obj->nsyms, R_X86_64_GLOB_DAT);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(),
			 "liba.so: relocation symbol index 13 out of range");
	free_pair(&p);
}
END_TEST

/* DT_SYMBOLIC: the object's own definitions come before the scope. */
START_TEST(reloc_object_symbolic_binds_to_self)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_64, "common", 0 },
		{ 0x08, R_X86_64_64, "func_b", 0 },
	};
	struct pair p;

	build_pair(&p, relas, 2, NULL, 0);
	p.a.obj->symbolic = true;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, 0x00), p.a.obj->base + 0x1300);
	ck_assert_uint_eq(word(&p, 0x08), p.def.obj->base + 0x1100);
	free_pair(&p);
}
END_TEST

/* COPY: the bytes of the definition elsewhere, never the object's own. */
START_TEST(reloc_object_copies)
{
	static const struct eb_rela relas[] = {
		{ 0x80, R_X86_64_COPY, "copy_of_b", 0 },
	};
	static const struct eb_symbol def_copy[] = {
		{ "copy_of_b", STB_GLOBAL, STT_OBJECT, EB_DEFINED, EB_DATA + 8, 8, 0, 0 },
	};
	struct eb_spec def = { .path = "libcopy.so", .syms = def_copy, .nsyms = 1,
			       .data_size = 16 };
	struct eb_image src;
	struct elf_object *scope[3];
	struct pair p;
	uint64_t v = 0x1122334455667788;

	build_pair(&p, relas, 1, NULL, 0);
	eb_image_load(&src, &def);
	memcpy(eb_at(&src, EB_DATA + 8), &v, 8);
	/* The program (liba.so here) comes first, as in the global scope. */
	scope[0] = p.a.obj;
	scope[1] = src.obj;
	scope[2] = p.def.obj;
	ck_assert_int_eq(reloc_object(p.a.obj, scope, 3), 0);
	ck_assert_uint_eq(word(&p, 0x80), v);
	eb_image_free(&src);
	free_pair(&p);
}
END_TEST

/* An IRELATIVE resolver must lie in an executable segment: one in the
 * code segment of the last one passes, one in the data segment right
 * after it (its first byte) fails, however the last check was remembered. */
START_TEST(reloc_object_irelative_resolver_must_be_code)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_IRELATIVE, NULL, 0x100 },
		{ 0x08, R_X86_64_IRELATIVE, NULL, 0x200 },
		{ 0x10, R_X86_64_IRELATIVE, NULL, 0xfff },
		{ 0x18, R_X86_64_IRELATIVE, NULL, EB_DATA },
	};
	Elf64_Phdr ph[2];
	struct pair p;

	build_pair(&p, relas, 4, NULL, 0);
	/* Code below EB_DATA, data from it on. */
	ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
			      .p_vaddr = 0, .p_memsz = EB_DATA };
	ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
			      .p_vaddr = EB_DATA, .p_memsz = p.a.size - EB_DATA };
	p.a.obj->phdr = ph;
	p.a.obj->phnum = 2;
	ck_assert_int_ne(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_str_eq(ld_error_message(), "liba.so: R_X86_64_IRELATIVE "
			 "resolver 0x1000 is not in an executable segment");
	/* The three in the code segment (the last at its last byte) were
	 * queued for reloc_finish; they are not real code: dropped here. */
	ck_assert_uint_eq(ld_state.npending, 3);
	ld_state.npending = 0;
	free_pair(&p);
}
END_TEST

/* DT_RELR: an address entry, then a bitmap for the words after it. */
START_TEST(reloc_object_applies_relr)
{
	struct pair p;
	uint64_t relr[2];

	build_pair(&p, NULL, 0, NULL, 0);
	/* Relocate 0x100, then (bits 1 and 3) 0x108 and 0x118. */
	relr[0] = EB_DATA + 0x100;
	relr[1] = (1u << 3) | (1u << 1) | 1;
	memcpy(eb_at(&p.a, EB_DATA + 0x200), relr, sizeof(relr));
	set_word(&p, 0x100, 0x10);
	set_word(&p, 0x108, 0x20);
	set_word(&p, 0x110, 0x30);
	set_word(&p, 0x118, 0x40);
	p.a.obj->relr = eb_at(&p.a, EB_DATA + 0x200);
	p.a.obj->relrsz = sizeof(relr);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, 0x100), p.a.obj->base + 0x10);
	ck_assert_uint_eq(word(&p, 0x108), p.a.obj->base + 0x20);
	ck_assert_uint_eq(word(&p, 0x110), 0x30);
	ck_assert_uint_eq(word(&p, 0x118), p.a.obj->base + 0x40);
	ck_assert_uint_eq(ld_state.stats.relative, 3);
	free_pair(&p);
}
END_TEST

/* A bitmap whose 63 words reach past the end of the object: the bits
 * inside are applied, one past the end is an error (each bit is checked
 * alone there, not the bitmap's whole reach). */
START_TEST(reloc_object_relr_bitmap_at_end)
{
	struct pair p;
	uint64_t relr[2], end, last;

	build_pair(&p, NULL, 0, NULL, 0);
	end = p.a.obj->map_end - p.a.obj->base;
	last = end - 8 - EB_DATA;	/* the last word, as a data offset */
	relr[0] = end - 16;		/* the word before the last */
	relr[1] = (1u << 1) | 1;	/* where + 0: the last word */
	memcpy(eb_at(&p.a, EB_DATA + 0x200), relr, sizeof(relr));
	set_word(&p, last - 8, 0x10);
	set_word(&p, last, 0x20);
	p.a.obj->relr = eb_at(&p.a, EB_DATA + 0x200);
	p.a.obj->relrsz = sizeof(relr);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, last - 8), p.a.obj->base + 0x10);
	ck_assert_uint_eq(word(&p, last), p.a.obj->base + 0x20);
	free_pair(&p);

	build_pair(&p, NULL, 0, NULL, 0);
	relr[1] = (1u << 2) | 1;	/* where + 8: just past the end */
	memcpy(eb_at(&p.a, EB_DATA + 0x200), relr, sizeof(relr));
	p.a.obj->relr = eb_at(&p.a, EB_DATA + 0x200);
	p.a.obj->relrsz = sizeof(relr);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(), "liba.so: DT_RELR entry outside the object");
	free_pair(&p);
}
END_TEST

START_TEST(reloc_object_rejects_relr_outside)
{
	struct pair p;
	uint64_t relr[1] = { 0x10000000 };

	build_pair(&p, NULL, 0, NULL, 0);
	memcpy(eb_at(&p.a, EB_DATA + 0x200), relr, sizeof(relr));
	p.a.obj->relr = eb_at(&p.a, EB_DATA + 0x200);
	p.a.obj->relrsz = sizeof(relr);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(), "liba.so: DT_RELR entry outside the object");
	free_pair(&p);
}
END_TEST

/* JUMP_SLOT, lazily: the GOT slot is biased (it holds the link-time
 * address of the PLT entry's second half) and GOT[1], GOT[2] are set. */
START_TEST(reloc_object_plt_lazy)
{
	static const struct eb_rela plt[] = {
		{ 0x00, R_X86_64_JUMP_SLOT, "func_b", 0 },
		{ 0x08, R_X86_64_JUMP_SLOT, "missing1", 0 },
	};
	struct pair p;
	uint64_t *got;

	build_pair(&p, NULL, 0, plt, 2);
	set_word(&p, 0x00, 0x1016);
	set_word(&p, 0x08, 0x1026);
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert(p.a.obj->lazy);
	ck_assert_uint_eq(word(&p, 0x00), p.a.obj->base + 0x1016);
	ck_assert_uint_eq(word(&p, 0x08), p.a.obj->base + 0x1026);
	got = eb_at(&p.a, p.a.got);
	ck_assert_uint_eq(got[1], (uintptr_t)p.a.obj);
	ck_assert_uint_ne(got[2], 0);
	free_pair(&p);
}
END_TEST

/* JUMP_SLOT with LD_BIND_NOW: resolved at once; missing ones fail. */
START_TEST(reloc_object_plt_bind_now)
{
	static const struct eb_rela plt[] = {
		{ 0x00, R_X86_64_JUMP_SLOT, "func_b", 0 },
		{ 0x08, R_X86_64_JUMP_SLOT, "missing1", 0 },
	};
	struct pair p;

	build_pair(&p, NULL, 0, plt, 2);
	ld_state.bind_now = true;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert(!p.a.obj->lazy);
	ck_assert_uint_eq(word(&p, 0x00), p.def.obj->base + 0x1100);
	ck_assert_str_eq(ld_error_message(), "liba.so: undefined symbol: missing1");
	free_pair(&p);
}
END_TEST

/* Bind-now with a memo: a JUMP_SLOT takes what a GLOB_DAT of the same
 * symbol found (data_b: one lookup), except when that was a program's
 * undefined function with a value (its canonical PLT entry), which a
 * JUMP_SLOT passes over (func_b: its own lookup, libdef's definition). */
START_TEST(reloc_object_memo_serves_jump_slots)
{
	static const struct eb_symbol prog_syms[] = {
		{ "func_b", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0x1010, 0, 0, 0 },
	};
	struct eb_spec prog_spec = { .path = "prog", .syms = prog_syms, .nsyms = 1 };
	enum { N = 32 };
	struct eb_rela relas[2 * N], plt[2 * N];
	struct elf_object *scope[3];
	struct eb_image prog;
	struct pair p;
	size_t i;

	for (i = 0; i < N; i++) {
		relas[2 * i] = (struct eb_rela){ 16 * i, R_X86_64_GLOB_DAT, "func_b", 0 };
		relas[2 * i + 1] = (struct eb_rela){ 16 * i + 8, R_X86_64_GLOB_DAT,
						     "data_b", 0 };
		plt[2 * i] = (struct eb_rela){ 0x200 + 16 * i, R_X86_64_JUMP_SLOT,
					       "func_b", 0 };
		plt[2 * i + 1] = (struct eb_rela){ 0x208 + 16 * i, R_X86_64_JUMP_SLOT,
						   "data_b", 0 };
	}
	build_pair(&p, relas, 2 * N, plt, 2 * N);
	eb_image_load(&prog, &prog_spec);
	scope[0] = prog.obj;
	scope[1] = p.def.obj;
	scope[2] = p.a.obj;
	ld_state.bind_now = true;
	ck_assert_int_eq(reloc_object(p.a.obj, scope, 3), 0);
	for (i = 0; i < N; i++) {
		ck_assert_uint_eq(word(&p, 16 * i), prog.obj->base + 0x1010);
		ck_assert_uint_eq(word(&p, 16 * i + 8), p.def.obj->base + EB_DATA);
		ck_assert_uint_eq(word(&p, 0x200 + 16 * i), p.def.obj->base + 0x1100);
		ck_assert_uint_eq(word(&p, 0x208 + 16 * i), p.def.obj->base + EB_DATA);
	}
	ck_assert_uint_eq(ld_state.stats.lookups, 3);
	eb_image_free(&prog);
	free_pair(&p);
}
END_TEST

/* DT_RELACOUNT: the relative prefix is applied by the tight loop; an
 * entry in it that is not relative, or lies outside, goes the normal way
 * (applied, or reported), and the rest of the table still follows. */
START_TEST(reloc_object_relacount_prefix)
{
	static const struct eb_rela relas[] = {
		{ 0x00, R_X86_64_RELATIVE, NULL, 0x40 },
		{ 0x08, R_X86_64_RELATIVE, NULL, 0x48 },
		{ 0x10, R_X86_64_GLOB_DAT, "data_b", 0 },   /* inside the count */
		{ 0x18, R_X86_64_RELATIVE, NULL, 0x58 },
		{ 0x20, R_X86_64_GLOB_DAT, "data_b", 0 },
	};
	struct pair p;

	build_pair(&p, relas, 5, NULL, 0);
	p.a.obj->relacount = 4;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 0);
	ck_assert_uint_eq(word(&p, 0x00), p.a.obj->base + 0x40);
	ck_assert_uint_eq(word(&p, 0x08), p.a.obj->base + 0x48);
	ck_assert_uint_eq(word(&p, 0x10), p.def.obj->base + EB_DATA);
	ck_assert_uint_eq(word(&p, 0x18), p.a.obj->base + 0x58);
	ck_assert_uint_eq(word(&p, 0x20), p.def.obj->base + EB_DATA);
	ck_assert_uint_eq(ld_state.stats.relative, 3);
	ck_assert_uint_eq(ld_state.stats.relocations, 5);
	free_pair(&p);
}
END_TEST

START_TEST(reloc_object_relacount_prefix_checks_bounds)
{
	struct eb_rela relas[] = {
		{ 0x00, R_X86_64_RELATIVE, NULL, 0x40 },
		{ 0x10000000, R_X86_64_RELATIVE, NULL, 0x48 },
		{ 0x08, R_X86_64_RELATIVE, NULL, 0x50 },
	};
	struct pair p;

	build_pair(&p, relas, 3, NULL, 0);
	p.a.obj->relacount = 3;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(),
			 "liba.so: relocation offset 0x10001000 outside the object");
	ck_assert_uint_eq(word(&p, 0x00), p.a.obj->base + 0x40);
	/* After start-up the first failure stops the pass. */
	ck_assert_uint_eq(word(&p, 0x08), FILL);
	free_pair(&p);
}
END_TEST

/* The prefix loop takes four entries at a time: an entry outside the
 * object at any place of a group of four (or of the tail after the last
 * group) is reported, and nothing from it on is written; everything
 * before it is. */
START_TEST(reloc_object_relacount_prefix_bad_anywhere)
{
	enum { N = 9 };
	struct eb_rela relas[N];
	struct pair p;
	size_t i;

	for (i = 0; i < N; i++)
		relas[i] = (struct eb_rela){ 8 * i, R_X86_64_RELATIVE, NULL,
					     0x100 + i };
	relas[_i].offset = 0x10000000;
	build_pair(&p, relas, N, NULL, 0);
	p.a.obj->relacount = N;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 1);
	ck_assert_str_eq(ld_error_message(),
			 "liba.so: relocation offset 0x10001000 outside the object");
	for (i = 0; i < N; i++)
		if (i != (size_t)_i)
			ck_assert_uint_eq(word(&p, 8 * i), (size_t)i < (size_t)_i ?
					  p.a.obj->base + 0x100 + i : FILL);
	free_pair(&p);
}
END_TEST

/* A bind-now object with many symbolic relocations keeps each lookup by
 * symbol index: the same symbol named again far apart is one lookup, and
 * a missing one is reported every time. */
START_TEST(reloc_object_memo_looks_up_once)
{
	enum { N = 62 };   /* 126 relocations: a memo; 1 KiB of data */
	struct eb_rela relas[2 * N + 2];
	struct pair p;
	size_t i;

	for (i = 0; i < N; i++) {
		relas[2 * i] = (struct eb_rela){ 16 * i, R_X86_64_GLOB_DAT,
						 "data_b", 0 };
		relas[2 * i + 1] = (struct eb_rela){ 16 * i + 8, R_X86_64_64,
						     i % 8 ? "func_b" : "weak_missing", i };
	}
	/* Not consecutive: the last-lookup reuse does not cover them. */
	relas[2 * N] = (struct eb_rela){ 16 * N, R_X86_64_64, "missing1", 0 };
	relas[2 * N + 1] = relas[0];
	relas[0] = (struct eb_rela){ 16 * N + 8, R_X86_64_64, "missing1", 0 };
	build_pair(&p, relas, 2 * N + 2, NULL, 0);
	ld_state.startup_done = false;
	ck_assert_int_eq(reloc_object(p.a.obj, p.scope, 2), 2);
	/* Each relocation's own addend on the kept value (0 for the weak
	 * undefined symbol). */
	for (i = 0; i < N; i++) {
		ck_assert_uint_eq(word(&p, 16 * i), p.def.obj->base + EB_DATA);
		ck_assert_uint_eq(word(&p, 16 * i + 8),
				  i % 8 ? p.def.obj->base + 0x1100 + i : i);
	}
	/* Three symbols (two found, one weak) and the missing one twice. */
	ck_assert_uint_eq(ld_state.stats.lookups, 5);
	ck_assert_uint_eq(ld_state.stats.relocations, 2 * N + 2);
	free_pair(&p);
}
END_TEST

static Suite *
reloc_suite(void)
{
	Suite *s = suite_create("reloc");
	TCase *tc;

	tc = tcase_create("reloc_object");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, reloc_object_applies_types);
	tcase_add_test(tc, reloc_object_reuses_lookup);
	tcase_add_test(tc, reloc_object_weak_undefined_is_zero);
	tcase_add_test(tc, reloc_object_counts_undefined_symbols);
	tcase_add_test(tc, reloc_object_stops_at_first_failure_after_startup);
	tcase_add_loop_test(tc, reloc_object_rejects_bad_relocations, 0,
			    sizeof(bad_relocs) / sizeof(bad_relocs[0]));
	tcase_add_test(tc, reloc_object_rejects_bad_symbol_index);
	tcase_add_test(tc, reloc_object_symbolic_binds_to_self);
	tcase_add_test(tc, reloc_object_copies);
	tcase_add_test(tc, reloc_object_irelative_resolver_must_be_code);
	tcase_add_test(tc, reloc_object_applies_relr);
	tcase_add_test(tc, reloc_object_relacount_prefix);
	tcase_add_loop_test(tc, reloc_object_relacount_prefix_bad_anywhere, 0, 9);
	tcase_add_test(tc, reloc_object_relacount_prefix_checks_bounds);
	tcase_add_test(tc, reloc_object_memo_looks_up_once);
	tcase_add_test(tc, reloc_object_memo_serves_jump_slots);
	tcase_add_test(tc, reloc_object_relr_bitmap_at_end);
	tcase_add_test(tc, reloc_object_rejects_relr_outside);
	tcase_add_test(tc, reloc_object_plt_lazy);
	tcase_add_test(tc, reloc_object_plt_bind_now);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(reloc_suite());
}
