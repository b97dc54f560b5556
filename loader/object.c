/* SPDX-License-Identifier: MIT */
/*
 * struct elf_object: creation, the program-header scan of objects that are
 * already mapped, and decoding of .dynamic. Everything read from the file is
 * checked against the object's mapped span before it is used, so a broken
 * library produces a message, never a fault. Stage 2 and later.
 */
#include "loader/object.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "loader/error.h"
#include "loader/state.h"

struct elf_object *
object_new(const char *path)
{
	struct elf_object *obj = crt_calloc(1, sizeof(*obj));

	if (!obj)
		return NULL;
	obj->path = crt_strdup(path);
	if (!obj->path) {
		crt_free(obj);
		return NULL;
	}
	obj->refcount = 1;
	obj->serial = ++ld_state.object_serial;
	return obj;
}

void
object_free(struct elf_object *obj)
{
	if (!obj)
		return;
	crt_free(obj->path);
	crt_free(obj->origin);
	crt_free(obj->libname);
	crt_free(obj->needed);
	crt_free(obj->deps);
	crt_free(obj->dep_kinds);
	crt_free(obj->versions);
	crt_free(obj->searchlist);
	crt_free(obj->scope);
	crt_free(obj->reldeps);
	crt_free(obj->initfini);
	crt_free(obj);
}

const char *
object_name(const struct elf_object *obj)
{
	if (obj->is_main && ld_state.progname)
		return ld_state.progname;
	return obj->path;
}

void
object_scan_phdrs(struct elf_object *obj)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	size_t i, page = ld_state.page_size ? ld_state.page_size : 4096;

	for (i = 0; i < obj->phnum; i++) {
		const Elf64_Phdr *ph = &obj->phdr[i];

		switch (ph->p_type) {
		case PT_LOAD:
			if (ph->p_vaddr < lo)
				lo = ph->p_vaddr;
			if (ph->p_vaddr + ph->p_memsz > hi)
				hi = ph->p_vaddr + ph->p_memsz;
			break;
		case PT_DYNAMIC:
			obj->dynamic = (Elf64_Dyn *)(obj->base + ph->p_vaddr);
			break;
		case PT_TLS:
			obj->tls_image = (const void *)(obj->base + ph->p_vaddr);
			obj->tls_filesz = ph->p_filesz;
			obj->tls_memsz = ph->p_memsz;
			obj->tls_align = ph->p_align ? ph->p_align : 1;
			break;
		case PT_GNU_RELRO: {
			/* The kernel/linker round RELRO's end down: only
			 * whole pages become read-only. */
			uintptr_t start = (obj->base + ph->p_vaddr) & ~(page - 1);
			uintptr_t end = (obj->base + ph->p_vaddr + ph->p_memsz) &
					~(page - 1);
			if (end > start) {
				obj->relro_start = start;
				obj->relro_size = end - start;
			}
			break;
		}
		case PT_GNU_STACK:
			obj->stack_flags = ph->p_flags;
			break;
		}
	}
	if (lo <= hi) {
		obj->map_start = (obj->base + lo) & ~(page - 1);
		obj->map_end = (obj->base + hi + page - 1) & ~(page - 1);
	}
}

bool
object_in_segment(const struct elf_object *obj, uintptr_t addr, size_t len,
		  uint32_t need)
{
	size_t i;

	for (i = 0; i < obj->phnum; i++) {
		const Elf64_Phdr *ph = &obj->phdr[i];
		uintptr_t start = obj->base + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & need) == need &&
		    addr >= start && addr - start <= ph->p_memsz &&
		    len <= ph->p_memsz - (addr - start))
			return true;
	}
	return false;
}

int
object_check_layout(const struct elf_object *obj)
{
	const char *what = NULL;

	if (obj->relro_size &&
	    !object_contains(obj, obj->relro_start, obj->relro_size))
		what = "PT_GNU_RELRO";
	else if (obj->tls_memsz &&
		 !object_contains(obj, (uintptr_t)obj->tls_image, obj->tls_filesz))
		what = "PT_TLS";
	if (!what)
		return 0;
	ld_error("%s: %s reaches outside the object's loaded segments",
		 obj->path, what);
	return -ENOEXEC;
}

