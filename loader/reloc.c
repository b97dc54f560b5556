/* SPDX-License-Identifier: MIT */
/*
 * Relocation processing (stage 2 and dlopen).
 *
 * Theory of operation. Objects are relocated dependencies first (the reverse
 * of load order), so that when an object is relocated, the objects it binds
 * to already hold final values (a COPY relocation copies them). For each
 * object: DT_RELR and R_*_RELATIVE need no symbol (B + A); every other
 * relocation names a symbol, looked up in the scope (glibc's global scope:
 * the program, then its dependencies breadth-first), and the result S is
 * written as the type says. Example, a library at B = 0x7f0000000000 with
 *
 *   offset 0x3fd8 R_X86_64_GLOB_DAT sym "environ"   (found in libc: S)
 *   offset 0x4018 R_X86_64_JUMP_SLOT sym "puts"     (found in libc: S)
 *   offset 0x4030 R_X86_64_RELATIVE addend 0x1130   (B + 0x1130)
 *
 * writes S(environ) at B+0x3fd8, S(puts) at B+0x4018, B+0x1130 at B+0x4030.
 * Any relocation whose value comes from an IFUNC resolver (R_*_IRELATIVE,
 * or a symbol of type STT_GNU_IFUNC) is queued and applied by reloc_finish
 * once every object is relocated, so the resolver (which may itself call
 * through the PLT or read relocated data) runs in a finished process.
 * Consecutive relocations of the same symbol reuse the last lookup.
 */
#include "loader/reloc.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "machdep.h"
#include "loader/error.h"
#include "loader/launch.h"
#include "loader/map.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "loader/tls.h"
#include "loader/trace.h"
#include "loader/version.h"

/* glibc's "occasion" words for failures other than symbol lookups. */
#define LOADING "error while loading shared libraries"

struct reloc_pending {
	struct elf_object *obj;
	const Elf64_Rela *rela;
	struct symbol_ref def;
};

/* A lookup kept by symbol index: a bind-now pass over a large object
 * looks each referenced symbol up once, however many relocations name it
 * (FreeBSD rtld's per-object symbol cache). Failures are not kept: each
 * is reported where it happens, as before. */
struct reloc_memo {
	struct symbol_ref ref;
	unsigned flags;      /* LOOKUP_* + 1; 0: not looked up */
	bool found;          /* false: an undefined weak symbol */
	bool ifunc;          /* value: none, the resolver must run */
	bool plt_too;        /* a plain lookup whose answer a JUMP_SLOT's is */
	uintptr_t value;     /* S of a GLOB_DAT/JUMP_SLOT/64 (0: weak) */
};

/* Whether m answers a lookup with flags. A JUMP_SLOT lookup only passes
 * over more candidates (a program's undefined functions with a value):
 * a plain lookup that found none of those, or nothing, answers it too. */
static inline bool
memo_serves(const struct reloc_memo *m, unsigned flags)
{
	return m->flags == flags + 1 || (flags == LOOKUP_PLT && m->plt_too);
}

/* Objects with fewer symbolic relocations (or fewer than a quarter of
 * their symbols) do without a memo. */
#define RELOC_MEMO_MIN 64

/* One pass over one object. */
struct reloc_context {
	struct elf_object *obj;
	/* NULL: obj's own scope (scope.c), for objects dlopen loads and
	 * for lazy binding, which also records relocation dependencies. */
	struct elf_object *const *scope;
	size_t nscope;
	bool lazy;           /* reloc_lazy_fixup: no lock held */
	/* The last lookup, reused for consecutive relocations. */
	size_t last_symidx;
	unsigned last_flags;
	int last_status;
	struct symbol_ref last_ref;
	struct reloc_memo *memo;     /* by symbol index (nsyms), or NULL */
	/* The executable segment that held the last IRELATIVE resolver
	 * (size 0: none yet): the next one is checked against it first. */
	uintptr_t code_start;
	size_t code_size;
	int failures;
	bool stop;           /* dlopen: stop at the first failure */
};

/* Counts one relocation failure, whose message ld_error has set: at
 * start-up it is also printed at once (every failure is reported before
 * exit); after it, the pass stops at the first. */
static void
reloc_failed(struct reloc_context *ctx, const char *occasion)
{
	ctx->failures++;
	if (!ld_report(occasion))
		ctx->stop = true;
}

/* The message formatted once, where the failure is found. */
#define reloc_fail(ctx, occasion, ...) \
	(ld_error(__VA_ARGS__), reloc_failed(ctx, occasion))

static const char *
type_name(unsigned type, char *buf, size_t len)
{
	const char *name = arch_reloc_name(type);

	if (name)
		return name;
	crt_snprintf(buf, len, "0x%x", type);
	return buf;
}

