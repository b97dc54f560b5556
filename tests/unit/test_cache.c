/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/cache.c: every name of the system's /etc/ld.so.cache
 * that `ldconfig -p` lists looked up and compared, small caches built here in
 * the three layouts (current, old, old + current) to pin down the lookup
 * rules, and corrupt caches (truncated, bad magic, counts and offsets past
 * the end, unterminated strings) that must be rejected or ignored without
 * ever reading outside the buffer: every buffer ends at a PROT_NONE page.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "loader/cache.h"
#include "loader/error.h"
#include "tests/unit/unit.h"

#define SYSTEM_CACHE "/etc/ld.so.cache"
#define MAX_ENTRIES 4096

/* One (name, path) pair, as ldconfig -p prints it; usable when this
 * machine's loader may use it. */
struct pair {
	char name[256];
	char path[512];
	bool usable;
};

struct pair_list {
	struct pair *v;
	size_t n;
};

/* A buffer whose last byte is followed by an inaccessible page, so that
 * reading one byte too far faults (and fails the test). */
struct guarded {
	unsigned char *data;
	void *base;
	size_t map_len;
};

static struct guarded
guarded_copy(const void *src, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (len + page - 1) / page * page;
	struct guarded g;

	g.map_len = span + page;
	g.base = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(g.base, MAP_FAILED);
	ck_assert_int_eq(mprotect((char *)g.base + span, page, PROT_NONE), 0);
	g.data = (unsigned char *)g.base + span - len;
	if (len)
		memcpy(g.data, src, len);
	return g;
}

static void
guarded_free(struct guarded *g)
{
	munmap(g->base, g->map_len);
}

static void *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long size;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	ck_assert_int_gt(size, 0);
	rewind(f);
	buf = malloc((size_t)size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	*len = (size_t)size;
	return buf;
}

/* Every entry ldconfig -p lists, usable by this machine's loader when it
 * is "(libc6,x86-64)" without a hwcap. Lines look like
 * "\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1". */
static struct pair_list
ldconfig_entries(void)
{
	struct pair_list l = { calloc(MAX_ENTRIES, sizeof(struct pair)), 0 };
	char line[1024];
	FILE *p = popen("/sbin/ldconfig -p 2>/dev/null || ldconfig -p", "r");

	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		char *open = strstr(line, " ("), *close, *arrow, *nl;

		if (line[0] != '\t' || !open)
			continue;
		close = strstr(open, ") => ");
		arrow = close ? close + 5 : NULL;
		if (!arrow)
			continue;
		ck_assert_uint_lt(l.n, MAX_ENTRIES);
		l.v[l.n].usable = strncmp(open + 2, "libc6,x86-64", 12) == 0 &&
				  (open[14] == ')' || open[14] == ',') &&
				  !(strstr(open, "hwcap:") && strstr(open, "hwcap:") < close);
		nl = strchr(arrow, '\n');
		if (nl)
			*nl = '\0';
		snprintf(l.v[l.n].name, sizeof(l.v[l.n].name), "%.*s",
			 (int)(open - line - 1), line + 1);
		snprintf(l.v[l.n].path, sizeof(l.v[l.n].path), "%s", arrow);
		l.n++;
	}
	pclose(p);
	return l;
}

/* Asserts that p, a path cache_lookup returned (or NULL), lies in the
 * len bytes at data. */
static void
assert_inside(const char *p, const unsigned char *data, size_t len)
{
	ck_assert(!p || ((const unsigned char *)p >= data &&
			 (const unsigned char *)p + strlen(p) < data + len));
}

/* --- building caches --------------------------------------------------- */

struct fake_entry {
	int32_t flags;
	const char *key, *value;
	uint64_t hwcap;
};

#define X86_64 0x0303
#define I386 0x0003
#define HWCAP_EXT (1ULL << 62)

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Writes strings after *used and returns the offset of s from base. */
static uint32_t
add_string(unsigned char *buf, size_t *used, size_t base, const char *s)
{
	size_t off = *used;

	memcpy(buf + off, s, strlen(s) + 1);
	*used += strlen(s) + 1;
	return (uint32_t)(off - base);
}

