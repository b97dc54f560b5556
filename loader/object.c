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

const uint64_t object_bloom_pass[1] = { ~0ull };

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
	obj->serial = ++ld_state.object_serial;
	obj->gnu_bloom = object_bloom_pass;
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

const Elf64_Phdr *
object_segment_of(const struct elf_object *obj, uintptr_t addr, size_t len,
		  uint32_t need)
{
	size_t i;

	for (i = 0; i < obj->phnum; i++) {
		const Elf64_Phdr *ph = &obj->phdr[i];
		uintptr_t start = obj->base + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && (ph->p_flags & need) == need &&
		    addr >= start && addr - start <= ph->p_memsz &&
		    len <= ph->p_memsz - (addr - start))
			return ph;
	}
	return NULL;
}

bool
object_in_segment(const struct elf_object *obj, uintptr_t addr, size_t len,
		  uint32_t need)
{
	return object_segment_of(obj, addr, len, need) != NULL;
}

/* Records "<path>: <what>" for a malformed object; returns -ENOEXEC. */
static int
malformed(const struct elf_object *obj, const char *what)
{
	ld_error_at(obj->path, 0, "%s", what);
	return -ENOEXEC;
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
	ld_error_at(obj->path, 0, "%s reaches outside the object's loaded "
		    "segments", what);
	return -ENOEXEC;
}

int
object_check_entry(const struct elf_object *obj)
{
	if (object_in_segment(obj, obj->entry, 1, PF_X))
		return 0;
	ld_error_at(obj->path, 0, "entry point 0x%lx is not in an executable "
		    "segment", (unsigned long)(obj->entry - obj->base));
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
	size_t i, max_sym = 0;

	if (!object_contains(obj, (uintptr_t)h, 16))
		goto bad;
	obj->gnu_nbuckets = h[0];
	obj->gnu_symoffset = h[1];
	if (obj->gnu_nbuckets == 0 || h[2] == 0 || (h[2] & (h[2] - 1)) ||
	    h[3] >= 64)
		goto bad;
	obj->gnu_bloom_mask = h[2] - 1;
	obj->gnu_bloom_shift = h[3];
	obj->gnu_bloom = (const uint64_t *)(h + 4);
	obj->gnu_buckets = (const uint32_t *)(obj->gnu_bloom + h[2]);
	obj->gnu_chain = obj->gnu_buckets + obj->gnu_nbuckets;
	if (!object_contains(obj, (uintptr_t)obj->gnu_bloom,
			     (uintptr_t)obj->gnu_chain - (uintptr_t)obj->gnu_bloom))
		goto bad;
	/* DT_HASH already counted the symbols: the chains must cover them
	 * (one check instead of a walk over every bucket). A count that
	 * bounds nothing (none above symoffset) gets the walk. */
	if (obj->sysv_hash && obj->nsyms > obj->gnu_symoffset) {
		if (!object_contains(obj, (uintptr_t)obj->gnu_chain,
				     (obj->nsyms - obj->gnu_symoffset) * 4))
			goto bad;
		obj->gnu_symend = (uint32_t)obj->nsyms;
		return 0;
	}
	for (i = 0; i < obj->gnu_nbuckets; i++)
		if (obj->gnu_buckets[i] > max_sym)
			max_sym = obj->gnu_buckets[i];
	obj->gnu_symend = obj->gnu_symoffset;
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
	obj->gnu_symend = (uint32_t)obj->nsyms;
	return 0;
bad:
	return malformed(obj, "malformed DT_GNU_HASH table");
}

/*
 * .dynamic decoded once, musl-style: the value of every tag we read, in
 * its slot (object_dyn_index), and which slots were present.
 */
struct dyn_values {
	uint64_t val[OBJECT_DYN_SLOTS];
	uint64_t present[(OBJECT_DYN_SLOTS + 63) / 64];   /* bit per slot */
	bool has_filters;               /* DT_FILTER or DT_AUXILIARY */
};

static inline uint64_t
dv(const struct dyn_values *v, int64_t tag)
{
	return v->val[object_dyn_index(tag)];
}