static void
trace_binding(const struct elf_object *from, const struct symbol_ref *to,
	      const char *name, const struct version_entry *ver)
{
	TRACE(BINDINGS, "binding file %s [0] to %s [0]: normal symbol `%s'%s%s%s",
	      object_name(from), object_name(to->obj), name, ver ? " [" : "",
	      ver ? ver->name : "", ver ? "]" : "");
}

static bool
is_ifunc(const struct symbol_ref *def)
{
	return def->sym && ELF64_ST_TYPE(def->sym->st_info) == STT_GNU_IFUNC &&
	       def->sym->st_shndx != SHN_UNDEF;
}

/* Keeps in *m a lookup with flags whose answer is *ref (found: a
 * definition; not found: an undefined weak symbol). */
static void
memo_set(struct reloc_memo *m, const struct symbol_ref *ref, unsigned flags,
	 bool found)
{
	m->ref = *ref;
	m->flags = flags + 1;
	m->found = found;
	m->ifunc = is_ifunc(ref);
	m->plt_too = flags == 0 && (!found || ref->sym->st_shndx != SHN_UNDEF);
	m->value = m->ifunc ? 0 : symbol_address(ref);
}

/* Finds the definition for symbol symidx of ctx->obj. Returns 0 (found),
 * 1 (undefined weak: value 0) or -1 (reported failure). */
static int
resolve(struct reloc_context *ctx, size_t symidx, unsigned type,
	struct symbol_ref *out)
{
	struct elf_object *obj = ctx->obj;
	const Elf64_Sym *sym = &obj->symtab[symidx];
	unsigned flags = (type == REL_PLT ? LOOKUP_PLT : 0) |
			 (type == REL_COPY ? LOOKUP_SKIP_SELF : 0);
	const struct version_entry *ver;
	struct symbol_request req;
	struct reloc_memo *memo;
	const char *name;
	bool found = false;

	if (symidx == ctx->last_symidx && flags == ctx->last_flags) {
		ld_state.stats.lookup_cache++;
		*out = ctx->last_ref;
		return ctx->last_status;
	}
	memo = ctx->memo ? &ctx->memo[symidx] : NULL;
	if (memo && memo_serves(memo, flags)) {
		/* Checked and traced as the first time (symbol_value_ok
		 * holds: only good lookups are kept). */
		ld_state.stats.lookup_cache++;
		*out = memo->ref;
		ctx->last_symidx = symidx;
		ctx->last_flags = flags;
		ctx->last_ref = *out;
		ctx->last_status = memo->found ? 0 : 1;
		if (!memo->found)
			return 1;
		if (TRACE_ON(BINDINGS))
			trace_binding(obj, out, obj->strtab + sym->st_name,
				      version_of(obj, symidx));
		if (obj->is_main)
			out->obj->used = true;
		return 0;
	}
	if (sym->st_name >= obj->strsz) {
		reloc_fail(ctx, LOADING,
			   "%s: symbol name offset out of range", obj->path);
		return -1;
	}
	name = obj->strtab + sym->st_name;
	ver = version_of(obj, symidx);
	out->sym = NULL;
	out->obj = NULL;
	/* Local and non-default-visibility definitions bind to the object
	 * itself (protected ones too, except that a COPY must come from
	 * elsewhere). */
	if (sym->st_shndx != SHN_UNDEF && type != REL_COPY &&
	    (ELF64_ST_BIND(sym->st_info) == STB_LOCAL ||
	     ELF64_ST_VISIBILITY(sym->st_other) != STV_DEFAULT)) {
		out->sym = sym;
		out->obj = obj;
		found = true;
	} else {
		symbol_request_init_sym(&req, obj, symidx, ver, flags);
		if (obj->symbolic && type != REL_COPY &&
		    (out->sym = symbol_lookup_object(obj, &req))) {
			out->obj = obj;
			found = true;
		} else if (ctx->scope) {
			found = symbol_lookup_scope(ctx->scope, ctx->nscope, &req, out);
		} else {
			int r = scope_lookup(obj, &req, out, SCOPE_ADD_DEPENDENCY |
					     (ctx->lazy ? SCOPE_UNLOCKED |
					      SCOPE_PIN_ON_FAILURE : 0));

			if (r < 0) {
				reloc_failed(ctx, LOADING);
				return ctx->last_status = -1;
			}
			found = r > 0;
		}
	}
	ctx->last_symidx = symidx;
	ctx->last_flags = flags;
	ctx->last_ref = *out;
	if (found && !symbol_value_ok(out)) {
		reloc_fail(ctx, "symbol lookup error",
			   "%s: symbol `%s' lies outside the object that "
			   "defines it", object_name(out->obj), name);
		return ctx->last_status = -1;
	}
	if (memo && (found || ELF64_ST_BIND(sym->st_info) == STB_WEAK))
		memo_set(memo, out, flags, found);
	if (found) {
		trace_binding(obj, out, name, ver);
		if (obj->is_main)
			out->obj->used = true;
		return ctx->last_status = 0;
	}
	if (ELF64_ST_BIND(sym->st_info) == STB_WEAK)
		return ctx->last_status = 1;
	if (ld_state.reloc_warn) {
		/* ldd -d/-r (LD_WARN): glibc's line, and go on; ldd -u
		 * counts silently. */
		if (ld_state.reloc_warn_print)
			crt_dprintf(2, "undefined symbol: %s%s%s\t(%s)\n", name,
				    ver ? ", version " : "", ver ? ver->name : "",
				    object_name(obj));
		ctx->failures++;
		return ctx->last_status = -1;
	}
	reloc_fail(ctx, "symbol lookup error", "%s: undefined symbol: %s%s%s",
		   object_name(obj), name, ver ? ", version " : "",
		   ver ? ver->name : "");
	return ctx->last_status = -1;
}