int
object_check_entry(const struct elf_object *obj)
{
	if (object_in_segment(obj, obj->entry, 1, PF_X))
		return 0;
	ld_error("%s: entry point 0x%lx is not in an executable segment",
		 obj->path, (unsigned long)(obj->entry - obj->base));
	return -ENOEXEC;
}

/* Turns a d_ptr into an address inside the object, or 0 when it points
 * outside the mapped span. */
static uintptr_t
dyn_addr(const struct elf_object *obj, uint64_t ptr, size_t len)
{
	uintptr_t addr = obj->base + ptr;

	return object_contains(obj, addr, len) ? addr : 0;
}

/* Decodes DT_GNU_HASH's header (four words, then the bloom filter, the
 * buckets and the chains) and counts the symbols it covers. */
static int
parse_gnu_hash(struct elf_object *obj)
{
	const uint32_t *h = obj->gnu_hash;
	uintptr_t after;
	size_t i, max_sym = 0;

	if (!object_contains(obj, (uintptr_t)h, 16))
		goto bad;
	obj->gnu_nbuckets = h[0];
	obj->gnu_symoffset = h[1];
	obj->gnu_bloom_size = h[2];
	obj->gnu_bloom_shift = h[3];
	if (obj->gnu_nbuckets == 0 || obj->gnu_bloom_size == 0 ||
	    (obj->gnu_bloom_size & (obj->gnu_bloom_size - 1)) ||
	    obj->gnu_bloom_shift >= 64)
		goto bad;
	obj->gnu_bloom = (const uint64_t *)(h + 4);
	obj->gnu_buckets = (const uint32_t *)(obj->gnu_bloom + obj->gnu_bloom_size);
	obj->gnu_chain = obj->gnu_buckets + obj->gnu_nbuckets;
	after = (uintptr_t)obj->gnu_chain;
	if (!object_contains(obj, (uintptr_t)obj->gnu_bloom, after -
			     (uintptr_t)obj->gnu_bloom))
		goto bad;
	for (i = 0; i < obj->gnu_nbuckets; i++)
		if (obj->gnu_buckets[i] > max_sym)
			max_sym = obj->gnu_buckets[i];
	if (max_sym == 0) {
		obj->nsyms = obj->gnu_symoffset;
		return 0;
	}
	if (max_sym < obj->gnu_symoffset)
		goto bad;
	/* Walk the last chain to its end marker (low bit set). */
	for (;;) {
		uintptr_t p = (uintptr_t)&obj->gnu_chain[max_sym - obj->gnu_symoffset];

		if (!object_contains(obj, p, 4))
			goto bad;
		if (*(const uint32_t *)p & 1)
			break;
		max_sym++;
	}
	obj->nsyms = max_sym + 1;
	return 0;
bad:
	ld_error("%s: malformed DT_GNU_HASH table", obj->path);
	return -ENOEXEC;
}

/* Values of the entries we need, gathered in one pass. */
struct dyn_values {
	uint64_t strtab, strsz, symtab, hash, gnu_hash, rela, relasz, relaent;
	uint64_t jmprel, pltrelsz, pltrel, relr, relrsz, pltgot, versym;
	uint64_t verdef, verdefnum, verneed, verneednum, init, fini;
	uint64_t init_array, init_arraysz, fini_array, fini_arraysz;
	uint64_t preinit_array, preinit_arraysz, soname, rpath, runpath;
	uint64_t relacount;
	bool has_soname, has_rpath, has_runpath, has_strtab, has_symtab;
	bool has_filters;               /* DT_FILTER or DT_AUXILIARY */
};

