/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/hash.c: hash_sysv (gABI DT_HASH) and hash_gnu
 * (DT_GNU_HASH) against known values. Each expected value was computed
 * independently (a few lines of Python following the gABI text and the
 * djb2 definition); the SysV hash of "GLIBC_2.2.5" is also the vd_hash
 * that `readelf -x .gnu.version_d` shows in this system's libc.so.6.
 */
#include <check.h>
#include <stdint.h>

#include "loader/glibc/internal.h"
#include <string.h>

#include "loader/hash.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

struct hash_case {
	const char *name;
	uint32_t sysv;
	uint32_t gnu;
};

static const struct hash_case hash_cases[] = {
	{ "", 0x00000000, 0x00001505 },
	{ "a", 0x00000061, 0x0002b606 },
	{ "printf", 0x077905a6, 0x156b2bb8 },
	{ "exit", 0x0006cf04, 0x7c967e3f },
	{ "malloc", 0x07383353, 0x0d39ad3d },
	{ "GLIBC_2.2.5", 0x09691a75, 0x427315ba },
	/* Long enough for the SysV high nibble folding and the GNU hash to
	 * wrap around 32 bits many times. */
	{ "_ZNSt6vectorIiSaIiEE9push_backERKi", 0x04b6e199, 0xf5669db2 },
};

#define NCASES (sizeof(hash_cases) / sizeof(hash_cases[0]))

/* hash_gnu_len's hash alone (the loader always wants the length too). */
static uint32_t
hash_gnu(const char *name)
{
	size_t len;

	return hash_gnu_len(name, &len);
}

START_TEST(hash_sysv_known_values)
{
	const struct hash_case *c = &hash_cases[_i];

	ck_assert_msg(hash_sysv(c->name) == c->sysv,
		      "hash_sysv(\"%s\") = 0x%08x, expected 0x%08x", c->name,
		      hash_sysv(c->name), c->sysv);
}
END_TEST

/* The glibc adapter's version nodes carry the hashes of their names. */
START_TEST(hash_sysv_of_adapter_version_nodes)
{
	ck_assert_uint_eq(hash_sysv("GLIBC_2.2.5"), GLIBC_HASH_2_2_5);
	ck_assert_uint_eq(hash_sysv("GLIBC_PRIVATE"), GLIBC_HASH_PRIVATE);
	ck_assert_uint_eq(hash_sysv("LINUX_2.6"), GLIBC_HASH_LINUX_2_6);
}
END_TEST

START_TEST(hash_gnu_known_values)
{
	const struct hash_case *c = &hash_cases[_i];

	ck_assert_msg(hash_gnu(c->name) == c->gnu,
		      "hash_gnu(\"%s\") = 0x%08x, expected 0x%08x", c->name,
		      hash_gnu(c->name), c->gnu);
}
END_TEST

/* Bytes above 0x7f are unsigned in both functions (a signed char would
 * subtract). Expected values from the same independent computation. */
START_TEST(hash_sysv_high_bytes_unsigned)
{
	ck_assert_uint_eq(hash_sysv("\xff\x80"), 0x00000ff0 + 0x80);
}
END_TEST

START_TEST(hash_gnu_high_bytes_unsigned)
{
	ck_assert_uint_eq(hash_gnu("\xff\x80"), (5381u * 33 + 0xff) * 33 + 0x80);
}
END_TEST

/* The SysV hash never has the top nibble set (gABI: h &= ~g). */
START_TEST(hash_sysv_top_nibble_clear)
{
	static const char *const names[] = {
		"abcdefghijklmnopqrstuvwxyz", "\xff\xff\xff\xff\xff\xff\xff\xff",
		"_ZN9__gnu_cxx13new_allocatorIcE8allocateEmPKv",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		ck_assert_uint_eq(hash_sysv(names[i]) & 0xf0000000u, 0);
}
END_TEST

/* The test builder's own hash functions agree with the module on many
 * names, so images it builds are the ones the loader expects. */
START_TEST(hash_gnu_matches_builder)
{
	char name[16];
	unsigned i;

	for (i = 0; i < 2000; i++) {
		unsigned j, v = i * 2654435761u;

		for (j = 0; j < 1 + i % 15; j++, v = v * 1103515245u + 12345u)
			name[j] = (char)(1 + (v >> 16) % 255);
		name[j] = '\0';
		ck_assert_uint_eq(hash_gnu(name), eb_hash_gnu(name));
		ck_assert_uint_eq(hash_sysv(name), eb_hash_sysv(name));
	}
}
END_TEST

/* hash_gnu_len hashes as hash_gnu does and counts the bytes, at every
 * length around its four-at-a-time steps, up to C++-sized names. */
START_TEST(hash_gnu_len_counts_and_hashes)
{
	char name[200];

	for (size_t n = 0; n < sizeof(name); n++) {
		size_t len = 12345;

		for (size_t j = 0; j < n; j++)
			name[j] = (char)(1 + (j * 131 + n * 7) % 255);
		name[n] = '\0';
		ck_assert_uint_eq(hash_gnu_len(name, &len), eb_hash_gnu(name));
		ck_assert_uint_eq(len, n);
		ck_assert_uint_eq(hash_gnu(name), eb_hash_gnu(name));
	}
}
END_TEST

/* hash_gnu_from_chain rebuilds bit 0 from the bytes alone: at every
 * length up to C++-sized names, at every alignment of the name's first
 * byte, with either end-of-chain marker, and with bytes before the name
 * and after its NUL that must not count (odd ones, so that counting them
 * would flip the parity). */
START_TEST(hash_gnu_from_chain_rebuilds_bit_zero)
{
	static char buf[8 + 200 + 16] __attribute__((aligned(8)));

	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 200; n++) {
			char *name = buf + off;
			uint32_t h;
			size_t len = 12345;

			memset(buf, 0x41, sizeof(buf));
			for (size_t j = 0; j < n; j++)
				name[j] = (char)(1 + (j * 131 + n * 7 + off) % 255);
			name[n] = '\0';
			h = eb_hash_gnu(name);
			ck_assert_uint_eq(hash_gnu_from_chain(h | 1, name, &len), h);
			ck_assert_uint_eq(len, n);
			ck_assert_uint_eq(hash_gnu_from_chain(h & ~1u, name, &len), h);
		}
}
END_TEST

static Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc;

	tc = tcase_create("hash_sysv");
	tcase_add_loop_test(tc, hash_sysv_known_values, 0, NCASES);
	tcase_add_test(tc, hash_sysv_high_bytes_unsigned);
	tcase_add_test(tc, hash_sysv_of_adapter_version_nodes);
	tcase_add_test(tc, hash_sysv_top_nibble_clear);
	suite_add_tcase(s, tc);

	tc = tcase_create("hash_gnu");
	tcase_add_loop_test(tc, hash_gnu_known_values, 0, NCASES);
	tcase_add_test(tc, hash_gnu_high_bytes_unsigned);
	tcase_add_test(tc, hash_gnu_matches_builder);
	tcase_add_test(tc, hash_gnu_len_counts_and_hashes);
	tcase_add_test(tc, hash_gnu_from_chain_rebuilds_bit_zero);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(hash_suite());
}