/* Writes one 32-bit field, checking that value fits as the type says. */
static bool
write32(void *where, int64_t value, bool is_signed)
{
	if (is_signed ? (value != (int32_t)value) : ((uint64_t)value >> 32) != 0)
		return false;
	*(uint32_t *)where = (uint32_t)value;
	return true;
}

static int
copy_object(struct reloc_context *ctx, void *where, const Elf64_Sym *ref,
	    const struct symbol_ref *def)
{
	size_t size = ref->st_size < def->sym->st_size ? ref->st_size :
		      def->sym->st_size;

	/* The source was checked by symbol_value_ok; the destination is
	 * the program's own object, of the program's size. */
	if (!object_contains(ctx->obj, (uintptr_t)where, size)) {
		reloc_fail(ctx, LOADING, "%s: COPY relocation of `%s' reaches "
			   "outside the object", ctx->obj->path,
			   ctx->obj->strtab + ref->st_name);
		return -1;
	}
	if (def->sym->st_size > ref->st_size)
		crt_dprintf(2, "%s: Symbol `%s' has different size in shared "
			       "object, consider re-linking\n", ld_state.progname,
			    ctx->obj->strtab + ref->st_name);
	memcpy(where, (const void *)(def->obj->base + def->sym->st_value), size);
	return 0;
}

static bool __attribute__((noinline))
target_bad(struct reloc_context *ctx, const Elf64_Rela *r)
{
	reloc_fail(ctx, LOADING,
		   "%s: relocation offset 0x%lx outside the object",
		   ctx->obj->path, (unsigned long)r->r_offset);
	return false;
}

/* True when the bytes r writes (16 for a TLS descriptor, else at most 8)
 * lie inside the object; reports the relocation as broken otherwise. */
static inline bool
target_ok(struct reloc_context *ctx, const Elf64_Rela *r)
{
	size_t len = ARCH_R_TYPE(r->r_info) == REL_TLSDESC ? 16 : 8;

	return object_contains(ctx->obj, ctx->obj->base + r->r_offset, len) ||
	       target_bad(ctx, r);
}

/* Applies one relocation whose symbol (if any) is resolved. */
static void
apply(struct reloc_context *ctx, const Elf64_Rela *r, const struct symbol_ref *def)
{
	struct elf_object *obj = ctx->obj;
	unsigned type = ARCH_R_TYPE(r->r_info);
	void *where = (void *)(obj->base + r->r_offset);
	uintptr_t P = (uintptr_t)where, S = 0;
	char buf[16];
	bool ok = true;

	if (type == REL_IRELATIVE)
		S = ((uintptr_t (*)(void))(obj->base + r->r_addend))();
	else if (type != REL_COPY)
		S = symbol_address(def);
	switch (type) {
	case REL_SYMBOLIC: *(uint64_t *)where = S + r->r_addend; break;
	case REL_GOT:
	case REL_PLT:
	case REL_IRELATIVE: *(uint64_t *)where = S; break;
	case REL_PC64: *(uint64_t *)where = S + r->r_addend - P; break;
	case REL_PC32: ok = write32(where, (int64_t)(S + r->r_addend - P), true); break;
	case REL_SYM32: ok = write32(where, (int64_t)(S + r->r_addend), false); break;
	case REL_SYM32S: ok = write32(where, (int64_t)(S + r->r_addend), true); break;
	case REL_COPY:
		if (def->sym)
			copy_object(ctx, where, &obj->symtab[ARCH_R_SYM(r->r_info)], def);
		break;
	}
	if (!ok)
		reloc_fail(ctx, LOADING,
			   "%s: Symbol `%s' causes overflow in %s relocation",
			   object_name(obj), def && def->sym ?
			   def->obj->strtab + def->sym->st_name : "(none)",
			   type_name(type, buf, sizeof(buf)));
}