/* A current-format table at buf + at; returns the end offset. */
static size_t
build_new_at(unsigned char *buf, size_t at, const struct fake_entry *e,
	     size_t n)
{
	size_t used = at + 48 + n * 24, i;

	/* Unused words and the extension offset are 0, as ldconfig writes
	 * them without extensions. */
	memset(buf + at, 0, 48);
	memcpy(buf + at, "glibc-ld.so.cache1.1", 20);
	put32(buf + at + 20, (uint32_t)n);
	buf[at + 28] = 2;                          /* little-endian */
	for (i = 0; i < n; i++) {
		unsigned char *p = buf + at + 48 + i * 24;

		put32(p, (uint32_t)e[i].flags);
		put32(p + 4, add_string(buf, &used, at, e[i].key));
		put32(p + 8, add_string(buf, &used, at, e[i].value));
		put64(p + 16, e[i].hwcap);
	}
	put32(buf + at + 24, (uint32_t)(used - at - 48 - n * 24));
	return used;
}

/* The old format, which has no hwcap entries; with compat, a current
 * table with all the entries follows it. */
static size_t
build_old(unsigned char *buf, const struct fake_entry *e, size_t n,
	  bool compat)
{
	size_t table, used, i, k = 0;

	for (i = 0; i < n; i++)
		k += e[i].hwcap == 0;
	table = 16 + k * 12;
	used = table;
	memcpy(buf, "ld.so-1.7.0", 11);
	put32(buf + 12, (uint32_t)k);
	for (i = 0, k = 0; i < n; i++) {
		unsigned char *p = buf + 16 + k * 12;

		if (e[i].hwcap)
			continue;
		k++;

		put32(p, (uint32_t)e[i].flags);
		put32(p + 4, compat ? 0 : add_string(buf, &used, table, e[i].key));
		put32(p + 8, compat ? 0 : add_string(buf, &used, table, e[i].value));
	}
	if (!compat)
		return used;
	return build_new_at(buf, (table + 7) & ~(size_t)7, e, n);
}

/* Sorted as ldconfig sorts: names descending (numbers compared as
 * numbers), then flags descending, hwcap entries first. */
static const struct fake_entry sample[] = {
	{ X86_64, "libx.so.10", "/a/libx.so.10", 0 },
	{ X86_64, "libx.so.9", "/hw/x86-64-v3/libx.so.9", HWCAP_EXT | 1 },
	{ X86_64, "libx.so.9", "/b/libx.so.9", 0 },
	{ I386, "libx.so.9", "/b32/libx.so.9", 0 },
	{ I386, "libonly32.so", "/b32/libonly32.so", 0 },
	{ X86_64, "libm.so.6", "/lib/libm.so.6", 0 },
	{ X86_64, "liba.so", "/a/liba.so", 0 },
};
#define NSAMPLE (sizeof(sample) / sizeof(sample[0]))

static const struct {
	const char *name, *path;
} sample_lookups[] = {
	{ "libx.so.10", "/a/libx.so.10" },
	{ "libx.so.9", "/b/libx.so.9" },     /* hwcap and i386 skipped */
	{ "libm.so.6", "/lib/libm.so.6" },
	{ "liba.so", "/a/liba.so" },
	{ "libonly32.so", NULL },
	{ "libx.so.8", NULL },
	{ "libzzz.so", NULL },
	{ "", NULL },
};
#define NLOOKUPS (sizeof(sample_lookups) / sizeof(sample_lookups[0]))

