/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/symbol.c on objects built by elf_builder.c: lookup
 * in one object through DT_GNU_HASH and through DT_HASH gives the same
 * answers (what counts as a definition: binding, type, value); the bloom
 * filter rejects names before any bucket is read and is counted; in a
 * scope the first definition wins whether weak or global; LOOKUP_SKIP_SELF,
 * LOOKUP_PLT; STB_GNU_UNIQUE definitions are unique process wide; the
 * default version is chosen among several.
 */
#include <check.h>
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "loader/hash.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_state.page_size = 4096;
	ld_state.startup_done = true;
	memset(&ld_state.stats, 0, sizeof(ld_state.stats));
	symbol_reset();
}

static void
teardown(void)
{
	symbol_reset();
}

/* ---- One object: which symbols are definitions ---- */

struct def_case {
	struct eb_symbol sym;
	bool found;
};

static const struct def_case def_cases[] = {
	{ { "alpha", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1100, 8, 0, 0 }, true },
	{ { "beta", STB_WEAK, STT_OBJECT, EB_DEFINED, 0x1108, 8, 0, 0 }, true },
	{ { "gamma", STB_GLOBAL, STT_NOTYPE, EB_DEFINED, 0x1110, 0, 0, 0 }, true },
	{ { "common", STB_GLOBAL, STT_COMMON, EB_DEFINED, 0x1118, 8, 0, 0 }, true },
	{ { "abs_zero", STB_GLOBAL, STT_OBJECT, SHN_ABS, 0, 0, 0, 0 }, true },
	{ { "tls_zero", STB_GLOBAL, STT_TLS, EB_DEFINED, 0, 8, 0, 0 }, true },
	{ { "ifunc", STB_GLOBAL, STT_GNU_IFUNC, EB_DEFINED, 0x1120, 0, 0, 0 }, true },
	{ { "unique", STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1128, 8, 0, 0 }, true },
	/* The djb2 collision of "B@" ("Aa" is not defined): same GNU hash,
	 * so only the string compare tells them apart. */
	{ { "B@", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1130, 0, 0, 0 }, true },
	{ { "undef", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0, 0, 0 }, false },
	{ { "local", STB_LOCAL, STT_FUNC, EB_DEFINED, 0x1138, 0, 0, 0 }, false },
	{ { "section", STB_GLOBAL, STT_SECTION, EB_DEFINED, 0x1140, 0, 0, 0 }, false },
	{ { "file", STB_GLOBAL, STT_FILE, EB_DEFINED, 0x1148, 0, 0, 0 }, false },
	{ { "novalue", STB_GLOBAL, STT_OBJECT, EB_DEFINED, 0, 8, 0, 0 }, false },
};

#define NDEFS (sizeof(def_cases) / sizeof(def_cases[0]))

/* Names looked up that are in no table. */
static const char *const absent_names[] = {
	"Aa", "absent", "alph", "alphaa", "", "printf", "malloc", "x", "y",
	"zzzzzzzzzzzzzzzzzzzzzzzz", "__libc_start_main", "_ITM_registerTMCloneTable",
	"environ", "errno", "qsort", "strlen", "memcpy", "fopen", "fclose", "puts",
};

#define NABSENT (sizeof(absent_names) / sizeof(absent_names[0]))

static void
build_defs(struct eb_image *img, unsigned hash)
{
	struct eb_symbol syms[NDEFS];
	struct eb_spec spec = { .syms = syms, .nsyms = NDEFS, .hash = hash };
	size_t i;

	for (i = 0; i < NDEFS; i++)
		syms[i] = def_cases[i].sym;
	eb_image_load(img, &spec);
}

static const Elf64_Sym *
lookup(struct elf_object *obj, const char *name)
{
	struct symbol_request req;

	symbol_request_init(&req, name, NULL, 0, NULL);
	return symbol_lookup_object(obj, &req);
}