/* Queues r for reloc_finish; reports running out of memory. */
static void
queue_pending(struct reloc_context *ctx, const Elf64_Rela *r,
	      const struct symbol_ref *def)
{
	if (ld_state.npending == ld_state.pending_cap) {
		size_t cap = ld_state.pending_cap ? ld_state.pending_cap * 2 : 64;
		struct reloc_pending *p = crt_realloc(ld_state.pending,
						      cap * sizeof(*p));
		if (!p) {
			reloc_fail(ctx, LOADING, "%s: out of memory", ctx->obj->path);
			return;
		}
		ld_state.pending = p;
		ld_state.pending_cap = cap;
	}
	ld_state.pending[ld_state.npending++] =
		(struct reloc_pending){ ctx->obj, r, *def };
}

static bool
known_type(unsigned type)
{
	switch (type) {
	case REL_SYMBOLIC: case REL_GOT: case REL_PLT: case REL_PC64:
	case REL_PC32: case REL_SYM32: case REL_SYM32S: case REL_COPY:
	case REL_TPOFF: case REL_DTPMOD: case REL_DTPOFF: case REL_TLSDESC:
		return true;
	}
	return false;
}

static bool
is_tls_type(unsigned type)
{
	return type == REL_TPOFF || type == REL_DTPMOD || type == REL_DTPOFF ||
	       type == REL_TLSDESC;
}

/* The TLS relocations (psABI 3.4.6, Drepper "ELF Handling For Thread-Local
 * Storage" 4.4.2). The defining object is def->obj, or the relocated
 * object itself for a relocation without a symbol (local-dynamic). */
static void
apply_tls(struct reloc_context *ctx, const Elf64_Rela *r,
	  const struct symbol_ref *def)
{
	struct elf_object *obj = ctx->obj;
	struct elf_object *owner = def->sym ? def->obj : obj;
	uint64_t value = (def->sym ? def->sym->st_value : 0) + r->r_addend;
	uint64_t *where = (uint64_t *)(obj->base + r->r_offset);
	unsigned type = ARCH_R_TYPE(r->r_info);
	struct tls_index *ti;

	if (ARCH_R_SYM(r->r_info) && !def->sym) {
		/* Undefined weak TLS symbol: nothing to point at. */
		where[0] = 0;
		return;
	}
	if (!owner->tls_modid) {
		reloc_fail(ctx, LOADING,
			   "%s: TLS relocation against %s, which has no TLS segment",
			   obj->path, object_name(owner));
		return;
	}
	switch (type) {
	case REL_DTPMOD: *where = owner->tls_modid; return;
	case REL_DTPOFF: *where = value; return;
	}
	if (type == REL_TLSDESC && !owner->tls_offset) {
		ti = crt_malloc(sizeof(*ti));
		if (!ti) {
			reloc_fail(ctx, LOADING,
				   "%s: out of memory", obj->path);
			return;
		}
		ti->module = owner->tls_modid;
		ti->offset = value;
		where[0] = (uintptr_t)arch_tlsdesc_dynamic;
		where[1] = (uintptr_t)ti;
		return;
	}
	if (!owner->tls_offset) {
		reloc_fail(ctx, LOADING,
			   "%s: cannot allocate memory in static TLS block",
			   object_name(owner));
		return;
	}
	if (type == REL_TPOFF) {
		*where = value + (uint64_t)tls_tp_offset(owner);
	} else {
		where[0] = (uintptr_t)arch_tlsdesc_static;
		where[1] = value + (uint64_t)tls_tp_offset(owner);
	}
}

