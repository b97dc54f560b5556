/* SPDX-License-Identifier: MIT */
/*
 * Mirroring each loaded object into glibc's internal struct link_map.
 * libc.so.6 walks these (dl_iterate_phdr, dladdr, dlinfo, __libc_start_main
 * running the program's constructors, dlsym scopes), so every field it reads
 * (fact sheet section 4.3) is filled truthfully. Each mirror is allocated
 * with a trailer that points back to its struct elf_object.
 */
#include "loader/glibc/internal.h"

#include <elf.h>
#include <errno.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "loader/deps.h"
#include "loader/error.h"
#include "loader/glibc/glibc.h"
#include "loader/scope.h"
#include "loader/state.h"

/* What follows a link map in its allocation. */
struct map_trailer {
	uint64_t magic;
	struct elf_object *obj;
};

#define TRAILER_MAGIC 0x6d796c646d617021ull  /* "myldmap!" */

static struct map_trailer *
trailer(const void *map)
{
	return (struct map_trailer *)((unsigned char *)map +
				      ld_state.glibc.abi->lm_size);
}

void *
glibc_link_map(const struct elf_object *obj)
{
	return obj ? obj->adapter : NULL;
}

struct elf_object *
glibc_object_of(const void *map)
{
	if (!map || !ld_state.glibc.abi)
		return NULL;
	return trailer(map)->magic == TRAILER_MAGIC ? trailer(map)->obj : NULL;
}

/* glibc rewrites these d_ptr values in place (fact sheet 3.6). */
static bool
relocated_in_place(int64_t tag)
{
	switch (tag) {
	case DT_HASH: case DT_GNU_HASH: case DT_STRTAB: case DT_SYMTAB:
	case DT_PLTGOT: case DT_JMPREL: case DT_RELA: case DT_VERSYM:
	case DT_RELR:
		return true;
	}
	return false;
}

static void
fill_info(unsigned char *map, struct elf_object *obj, bool writable)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	Elf64_Dyn **info = &GLIBC_FIELD(map, abi->lm_info, Elf64_Dyn *);
	Elf64_Dyn *d;
	size_t n = 0;

	for (d = obj->dynamic; d && d->d_tag != DT_NULL; d++, n++) {
		int idx = object_dyn_index(d->d_tag);

		if (idx >= 0 && (size_t)idx < abi->lm_info_count)
			info[idx] = d;
		if (writable && obj->base && relocated_in_place(d->d_tag))
			d->d_un.d_ptr += obj->base;
	}
	GLIBC_FIELD(map, abi->lm_ldnum, uint16_t) = (uint16_t)(n + 1);
	/* Only the NULL-ness of these matters to libc. */
	if (obj->flags & DF_SYMBOLIC && !info[DT_SYMBOLIC])
		info[DT_SYMBOLIC] = info[DT_FLAGS];
	if (obj->flags & DF_TEXTREL && !info[DT_TEXTREL])
		info[DT_TEXTREL] = info[DT_FLAGS];
	if (obj->bind_now && !info[DT_BIND_NOW])
		info[DT_BIND_NOW] = info[DT_FLAGS] ? info[DT_FLAGS] :
				    info[object_dyn_index(DT_FLAGS_1)];
}