/* The kind of a dependency entry's tag, or -1 for other tags. */
static int
dep_kind_of(int64_t tag)
{
	switch (tag) {
	case DT_NEEDED: return DEP_NEEDED;
	case DT_FILTER: return DEP_FILTER;
	case DT_AUXILIARY: return DEP_AUXILIARY;
	default: return -1;
	}
}

static size_t
count_and_collect(struct elf_object *obj, struct dyn_values *v, size_t max)
{
	size_t n, nneeded = 0;

	for (n = 0; n < max && obj->dynamic[n].d_tag != DT_NULL; n++) {
		const Elf64_Dyn *d = &obj->dynamic[n];
		uint64_t val = d->d_un.d_val;

		switch (d->d_tag) {
		case DT_NEEDED: nneeded++; break;
		case DT_FILTER:
		case DT_AUXILIARY: nneeded++; v->has_filters = true; break;
		case DT_STRTAB: v->strtab = val; v->has_strtab = true; break;
		case DT_STRSZ: v->strsz = val; break;
		case DT_SYMTAB: v->symtab = val; v->has_symtab = true; break;
		case DT_HASH: v->hash = val; break;
		case DT_GNU_HASH: v->gnu_hash = val; break;
		case DT_RELA: v->rela = val; break;
		case DT_RELASZ: v->relasz = val; break;
		case DT_RELAENT: v->relaent = val; break;
		case DT_RELACOUNT: v->relacount = val; break;
		case DT_JMPREL: v->jmprel = val; break;
		case DT_PLTRELSZ: v->pltrelsz = val; break;
		case DT_PLTREL: v->pltrel = val; break;
		case DT_RELR: v->relr = val; break;
		case DT_RELRSZ: v->relrsz = val; break;
		case DT_PLTGOT: v->pltgot = val; break;
		case DT_VERSYM: v->versym = val; break;
		case DT_VERDEF: v->verdef = val; break;
		case DT_VERDEFNUM: v->verdefnum = val; break;
		case DT_VERNEED: v->verneed = val; break;
		case DT_VERNEEDNUM: v->verneednum = val; break;
		case DT_INIT: v->init = val; break;
		case DT_FINI: v->fini = val; break;
		case DT_INIT_ARRAY: v->init_array = val; break;
		case DT_INIT_ARRAYSZ: v->init_arraysz = val; break;
		case DT_FINI_ARRAY: v->fini_array = val; break;
		case DT_FINI_ARRAYSZ: v->fini_arraysz = val; break;
		case DT_PREINIT_ARRAY: v->preinit_array = val; break;
		case DT_PREINIT_ARRAYSZ: v->preinit_arraysz = val; break;
		case DT_SONAME: v->soname = val; v->has_soname = true; break;
		case DT_RPATH: v->rpath = val; v->has_rpath = true; break;
		case DT_RUNPATH: v->runpath = val; v->has_runpath = true; break;
		case DT_TEXTREL: obj->textrel = true; break;
		case DT_SYMBOLIC: obj->symbolic = true; break;
		case DT_BIND_NOW: obj->bind_now = true; break;
		case DT_FLAGS: obj->flags = val; break;
		case DT_FLAGS_1: obj->flags_1 = val; break;
		}
	}
	return nneeded;
}

/* A string-table offset as a string, or NULL when out of bounds. */
static const char *
dyn_string(const struct elf_object *obj, uint64_t off)
{
	if (off >= obj->strsz)
		return NULL;
	return obj->strtab + off;
}