/* One relocation of a DT_RELA or DT_JMPREL table. */
static void
reloc_one(struct reloc_context *ctx, const Elf64_Rela *r)
{
	struct elf_object *obj = ctx->obj;
	unsigned type = ARCH_R_TYPE(r->r_info);
	size_t symidx = ARCH_R_SYM(r->r_info);
	struct symbol_ref def = { NULL, NULL };
	char buf[16];

	ld_state.stats.relocations++;
	ld_state.stats.by_type[type < STATS_RELOC_TYPES ? type :
			       STATS_RELOC_TYPES - 1]++;
	if (type == REL_RELATIVE) {
		ld_state.stats.relative++;
		if (target_ok(ctx, r))
			*(uint64_t *)(obj->base + r->r_offset) = obj->base + r->r_addend;
		return;
	}
	if (type == REL_NONE || !target_ok(ctx, r))
		return;
	if (type == REL_IRELATIVE) {
		/* The addend is the resolver we will call: it must be code. */
		uintptr_t at = obj->base + r->r_addend;
		const Elf64_Phdr *ph;

		if (at - ctx->code_start >= ctx->code_size) {
			ph = object_segment_of(obj, at, 1, PF_X);
			if (!ph) {
				reloc_fail(ctx, LOADING, "%s: %s resolver 0x%lx "
					   "is not in an executable segment",
					   obj->path, type_name(type, buf, sizeof(buf)),
					   (unsigned long)r->r_addend);
				return;
			}
			ctx->code_start = obj->base + ph->p_vaddr;
			ctx->code_size = ph->p_memsz;
		}
		queue_pending(ctx, r, &def);
		return;
	}
	if (!known_type(type)) {
		reloc_fail(ctx, LOADING,
			   "%s: unexpected reloc type %s", obj->path,
			   type_name(type, buf, sizeof(buf)));
		return;
	}
	if (symidx) {
		if (obj->nsyms && symidx >= obj->nsyms) {
			reloc_fail(ctx, LOADING,
				   "%s: relocation symbol index %zu out of range",
				   obj->path, symidx);
			return;
		}
		if (resolve(ctx, symidx, type, &def) < 0)
			return;
	}
	if (is_tls_type(type)) {
		apply_tls(ctx, r, &def);
		return;
	}
	if (is_ifunc(&def) && type != REL_COPY)
		queue_pending(ctx, r, &def);
	else
		apply(ctx, r, &def);
}

/* A GLOB_DAT, JUMP_SLOT or 64 relocation whose symbol the memo holds
 * with its value: written here (the span's start lo and size span, at
 * least 8, hoisted by the caller). False when reloc_one must do it (not
 * kept yet, an IFUNC, out of bounds, another type). */
static inline bool
reloc_from_memo(struct reloc_context *ctx, const Elf64_Rela *r, uintptr_t lo,
		uintptr_t span)
{
	struct elf_object *obj = ctx->obj;
	unsigned type = ARCH_R_TYPE(r->r_info);
	size_t symidx = ARCH_R_SYM(r->r_info);
	uintptr_t where = obj->base + r->r_offset;
	const struct reloc_memo *m;

	if (symidx >= obj->nsyms || (type != REL_GOT && type != REL_PLT &&
				     type != REL_SYMBOLIC))
		return false;
	m = &ctx->memo[symidx];
	if (!memo_serves(m, type == REL_PLT ? LOOKUP_PLT : 0) || m->ifunc ||
	    where - lo > span - 8)
		return false;
	*(uint64_t *)where = m->value + (type == REL_SYMBOLIC ? r->r_addend : 0);
	ld_state.stats.by_type[type]++;
	return true;
}

/* One table. With a memo, and unless bindings are traced (reloc_one
 * traces each), kept lookups are written by reloc_from_memo, counted
 * here in one go. */
static void
reloc_table(struct reloc_context *ctx, const Elf64_Rela *table, size_t size)
{
	const Elf64_Rela *r, *end = table + size / sizeof(*table);
	const struct elf_object *obj = ctx->obj;
	uintptr_t lo = obj->map_start, span = obj->map_end - obj->map_start;
	bool fast = ctx->memo && !TRACE_ON(BINDINGS) && span >= 8;
	unsigned long kept = 0;

	for (r = table; table && r < end && !ctx->stop; r++) {
		if (fast && reloc_from_memo(ctx, r, lo, span))
			kept++;
		else
			reloc_one(ctx, r);
	}
	ld_state.stats.relocations += kept;
	ld_state.stats.lookup_cache += kept;
}

static void
count_relative(size_t n)
{
	ld_state.stats.relocations += n;
	ld_state.stats.relative += n;
	ld_state.stats.by_type[REL_RELATIVE] += n;
}

/* Applies relative relocations from r on while each is one and writes
 * inside the span: offsets taken from lo (the span's start as an offset
 * from the base), at most last (span - 8). Four at a time while all four
 * are good: per entry one type compare and one bounds compare (the
 * largest of four offsets is compared once). Inlined twice, once with lo
 * 0, the usual case (a library's first segment at address 0), which
 * saves a subtraction per entry. Returns where it stopped. */
