/* SPDX-License-Identifier: MIT */
/*
 * Symbol lookup. In one object: GNU hash first (the bloom filter rejects
 * most objects that do not define the name with two bit tests, before any
 * bucket or string is touched), SysV hash otherwise. In a scope: objects in
 * order, first acceptable definition wins. What counts as a definition
 * follows glibc: a symbol with a value (or an absolute or TLS one), of a
 * data, code, TLS or IFUNC type, bound GLOBAL, WEAK or GNU_UNIQUE, whose
 * version fits (version.c); a program's undefined function with a value
 * (its canonical PLT entry) counts, except for JUMP_SLOT lookups.
 */
#include "loader/symbol.h"

#include "crt/alloc.h"
#include "crt/lock.h"
#include "crt/string.h"
#include "loader/hash.h"
#include "loader/state.h"
#include "loader/trace.h"
#include "loader/version.h"

void
symbol_request_init(struct symbol_request *req, const char *name,
		    const struct version_entry *version, unsigned flags,
		    struct elf_object *requester)
{
	size_t len;
	uint32_t h = hash_gnu_len(name, &len);

	*req = (struct symbol_request){ .name = name, .name_len = len,
		.gnu_hash = h, .version = version, .flags = flags,
		.requester = requester };
}

void
symbol_request_init_sym(struct symbol_request *req, struct elf_object *requester,
			size_t idx, const struct version_entry *version,
			unsigned flags)
{
	const char *name = requester->strtab + requester->symtab[idx].st_name;
	size_t len;
	uint32_t h;

	if (idx >= requester->gnu_symoffset && idx < requester->gnu_symend)
		h = hash_gnu_from_chain(requester->gnu_chain[idx - requester->gnu_symoffset],
					name, &len);
	else
		h = hash_gnu_len(name, &len);
	*req = (struct symbol_request){ .name = name, .name_len = len,
		.gnu_hash = h, .version = version, .flags = flags,
		.requester = requester };
}

/* Whether symbol idx of obj is a definition of the request. Returns the
 * version verdict (VERSION_NO when it is not a definition at all). */
static enum version_verdict
check_symbol(struct elf_object *obj, size_t idx, struct symbol_request *req)
{
	const Elf64_Sym *sym;
	unsigned type, bind;

	if (obj->nsyms && idx >= obj->nsyms)
		return VERSION_NO;
	sym = &obj->symtab[idx];
	type = ELF64_ST_TYPE(sym->st_info);
	if (sym->st_value == 0 && sym->st_shndx != SHN_ABS && type != STT_TLS)
		return VERSION_NO;
	if (sym->st_shndx == SHN_UNDEF && (req->flags & LOOKUP_PLT))
		return VERSION_NO;
	if (type > STT_FUNC && type != STT_COMMON && type != STT_TLS &&
	    type != STT_GNU_IFUNC)
		return VERSION_NO;
	bind = ELF64_ST_BIND(sym->st_info);
	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return VERSION_NO;
	/* The name and its NUL must fit the string table (object.c made
	 * sure the table ends in a NUL). */
	if (sym->st_name >= obj->strsz ||
	    obj->strsz - sym->st_name <= req->name_len ||
	    !crt_memeq(obj->strtab + sym->st_name, req->name, req->name_len + 1))
		return VERSION_NO;
	return version_match(obj, idx, req->version,
			     (req->flags & LOOKUP_NEWEST) != 0);
}

/* Checks symbol idx: true when it is the one wanted; a default-version
 * candidate for an unversioned reference is remembered instead (it wins
 * only if it is the object's only one). */
static bool
consider(struct elf_object *obj, size_t idx, struct symbol_request *req,
	 const Elf64_Sym **candidate, unsigned *ncandidates)
{
	switch (check_symbol(obj, idx, req)) {
	case VERSION_YES:
		return true;
	case VERSION_DEFAULT:
		if ((*ncandidates)++ == 0)
			*candidate = &obj->symtab[idx];
		break;
	case VERSION_NO:
		break;
	}
	return false;
}

/* Whether obj's bloom filter lets the name with GNU hash h through
 * (always, for an object without DT_GNU_HASH: see object.h). Inline:
 * every object of a scope is asked; word = h / 64 is the caller's, once
 * per walk. Both bits are tested at once: bit h % 64 and bit
 * (h >> shift) % 64 of the chosen word. The shift is below 64 (object.c)
 * but may exceed 31: shifting the 64-bit h, as glibc does
 * (uint_fast32_t), a shift of 32..63 gives bit 0 rather than undefined
 * behaviour. */