/* The contiguity flag: no page-sized hole between PT_LOADs. */
static bool
contiguous(const struct elf_object *obj)
{
	uintptr_t page = ld_state.page_size, prev_end = 0;
	bool first = true;
	size_t i;

	for (i = 0; i < obj->phnum; i++) {
		const Elf64_Phdr *ph = &obj->phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (!first && (ph->p_vaddr & ~(page - 1)) > prev_end)
			return false;
		prev_end = (ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		first = false;
	}
	return true;
}

static uintptr_t
text_end(const struct elf_object *obj)
{
	uintptr_t end = 0;
	size_t i;

	for (i = 0; i < obj->phnum; i++)
		if (obj->phdr[i].p_type == PT_LOAD && (obj->phdr[i].p_flags & PF_X))
			end = obj->base + obj->phdr[i].p_vaddr + obj->phdr[i].p_memsz;
	return end;
}

static void
fill_hash(unsigned char *map, const struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;

	if (obj->gnu_hash) {
		GLIBC_FIELD(map, abi->lm_nbuckets, uint32_t) = obj->gnu_nbuckets;
		GLIBC_FIELD(map, abi->lm_gnu_bitmask_idxbits, uint32_t) =
			obj->gnu_bloom_mask;
		GLIBC_FIELD(map, abi->lm_gnu_shift, uint32_t) = obj->gnu_bloom_shift;
		GLIBC_FIELD(map, abi->lm_gnu_bitmask, const void *) = obj->gnu_bloom;
		GLIBC_FIELD(map, abi->lm_gnu_buckets, const void *) = obj->gnu_buckets;
		GLIBC_FIELD(map, abi->lm_gnu_chain_zero, const void *) =
			obj->gnu_chain - obj->gnu_symoffset;
	} else if (obj->sysv_hash) {
		GLIBC_FIELD(map, abi->lm_nbuckets, uint32_t) = obj->sysv_hash[0];
		GLIBC_FIELD(map, abi->lm_gnu_buckets, const void *) =
			obj->sysv_hash + 2 + obj->sysv_hash[0];
		GLIBC_FIELD(map, abi->lm_gnu_chain_zero, const void *) =
			obj->sysv_hash + 2;
	}
}

/* struct r_found_version[]: name, hash, hidden, filename. Returns 0 or
 * -ENOMEM. */
static int
fill_versions(unsigned char *map, const struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *v;
	size_t i;

	if (!obj->nversions)
		return 0;
	v = crt_calloc(obj->nversions, abi->lm_found_version_size);
	if (!v)
		return -ENOMEM;
	for (i = 0; i < obj->nversions; i++) {
		unsigned char *e = v + i * abi->lm_found_version_size;

		GLIBC_FIELD(e, 0, const char *) = obj->versions[i].name;
		GLIBC_FIELD(e, 8, uint32_t) = obj->versions[i].hash;
		GLIBC_FIELD(e, 12, int) = obj->versions[i].hidden;
		GLIBC_FIELD(e, 16, const char *) = obj->versions[i].file;
	}
	GLIBC_FIELD(map, abi->lm_versions, void *) = v;
	GLIBC_FIELD(map, abi->lm_nversions, unsigned) = (unsigned)obj->nversions;
	return 0;
}

/* The list of struct libname_list nodes at head, freed. */
static void
free_libnames(unsigned char *head)
{
	unsigned char *next;

	for (; head; head = next) {
		next = GLIBC_FIELD(head, 8, unsigned char *);
		crt_free(head);
	}
}

/* struct libname_list {name, next, dont_free}: the names the object is
 * known by, in map's l_libname. Returns 0 or -ENOMEM (nothing kept). */
static int
fill_libnames(unsigned char *map, const struct elf_object *obj)
{
	const char *names[2] = { obj->libname ? obj->libname : obj->path,
				 obj->soname };
	void *head = NULL;
	int i;

	for (i = 1; i >= 0; i--) {
		unsigned char *n;

		if (!names[i] || (i == 1 && names[0] &&
				  crt_strcmp(names[0], names[1]) == 0))
			continue;
		n = crt_calloc(1, 24);
		if (!n) {
			free_libnames(head);
			return -ENOMEM;
		}
		GLIBC_FIELD(n, 0, const char *) = names[i];
		GLIBC_FIELD(n, 8, void *) = head;
		GLIBC_FIELD(n, 16, int) = 1;
		head = n;
	}
	GLIBC_FIELD(map, ld_state.glibc.abi->lm_libname, void *) = head;
	return 0;
}

/* Entries of l_scope_mem: l_scope points there until it needs more. */
#define SCOPE_MEM_SLOTS 4

/* Frees map and what it owns (names, search list, scope, versions), and
 * detaches it from its object. */
static void
free_map(unsigned char *map)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	void **scope = GLIBC_FIELD(map, abi->lm_scope, void **);

	if (scope && scope != &GLIBC_FIELD(map, abi->lm_scope_mem, void *))
		crt_free(scope);

	trailer(map)->obj->adapter = NULL;
	trailer(map)->magic = 0;
	free_libnames(GLIBC_FIELD(map, abi->lm_libname, unsigned char *));
	crt_free(GLIBC_FIELD(map, abi->lm_searchlist, void *));
	crt_free(GLIBC_FIELD(map, abi->lm_versions, void *));
	crt_free(map);
}

static void
set_flag(unsigned char *map, unsigned bit, bool on)
{
	uint32_t *w = &GLIBC_FIELD(map, ld_state.glibc.abi->lm_flags_word, uint32_t);

	*w = on ? (*w | (1u << bit)) : (*w & ~(1u << bit));
}