static inline __attribute__((always_inline)) const Elf64_Rela *
relative_run(const Elf64_Rela *r, const Elf64_Rela *end, uintptr_t base,
	     uintptr_t lo, uintptr_t last)
{
	char *start = (char *)(base + lo);
	const Elf64_Rela *quads_end = r + ((size_t)(end - r) & ~(size_t)3);

	for (; r < quads_end; r += 4) {
		uint64_t o0 = r[0].r_offset - lo, o1 = r[1].r_offset - lo;
		uint64_t o2 = r[2].r_offset - lo, o3 = r[3].r_offset - lo;
		uint64_t m01 = o0 > o1 ? o0 : o1, m23 = o2 > o3 ? o2 : o3;

		/* r_info is compared whole: a relative relocation names
		 * no symbol. */
		if (r[0].r_info != REL_RELATIVE || r[1].r_info != REL_RELATIVE ||
		    r[2].r_info != REL_RELATIVE || r[3].r_info != REL_RELATIVE ||
		    (m01 > m23 ? m01 : m23) > last)
			break;
		*(uint64_t *)(start + o0) = base + r[0].r_addend;
		*(uint64_t *)(start + o1) = base + r[1].r_addend;
		*(uint64_t *)(start + o2) = base + r[2].r_addend;
		*(uint64_t *)(start + o3) = base + r[3].r_addend;
	}
	for (; r < end; r++) {
		uint64_t off = r->r_offset - lo;

		if (r->r_info != REL_RELATIVE || off > last)
			break;
		*(uint64_t *)(start + off) = base + r->r_addend;
	}
	return r;
}

/* The DT_RELACOUNT prefix of DT_RELA from entry `from` on, in one tight
 * loop (relative_run). Stops at the first entry that is not a relative
 * relocation inside the span (reloc_one then reports it); returns the
 * index it stopped at. */
static size_t
reloc_relative_prefix(struct elf_object *obj, size_t from)
{
	const Elf64_Rela *r = obj->rela + from, *end = obj->rela + obj->relacount;
	uintptr_t base = obj->base, lo = obj->map_start - base;
	uintptr_t last = obj->map_end - obj->map_start - 8;	/* span - 8 */

	if (obj->map_end - obj->map_start < 8 || from >= obj->relacount)
		return from;
	r = lo == 0 ? relative_run(r, end, base, 0, last) :
		      relative_run(r, end, base, lo, last);
	count_relative((size_t)(r - obj->rela) - from);
	return (size_t)(r - obj->rela);
}

/* A replay's first n entries of DT_RELA, which a cold start of the same
 * file found relative and inside the object (launch.h): applied without
 * checking them again, four at a time. Returns how many. */
static size_t
reloc_relative_trusted(struct elf_object *obj, size_t n)
{
	const Elf64_Rela *r = obj->rela;
	uintptr_t base = obj->base;
	size_t i;

	if (n > obj->relacount)
		n = obj->relacount;
	for (i = 0; i + 4 <= n; i += 4) {
		*(uint64_t *)(base + r[i].r_offset) = base + r[i].r_addend;
		*(uint64_t *)(base + r[i + 1].r_offset) = base + r[i + 1].r_addend;
		*(uint64_t *)(base + r[i + 2].r_offset) = base + r[i + 2].r_addend;
		*(uint64_t *)(base + r[i + 3].r_offset) = base + r[i + 3].r_addend;
	}
	for (; i < n; i++)
		*(uint64_t *)(base + r[i].r_offset) = base + r[i].r_addend;
	count_relative(n);
	return n;
}

/* Lazy DT_JMPREL: each JUMP_SLOT's GOT entry holds the link-time address
 * of its PLT entry's second half (push index; jmp PLT0): bias it. Other
 * types in the table are relocated now. GOT[1] and GOT[2] route the first
 * call to the trampoline. */
static void
reloc_plt_lazy(struct reloc_context *ctx)
{
	struct elf_object *obj = ctx->obj;
	const Elf64_Rela *r, *end = obj->jmprel + obj->pltrelsz / sizeof(*r);

	for (r = obj->jmprel; r < end && !ctx->stop; r++) {
		uintptr_t where = obj->base + r->r_offset;

		if (ARCH_R_TYPE(r->r_info) != REL_PLT) {
			reloc_one(ctx, r);
			continue;
		}
		ld_state.stats.relocations++;
		ld_state.stats.by_type[REL_PLT]++;
		if (target_ok(ctx, r))
			*(uint64_t *)where += obj->base;
	}
	obj->pltgot[ARCH_GOT_OBJECT] = (uintptr_t)obj;
	obj->pltgot[ARCH_GOT_RESOLVER] = (uintptr_t)arch_plt_trampoline;
}