START_TEST(symbol_lookup_object_finds_definitions)
{
	static const unsigned styles[] = {
		EB_HASH_GNU, EB_HASH_SYSV, EB_HASH_GNU | EB_HASH_SYSV,
	};
	struct eb_image img;
	size_t i;

	build_defs(&img, styles[_i]);
	for (i = 0; i < NDEFS; i++) {
		const char *name = def_cases[i].sym.name;
		const Elf64_Sym *s = lookup(img.obj, name);

		if (!def_cases[i].found) {
			ck_assert_msg(s == NULL, "%s found", name);
			continue;
		}
		ck_assert_msg(s != NULL, "%s not found", name);
		ck_assert_ptr_eq(s, &img.obj->symtab[eb_symbol_index(&img, name)]);
	}
	for (i = 0; i < NABSENT; i++)
		ck_assert_msg(lookup(img.obj, absent_names[i]) == NULL, "%s found",
			      absent_names[i]);
	eb_image_free(&img);
}
END_TEST

/* GNU-only and SysV-only images of one spec answer every name alike. */
START_TEST(symbol_lookup_object_gnu_and_sysv_agree)
{
	struct eb_image gnu, sysv;
	size_t i;

	build_defs(&gnu, EB_HASH_GNU);
	build_defs(&sysv, EB_HASH_SYSV);
	ck_assert_ptr_null(gnu.obj->sysv_hash);
	ck_assert_ptr_null(sysv.obj->gnu_hash);
	for (i = 0; i < NDEFS + NABSENT; i++) {
		const char *name = i < NDEFS ? def_cases[i].sym.name :
				   absent_names[i - NDEFS];
		const Elf64_Sym *a = lookup(gnu.obj, name);
		const Elf64_Sym *b = lookup(sysv.obj, name);

		ck_assert_msg((a == NULL) == (b == NULL), "%s: gnu %p sysv %p", name,
			      (void *)a, (void *)b);
		if (a)
			ck_assert_uint_eq(a - gnu.obj->symtab, b - sysv.obj->symtab);
	}
	eb_image_free(&gnu);
	eb_image_free(&sysv);
}
END_TEST

/* Whether the image's own bloom filter lets name through (computed here
 * from the raw table, not by the module). */
static bool
bloom_passes(const struct eb_image *img, const char *name)
{
	const uint32_t *h = eb_at(img, img->gnu_hash);
	const uint64_t *bloom = (const uint64_t *)(h + 4);
	uint32_t hash = eb_hash_gnu(name);
	uint64_t word = bloom[(hash / 64) % h[2]];

	return (word >> (hash % 64) & 1) && (word >> ((hash >> h[3]) % 64) & 1);
}

START_TEST(symbol_lookup_object_counts_bloom_rejects)
{
	struct eb_image img;
	unsigned long expected = 0;
	size_t i;

	build_defs(&img, EB_HASH_GNU);
	for (i = 0; i < NDEFS; i++)
		lookup(img.obj, def_cases[i].sym.name);
	ck_assert_uint_eq(ld_state.stats.bloom_rejects, 0);
	for (i = 0; i < NABSENT; i++) {
		expected += !bloom_passes(&img, absent_names[i]);
		lookup(img.obj, absent_names[i]);
	}
	/* Some absent names pass a two-word filter, most do not. */
	ck_assert_uint_gt(expected, NABSENT / 2);
	ck_assert_uint_eq(ld_state.stats.bloom_rejects, expected);
	ck_assert_uint_eq(ld_state.stats.objects_probed, NDEFS + NABSENT);
	eb_image_free(&img);
}
END_TEST

/* With an empty filter nothing gets through, defined or not: the filter
 * is consulted before the buckets. */
START_TEST(symbol_lookup_object_bloom_checked_first)
{
	struct eb_image img;
	uint32_t *h;

	build_defs(&img, EB_HASH_GNU);
	h = eb_at(&img, img.gnu_hash);
	memset(h + 4, 0, h[2] * sizeof(uint64_t));
	ck_assert_ptr_null(lookup(img.obj, "alpha"));
	ck_assert_uint_eq(ld_state.stats.bloom_rejects, 1);
	eb_image_free(&img);
}
END_TEST

/* Found by tests/fuzz: a bloom shift of 32..63 (valid for the 64-bit
 * words, never written by a linker) shifted the 32-bit hash by that much,
 * undefined behaviour. Like glibc, the shift is done in 64 bits: the
 * second bit is bit 0. */
START_TEST(symbol_lookup_object_bloom_shift_above_31)
{
	struct eb_image img;
	uint32_t *h;

	build_defs(&img, EB_HASH_GNU);
	h = eb_at(&img, img.gnu_hash);
	memset(h + 4, 0xff, h[2] * sizeof(uint64_t));
	h[3] = 40;
	img.obj->gnu_bloom_shift = 40;
	ck_assert_ptr_nonnull(lookup(img.obj, "alpha"));
	eb_image_free(&img);
}
END_TEST