/* Fields that do not depend on other maps. Returns the map (also in
 * obj->adapter), or NULL with the message set and nothing kept. */
static unsigned char *
new_map(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = crt_calloc(1, abi->lm_size + sizeof(struct map_trailer));
	bool writable;

	if (!map) {
		ld_error("%s: cannot create link map: out of memory", obj->path);
		return NULL;
	}
	trailer(map)->magic = TRAILER_MAGIC;
	trailer(map)->obj = obj;
	obj->adapter = map;
	GLIBC_FIELD(map, abi->lm_addr, uintptr_t) = obj->base;
	/* glibc names the program "" in both start modes (dladdr and
	 * dl_iterate_phdr callers rely on it); messages use argv[0]. */
	GLIBC_FIELD(map, abi->lm_name, const char *) = obj->is_main ? "" : obj->path;
	GLIBC_FIELD(map, abi->lm_ld, void *) = obj->dynamic;
	GLIBC_FIELD(map, abi->lm_real, void *) = map;
	/* The PT_LOAD holding .dynamic is writable (the vDSO's is not
	 * ours to write). */
	writable = obj->dynamic && !obj->is_vdso &&
		   object_in_segment(obj, (uintptr_t)obj->dynamic, 1, PF_W);
	fill_info(map, obj, writable);
	GLIBC_FIELD(map, abi->lm_phdr, const void *) = obj->phdr;
	GLIBC_FIELD(map, abi->lm_entry, uintptr_t) = obj->entry;
	GLIBC_FIELD(map, abi->lm_phnum, uint16_t) = (uint16_t)obj->phnum;
	if (fill_libnames(map, obj) < 0 || fill_versions(map, obj) < 0) {
		free_map(map);
		ld_error("%s: cannot create link map: out of memory", obj->path);
		return NULL;
	}
	fill_hash(map, obj);
	GLIBC_FIELD(map, abi->lm_direct_opencount, unsigned) = obj->is_main ? 1 : 0;
	/* l_type: 0 executable, 1 library. */
	GLIBC_FIELD(map, abi->lm_flags_word, uint32_t) = obj->is_main ? 0 : 1;
	set_flag(map, abi->lm_bit_main_map, obj->is_main);
	set_flag(map, abi->lm_bit_contiguous, contiguous(obj));
	set_flag(map, abi->lm_bit_ld_readonly, !writable);
	GLIBC_FIELD(map, abi->lm_versyms, const void *) = obj->versym;
	GLIBC_FIELD(map, abi->lm_origin, const char *) =
		obj->origin ? obj->origin : (const char *)-1;
	GLIBC_FIELD(map, abi->lm_map_start, uintptr_t) = obj->map_start;
	GLIBC_FIELD(map, abi->lm_map_end, uintptr_t) = obj->map_end;
	GLIBC_FIELD(map, abi->lm_text_end, uintptr_t) = text_end(obj);
	GLIBC_FIELD(map, abi->lm_file_id, uint64_t) = obj->dev;
	GLIBC_FIELD(map, abi->lm_file_id + 8, uint64_t) = obj->ino;
	GLIBC_FIELD(map, abi->lm_flags_1, uint32_t) = (uint32_t)obj->flags_1;
	GLIBC_FIELD(map, abi->lm_flags, uint32_t) = (uint32_t)obj->flags;
	GLIBC_FIELD(map, abi->lm_relro_addr, uintptr_t) = obj->relro_start;
	GLIBC_FIELD(map, abi->lm_relro_size, size_t) = obj->relro_size;
	glibc_link_map_update(obj);
	return map;
}

struct link_map *
glibc_debug_maps(void)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		glibc_link_map_update(obj);
	return glibc_link_map(ld_state.head);
}

void
glibc_link_map_update(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = obj->adapter;

	if (!map)
		return;
	GLIBC_FIELD(map, abi->lm_tls_initimage, const void *) = obj->tls_image;
	GLIBC_FIELD(map, abi->lm_tls_initimage_size, size_t) = obj->tls_filesz;
	GLIBC_FIELD(map, abi->lm_tls_blocksize, size_t) = obj->tls_memsz;
	GLIBC_FIELD(map, abi->lm_tls_align, size_t) = obj->tls_align;
	GLIBC_FIELD(map, abi->lm_tls_firstbyte_offset, size_t) = obj->tls_align ?
		((uintptr_t)obj->tls_image - obj->base) & (obj->tls_align - 1) : 0;
	GLIBC_FIELD(map, abi->lm_tls_offset, ptrdiff_t) = obj->tls_offset;
	GLIBC_FIELD(map, abi->lm_tls_modid, size_t) = obj->tls_modid;
	set_flag(map, abi->lm_bit_relocated, obj->relocated || obj->is_vdso);
	set_flag(map, abi->lm_bit_init_called, obj->init_started);
}