static inline bool
dv_has(const struct dyn_values *v, int64_t tag)
{
	int i = object_dyn_index(tag);

	return v->present[i / 64] >> (i % 64) & 1;
}

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

/* Decodes the first max entries (up to DT_NULL) into v; returns how many
 * dependency entries there are. */
static size_t
decode_dynamic(struct elf_object *obj, struct dyn_values *v, size_t max)
{
	size_t n, nneeded = 0;

	for (n = 0; n < max && obj->dynamic[n].d_tag != DT_NULL; n++) {
		int slot = object_dyn_index(obj->dynamic[n].d_tag);
		int kind = dep_kind_of(obj->dynamic[n].d_tag);

		nneeded += kind >= 0;
		v->has_filters |= kind >= 0 && kind != DEP_NEEDED;
		if (slot < 0)
			continue;
		v->val[slot] = obj->dynamic[n].d_un.d_val;
		v->present[slot / 64] |= 1ull << (slot % 64);
	}
	obj->flags = dv(v, DT_FLAGS);
	obj->flags_1 = dv(v, DT_FLAGS_1);
	obj->textrel = dv_has(v, DT_TEXTREL) || obj->flags & DF_TEXTREL;
	obj->symbolic = dv_has(v, DT_SYMBOLIC) || obj->flags & DF_SYMBOLIC;
	obj->bind_now = dv_has(v, DT_BIND_NOW) || obj->flags & DF_BIND_NOW ||
			obj->flags_1 & DF_1_NOW;
	return nneeded;
}