/* ---- Scopes ---- */

static const struct eb_symbol lib_a_syms[] = {
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1100, 0, 0, 0 },
	{ "weak_first", STB_WEAK, STT_FUNC, EB_DEFINED, 0x1108, 0, 0, 0 },
	{ "global_first", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1110, 0, 0, 0 },
	{ "only_a", STB_GLOBAL, STT_OBJECT, EB_DEFINED, 0x1118, 8, 0, 0 },
	{ "uniq", STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1120, 8, 0, 0 },
	{ "copied", STB_GLOBAL, STT_OBJECT, EB_DEFINED, 0x1128, 8, 0, 0 },
};
static const struct eb_symbol lib_b_syms[] = {
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1200, 0, 0, 0 },
	{ "weak_first", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1208, 0, 0, 0 },
	{ "global_first", STB_WEAK, STT_FUNC, EB_DEFINED, 0x1210, 0, 0, 0 },
	{ "only_b", STB_GLOBAL, STT_OBJECT, EB_DEFINED, 0x1218, 8, 0, 0 },
	{ "uniq", STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1220, 8, 0, 0 },
	{ "copied", STB_GLOBAL, STT_OBJECT, EB_DEFINED, 0x1228, 8, 0, 0 },
	{ "pltfn", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1230, 0, 0, 0 },
};
/* A program: its undefined function with a canonical PLT address. */
static const struct eb_symbol prog_syms[] = {
	{ "pltfn", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0x1010, 0, 0, 0 },
	{ "only_b", STB_GLOBAL, STT_OBJECT, SHN_UNDEF, 0, 0, 0, 0 },
};

struct scope_fixture {
	struct eb_image a, b, prog;
};

static void
build_scope(struct scope_fixture *f, unsigned hash)
{
	struct eb_spec a = { .path = "liba.so", .syms = lib_a_syms, .nsyms = 6,
			     .hash = hash };
	struct eb_spec b = { .path = "libb.so", .syms = lib_b_syms, .nsyms = 7,
			     .hash = hash };
	struct eb_spec p = { .path = "prog", .syms = prog_syms, .nsyms = 2,
			     .hash = hash };

	eb_image_load(&f->a, &a);
	eb_image_load(&f->b, &b);
	eb_image_load(&f->prog, &p);
}

static void
free_scope(struct scope_fixture *f)
{
	eb_image_free(&f->a);
	eb_image_free(&f->b);
	eb_image_free(&f->prog);
}

/* Looks name up in scope; returns the defining image's object (NULL
 * when not found) and the symbol's value in *value. */
static struct elf_object *
scope_lookup(struct elf_object *const *scope, size_t n, const char *name,
	     unsigned flags, struct elf_object *requester, uint64_t *value)
{
	struct symbol_request req;
	struct symbol_ref ref = { NULL, NULL };

	symbol_request_init(&req, name, NULL, flags, requester);
	if (!symbol_lookup_scope(scope, n, &req, &ref))
		return NULL;
	ck_assert_ptr_nonnull(ref.sym);
	if (value)
		*value = ref.sym->st_value;
	return ref.obj;
}

/* Scope order decides; a weak definition found first is used (glibc
 * without LD_DYNAMIC_WEAK does not look further for a global one). */
START_TEST(symbol_lookup_scope_first_definition_wins)
{
	static const unsigned styles[] = { EB_HASH_GNU, EB_HASH_SYSV };
	struct scope_fixture f;
	struct elf_object *ab[2], *ba[2];
	uint64_t v;

	build_scope(&f, styles[_i]);
	ab[0] = ba[1] = f.a.obj;
	ab[1] = ba[0] = f.b.obj;
	ck_assert_ptr_eq(scope_lookup(ab, 2, "common", 0, NULL, &v), f.a.obj);
	ck_assert_uint_eq(v, 0x1100);
	ck_assert_ptr_eq(scope_lookup(ba, 2, "common", 0, NULL, &v), f.b.obj);
	ck_assert_uint_eq(v, 0x1200);
	ck_assert_ptr_eq(scope_lookup(ab, 2, "weak_first", 0, NULL, &v), f.a.obj);
	ck_assert_uint_eq(v, 0x1108);
	ck_assert_ptr_eq(scope_lookup(ba, 2, "global_first", 0, NULL, &v), f.b.obj);
	ck_assert_uint_eq(v, 0x1210);
	ck_assert_ptr_eq(scope_lookup(ab, 2, "only_b", 0, NULL, NULL), f.b.obj);
	ck_assert_ptr_null(scope_lookup(ab, 2, "nowhere", 0, NULL, NULL));
	ck_assert_ptr_null(scope_lookup(ab, 0, "common", 0, NULL, NULL));
	ck_assert_uint_eq(ld_state.stats.lookups, 7);
	free_scope(&f);
}
END_TEST