static int
fill_tables(struct elf_object *obj, const struct dyn_values *v)
{
	const char *what = NULL;   /* a table outside the object */
	const char *skew = NULL;   /* a table not aligned for its entries */
	const char *bad = NULL;    /* anything else wrong */

	/* The base is page aligned, so an address is aligned when its d_ptr
	 * is; reading a misaligned table would be undefined behaviour. */
#define TABLE(field, val, size, align, name)                              \
	do {                                                              \
		if (val) {                                                \
			uintptr_t a = dyn_addr(obj, (val), (size));       \
			if (!a && !what)                                  \
				what = name;                              \
			if ((a & ((align) - 1)) && !skew)                 \
				skew = name;                              \
			obj->field = (void *)a;                           \
		}                                                         \
	} while (0)

	if (!v->has_strtab || !v->has_symtab) {
		ld_error("%s: no DT_STRTAB or DT_SYMTAB in the dynamic section",
			 obj->path);
		return -ENOEXEC;
	}
	obj->strsz = v->strsz;
	TABLE(strtab, v->strtab, v->strsz, 1, "DT_STRTAB");
	/* A present DT_SYMTAB at address 0 is odd but addressable; the
	 * symbol-count bound below still checks it. */
	if (v->has_symtab && !v->symtab)
		obj->symtab = (const Elf64_Sym *)obj->base;
	if (!what && !obj->strtab)
		bad = "DT_STRTAB is 0";
	if (!what && obj->strtab && (obj->strsz == 0 || obj->strtab[obj->strsz - 1]))
		bad = "the dynamic string table is not terminated";
	TABLE(symtab, v->symtab, sizeof(Elf64_Sym), 8, "DT_SYMTAB");
	TABLE(sysv_hash, v->hash, 8, 4, "DT_HASH");
	TABLE(gnu_hash, v->gnu_hash, 16, 8, "DT_GNU_HASH");
	TABLE(rela, v->rela, v->relasz, 8, "DT_RELA");
	obj->relasz = v->relasz;
	TABLE(jmprel, v->jmprel, v->pltrelsz, 8, "DT_JMPREL");
	obj->pltrelsz = v->pltrelsz;
	TABLE(relr, v->relr, v->relrsz, 8, "DT_RELR");
	obj->relrsz = v->relrsz;
	TABLE(pltgot, v->pltgot, 24, 8, "DT_PLTGOT");
	TABLE(versym, v->versym, 2, 2, "DT_VERSYM");
	TABLE(verdef, v->verdef, sizeof(Elf64_Verdef), 4, "DT_VERDEF");
	obj->verdefnum = v->verdefnum;
	TABLE(verneed, v->verneed, sizeof(Elf64_Verneed), 4, "DT_VERNEED");
	obj->verneednum = v->verneednum;
	TABLE(init, v->init, 1, 1, "DT_INIT");
	TABLE(fini, v->fini, 1, 1, "DT_FINI");
	TABLE(init_array, v->init_array, v->init_arraysz, 8, "DT_INIT_ARRAY");
	obj->init_arraysz = v->init_arraysz / sizeof(void *);
	TABLE(fini_array, v->fini_array, v->fini_arraysz, 8, "DT_FINI_ARRAY");
	obj->fini_arraysz = v->fini_arraysz / sizeof(void *);
	TABLE(preinit_array, v->preinit_array, v->preinit_arraysz, 8,
	      "DT_PREINIT_ARRAY");
	obj->preinit_arraysz = v->preinit_arraysz / sizeof(void *);
#undef TABLE
	/* A size without its table: the loader would walk address 0. */
	if (v->relasz && !v->rela)
		bad = "DT_RELASZ is nonzero but DT_RELA is 0";
	if (v->pltrelsz && !v->jmprel)
		bad = "DT_PLTRELSZ is nonzero but DT_JMPREL is 0";
	if (v->relrsz && !v->relr)
		bad = "DT_RELRSZ is nonzero but DT_RELR is 0";
	if ((v->init_arraysz && !v->init_array) ||
	    (v->fini_arraysz && !v->fini_array) ||
	    (v->preinit_arraysz && !v->preinit_array))
		bad = "an init, fini or preinit array size without its array";
	if (v->relacount > v->relasz / sizeof(Elf64_Rela))
		bad = "DT_RELACOUNT is larger than DT_RELASZ / DT_RELAENT";
	obj->relacount = v->relacount;
	/* Called, not just read: DT_INIT and DT_FINI must be code. */
	if (!what && ((obj->init && !object_in_segment(obj, (uintptr_t)obj->init, 1, PF_X)) ||
		      (obj->fini && !object_in_segment(obj, (uintptr_t)obj->fini, 1, PF_X))))
		bad = "DT_INIT or DT_FINI is not in an executable segment";
	if (v->jmprel && v->pltrel != DT_RELA)
		bad = "DT_PLTREL is not DT_RELA (the only kind x86-64 uses)";
	if (v->relaent && v->relaent != sizeof(Elf64_Rela))
		bad = "DT_RELAENT is not the size of Elf64_Rela";
	if (what) {
		ld_error("%s: %s points outside the object", obj->path, what);
		return -ENOEXEC;
	}
	if (skew) {
		ld_error("%s: %s is misaligned", obj->path, skew);
		return -ENOEXEC;
	}
	if (bad) {
		ld_error("%s: %s", obj->path, bad);
		return -ENOEXEC;
	}
	return 0;
}