static int
fill_tables(struct elf_object *obj, const struct dyn_values *v)
{
	const char *what = NULL;   /* a table outside the object */
	const char *skew = NULL;   /* a table not aligned for its entries */
	const char *bad = NULL;    /* anything else wrong */

	/* The base is page aligned, so an address is aligned when its d_ptr
	 * is; reading a misaligned table would be undefined behaviour. */
#define TABLE(field, tag, size, align)                                    \
	do {                                                              \
		if (dv(v, tag)) {                                         \
			uintptr_t a = dyn_addr(obj, dv(v, tag), (size));  \
			if (!a && !what)                                  \
				what = #tag;                              \
			if ((a & ((align) - 1)) && !skew)                 \
				skew = #tag;                              \
			obj->field = (void *)a;                           \
		}                                                         \
	} while (0)

	if (!dv_has(v, DT_STRTAB) || !dv_has(v, DT_SYMTAB))
		return malformed(obj, "no DT_STRTAB or DT_SYMTAB in the dynamic section");
	obj->strsz = dv(v, DT_STRSZ);
	TABLE(strtab, DT_STRTAB, dv(v, DT_STRSZ), 1);
	/* A present DT_SYMTAB at address 0 is odd but addressable; the
	 * symbol-count bound below still checks it. */
	if (dv_has(v, DT_SYMTAB) && !dv(v, DT_SYMTAB))
		obj->symtab = (const Elf64_Sym *)obj->base;
	if (!what && !obj->strtab)
		bad = "DT_STRTAB is 0";
	if (!what && obj->strtab && (obj->strsz == 0 || obj->strtab[obj->strsz - 1]))
		bad = "the dynamic string table is not terminated";
	TABLE(symtab, DT_SYMTAB, sizeof(Elf64_Sym), 8);
	TABLE(sysv_hash, DT_HASH, 8, 4);
	TABLE(gnu_hash, DT_GNU_HASH, 16, 8);
	TABLE(rela, DT_RELA, dv(v, DT_RELASZ), 8);
	obj->relasz = dv(v, DT_RELASZ);
	TABLE(jmprel, DT_JMPREL, dv(v, DT_PLTRELSZ), 8);
	obj->pltrelsz = dv(v, DT_PLTRELSZ);
	TABLE(relr, DT_RELR, dv(v, DT_RELRSZ), 8);
	obj->relrsz = dv(v, DT_RELRSZ);
	TABLE(pltgot, DT_PLTGOT, 24, 8);
	TABLE(versym, DT_VERSYM, 2, 2);
	TABLE(verdef, DT_VERDEF, sizeof(Elf64_Verdef), 4);
	obj->verdefnum = dv(v, DT_VERDEFNUM);
	TABLE(verneed, DT_VERNEED, sizeof(Elf64_Verneed), 4);
	obj->verneednum = dv(v, DT_VERNEEDNUM);
	TABLE(init, DT_INIT, 1, 1);
	TABLE(fini, DT_FINI, 1, 1);
	TABLE(init_array, DT_INIT_ARRAY, dv(v, DT_INIT_ARRAYSZ), 8);
	obj->init_arraysz = dv(v, DT_INIT_ARRAYSZ) / sizeof(void *);
	TABLE(fini_array, DT_FINI_ARRAY, dv(v, DT_FINI_ARRAYSZ), 8);
	obj->fini_arraysz = dv(v, DT_FINI_ARRAYSZ) / sizeof(void *);
	TABLE(preinit_array, DT_PREINIT_ARRAY, dv(v, DT_PREINIT_ARRAYSZ), 8);
	obj->preinit_arraysz = dv(v, DT_PREINIT_ARRAYSZ) / sizeof(void *);
#undef TABLE
	/* A size without its table: the loader would walk address 0. */
	if (dv(v, DT_RELASZ) && !dv(v, DT_RELA))
		bad = "DT_RELASZ is nonzero but DT_RELA is 0";
	if (dv(v, DT_PLTRELSZ) && !dv(v, DT_JMPREL))
		bad = "DT_PLTRELSZ is nonzero but DT_JMPREL is 0";
	if (dv(v, DT_RELRSZ) && !dv(v, DT_RELR))
		bad = "DT_RELRSZ is nonzero but DT_RELR is 0";
	if ((dv(v, DT_INIT_ARRAYSZ) && !dv(v, DT_INIT_ARRAY)) ||
	    (dv(v, DT_FINI_ARRAYSZ) && !dv(v, DT_FINI_ARRAY)) ||
	    (dv(v, DT_PREINIT_ARRAYSZ) && !dv(v, DT_PREINIT_ARRAY)))
		bad = "an init, fini or preinit array size without its array";
	if (dv(v, DT_RELACOUNT) > dv(v, DT_RELASZ) / sizeof(Elf64_Rela))
		bad = "DT_RELACOUNT is larger than DT_RELASZ / DT_RELAENT";
	obj->relacount = dv(v, DT_RELACOUNT);
	/* Called, not just read: DT_INIT and DT_FINI must be code. */
	if (!what && ((obj->init && !object_in_segment(obj, (uintptr_t)obj->init, 1, PF_X)) ||
		      (obj->fini && !object_in_segment(obj, (uintptr_t)obj->fini, 1, PF_X))))
		bad = "DT_INIT or DT_FINI is not in an executable segment";
	if (dv(v, DT_JMPREL) && dv(v, DT_PLTREL) != DT_RELA)
		bad = "DT_PLTREL is not DT_RELA (the only kind x86-64 uses)";
	if (dv(v, DT_RELAENT) && dv(v, DT_RELAENT) != sizeof(Elf64_Rela))
		bad = "DT_RELAENT is not the size of Elf64_Rela";
	if (what || skew) {
		ld_error_at(obj->path, 0, what ? "%s points outside the object" :
			    "%s is misaligned", what ? what : skew);
		return -ENOEXEC;
	}
	return bad ? malformed(obj, bad) : 0;
}

static int
fill_strings(struct elf_object *obj, const struct dyn_values *v, size_t max)
{
	size_t n, k = 0;

	if (dv_has(v, DT_SONAME) && !(obj->soname = object_string(obj, dv(v, DT_SONAME))))
		goto bad;
	if (dv_has(v, DT_RPATH) && !(obj->rpath = object_string(obj, dv(v, DT_RPATH))))
		goto bad;
	if (dv_has(v, DT_RUNPATH) && !(obj->runpath = object_string(obj, dv(v, DT_RUNPATH))))
		goto bad;
	for (n = 0; n < max && obj->dynamic[n].d_tag != DT_NULL; n++) {
		int kind = dep_kind_of(obj->dynamic[n].d_tag);

		if (kind < 0)
			continue;
		obj->needed[k] = object_string(obj, obj->dynamic[n].d_un.d_val);
		if (!obj->needed[k])
			goto bad;
		if (obj->dep_kinds)
			obj->dep_kinds[k] = (uint8_t)kind;
		k++;
	}
	return 0;
bad:
	return malformed(obj, "string offset in the dynamic section is past DT_STRSZ");
}