/* A scope mixing the two hash styles: the object without DT_GNU_HASH
 * has the pass-all bloom filter (object.h), so the walk reaches its
 * DT_HASH in either position, and the GNU object's filter still rejects
 * what it does not define. */
START_TEST(symbol_lookup_scope_mixes_hash_styles)
{
	struct eb_spec a = { .path = "liba.so", .syms = lib_a_syms, .nsyms = 6,
			     .hash = EB_HASH_GNU };
	struct eb_spec b = { .path = "libb.so", .syms = lib_b_syms, .nsyms = 7,
			     .hash = EB_HASH_SYSV };
	struct eb_image ia, ib;
	struct elf_object *ab[2], *ba[2];
	uint64_t v;

	eb_image_load(&ia, &a);
	eb_image_load(&ib, &b);
	ck_assert_ptr_eq(ib.obj->gnu_bloom, object_bloom_pass);
	ck_assert_uint_eq(ib.obj->gnu_bloom_mask, 0);
	ck_assert_ptr_ne(ia.obj->gnu_bloom, object_bloom_pass);
	ab[0] = ba[1] = ia.obj;
	ab[1] = ba[0] = ib.obj;
	ck_assert_ptr_eq(scope_lookup(ab, 2, "only_b", 0, NULL, &v), ib.obj);
	ck_assert_uint_eq(v, 0x1218);
	ck_assert_ptr_eq(scope_lookup(ba, 2, "common", 0, NULL, &v), ib.obj);
	ck_assert_uint_eq(v, 0x1200);
	ck_assert_ptr_eq(scope_lookup(ba, 2, "only_a", 0, NULL, NULL), ia.obj);
	ck_assert_ptr_null(scope_lookup(ab, 2, "nowhere", 0, NULL, NULL));
	eb_image_free(&ia);
	eb_image_free(&ib);
}
END_TEST

/* A request for an object's own symbol carries the same hash and length
 * as one for its name, whichever way it is computed: from the chain entry
 * (a GNU object's defined symbols), by hashing (its undefined ones, below
 * symoffset or past the chains, and every symbol of a DT_HASH-only
 * object). */
START_TEST(symbol_request_init_sym_matches_by_name)
{
	static const unsigned styles[] = { EB_HASH_GNU, EB_HASH_SYSV,
					   EB_HASH_GNU | EB_HASH_SYSV };
	struct scope_fixture f;
	struct eb_image *imgs[3];
	size_t k, idx;

	build_scope(&f, styles[_i]);
	imgs[0] = &f.a;
	imgs[1] = &f.b;
	imgs[2] = &f.prog;
	for (k = 0; k < 3; k++) {
		struct elf_object *o = imgs[k]->obj;

		for (idx = 1; idx < o->nsyms; idx++) {
			const char *name = o->strtab + o->symtab[idx].st_name;
			struct symbol_request a, b;

			symbol_request_init(&a, name, NULL, LOOKUP_PLT, o);
			symbol_request_init_sym(&b, o, idx, NULL, LOOKUP_PLT);
			ck_assert_str_eq(b.name, name);
			ck_assert_uint_eq(b.gnu_hash, a.gnu_hash);
			ck_assert_uint_eq(b.name_len, a.name_len);
			ck_assert_uint_eq(b.flags, LOOKUP_PLT);
			ck_assert_ptr_eq(b.requester, o);
		}
	}
	free_scope(&f);
}
END_TEST

/* GNU ld's table for a program whose dynamic symbols are all undefined:
 * symoffset 1, one empty bucket, no chains. The undefined symbol at
 * index 1 is at symoffset but in no chain: its request is hashed (what
 * follows the bucket is no chain entry of it). */