static inline bool
bloom_test(const struct elf_object *obj, uint64_t h, uint64_t word)
{
	uint64_t w = obj->gnu_bloom[word & obj->gnu_bloom_mask];

	return (w >> (h % 64)) & (w >> ((h >> obj->gnu_bloom_shift) % 64)) & 1;
}

/* The index of the first object of scope[i..n) whose bloom filter lets
 * h through, n when none does: the hot loop of every lookup, kept apart
 * so that nothing else competes for its registers. */
static inline size_t
bloom_scan(struct elf_object *const *scope, size_t i, size_t n, uint64_t h)
{
	uint64_t word = h / 64;

	for (; i < n; i++)
		if (bloom_test(scope[i], h, word))
			break;
	return i;
}

/* The chain of DT_GNU_HASH after the bloom filter let the name through. */
static const Elf64_Sym *
lookup_gnu(struct elf_object *obj, struct symbol_request *req)
{
	uint32_t h = req->gnu_hash;
	const Elf64_Sym *candidate = NULL;
	unsigned ncandidates = 0;
	uint32_t idx;

	idx = obj->gnu_buckets[h % obj->gnu_nbuckets];
	if (idx < obj->gnu_symoffset)
		return NULL;
	for (;; idx++) {
		uint32_t ch;

		if (obj->nsyms && idx >= obj->nsyms)
			break;
		ch = obj->gnu_chain[idx - obj->gnu_symoffset];
		if ((ch | 1) == (h | 1) &&
		    consider(obj, idx, req, &candidate, &ncandidates))
			return &obj->symtab[idx];
		if (ch & 1)
			break;
	}
	return ncandidates == 1 ? candidate : NULL;
}

static const Elf64_Sym *
lookup_sysv(struct elf_object *obj, struct symbol_request *req)
{
	const uint32_t *ht = obj->sysv_hash;
	uint32_t nbucket = ht[0], nchain = ht[1];
	const uint32_t *bucket = ht + 2, *chain = bucket + nbucket;
	const Elf64_Sym *candidate = NULL;
	unsigned ncandidates = 0;
	uint32_t idx, steps = 0;

	if (nbucket == 0)
		return NULL;
	if (!req->sysv_hash_set) {
		req->sysv_hash = hash_sysv(req->name);
		req->sysv_hash_set = true;
	}
	/* steps bounds a chain that a broken file made circular. */
	for (idx = bucket[req->sysv_hash % nbucket];
	     idx != STN_UNDEF && idx < nchain && steps++ <= nchain;
	     idx = chain[idx]) {
		if (consider(obj, idx, req, &candidate, &ncandidates))
			return &obj->symtab[idx];
	}
	return ncandidates == 1 ? candidate : NULL;
}

/* symbol_lookup_object once the bloom filter passed. */
static const Elf64_Sym *
lookup_object(struct elf_object *obj, struct symbol_request *req)
{
	if (obj->gnu_hash)
		return lookup_gnu(obj, req);
	if (obj->sysv_hash)
		return lookup_sysv(obj, req);
	return NULL;
}

const Elf64_Sym *
symbol_lookup_object(struct elf_object *obj, struct symbol_request *req)
{
	uint64_t h = req->gnu_hash;

	ld_state.stats.objects_probed++;
	if (!bloom_test(obj, h, h / 64)) {
		ld_state.stats.bloom_rejects++;
		return NULL;
	}
	return lookup_object(obj, req);
}

/* The process-wide table of STB_GNU_UNIQUE definitions: the first object
 * to define such a name provides it to everybody (C++ inline statics and
 * template statics rely on this). Open addressing on the GNU hash. */
struct unique_entry {
	const char *name;
	uint32_t hash;
	struct symbol_ref ref;
};

/* The name of an entry whose object was unloaded: it keeps its slot, so
 * that the probe runs through it stay whole, and matches no request (a
 * symbol's name is never empty). unique_grow drops it. */
static const char unique_gone[] = "";

static bool
unique_grow(void)
{
	size_t cap = ld_state.unique_cap ? ld_state.unique_cap * 2 : 64, i;
	struct unique_entry *old = ld_state.unique, *t;

	t = crt_calloc(cap, sizeof(*t));
	if (!t)
		return false;
	for (i = 0; i < ld_state.unique_cap; i++) {
		size_t j;

		if (!old[i].name || old[i].name == unique_gone)
			continue;
		for (j = old[i].hash & (cap - 1); t[j].name; j = (j + 1) & (cap - 1))
			;
		t[j] = old[i];
	}
	crt_free(old);
	ld_state.unique = t;
	ld_state.unique_cap = cap;
	ld_state.unique_used = ld_state.unique_count;
	return true;
}