static void
check_sample(const unsigned char *buf, size_t len, int i)
{
	struct guarded g = guarded_copy(buf, len);
	struct ld_cache *c = cache_open_buffer(g.data, len, "(buffer)");
	const char *got;

	ck_assert_msg(c != NULL, "%s", ld_error_message());
	got = cache_lookup(c, sample_lookups[i].name, NULL);
	if (sample_lookups[i].path)
		ck_assert_str_eq(got ? got : "(null)", sample_lookups[i].path);
	else
		ck_assert_msg(got == NULL, "%s: got %s", sample_lookups[i].name, got);
	cache_close(c);
	guarded_free(&g);
}

/* --- the system cache -------------------------------------------------- */

START_TEST(cache_open_reads_system_cache)
{
	struct ld_cache *c = cache_open(SYSTEM_CACHE);

	ck_assert_msg(c != NULL, "%s", ld_error_message());
	cache_close(c);
}
END_TEST

START_TEST(cache_open_reports_missing_file)
{
	ld_error_clear();
	ck_assert_ptr_null(cache_open("/nonexistent/ld.so.cache"));
	ck_assert_str_eq(ld_error_message(),
			 "/nonexistent/ld.so.cache: cannot open: No such file "
			 "or directory");
}
END_TEST

START_TEST(cache_open_rejects_directory)
{
	ck_assert_ptr_null(cache_open("/etc"));
	ck_assert_ptr_nonnull(strstr(ld_error_message(), "/etc: not an ld.so.cache"));
}
END_TEST

START_TEST(cache_lookup_finds_every_ldconfig_entry)
{
	struct ld_cache *c = cache_open(SYSTEM_CACHE);
	struct pair_list want = ldconfig_entries();
	size_t i, j;

	ck_assert_ptr_nonnull(c);
	ck_assert_uint_gt(want.n, 0);
	for (i = 0; i < want.n; i++) {
		const char *got = cache_lookup(c, want.v[i].name, NULL);
		const char *path = NULL;

		/* The first usable entry listed for a name is the one to use;
		 * a name listed only for other ABIs or hwcaps is not found. */
		for (j = 0; j < i; j++)
			if (strcmp(want.v[j].name, want.v[i].name) == 0)
				break;
		if (j < i)
			continue;
		for (j = i; j < want.n && !path; j++)
			if (want.v[j].usable &&
			    strcmp(want.v[j].name, want.v[i].name) == 0)
				path = want.v[j].path;
		if (path)
			ck_assert_str_eq(got ? got : "(null)", path);
		else
			ck_assert_msg(got == NULL, "%s: got %s", want.v[i].name, got);
	}
	ck_assert_ptr_null(cache_lookup(c, "libdoes-not-exist.so.42", NULL));
	cache_close(c);
	free(want.v);
}
END_TEST

START_TEST(cache_lookup_survives_truncation)
{
	size_t len, cut, i;
	unsigned char *file = read_file(SYSTEM_CACHE, &len);
	struct pair_list want = ldconfig_entries();

	/* Every length up to a few headers, then a stride through the
	 * entries and strings. */
	for (cut = 0; cut < len; cut += cut < 256 ? 1 : 97) {
		struct guarded g = guarded_copy(file, cut);
		struct ld_cache *c = cache_open_buffer(g.data, cut, "(buffer)");

		if (c) {
			for (i = 0; i < want.n; i++)
				assert_inside(cache_lookup(c, want.v[i].name, NULL),
					      g.data, cut);
			cache_close(c);
		}
		guarded_free(&g);
	}
	free(file);
	free(want.v);
}
END_TEST

/* --- built caches ------------------------------------------------------ */

START_TEST(cache_lookup_picks_like_glibc)
{
	unsigned char buf[4096] = { 0 };

	check_sample(buf, build_new_at(buf, 0, sample, NSAMPLE), _i);
}
END_TEST

START_TEST(cache_lookup_reads_old_format)
{
	unsigned char buf[4096] = { 0 };

	check_sample(buf, build_old(buf, sample, NSAMPLE, false), _i);
}
END_TEST

START_TEST(cache_lookup_prefers_new_table_in_compat_format)
{
	unsigned char buf[4096] = { 0 };

	/* The old table's offsets are all 0 (""): only the new one works. */
	check_sample(buf, build_old(buf, sample, NSAMPLE, true), _i);
}
END_TEST