START_TEST(symbol_request_init_sym_past_the_chains)
{
	static const struct eb_symbol undef[] = {
		{ "chain_a", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0, 0, 0 },
	};
	struct eb_spec spec = { .path = "prog", .syms = undef, .nsyms = 1 };
	struct symbol_request a, b;
	struct eb_image img;
	uint32_t *h;

	eb_image_build(&img, &spec);
	h = eb_at(&img, img.gnu_hash);
	ck_assert_uint_eq(h[1], 2);
	h[1] = 1;
	ck_assert_int_eq(object_parse_dynamic(img.obj), 0);
	ck_assert_uint_eq(img.obj->gnu_symoffset, 1);
	ck_assert_uint_eq(img.obj->gnu_symend, 1);
	symbol_request_init(&a, "chain_a", NULL, 0, img.obj);
	symbol_request_init_sym(&b, img.obj, 1, NULL, 0);
	ck_assert_uint_eq(b.gnu_hash, a.gnu_hash);
	ck_assert_uint_eq(b.name_len, 7);
	eb_image_free(&img);
}
END_TEST

/* COPY relocations: the requester (the program) is skipped. */
START_TEST(symbol_lookup_scope_skip_self)
{
	struct scope_fixture f;
	struct elf_object *scope[2];

	build_scope(&f, EB_HASH_GNU);
	scope[0] = f.a.obj;
	scope[1] = f.b.obj;
	ck_assert_ptr_eq(scope_lookup(scope, 2, "copied", 0, f.a.obj, NULL), f.a.obj);
	ck_assert_ptr_eq(scope_lookup(scope, 2, "copied", LOOKUP_SKIP_SELF, f.a.obj,
				      NULL), f.b.obj);
	/* Only the requester is skipped, not the first object. */
	ck_assert_ptr_eq(scope_lookup(scope, 2, "copied", LOOKUP_SKIP_SELF, f.b.obj,
				      NULL), f.a.obj);
	ck_assert_ptr_null(scope_lookup(scope, 2, "only_a", LOOKUP_SKIP_SELF, f.a.obj,
					NULL));
	free_scope(&f);
}
END_TEST

/* A program's undefined function with a value (its canonical PLT entry)
 * is the definition for everybody, except for its own JUMP_SLOTs. */
START_TEST(symbol_lookup_scope_plt_skips_undefined_with_value)
{
	static const unsigned styles[] = { EB_HASH_GNU, EB_HASH_SYSV };
	struct scope_fixture f;
	struct elf_object *scope[2];
	uint64_t v;

	build_scope(&f, styles[_i]);
	scope[0] = f.prog.obj;
	scope[1] = f.b.obj;
	ck_assert_ptr_eq(scope_lookup(scope, 2, "pltfn", 0, NULL, &v), f.prog.obj);
	ck_assert_uint_eq(v, 0x1010);
	ck_assert_ptr_eq(scope_lookup(scope, 2, "pltfn", LOOKUP_PLT, NULL, &v),
			 f.b.obj);
	ck_assert_uint_eq(v, 0x1230);
	/* An undefined symbol without a value is never a definition. */
	ck_assert_ptr_eq(scope_lookup(scope, 2, "only_b", 0, NULL, NULL), f.b.obj);
	free_scope(&f);
}
END_TEST

/* STB_GNU_UNIQUE: whichever object's definition was found first is the
 * one every later lookup gets, whatever the scope. */
START_TEST(symbol_lookup_scope_unique_first_definition_wins)
{
	struct scope_fixture f;
	struct elf_object *ba[2], *a_only[1];
	uint64_t v;

	build_scope(&f, EB_HASH_GNU);
	ba[0] = f.b.obj;
	ba[1] = f.a.obj;
	a_only[0] = f.a.obj;
	ck_assert_ptr_eq(scope_lookup(ba, 2, "uniq", 0, NULL, &v), f.b.obj);
	ck_assert_uint_eq(v, 0x1220);
	ck_assert_ptr_eq(scope_lookup(a_only, 1, "uniq", 0, NULL, &v), f.b.obj);
	ck_assert_uint_eq(v, 0x1220);
	/* Forgotten by symbol_reset: then A's is first. */
	symbol_reset();
	ck_assert_ptr_eq(scope_lookup(a_only, 1, "uniq", 0, NULL, &v), f.a.obj);
	ck_assert_ptr_eq(scope_lookup(ba, 2, "uniq", 0, NULL, &v), f.a.obj);
	ck_assert_uint_eq(v, 0x1120);
	/* Ordinary symbols are not affected. */
	ck_assert_ptr_eq(scope_lookup(ba, 2, "common", 0, NULL, NULL), f.b.obj);
	free_scope(&f);
}
END_TEST