/* Replaces *ref by the first definition of its name, recording it when
 * it is the first. On OOM the local definition is used. Lazy binding may
 * get here from several threads at once: the table has its own lock. */
static void
unique_resolve(struct symbol_request *req, struct symbol_ref *ref)
{
	struct unique_entry *e;
	size_t j, mask;

	crt_spin_lock(&ld_state.unique_lock);
	if ((ld_state.unique_used + 1) * 2 > ld_state.unique_cap &&
	    !unique_grow())
		goto out;
	mask = ld_state.unique_cap - 1;
	for (j = req->gnu_hash & mask; ld_state.unique[j].name; j = (j + 1) & mask) {
		e = &ld_state.unique[j];
		if (e->hash == req->gnu_hash && crt_strcmp(e->name, req->name) == 0) {
			*ref = e->ref;
			goto out;
		}
	}
	e = &ld_state.unique[j];
	e->name = ref->obj->strtab + ref->sym->st_name;
	e->hash = req->gnu_hash;
	e->ref = *ref;
	ld_state.unique_count++;
	ld_state.unique_used++;
	req->new_unique = true;
out:
	crt_spin_unlock(&ld_state.unique_lock);
}

void
symbol_forget_object(const struct elf_object *obj)
{
	struct unique_entry *t;
	size_t i;

	crt_spin_lock(&ld_state.unique_lock);
	for (i = 0, t = ld_state.unique; i < ld_state.unique_cap; i++)
		if (t[i].name && t[i].name != unique_gone && t[i].ref.obj == obj) {
			t[i].name = unique_gone;
			ld_state.unique_count--;
		}
	crt_spin_unlock(&ld_state.unique_lock);
}

bool
symbol_lookup_scope(struct elf_object *const *scope, size_t n,
		    struct symbol_request *req, struct symbol_ref *out)
{
	ld_state.stats.lookups++;
	return symbol_lookup_list(scope, n, req, out);
}

bool
symbol_lookup_list(struct elf_object *const *scope, size_t n,
		   struct symbol_request *req, struct symbol_ref *out)
{
	const struct elf_object *skip = req->flags & LOOKUP_SKIP_SELF ?
					req->requester : NULL;
	bool tracing = TRACE_ON(SYMBOLS);
	size_t i, j, skipped = 0, searched = 0;
	const Elf64_Sym *sym = NULL;

	/* Most objects are passed by the bloom filter alone (bloom_scan);
	 * skip is rare, tested once the filter passed; the counters and the
	 * trace come after the walk. */
	for (i = 0; (i = bloom_scan(scope, i, n, req->gnu_hash)) < n; i++) {
		struct elf_object *obj = scope[i];

		if (obj == skip) {
			skipped++;
			continue;
		}
		searched++;
		if ((sym = lookup_object(obj, req))) {
			out->sym = sym;
			out->obj = obj;
			i++;
			break;
		}
	}
	for (j = 0; tracing && j < i; j++)
		if (scope[j] != skip)
			trace_printf("symbol=%s;  lookup in file=%s [0]",
				     req->name, object_name(scope[j]));
	ld_state.stats.objects_probed += i - skipped;
	ld_state.stats.bloom_rejects += i - skipped - searched;
	if (sym && ELF64_ST_BIND(sym->st_info) == STB_GNU_UNIQUE)
		unique_resolve(req, out);
	return sym != NULL;
}

uintptr_t
symbol_address(const struct symbol_ref *ref)
{
	uintptr_t addr;

	if (!ref->sym)
		return 0;
	if (ref->sym->st_shndx == SHN_ABS)
		return ref->sym->st_value;
	addr = ref->obj->base + ref->sym->st_value;
	if (ELF64_ST_TYPE(ref->sym->st_info) == STT_GNU_IFUNC &&
	    ref->sym->st_shndx != SHN_UNDEF)
		addr = ((uintptr_t (*)(void))addr)();
	return addr;
}

bool
symbol_value_ok(const struct symbol_ref *ref)
{
	const Elf64_Sym *sym = ref->sym;
	size_t len;

	if (!sym || sym->st_shndx == SHN_ABS)
		return true;
	len = sym->st_size ? sym->st_size : 1;
	if (ELF64_ST_TYPE(sym->st_info) == STT_TLS)
		return sym->st_value <= ref->obj->tls_memsz &&
		       sym->st_size <= ref->obj->tls_memsz - sym->st_value;
	return object_contains(ref->obj, ref->obj->base + sym->st_value, len);
}

void
symbol_reset(void)
{
	crt_free(ld_state.unique);
	ld_state.unique = NULL;
	ld_state.unique_count = ld_state.unique_used = ld_state.unique_cap = 0;
}