uintptr_t
reloc_lazy_fixup(struct elf_object *obj, size_t index)
{
	struct reloc_context ctx = {
		.obj = obj, .last_symidx = (size_t)-1, .lazy = true,
	};
	const Elf64_Rela *r;
	struct symbol_ref def = { NULL, NULL };
	uintptr_t value;
	size_t symidx;

	if (index >= obj->pltrelsz / sizeof(*r))
		ld_fatal("%s: %s: lazy binding of a bad PLT index %zu",
			 ld_state.progname, obj->path, index);
	r = obj->jmprel + index;
	symidx = ARCH_R_SYM(r->r_info);
	if (ARCH_R_TYPE(r->r_info) != REL_PLT || !symidx ||
	    (obj->nsyms && symidx >= obj->nsyms))
		ld_fatal("%s: %s: unexpected PLT reloc type 0x%x", ld_state.progname,
			 obj->path, (unsigned)ARCH_R_TYPE(r->r_info));
	if (resolve(&ctx, symidx, REL_PLT, &def) < 0)
		ld_fatal("%s: symbol lookup error: %s", ld_state.progname,
			 ld_error_message());
	value = symbol_address(&def);
	if (!ld_state.bind_not)
		*(uint64_t *)(obj->base + r->r_offset) = value;
	return value;
}

/* DT_RELR: see boot.c for the encoding. The table was bounds-checked when
 * .dynamic was parsed; each target is checked here against the span, as
 * an offset from its start (one compare), and a bitmap's set bits are
 * visited alone. */
static int
reloc_relr(struct reloc_context *ctx)
{
	struct elf_object *obj = ctx->obj;
	const uint64_t *e = obj->relr, *end = obj->relr + obj->relrsz / 8;
	uintptr_t base = obj->base, lo = obj->map_start, where = 0;
	uintptr_t last = obj->map_end - obj->map_start - 8;   /* span - 8 */
	size_t n = 0;

	if (e < end && obj->map_end - obj->map_start < 8)
		goto bad;
	for (; e < end; e++) {
		uint64_t entry = *e;

		if ((entry & 1) == 0) {
			where = base + entry;
			if (where - lo > last)
				goto bad;
			*(uint64_t *)where += base;
			n++;
			where += 8;
			continue;
		}
		/* A bitmap's 63 words all inside the span need no check
		 * per bit (libc.so.6: 8 instructions a relocation, was 13). */
		if (last >= 62 * 8 && where - lo <= last - 62 * 8) {
			for (uint64_t bits = entry >> 1; bits; bits &= bits - 1, n++)
				((uint64_t *)where)[__builtin_ctzll(bits)] += base;
		} else {
			for (uint64_t bits = entry >> 1; bits; bits &= bits - 1, n++) {
				uintptr_t p = where + 8 * (uintptr_t)__builtin_ctzll(bits);

				if (p - lo > last)
					goto bad;
				*(uint64_t *)p += base;
			}
		}
		where += 63 * 8;
	}
	ld_state.stats.relative += n;
	return 0;
bad:
	ld_state.stats.relative += n;
	reloc_fail(ctx, LOADING,
		   "%s: DT_RELR entry outside the object", obj->path);
	return -1;
}

/* A warm launch cache's bindings of ctx->obj into its memo. The entry's
 * numbers are checked (indices in range, "not found" only for a weak
 * reference; an entry that fails is left out, and that symbol is then
 * looked up); what the cold start checked of the files themselves (that
 * a definition lies inside its object) holds for the same files. */
static void
memo_from_launch(struct reloc_context *ctx, const struct launch_relocs *facts)
{
	const struct elf_object *obj = ctx->obj;
	const struct launch_binding *b = facts->bindings;
	struct elf_object *def = NULL;
	uint64_t def_serial = 0;

	for (size_t n = facts->nbindings; n; n--, b++) {
		struct symbol_ref ref = { NULL, NULL };

		if (b->symidx >= obj->nsyms || (b->flags != 0 &&
		    b->flags != LOOKUP_PLT && b->flags != LOOKUP_SKIP_SELF))
			continue;
		if (b->def_serial) {
			/* Runs of bindings to one object are the rule. */
			if (b->def_serial != def_serial) {
				def_serial = b->def_serial;
				def = launch_object(def_serial);
			}
			if (!def || b->defsym >= def->nsyms)
				continue;
			ref.obj = def;
			ref.sym = &def->symtab[b->defsym];
		} else if (ELF64_ST_BIND(obj->symtab[b->symidx].st_info) != STB_WEAK) {
			continue;
		}
		memo_set(&ctx->memo[b->symidx], &ref, b->flags, b->def_serial != 0);
	}
}