/* Many unique names: the table grows and keeps every entry. */
START_TEST(symbol_lookup_scope_unique_table_grows)
{
	enum { N = 150 };
	static char names[N][16];
	struct eb_symbol syms[N];
	struct eb_spec spec = { .syms = syms, .nsyms = N };
	struct eb_image one, two;
	struct elf_object *s1[1], *s2[2];
	size_t i;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "u%zu", i);
		syms[i] = (struct eb_symbol){ names[i], STB_GNU_UNIQUE, STT_OBJECT,
					      EB_DEFINED, 0x1000 + 8 * i, 8, 0, 0 };
	}
	spec.path = "one.so";
	eb_image_load(&one, &spec);
	spec.path = "two.so";
	eb_image_load(&two, &spec);
	s1[0] = two.obj;
	s2[0] = one.obj;
	s2[1] = two.obj;
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(scope_lookup(s1, 1, names[i], 0, NULL, NULL), two.obj);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(scope_lookup(s2, 2, names[i], 0, NULL, NULL), two.obj);
	ck_assert_uint_eq(ld_state.unique_count, N);
	eb_image_free(&one);
	eb_image_free(&two);
}
END_TEST

/* An entry of an unloaded provider keeps its slot: a name that probed
 * past it (same home slot, inserted later) is still found there. */
START_TEST(symbol_forget_object_keeps_probe_runs)
{
	static char a[16], b[16];
	struct eb_symbol sa = { a, STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1000, 8, 0, 0 };
	struct eb_symbol sb = { b, STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1000, 8, 0, 0 };
	struct eb_spec one_spec = { .path = "one.so", .syms = &sa, .nsyms = 1 };
	struct eb_spec two_spec = { .path = "two.so", .syms = &sb, .nsyms = 1 };
	struct eb_spec three_spec = { .path = "three.so", .syms = &sb, .nsyms = 1 };
	struct eb_image one, two, three;
	struct elf_object *s[1];
	size_t len, i;

	/* Two names with the same home slot in the first, 64-slot table. */
	snprintf(a, sizeof(a), "a");
	for (i = 0;; i++) {
		snprintf(b, sizeof(b), "b%zu", i);
		if ((hash_gnu_len(a, &len) & 63) == (hash_gnu_len(b, &len) & 63))
			break;
	}
	eb_image_load(&one, &one_spec);
	eb_image_load(&two, &two_spec);
	eb_image_load(&three, &three_spec);
	s[0] = one.obj;
	ck_assert_ptr_eq(scope_lookup(s, 1, a, 0, NULL, NULL), one.obj);
	s[0] = two.obj;
	ck_assert_ptr_eq(scope_lookup(s, 1, b, 0, NULL, NULL), two.obj);
	symbol_forget_object(one.obj);
	ck_assert_uint_eq(ld_state.unique_count, 1);
	/* three defines b too, but two provided it first. */
	s[0] = three.obj;
	ck_assert_ptr_eq(scope_lookup(s, 1, b, 0, NULL, NULL), two.obj);
	eb_image_free(&one);
	eb_image_free(&two);
	eb_image_free(&three);
}
END_TEST

/* symbol_forget_object: the entries of one provider go (a later lookup
 * makes the next definition found the unique one), the other provider's
 * stay, across probe runs that the deletions reshuffle. */