static int
fill_strings(struct elf_object *obj, const struct dyn_values *v, size_t max)
{
	size_t n, k = 0;

	if (v->has_soname && !(obj->soname = dyn_string(obj, v->soname)))
		goto bad;
	if (v->has_rpath && !(obj->rpath = dyn_string(obj, v->rpath)))
		goto bad;
	if (v->has_runpath && !(obj->runpath = dyn_string(obj, v->runpath)))
		goto bad;
	for (n = 0; n < max && obj->dynamic[n].d_tag != DT_NULL; n++) {
		int kind = dep_kind_of(obj->dynamic[n].d_tag);

		if (kind < 0)
			continue;
		obj->needed[k] = dyn_string(obj, obj->dynamic[n].d_un.d_val);
		if (!obj->needed[k])
			goto bad;
		if (obj->dep_kinds)
			obj->dep_kinds[k] = (uint8_t)kind;
		k++;
	}
	return 0;
bad:
	ld_error("%s: string offset in the dynamic section is past DT_STRSZ",
		 obj->path);
	return -ENOEXEC;
}

int
object_parse_dynamic(struct elf_object *obj)
{
	struct dyn_values v = { 0 };
	size_t max, nneeded;
	int err;

	if (!obj->dynamic) {
		ld_error("%s: no dynamic section", obj->path);
		return -ENOEXEC;
	}
	/* Bound the walk by the mapping: a missing DT_NULL must not run off
	 * the end. */
	if (!object_contains(obj, (uintptr_t)obj->dynamic, sizeof(Elf64_Dyn))) {
		ld_error("%s: PT_DYNAMIC is outside the loaded segments", obj->path);
		return -ENOEXEC;
	}
	if ((uintptr_t)obj->dynamic % _Alignof(Elf64_Dyn)) {
		ld_error("%s: PT_DYNAMIC is misaligned", obj->path);
		return -ENOEXEC;
	}
	max = (obj->map_end - (uintptr_t)obj->dynamic) / sizeof(Elf64_Dyn);
	nneeded = count_and_collect(obj, &v, max);
	err = fill_tables(obj, &v);
	if (err)
		return err;
	if (obj->gnu_hash && (err = parse_gnu_hash(obj)))
		return err;
	if (obj->sysv_hash) {
		if (!object_contains(obj, (uintptr_t)obj->sysv_hash,
				     (2 + (size_t)obj->sysv_hash[0] +
				      obj->sysv_hash[1]) * 4)) {
			ld_error("%s: malformed DT_HASH table", obj->path);
			return -ENOEXEC;
		}
		obj->nsyms = obj->sysv_hash[1];
	}
	if (!obj->gnu_hash && !obj->sysv_hash) {
		ld_error("%s: no DT_HASH or DT_GNU_HASH table", obj->path);
		return -ENOEXEC;
	}
	if (!obj->sysv_hash) {
		/* DT_GNU_HASH only proves how many symbols it hashes; the
		 * unhashed (undefined) ones come first and may be more than
		 * symoffset says when nothing is hashed. Linkers put .dynstr
		 * right after .dynsym: that bounds the table. */
		uintptr_t sym = (uintptr_t)obj->symtab, str = (uintptr_t)obj->strtab;
		size_t bound = str > sym ? (str - sym) / sizeof(Elf64_Sym) :
			       (obj->map_end - sym) / sizeof(Elf64_Sym);

		if (bound > obj->nsyms)
			obj->nsyms = bound;
	}
	if (obj->nsyms && !object_contains(obj, (uintptr_t)obj->symtab,
					   obj->nsyms * sizeof(Elf64_Sym))) {
		ld_error("%s: DT_SYMTAB extends past the object", obj->path);
		return -ENOEXEC;
	}
	/* Symbol lookups read DT_VERSYM for every index below nsyms, in
	 * objects without DT_VERDEF and DT_VERNEED too. */
	if (obj->versym && obj->nsyms &&
	    !object_contains(obj, (uintptr_t)obj->versym, obj->nsyms * 2)) {
		ld_error("%s: DT_VERSYM extends past the object", obj->path);
		return -ENOEXEC;
	}
	obj->nneeded = nneeded;
	obj->needed = crt_calloc(nneeded + 1, sizeof(*obj->needed));
	obj->deps = crt_calloc(nneeded + 1, sizeof(*obj->deps));
	/* Only a filter pays for the kinds. */
	if (v.has_filters)
		obj->dep_kinds = crt_calloc(nneeded + 1, sizeof(*obj->dep_kinds));
	if (!obj->needed || !obj->deps || (v.has_filters && !obj->dep_kinds)) {
		ld_error("%s: out of memory", obj->path);
		return -ENOMEM;
	}
	if (obj->flags & DF_BIND_NOW || obj->flags_1 & DF_1_NOW)
		obj->bind_now = true;
	if (obj->flags & DF_SYMBOLIC)
		obj->symbolic = true;
	if (obj->flags & DF_TEXTREL)
		obj->textrel = true;
	return fill_strings(obj, &v, max);
}