/* A recording launch cache keeps every lookup of the memo. */
static void
memo_to_launch(const struct reloc_context *ctx)
{
	const struct elf_object *obj = ctx->obj;

	for (size_t i = 0; i < obj->nsyms; i++) {
		const struct reloc_memo *m = &ctx->memo[i];

		if (m->flags)
			launch_note_binding(obj, (uint32_t)i, m->flags - 1,
					    m->found ? m->ref.obj : NULL,
					    m->found ? (uint32_t)(m->ref.sym -
						       m->ref.obj->symtab) : 0);
	}
}

/* DT_RELR of a replay whose cold start found every entry inside the
 * object (launch.h): reloc_relr without the checks. */
static void
reloc_relr_trusted(struct elf_object *obj)
{
	const uint64_t *e = obj->relr, *end = obj->relr + obj->relrsz / 8;
	uintptr_t base = obj->base, where = 0;
	size_t n = 0;

	for (; e < end; e++) {
		if ((*e & 1) == 0) {
			where = base + *e;
			*(uint64_t *)where += base;
			where += 8;
			n++;
			continue;
		}
		for (uint64_t bits = *e >> 1; bits; bits &= bits - 1, n++)
			((uint64_t *)where)[__builtin_ctzll(bits)] += base;
		where += 63 * 8;
	}
	ld_state.stats.relative += n;
}

int
reloc_object(struct elf_object *obj, struct elf_object *const *scope, size_t n)
{
	struct reloc_context ctx = {
		.obj = obj, .scope = scope, .nscope = n,
		.last_symidx = (size_t)-1,
	};
	enum launch_role role = scope ? launch_role() : LAUNCH_NONE;
	struct launch_relocs facts = { NULL, 0, 0, false };
	bool replay = role == LAUNCH_REPLAYING && launch_relocs_of(obj, &facts);
	bool relr_ok;
	size_t symbolic, done = 0;

	if (obj->relocated)
		return 0;
	TRACE(RELOC, "\nrelocation processing: %s\n", object_name(obj));
	if (obj->textrel && !obj->text_writable) {
		if (map_set_text_writable(obj, true) < 0)
			return -EPERM;
		obj->text_writable = true;
	}
	obj->lazy = !obj->bind_now && !ld_state.bind_now && obj->pltgot &&
		    obj->jmprel;
	/* Objects with many symbolic relocations for their number of
	 * symbols keep their lookups by symbol index (libLLVM, libstdc++;
	 * not libc, whose few hundred relocations name few symbols twice). */
	symbolic = (obj->relasz / sizeof(Elf64_Rela) - obj->relacount) +
		   (obj->lazy ? 0 : obj->pltrelsz / sizeof(Elf64_Rela));
	if (obj->nsyms && (role != LAUNCH_NONE || (symbolic >= RELOC_MEMO_MIN &&
					    symbolic * 4 >= obj->nsyms)))
		ctx.memo = crt_calloc(obj->nsyms, sizeof(*ctx.memo));
	if (ctx.memo && replay)
		memo_from_launch(&ctx, &facts);
	if (replay && facts.relr_checked)
		reloc_relr_trusted(obj);
	relr_ok = (replay && facts.relr_checked) || reloc_relr(&ctx) == 0;
	if (relr_ok) {
		done = reloc_relative_prefix(obj, replay ?
			reloc_relative_trusted(obj, facts.relative_checked) : 0);
		reloc_table(&ctx, obj->rela + done,
			    obj->relasz - done * sizeof(Elf64_Rela));
		if (obj->lazy)
			reloc_plt_lazy(&ctx);
		else
			reloc_table(&ctx, obj->jmprel, obj->pltrelsz);
	}
	if (role == LAUNCH_RECORDING && ctx.memo && !ctx.failures) {
		launch_note_relocs(obj, done, relr_ok);
		memo_to_launch(&ctx);
	}
	crt_free(ctx.memo);
	obj->relocated = true;
	return ctx.failures;
}

int
reloc_finish(void)
{
	struct reloc_context ctx = { .last_symidx = (size_t)-1 };
	struct elf_object *obj;
	size_t i;

	/* Entries may be added while we run (a resolver cannot dlopen at
	 * start-up, but be safe): index, do not cache the end. */
	for (i = 0; i < ld_state.npending && !ctx.stop; i++) {
		struct reloc_pending p = ld_state.pending[i];

		ctx.obj = p.obj;
		apply(&ctx, p.rela, &p.def);
	}
	ld_state.npending = 0;
	for (obj = ld_state.head; obj; obj = obj->next) {
		if (!obj->text_writable)
			continue;
		if (map_set_text_writable(obj, false) < 0 && !ctx.failures)
			ctx.failures++;
		obj->text_writable = false;
	}
	return ctx.failures;
}

void
reloc_drop_pending(void)
{
	ld_state.npending = 0;
}