START_TEST(symbol_forget_object_drops_one_provider)
{
	enum { N = 150 };
	static char names[N][16];
	struct eb_symbol syms[N];
	struct eb_spec spec = { .syms = syms, .nsyms = N };
	struct eb_image one, two;
	struct elf_object *s1[1], *s2[1], *both[2];
	struct symbol_request req;
	size_t i;

	for (i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "u%zu", i);
		syms[i] = (struct eb_symbol){ names[i], STB_GNU_UNIQUE, STT_OBJECT,
					      EB_DEFINED, 0x1000 + 8 * i, 8, 0, 0 };
	}
	spec.path = "one.so";
	eb_image_load(&one, &spec);
	spec.path = "two.so";
	eb_image_load(&two, &spec);
	s1[0] = both[0] = one.obj;
	s2[0] = both[1] = two.obj;
	/* Even names provided by one, odd ones by two. */
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(scope_lookup(i % 2 ? s2 : s1, 1, names[i], 0, NULL,
					      NULL), i % 2 ? two.obj : one.obj);
	symbol_forget_object(one.obj);
	ck_assert_uint_eq(ld_state.unique_count, N / 2);
	for (i = 1; i < N; i += 2)
		ck_assert_ptr_eq(scope_lookup(both, 2, names[i], 0, NULL, NULL),
				 two.obj);
	/* A lookup that enters a definition says so. */
	symbol_request_init(&req, names[0], NULL, 0, NULL);
	{
		struct symbol_ref ref;

		ck_assert(symbol_lookup_scope(s2, 1, &req, &ref));
		ck_assert_ptr_eq(ref.obj, two.obj);
		ck_assert(req.new_unique);
		symbol_request_init(&req, names[0], NULL, 0, NULL);
		ck_assert(symbol_lookup_scope(both, 2, &req, &ref));
		ck_assert_ptr_eq(ref.obj, two.obj);
		ck_assert(!req.new_unique);
	}
	symbol_forget_object(two.obj);
	ck_assert_uint_eq(ld_state.unique_count, 0);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(scope_lookup(both, 2, names[i], 0, NULL, NULL),
				 one.obj);
	eb_image_free(&one);
	eb_image_free(&two);
}
END_TEST

/* ---- Versions through the lookup ---- */

static const struct eb_verdef foo_defs[] = {
	{ "libfoo.so.1", 1, VER_FLG_BASE },
	{ "FOO_1", 2, 0 },
	{ "FOO_2", 3, 0 },
};
/* foo@FOO_1 (hidden, old) and foo@@FOO_2 (default); bar@@FOO_1. */
static const struct eb_symbol foo_syms[] = {
	{ "foo", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1100, 0, 0x8002, 0 },
	{ "foo", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1200, 0, 3, 0 },
	{ "bar", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1300, 0, 2, 0 },
	{ "old", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1400, 0, 0x8003, 0 },
};

static uint64_t
versioned_value(struct elf_object *obj, const char *name, const char *version,
		unsigned flags)
{
	struct version_entry want = {
		.name = version, .hash = version ? eb_hash_sysv(version) : 0,
		.file = "libfoo.so.1",
	};
	struct symbol_request req;
	const Elf64_Sym *s;

	symbol_request_init(&req, name, version ? &want : NULL, flags, NULL);
	s = symbol_lookup_object(obj, &req);
	return s ? s->st_value : 0;
}

START_TEST(symbol_lookup_object_picks_version)
{
	static const unsigned styles[] = { EB_HASH_GNU, EB_HASH_SYSV };
	struct eb_spec spec = {
		.path = "libfoo.so.1", .hash = styles[_i], .syms = foo_syms,
		.nsyms = 4, .verdefs = foo_defs, .nverdefs = 3,
	};
	struct eb_image img;

	eb_image_load(&img, &spec);
	ck_assert_uint_eq(versioned_value(img.obj, "foo", "FOO_1", 0), 0x1100);
	ck_assert_uint_eq(versioned_value(img.obj, "foo", "FOO_2", 0), 0x1200);
	ck_assert_uint_eq(versioned_value(img.obj, "foo", "FOO_3", 0), 0);
	/* Unversioned, as glibc: index 2 (the object's oldest version)
	 * binds old unversioned references even when hidden; dlsym
	 * (LOOKUP_NEWEST) gets the default one. */
	ck_assert_uint_eq(versioned_value(img.obj, "foo", NULL, 0), 0x1100);
	ck_assert_uint_eq(versioned_value(img.obj, "foo", NULL, LOOKUP_NEWEST),
			  0x1200);
	ck_assert_uint_eq(versioned_value(img.obj, "bar", NULL, 0), 0x1300);
	/* Only a hidden definition: not for unversioned references. */
	ck_assert_uint_eq(versioned_value(img.obj, "old", NULL, 0), 0);
	ck_assert_uint_eq(versioned_value(img.obj, "old", "FOO_2", 0), 0x1400);
	eb_image_free(&img);
}
END_TEST

/* ---- symbol_address ---- */