/* Fibonacci hashing of the address: objects are malloc'ed, so the low
 * bits carry little; the top bits of the product are well mixed. */
static size_t
set_slot(const struct object_set *set, const struct elf_object *obj)
{
	uint64_t h = (uint64_t)(uintptr_t)obj * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 32) & (set->cap - 1);
}

static bool
set_grow(struct object_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 16, i;
	const struct elf_object **old = set->slots;
	struct object_set bigger = { crt_calloc(cap, sizeof(*old)), cap, 0 };

	if (!bigger.slots)
		return false;
	for (i = 0; i < set->cap; i++) {
		if (old[i]) {
			size_t j = set_slot(&bigger, old[i]);

			while (bigger.slots[j])
				j = (j + 1) & (cap - 1);
			bigger.slots[j] = old[i];
			bigger.len++;
		}
	}
	crt_free(old);
	*set = bigger;
	return true;
}

int
object_set_add(struct object_set *set, const struct elf_object *obj)
{
	size_t i;

	LD_ASSERT(obj != NULL);         /* NULL marks a free slot */
	if (object_set_has(set, obj))
		return 0;
	/* At most half full: probes stay short and one slot is always free. */
	if ((set->len + 1) * 2 > set->cap && !set_grow(set))
		return -ENOMEM;
	for (i = set_slot(set, obj); set->slots[i]; i = (i + 1) & (set->cap - 1))
		;
	set->slots[i] = obj;
	set->len++;
	return 1;
}

bool
object_set_has(const struct object_set *set, const struct elf_object *obj)
{
	size_t i;

	if (!set->cap || !obj)
		return false;
	for (i = set_slot(set, obj); set->slots[i]; i = (i + 1) & (set->cap - 1))
		if (set->slots[i] == obj)
			return true;
	return false;
}

void
object_set_free(struct object_set *set)
{
	crt_free(set->slots);
	set->slots = NULL;
	set->cap = set->len = 0;
}