int
object_parse_dynamic(struct elf_object *obj)
{
	struct dyn_values v = { 0 };
	size_t max, nneeded;
	int err;

	if (!obj->dynamic)
		return malformed(obj, "no dynamic section");
	/* Bound the walk by the mapping: a missing DT_NULL must not run off
	 * the end. */
	if (!object_contains(obj, (uintptr_t)obj->dynamic, sizeof(Elf64_Dyn)))
		return malformed(obj, "PT_DYNAMIC is outside the loaded segments");
	if ((uintptr_t)obj->dynamic % _Alignof(Elf64_Dyn))
		return malformed(obj, "PT_DYNAMIC is misaligned");
	max = (obj->map_end - (uintptr_t)obj->dynamic) / sizeof(Elf64_Dyn);
	nneeded = decode_dynamic(obj, &v, max);
	err = fill_tables(obj, &v);
	if (err)
		return err;
	if (obj->sysv_hash) {
		if (!object_contains(obj, (uintptr_t)obj->sysv_hash,
				     (2 + (size_t)obj->sysv_hash[0] +
				      obj->sysv_hash[1]) * 4))
			return malformed(obj, "malformed DT_HASH table");
		obj->nsyms = obj->sysv_hash[1];
	}
	if (obj->gnu_hash && (err = parse_gnu_hash(obj)))
		return err;
	if (!obj->gnu_hash && !obj->sysv_hash)
		return malformed(obj, "no DT_HASH or DT_GNU_HASH table");
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
					   obj->nsyms * sizeof(Elf64_Sym)))
		return malformed(obj, "DT_SYMTAB extends past the object");
	/* Symbol lookups read DT_VERSYM for every index below nsyms, in
	 * objects without DT_VERDEF and DT_VERNEED too. */
	if (obj->versym && obj->nsyms &&
	    !object_contains(obj, (uintptr_t)obj->versym, obj->nsyms * 2))
		return malformed(obj, "DT_VERSYM extends past the object");
	obj->nneeded = nneeded;
	obj->needed = crt_calloc(nneeded + 1, sizeof(*obj->needed));
	obj->deps = crt_calloc(nneeded + 1, sizeof(*obj->deps));
	/* Only a filter pays for the kinds. */
	if (v.has_filters)
		obj->dep_kinds = crt_calloc(nneeded + 1, sizeof(*obj->dep_kinds));
	if (!obj->needed || !obj->deps || (v.has_filters && !obj->dep_kinds)) {
		ld_error_at(obj->path, 0, "out of memory");
		return -ENOMEM;
	}
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

/* Stores obj, which the set lacks, in its first free slot. */
static void
set_put(struct object_set *set, const struct elf_object *obj)
{
	size_t i;

	for (i = set_slot(set, obj); set->slots[i]; i = (i + 1) & (set->cap - 1))
		;
	set->slots[i] = obj;
	set->len++;
}

static bool
set_grow(struct object_set *set)
{
	size_t cap = set->cap ? set->cap * 2 : 16, i;
	const struct elf_object **old = set->slots;
	struct object_set bigger = { crt_calloc(cap, sizeof(*old)), cap, 0 };

	if (!bigger.slots)
		return false;
	for (i = 0; i < set->cap; i++)
		if (old[i])
			set_put(&bigger, old[i]);
	crt_free(old);
	*set = bigger;
	return true;
}

int
object_set_add(struct object_set *set, const struct elf_object *obj)
{
	LD_ASSERT(obj != NULL);         /* NULL marks a free slot */
	if (object_set_has(set, obj))
		return 0;
	/* At most half full: probes stay short and one slot is always free. */
	if ((set->len + 1) * 2 > set->cap && !set_grow(set))
		return -ENOMEM;
	set_put(set, obj);
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