START_TEST(symbol_address_adds_base)
{
	struct scope_fixture f;
	struct symbol_ref ref = { NULL, NULL };
	Elf64_Sym abs = { .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
			  .st_shndx = SHN_ABS, .st_value = 0x1234 };

	build_scope(&f, EB_HASH_GNU);
	ck_assert_uint_eq(symbol_address(&ref), 0);
	ref.obj = f.a.obj;
	ref.sym = &f.a.obj->symtab[eb_symbol_index(&f.a, "only_a")];
	ck_assert_uint_eq(symbol_address(&ref), f.a.obj->base + 0x1118);
	ref.sym = &abs;
	ck_assert_uint_eq(symbol_address(&ref), 0x1234);
	free_scope(&f);
}
END_TEST

/* A definition is usable only where its object can define it. */
START_TEST(symbol_value_ok_checks_the_span)
{
	struct scope_fixture f;
	struct symbol_ref ref = { NULL, NULL };
	Elf64_Sym sym = { .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC),
			  .st_shndx = 1, .st_value = 0x1118, .st_size = 8 };

	build_scope(&f, EB_HASH_GNU);
	ref.obj = f.a.obj;
	ref.sym = &sym;
	ck_assert(symbol_value_ok(&ref));
	sym.st_value = 0x7fff00000000;            /* far outside */
	ck_assert(!symbol_value_ok(&ref));
	sym.st_value = ref.obj->map_end - ref.obj->base - 4;
	ck_assert(!symbol_value_ok(&ref));        /* its last 4 bytes past the end */
	sym.st_shndx = SHN_ABS;                   /* absolute: any value */
	ck_assert(symbol_value_ok(&ref));
	sym.st_shndx = 1;
	sym.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_TLS);
	ref.obj->tls_memsz = 16;
	sym.st_value = 8;
	ck_assert(symbol_value_ok(&ref));
	sym.st_value = 9;                         /* 8 bytes from 9: past 16 */
	ck_assert(!symbol_value_ok(&ref));
	ref.sym = NULL;                           /* undefined weak */
	ck_assert(symbol_value_ok(&ref));
	free_scope(&f);
}
END_TEST

START_TEST(symbol_request_init_hashes)
{
	struct symbol_request req;
	struct version_entry v = { .name = "V", .hash = 0x56 };

	symbol_request_init(&req, "printf", &v, LOOKUP_PLT, NULL);
	ck_assert_uint_eq(req.gnu_hash, 0x156b2bb8);
	ck_assert(!req.sysv_hash_set);
	ck_assert_ptr_eq(req.version, &v);
	ck_assert_uint_eq(req.flags, LOOKUP_PLT);
}
END_TEST

static Suite *
symbol_suite(void)
{
	Suite *s = suite_create("symbol");
	TCase *tc;

	tc = tcase_create("symbol_lookup_object");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, symbol_lookup_object_finds_definitions, 0, 3);
	tcase_add_test(tc, symbol_lookup_object_gnu_and_sysv_agree);
	tcase_add_test(tc, symbol_lookup_scope_mixes_hash_styles);
	tcase_add_loop_test(tc, symbol_request_init_sym_matches_by_name, 0, 3);
	tcase_add_test(tc, symbol_request_init_sym_past_the_chains);
	tcase_add_test(tc, symbol_lookup_object_counts_bloom_rejects);
	tcase_add_test(tc, symbol_lookup_object_bloom_checked_first);
	tcase_add_test(tc, symbol_lookup_object_bloom_shift_above_31);
	tcase_add_loop_test(tc, symbol_lookup_object_picks_version, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("symbol_lookup_scope");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, symbol_lookup_scope_first_definition_wins, 0, 2);
	tcase_add_test(tc, symbol_lookup_scope_skip_self);
	tcase_add_loop_test(tc, symbol_lookup_scope_plt_skips_undefined_with_value,
			    0, 2);
	tcase_add_test(tc, symbol_lookup_scope_unique_first_definition_wins);
	tcase_add_test(tc, symbol_lookup_scope_unique_table_grows);
	tcase_add_test(tc, symbol_forget_object_drops_one_provider);
	tcase_add_test(tc, symbol_forget_object_keeps_probe_runs);
	suite_add_tcase(s, tc);

	tc = tcase_create("symbol_address");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, symbol_address_adds_base);
	tcase_add_test(tc, symbol_request_init_hashes);
	tcase_add_test(tc, symbol_value_ok_checks_the_span);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(symbol_suite());
}