START_TEST(cache_lookup_finds_each_usable_entry)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);
	struct ld_cache *c = cache_open_buffer(buf, len, "(buffer)");
	static const char *const usable[] = { "/a/libx.so.10", "/b/libx.so.9",
					      "/lib/libm.so.6", "/a/liba.so" };
	size_t i, found = 0;

	/* The 4 entries of this machine without a hwcap, each by its
	 * name; the i386 and hwcap entries never. */
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < NSAMPLE; i++) {
		const char *got = cache_lookup(c, sample[i].key, NULL);

		assert_inside(got, buf, len);
		if (got && strcmp(got, sample[i].value) == 0) {
			ck_assert_str_eq(got, usable[found]);
			found++;
		}
	}
	ck_assert_uint_eq(found, 4);
	ck_assert_ptr_null(cache_lookup(c, "libonly32.so", NULL));
	cache_close(c);
}
END_TEST

/* --- glibc-hwcaps entries ---------------------------------------------- */

/* The ISA level mark of an entry's hwcap field (bits 32-41). */
#define ISA_LEVEL(n) ((uint64_t)(n) << 32)

/* Subdirectory names of the extension section, sorted as ldconfig sorts
 * them, and libh.so's entries in ldconfig's order (hwcaps entries first). */
static const char *const hw_names[] = { "p1", "x86-64-v2", "x86-64-v3" };
static const struct fake_entry hw_sample[] = {
	{ X86_64, "libh.so", "/hw/glibc-hwcaps/x86-64-v3/libh.so",
	  HWCAP_EXT | ISA_LEVEL(2) | 2 },
	{ X86_64, "libh.so", "/hw/glibc-hwcaps/p1/libh.so", HWCAP_EXT | 0 },
	{ X86_64, "libh.so", "/hw/glibc-hwcaps/x86-64-v2/libh.so",
	  HWCAP_EXT | ISA_LEVEL(1) | 1 },
	{ X86_64, "libh.so", "/hw/glibc-hwcaps/none/libh.so", HWCAP_EXT | 7 },
	{ X86_64, "libh.so", "/hw/libh.so", 0 },
	{ X86_64, "libg.so", "/hw/glibc-hwcaps/x86-64-v2/libg.so",
	  HWCAP_EXT | ISA_LEVEL(1) | 1 },
};

/* A current-format cache of hw_sample with the glibc-hwcaps extension
 * (magic spoilt when bad_magic); returns its length. */
static size_t
build_hwcaps(unsigned char *buf, bool bad_magic)
{
	size_t used = build_new_at(buf, 0, hw_sample,
				   sizeof(hw_sample) / sizeof(hw_sample[0]));
	uint32_t offs[3];
	size_t array, dir, i;

	for (i = 0; i < 3; i++)
		offs[i] = add_string(buf, &used, 0, hw_names[i]);
	array = (used + 3) & ~(size_t)3;
	memcpy(buf + array, offs, sizeof(offs));
	dir = array + sizeof(offs);
	put32(buf + dir, bad_magic ? 0x12345678u : 0xeaa42174u);
	put32(buf + dir + 4, 1);
	put32(buf + dir + 8, 1);                /* tag: glibc-hwcaps */
	put32(buf + dir + 12, 0);
	put32(buf + dir + 16, (uint32_t)array);
	put32(buf + dir + 20, sizeof(offs));
	put32(buf + 32, (uint32_t)dir);
	return dir + 24;
}

