/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of crt/mem.c, built here under other names (mem_memcpy,
 * mem_memmove, mem_memset, mem_memcmp: tests/unit/meson.build) so that the
 * host libc keeps its own. Every length around the word steps, every
 * alignment of both buffers, bytes around the destination that must stay
 * as they were, and overlapping moves both ways, against byte loops
 * written here.
 */
#include <check.h>
#include <stdint.h>

#include "tests/unit/unit.h"

void *mem_memcpy(void *dst, const void *src, size_t len);
void *mem_memmove(void *dst, const void *src, size_t len);
void *mem_memset(void *dst, int c, size_t len);
int mem_memcmp(const void *a, const void *b, size_t len);

#define SPAN 96                 /* lengths 0 .. SPAN - 1 */
#define BUF (SPAN + 32)

static void
pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 29 + i * 131 + 7);
}

START_TEST(memcpy_every_length_and_alignment)
{
	unsigned char src[BUF], dst[BUF], want[BUF];

	for (size_t so = 0; so < 8; so++)
		for (size_t d = 0; d < 8; d++)
			for (size_t n = 0; n < SPAN; n++) {
				pattern(src, BUF, (unsigned)(so + n));
				pattern(dst, BUF, 99);
				pattern(want, BUF, 99);
				for (size_t i = 0; i < n; i++)
					want[d + 8 + i] = src[so + i];
				ck_assert_ptr_eq(mem_memcpy(dst + d + 8, src + so, n),
						 dst + d + 8);
				ck_assert_msg(memcmp(dst, want, BUF) == 0,
					      "src +%zu, dst +%zu, %zu bytes", so, d, n);
			}
}
END_TEST

/* Overlapping moves: dst below src and above, by every distance. */
START_TEST(memmove_overlapping_both_ways)
{
	unsigned char buf[BUF], want[BUF];

	for (size_t n = 0; n < SPAN; n++)
		for (size_t dist = 0; dist < 20; dist++)
			for (int up = 0; up < 2; up++) {
				size_t src = up ? 8 : 8 + dist;
				size_t dst = up ? 8 + dist : 8;

				pattern(buf, BUF, (unsigned)n);
				pattern(want, BUF, (unsigned)n);
				for (size_t i = 0; i < n; i++)
					want[dst + i] = buf[src + i];
				mem_memmove(buf + dst, buf + src, n);
				ck_assert_msg(memcmp(buf, want, BUF) == 0,
					      "%zu bytes, distance %zu, %s", n, dist,
					      up ? "up" : "down");
			}
}
END_TEST

START_TEST(memset_every_length_and_alignment)
{
	unsigned char buf[BUF], want[BUF];

	for (size_t d = 0; d < 8; d++)
		for (size_t n = 0; n < SPAN; n++) {
			pattern(buf, BUF, 5);
			pattern(want, BUF, 5);
			for (size_t i = 0; i < n; i++)
				want[d + 8 + i] = 0xa5;
			ck_assert_ptr_eq(mem_memset(buf + d + 8, 0x1a5, n), buf + d + 8);
			ck_assert_msg(memcmp(buf, want, BUF) == 0, "+%zu, %zu bytes", d, n);
		}
}
END_TEST

START_TEST(memcmp_signs_and_first_difference)
{
	unsigned char a[40], b[40];

	for (size_t n = 0; n <= sizeof(a); n++) {
		pattern(a, sizeof(a), 3);
		pattern(b, sizeof(b), 3);
		ck_assert_int_eq(mem_memcmp(a, b, n), 0);
		for (size_t i = 0; i < n; i++) {
			unsigned char keep = a[i];

			/* Bytes compare unsigned: 0x80 is above 0x7f. */
			a[i] = 0x7f;
			b[i] = 0x80;
			ck_assert_int_lt(mem_memcmp(a, b, n), 0);
			ck_assert_int_gt(mem_memcmp(b, a, n), 0);
			a[i] = b[i] = keep;
		}
	}
}
END_TEST

static Suite *
mem_suite(void)
{
	Suite *s = suite_create("mem");
	TCase *tc = tcase_create("mem");

	tcase_add_test(tc, memcpy_every_length_and_alignment);
	tcase_add_test(tc, memmove_overlapping_both_ways);
	tcase_add_test(tc, memset_every_length_and_alignment);
	tcase_add_test(tc, memcmp_signs_and_first_difference);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(mem_suite());
}