/* An r_scope_elem {link_map **r_list; unsigned r_nlist} at scope, listing
 * the maps of objs[0..n); the list it replaces is freed. Returns 0, or
 * -ENOMEM with the message set and the old list kept. */
static int
fill_scope(unsigned char *scope, struct elf_object *const *objs, size_t n)
{
	void **list = crt_calloc(n + 1, sizeof(void *)), *old;
	size_t i;

	if (!list) {
		ld_error("cannot create scope list: out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		list[i] = objs[i]->adapter;
	old = GLIBC_FIELD(scope, 0, void *);
	GLIBC_FIELD(scope, 0, void **) = list;
	GLIBC_FIELD(scope, 8, unsigned) = (unsigned)n;
	crt_free(old);
	return 0;
}

/* Room for nroots scope roots, the global scope and the NULL in map's
 * l_scope array, glibc's NULL-terminated list of r_scope_elem pointers:
 * first in l_scope_mem, then in an array of ours, whose old contents are
 * copied (libc reads l_scope under the load lock only). */
int
glibc_scope_reserve(struct elf_object *obj, size_t nroots)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = obj->adapter;
	void **mem, ***scope, **bigger;
	size_t *max, slots = nroots + 2, cap;

	if (!map)
		return 0;
	mem = &GLIBC_FIELD(map, abi->lm_scope_mem, void *);
	scope = &GLIBC_FIELD(map, abi->lm_scope, void **);
	max = &GLIBC_FIELD(map, abi->lm_scope_max, size_t);
	if (!*scope) {
		*scope = mem;
		*max = SCOPE_MEM_SLOTS;
	}
	if (slots <= *max)
		return 0;
	cap = slots > *max * 2 ? slots : *max * 2;
	bigger = crt_calloc(cap, sizeof(*bigger));
	if (!bigger) {
		ld_error("cannot create scope list: out of memory");
		return -ENOMEM;
	}
	memcpy(bigger, *scope, *max * sizeof(*bigger));
	if (*scope != mem)
		crt_free(*scope);
	*scope = bigger;
	*max = cap;
	return 0;
}

/* The r_scope_elem of root's search list. */
static void *
search_elem(const struct elf_object *root)
{
	return (unsigned char *)root->adapter + ld_state.glibc.abi->lm_searchlist;
}

/* Writes obj's lookup scope into l_scope, in the order scope.c searches:
 * the global scope (the main map's search list), then the search lists of
 * obj's scope roots; with RTLD_DEEPBIND the first root before the global
 * scope. */
void
glibc_scope_sync(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = obj->adapter;
	const struct scope_roots *s = obj->scope;
	void **list;
	size_t max, n = 0, i = 0;

	if (!map)
		return;
	list = GLIBC_FIELD(map, abi->lm_scope, void **);
	max = GLIBC_FIELD(map, abi->lm_scope_max, size_t);
	LD_ASSERT(list && (s ? s->len : 0) + 2 <= max);
	if (s && obj->deepbind && s->len && s->roots[0]->adapter)
		list[n++] = search_elem(s->roots[i++]);
	list[n++] = search_elem(ld_state.main_obj);
	for (; s && i < s->len; i++)
		if (s->roots[i]->adapter)
			list[n++] = search_elem(s->roots[i]);
	while (n < max)
		list[n++] = NULL;
}

/* Each map's own breadth-first dependency list (l_searchlist), its lookup
 * scope (l_scope) and local scope. Returns 0 or -ENOMEM with the message
 * set. */
static int
fill_scopes(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = obj->adapter;
	struct elf_object **list;
	size_t n;
	int err;

	if (obj->is_main) {
		size_t nglobal;
		struct elf_object *const *global = scope_global(&nglobal);

		err = glibc_global_scope_changed(global, nglobal);
	} else {
		err = deps_search_list(obj, &list, &n);
		if (err == 0)
			err = fill_scope(search_elem(obj), list, n);
		crt_free(list);
	}
	if (err)
		return err;
	err = glibc_scope_reserve(obj, obj->scope ? obj->scope->len : 0);
	if (err)
		return err;
	glibc_scope_sync(obj);
	GLIBC_FIELD(map, abi->lm_local_scope, void *) = search_elem(obj);
	return 0;
}

void
glibc_build_link_maps(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (!new_map(obj))
			ld_oom();
	for (obj = ld_state.head; obj; obj = obj->next) {
		unsigned char *map = obj->adapter;

		GLIBC_FIELD(map, abi->lm_next, void *) = glibc_link_map(obj->next);
		GLIBC_FIELD(map, abi->lm_prev, void *) = glibc_link_map(obj->prev);
		/* The object that caused it to be loaded: libc's RTLD_NEXT
		 * climbs this chain to the root whose scope it searches
		 * (preloads: the program, see main.c's adopt_preloads). */
		GLIBC_FIELD(map, abi->lm_loader, void *) = glibc_link_map(obj->loader);
		if (fill_scopes(obj) < 0)
			ld_oom();
	}
	memcpy(_rtld_global_ro + abi->glro_initial_searchlist,
	       search_elem(ld_state.main_obj), 16);
}

void
glibc_mutex(size_t off, bool take)
{
	int (*fn)(void *) = take ? ld_state.glibc.mutex_lock : ld_state.glibc.mutex_unlock;

	if (fn)
		fn(_rtld_global + off);
}

/* libc's dl_iterate_phdr walks the link-map chain holding
 * GL(dl_load_write_lock) (and calls back with it held): the chain and the
 * counters change only with it held, and a map leaves the chain before it
 * is freed. Recursive, so a dl_iterate_phdr callback may dlopen. */
int
glibc_map_added(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = new_map(obj);
	unsigned char *prev = glibc_link_map(obj->prev);
	struct elf_object *o;

	if (!map)
		return -ENOMEM;
	GLIBC_FIELD(map, abi->lm_prev, void *) = prev;
	GLIBC_FIELD(map, abi->lm_loader, void *) = glibc_link_map(obj->loader);
	/* l_type 2: loaded by dlopen. */
	GLIBC_FIELD(map, abi->lm_flags_word, uint32_t) =
		(GLIBC_FIELD(map, abi->lm_flags_word, uint32_t) & ~3u) | 2u;
	glibc_mutex(abi->gl_load_write_lock, true);
	if (prev)
		__atomic_store_n(&GLIBC_FIELD(prev, abi->lm_next, void *), map,
				 __ATOMIC_RELEASE);
	/* The namespace counters libc's dl_iterate_phdr reads. */
	GLIBC_FIELD(_rtld_global + abi->gl_ns, abi->ns_nloaded, unsigned) =
		(unsigned)ld_state.nobjects;
	GLIBC_FIELD(_rtld_global, abi->gl_load_adds, unsigned long long)++;
	glibc_mutex(abi->gl_load_write_lock, false);
	/* From here on the map is on the list: on failure the caller's
	 * roll-back removes it (glibc_map_removed). The search lists and
	 * scopes name the maps of objects loaded with it in the same call:
	 * they are filled, for all of them, once the last has its map. */
	for (o = obj->next ? NULL : obj; o && !o->at_startup; o = o->prev)
		if (fill_scopes(o) < 0)
			return -ENOMEM;
	return glibc_tls_sync();
}

void
glibc_map_removed(struct elf_object *obj)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *map = obj->adapter;
	unsigned char *prev = glibc_link_map(obj->prev);
	unsigned char *next = glibc_link_map(obj->next);

	glibc_mutex(abi->gl_load_write_lock, true);
	if (prev)
		GLIBC_FIELD(prev, abi->lm_next, void *) = next;
	if (next)
		GLIBC_FIELD(next, abi->lm_prev, void *) = prev;
	/* The caller removes obj from the load list next. */
	GLIBC_FIELD(_rtld_global + abi->gl_ns, abi->ns_nloaded, unsigned) =
		(unsigned)ld_state.nobjects - 1;
	glibc_mutex(abi->gl_load_write_lock, false);
	free_map(map);
	/* Cannot fail: the slot list only ever grows for new modules. */
	(void)glibc_tls_sync();
}

int
glibc_global_scope_changed(struct elf_object *const *scope, size_t len)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	size_t i;

	if (fill_scope(search_elem(ld_state.main_obj), scope, len) < 0)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		set_flag(scope[i]->adapter, abi->lm_bit_global, true);
	return 0;
}