static const struct {
	const char *names;       /* "a\0b\0" */
	size_t count;
	uint32_t isa_levels;
	const char *name, *want;
} hw_lookups[] = {
	/* No list: only the baseline entry. */
	{ NULL, 0, 0xf, "libh.so", "/hw/libh.so" },
	{ "x86-64-v3\0x86-64-v2", 2, 0xf, "libh.so",
	  "/hw/glibc-hwcaps/x86-64-v3/libh.so" },
	/* The list's order ranks them, not the file's. */
	{ "x86-64-v2\0x86-64-v3", 2, 0xf, "libh.so",
	  "/hw/glibc-hwcaps/x86-64-v2/libh.so" },
	{ "p1\0x86-64-v3\0x86-64-v2", 3, 0xf, "libh.so",
	  "/hw/glibc-hwcaps/p1/libh.so" },
	/* A CPU without v3 passes over the entry marked with level 2. */
	{ "x86-64-v3\0x86-64-v2", 2, 0x3, "libh.so",
	  "/hw/glibc-hwcaps/x86-64-v2/libh.so" },
	{ "x86-64-v3", 1, 0x3, "libh.so", "/hw/libh.so" },
	{ "zz", 1, 0xf, "libh.so", "/hw/libh.so" },
	/* Only a hwcaps entry: found through the list, not without it. */
	{ "x86-64-v2", 1, 0xf, "libg.so", "/hw/glibc-hwcaps/x86-64-v2/libg.so" },
	{ NULL, 0, 0xf, "libg.so", NULL },
};
#define NHW (sizeof(hw_lookups) / sizeof(hw_lookups[0]))

START_TEST(cache_lookup_hwcaps_ranks_like_glibc)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_hwcaps(buf, false);
	struct cache_hwcaps hw = { hw_lookups[_i].names, hw_lookups[_i].count,
				   hw_lookups[_i].isa_levels, false, 0, NULL };
	struct ld_cache *c = cache_open_buffer(buf, len, "(buffer)");
	const char *got;

	ck_assert_ptr_nonnull(c);
	got = cache_lookup(c, hw_lookups[_i].name,
				  hw_lookups[_i].names ? &hw : NULL);
	if (hw_lookups[_i].want)
		ck_assert_str_eq(got ? got : "(null)", hw_lookups[_i].want);
	else
		ck_assert_msg(got == NULL, "got %s", got);
	/* cache_lookup is the lookup without a list. */
	if (!hw_lookups[_i].names)
		ck_assert_ptr_eq(cache_lookup(c, hw_lookups[_i].name, NULL), got);
	cache_close(c);
}
END_TEST

/* Legacy hwcap entries (ldconfig of glibc 2.36 and before, for libraries
 * in DIR/x86_64/, DIR/haswell/, DIR/tls/ ...): bit 1 x86_64, bit 2
 * avx512_1, platform bits from 48 (haswell: 50), bit 63 tls. */
#define LEGACY_X86_64 ((uint64_t)1 << 1)
#define LEGACY_AVX512_1 ((uint64_t)1 << 2)
#define LEGACY_HASWELL ((uint64_t)1 << 50)
#define LEGACY_TLS ((uint64_t)1 << 63)
static const struct fake_entry legacy_sample[] = {
	{ X86_64, "libl.so", "/l/haswell/libl.so", LEGACY_HASWELL },
	{ X86_64, "libl.so", "/l/tls/avx512_1/libl.so", LEGACY_TLS | LEGACY_AVX512_1 },
	{ X86_64, "libl.so", "/l/tls/x86_64/libl.so", LEGACY_TLS | LEGACY_X86_64 },
	{ X86_64, "libl.so", "/l/libl.so", 0 },
};

static const struct {
	bool legacy;
	uint64_t hwcap;
	const char *platform, *want;
} legacy_lookups[] = {
	/* A release without legacy subdirectories: the baseline entry. */
	{ false, LEGACY_X86_64, "haswell", "/l/libl.so" },
	/* The first entry whose bits the machine has, in file order. */
	{ true, LEGACY_X86_64, "haswell", "/l/haswell/libl.so" },
	{ true, LEGACY_X86_64, "x86_64", "/l/tls/x86_64/libl.so" },
	{ true, LEGACY_X86_64 | LEGACY_AVX512_1, "x86_64", "/l/tls/avx512_1/libl.so" },
	{ true, 0, NULL, "/l/libl.so" },
};

START_TEST(cache_lookup_legacy_entries_as_glibc_236)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, legacy_sample,
				  sizeof(legacy_sample) / sizeof(legacy_sample[0]));
	struct cache_hwcaps hw = { "", 0, 0xf, legacy_lookups[_i].legacy,
				   legacy_lookups[_i].hwcap, legacy_lookups[_i].platform };
	struct ld_cache *c = cache_open_buffer(buf, len, "(buffer)");

	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(cache_lookup(c, "libl.so", &hw), legacy_lookups[_i].want);
	/* Without a description of the machine: the baseline entry. */
	ck_assert_str_eq(cache_lookup(c, "libl.so", NULL), "/l/libl.so");
	cache_close(c);
}
END_TEST

START_TEST(cache_lookup_hwcaps_ignores_bad_extension)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_hwcaps(buf, true);
	struct cache_hwcaps hw = { "x86-64-v3", 1, 0xf, false, 0, NULL };
	struct ld_cache *c = cache_open_buffer(buf, len, "(buffer)");

	/* Without a usable extension the hwcaps entries mean nothing. */
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(cache_lookup(c, "libh.so", &hw), "/hw/libh.so");
	cache_close(c);
	/* A section past the end of the file is ignored the same way. */
	len = build_hwcaps(buf, false);
	put32(buf + 32, (uint32_t)len + 64);
	c = cache_open_buffer(buf, len, "(buffer)");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(cache_lookup(c, "libh.so", &hw), "/hw/libh.so");
	cache_close(c);
}
END_TEST

/* --- corrupt caches ---------------------------------------------------- */

START_TEST(cache_open_buffer_rejects_bad_magic)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);

	buf[3] = 'X';
	ck_assert_ptr_null(cache_open_buffer(buf, len, "(buffer)"));
	ck_assert_ptr_nonnull(strstr(ld_error_message(), "not an ld.so.cache"));
	ck_assert_ptr_null(cache_open_buffer(NULL, 0, "(buffer)"));
	ck_assert_ptr_null(cache_open_buffer("glibc-ld.so.cache1.1", 20, "(buffer)"));
}
END_TEST

START_TEST(cache_open_buffer_rejects_table_past_end)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);
	struct guarded g;

	put32(buf + 20, 0xffffffffu);
	g = guarded_copy(buf, len);
	ck_assert_ptr_null(cache_open_buffer(g.data, len, "(buffer)"));
	ck_assert_ptr_nonnull(strstr(ld_error_message(), "past the end"));
	guarded_free(&g);
	/* The same for the old format's count. */
	len = build_old(buf, sample, NSAMPLE, false);
	put32(buf + 12, 0x7fffffffu);
	g = guarded_copy(buf, len);
	ck_assert_ptr_null(cache_open_buffer(g.data, len, "(buffer)"));
	guarded_free(&g);
}
END_TEST

START_TEST(cache_open_buffer_rejects_big_endian)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);

	buf[28] = 3;
	ck_assert_ptr_null(cache_open_buffer(buf, len, "(buffer)"));
	buf[28] = 1;
	ck_assert_ptr_null(cache_open_buffer(buf, len, "(buffer)"));
	buf[28] = 0;                     /* byte order not recorded: fine */
	cache_close(cache_open_buffer(buf, len, "(buffer)"));
}
END_TEST

START_TEST(cache_lookup_ignores_offsets_past_end)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);
	struct guarded g;
	struct ld_cache *c;
	size_t i, found = 0;

	/* libm's path and liba's name point outside the file. */
	put32(buf + 48 + 5 * 24 + 8, (uint32_t)len);
	put32(buf + 48 + 6 * 24 + 4, 0xfffffff0u);
	g = guarded_copy(buf, len);
	c = cache_open_buffer(g.data, len, "(buffer)");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(cache_lookup(c, "libm.so.6", NULL));
	ck_assert_ptr_null(cache_lookup(c, "liba.so", NULL));
	ck_assert_str_eq(cache_lookup(c, "libx.so.10", NULL), "/a/libx.so.10");
	/* No name yields an entry past the end: only the 2 sound ones. */
	for (i = 0; i < NSAMPLE; i++) {
		const char *got = cache_lookup(c, sample[i].key, NULL);

		assert_inside(got, g.data, len);
		found += got && strcmp(got, sample[i].value) == 0;
	}
	ck_assert_uint_eq(found, 2);
	cache_close(c);
	guarded_free(&g);
}
END_TEST

START_TEST(cache_lookup_ignores_unterminated_string)
{
	unsigned char buf[4096] = { 0 };
	size_t len = build_new_at(buf, 0, sample, NSAMPLE);
	struct guarded g;
	struct ld_cache *c;

	/* Drop the last NUL: liba's path now runs into the guard page. */
	g = guarded_copy(buf, len - 1);
	c = cache_open_buffer(g.data, len - 1, "(buffer)");
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(cache_lookup(c, "liba.so", NULL));
	ck_assert_str_eq(cache_lookup(c, "libm.so.6", NULL), "/lib/libm.so.6");
	cache_close(c);
	guarded_free(&g);
}
END_TEST

START_TEST(cache_lookup_survives_garbage_entries)
{
	unsigned char buf[4096];
	size_t len = build_new_at(buf, 0, sample, NSAMPLE), i;
	struct guarded g;
	struct ld_cache *c;

	/* Random bytes over the entry table (seeded: reproducible). */
	srand(1234 + (unsigned)_i);
	for (i = 48; i < 48 + NSAMPLE * 24; i++)
		buf[i] = (unsigned char)rand();
	g = guarded_copy(buf, len);
	c = cache_open_buffer(g.data, len, "(buffer)");
	ck_assert_ptr_nonnull(c);
	for (i = 0; i < NLOOKUPS; i++)
		assert_inside(cache_lookup(c, sample_lookups[i].name, NULL),
			      g.data, len);
	cache_close(c);
	guarded_free(&g);
}
END_TEST

static Suite *
cache_suite(void)
{
	Suite *s = suite_create("cache");
	TCase *tc;

	tc = tcase_create("cache_open");
	tcase_add_test(tc, cache_open_reads_system_cache);
	tcase_add_test(tc, cache_open_reports_missing_file);
	tcase_add_test(tc, cache_open_rejects_directory);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache_open_buffer");
	tcase_add_test(tc, cache_open_buffer_rejects_bad_magic);
	tcase_add_test(tc, cache_open_buffer_rejects_table_past_end);
	tcase_add_test(tc, cache_open_buffer_rejects_big_endian);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache_lookup");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cache_lookup_finds_every_ldconfig_entry);
	tcase_add_test(tc, cache_lookup_survives_truncation);
	tcase_add_loop_test(tc, cache_lookup_picks_like_glibc, 0, NLOOKUPS);
	tcase_add_loop_test(tc, cache_lookup_reads_old_format, 0, NLOOKUPS);
	tcase_add_loop_test(tc, cache_lookup_prefers_new_table_in_compat_format,
			    0, NLOOKUPS);
	tcase_add_test(tc, cache_lookup_finds_each_usable_entry);
	tcase_add_test(tc, cache_lookup_ignores_offsets_past_end);
	tcase_add_test(tc, cache_lookup_ignores_unterminated_string);
	tcase_add_loop_test(tc, cache_lookup_survives_garbage_entries, 0, 64);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache_lookup_hwcaps");
	tcase_add_loop_test(tc, cache_lookup_hwcaps_ranks_like_glibc, 0, NHW);
	tcase_add_test(tc, cache_lookup_hwcaps_ignores_bad_extension);
	tcase_add_loop_test(tc, cache_lookup_legacy_entries_as_glibc_236, 0,
			    sizeof(legacy_lookups) / sizeof(legacy_lookups[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(cache_suite());
}
