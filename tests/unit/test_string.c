/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of crt/string.c. Each crt_ function is checked against the
 * host libc's function of the same name over a table of inputs (the host
 * is the reference, so the tables only need interesting cases, not the
 * expected answers), plus crt_strerror's wording against glibc's for every
 * errno value Linux defines. Tests must not depend on each other: each runs
 * in its own fork.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "tests/unit/unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static const char *const strings[] = {
	"", "a", "ab", "libc.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6",
	"\x80\xff high bytes", "trailing/", "a\tb c",
};

START_TEST(strlen_matches_host)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strings); i++)
		ck_assert_uint_eq(crt_strlen(strings[i]), strlen(strings[i]));
}
END_TEST

/* Three pages, the last PROT_NONE: strings that end at the second page's
 * end put the word-at-a-time reads at the edge (a read into the third
 * page faults). */
static unsigned char *
edge_pages(long *page)
{
	unsigned char *m;

	*page = sysconf(_SC_PAGESIZE);
	m = mmap(NULL, 3 * *page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(mprotect(m + 2 * *page, *page, PROT_NONE), 0);
	memset(m, 'x', 2 * *page);
	return m;
}

/* Every length at every alignment, with nonzero bytes before and after
 * the string, and strings whose NUL is a page's last byte. */
START_TEST(strlen_every_length_alignment_and_page_edge)
{
	long page;
	unsigned char *m = edge_pages(&page);

	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n < 70; n++) {
			char *mid = (char *)m + 64 + off, *edge = (char *)m + 2 * page - 1 - n;

			memset(m, 'x', 2 * page);
			mid[n] = '\0';
			ck_assert_uint_eq(crt_strlen(mid), n);
			edge[n] = '\0';
			ck_assert_uint_eq(crt_strlen(edge), n);
		}
	munmap(m, 3 * page);
}
END_TEST

START_TEST(strnlen_stops_at_max)
{
	static const size_t maxes[] = { 0, 1, 2, 5, 100 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strings); i++)
		for (j = 0; j < ARRAY_SIZE(maxes); j++)
			ck_assert_uint_eq(crt_strnlen(strings[i], maxes[j]),
					  strnlen(strings[i], maxes[j]));
}
END_TEST

START_TEST(strnlen_reads_no_further_than_max)
{
	/* Not terminated: only the first 3 bytes may be read. */
	const char unterminated[3] = { 'a', 'b', 'c' };

	ck_assert_uint_eq(crt_strnlen(unterminated, sizeof(unterminated)), 3);
}
END_TEST

static const struct {
	const char *a, *b;
} pairs[] = {
	{ "", "" }, { "a", "" }, { "", "a" }, { "abc", "abc" }, { "abc", "abd" },
	{ "abd", "abc" }, { "ab", "abc" }, { "abc", "ab" },
	{ "libc.so.6", "libc.so.7" }, { "\x80", "a" }, { "a", "\xff" },
	{ "GLIBC_2.2.5", "GLIBC_2.34" },
};

START_TEST(strcmp_orders_like_host)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pairs); i++)
		ck_assert_msg(sign(crt_strcmp(pairs[i].a, pairs[i].b)) ==
			      sign(strcmp(pairs[i].a, pairs[i].b)),
			      "strcmp(\"%s\", \"%s\")", pairs[i].a, pairs[i].b);
}
END_TEST

/* Equal strings and strings differing at each position, at every pair of
 * alignments, one copy ending at a page's end (the word steps must stop
 * before the next page); the host's strcmp gives the sign. */
START_TEST(strcmp_words_alignments_and_page_edge)
{
	long page;
	unsigned char *m = edge_pages(&page);

	for (size_t n = 0; n < 40; n++)
		for (size_t oa = 0; oa < 8; oa++)
			for (size_t ob = 0; ob < 8; ob++) {
				char *a = (char *)m + 2 * page - 1 - n - oa;
				char *b = (char *)m + 128 + ob;

				for (size_t i = 0; i < n; i++)
					a[i] = b[i] = (char)('A' + (i * 7 + n) % 50);
				a[n] = b[n] = '\0';
				ck_assert_int_eq(crt_strcmp(a, b), 0);
				ck_assert_int_eq(crt_strcmp(b, a), 0);
				for (size_t i = 0; i < n; i++) {
					char keep = b[i];

					b[i] = (char)(keep + 1);
					ck_assert_msg(sign(crt_strcmp(a, b)) == sign(strcmp(a, b)) &&
						      sign(crt_strcmp(b, a)) == sign(strcmp(b, a)),
						      "n %zu, +%zu/+%zu, at %zu", n, oa, ob, i);
					b[i] = '\0';
					ck_assert_int_gt(crt_strcmp(a, b), 0);
					ck_assert_int_lt(crt_strcmp(b, a), 0);
					b[i] = keep;
				}
			}
	munmap(m, 3 * page);
}
END_TEST

START_TEST(strcmp_compares_bytes_unsigned)
{
	ck_assert_int_gt(crt_strcmp("\x80", "\x7f"), 0);
	ck_assert_int_lt(crt_strcmp("a", "a\xff"), 0);
}
END_TEST

START_TEST(strncmp_orders_like_host)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(pairs); i++)
		for (n = 0; n < 12; n++)
			ck_assert_msg(sign(crt_strncmp(pairs[i].a, pairs[i].b, n)) ==
				      sign(strncmp(pairs[i].a, pairs[i].b, n)),
				      "strncmp(\"%s\", \"%s\", %zu)",
				      pairs[i].a, pairs[i].b, n);
}
END_TEST

START_TEST(strchr_finds_first)
{
	static const int chars[] = { 'a', 'b', '/', '.', 'z', '\0', 0x80, 0xff };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strings); i++)
		for (j = 0; j < ARRAY_SIZE(chars); j++)
			ck_assert_ptr_eq(crt_strchr(strings[i], chars[j]),
					 strchr(strings[i], chars[j]));
}
END_TEST

START_TEST(strrchr_finds_last)
{
	static const int chars[] = { 'a', 'b', '/', '.', 'z', '\0', 0x80, 0xff };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strings); i++)
		for (j = 0; j < ARRAY_SIZE(chars); j++)
			ck_assert_ptr_eq(crt_strrchr(strings[i], chars[j]),
					 strrchr(strings[i], chars[j]));
}
END_TEST

START_TEST(strcspn_counts_like_host)
{
	static const char *const rejects[] = { "", ":", ":;", "/", "ab", "\xff",
					       "\x80 \t", "?@\x7f\xc0" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strings); i++)
		for (j = 0; j < ARRAY_SIZE(rejects); j++)
			ck_assert_uint_eq(crt_strcspn(strings[i], rejects[j]),
					  strcspn(strings[i], rejects[j]));
	ck_assert_uint_eq(crt_strcspn("/lib:/usr/lib", ":"), 4);
}
END_TEST

START_TEST(strlcpy_truncates_and_terminates)
{
	static const size_t sizes[] = { 1, 2, 5, 9, 10, 11, 64 };
	const char *src = "libc.so.6";   /* 9 bytes */
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		char dst[64];
		size_t want = sizes[i] - 1 < 9 ? sizes[i] - 1 : 9;

		memset(dst, 'X', sizeof(dst));
		ck_assert_uint_eq(crt_strlcpy(dst, src, sizes[i]), 9);
		ck_assert_uint_eq(strlen(dst), want);
		ck_assert_int_eq(memcmp(dst, src, want), 0);
		/* Nothing written after the terminator. */
		if (sizes[i] < sizeof(dst))
			ck_assert_int_eq(dst[sizes[i]], 'X');
	}
}
END_TEST

START_TEST(strlcpy_size_zero_writes_nothing)
{
	char dst[4] = "abc";

	ck_assert_uint_eq(crt_strlcpy(dst, "hello", 0), 5);
	ck_assert_str_eq(dst, "abc");
}
END_TEST

START_TEST(strdup_copies)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		char *copy = crt_strdup(strings[i]);

		ck_assert_ptr_nonnull(copy);
		ck_assert_ptr_ne(copy, strings[i]);
		ck_assert_str_eq(copy, strings[i]);
		crt_free(copy);
	}
}
END_TEST

START_TEST(strndup_stops_at_n)
{
	static const size_t ns[] = { 0, 1, 3, 9, 10, 1000 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		char *copy = crt_strndup("libc.so.6", ns[i]);
		char *want = strndup("libc.so.6", ns[i]);

		ck_assert_ptr_nonnull(copy);
		ck_assert_str_eq(copy, want);
		crt_free(copy);
		free(want);
	}
}
END_TEST

START_TEST(strndup_reads_no_further_than_n)
{
	const char unterminated[4] = { '$', 'L', 'I', 'B' };
	char *copy = crt_strndup(unterminated, sizeof(unterminated));

	ck_assert_str_eq(copy, "$LIB");
	crt_free(copy);
}
END_TEST

START_TEST(strerror_uses_glibc_wording)
{
	/* The errors the loader reports, spelled out so a change in the
	 * host's wording cannot hide a change in ours. */
	static const struct {
		int err;
		const char *text;
	} cases[] = {
		{ ENOENT, "No such file or directory" },
		{ EACCES, "Permission denied" },
		{ ENOEXEC, "Exec format error" },
		{ EISDIR, "Is a directory" },
		{ ENOMEM, "Cannot allocate memory" },
		{ ENOTDIR, "Not a directory" },
		{ ELOOP, "Too many levels of symbolic links" },
		{ ENAMETOOLONG, "File name too long" },
		{ EINVAL, "Invalid argument" },
		{ EIO, "Input/output error" },
		{ EPERM, "Operation not permitted" },
		{ EBADF, "Bad file descriptor" },
		{ EMFILE, "Too many open files" },
		{ ENFILE, "Too many open files in system" },
		{ ENODEV, "No such device" },
		{ ENXIO, "No such device or address" },
		{ ETXTBSY, "Text file busy" },
		{ EFAULT, "Bad address" },
		{ EAGAIN, "Resource temporarily unavailable" },
		{ ENOSPC, "No space left on device" },
		{ EROFS, "Read-only file system" },
		{ ESRCH, "No such process" },
		{ EEXIST, "File exists" },
		{ EOVERFLOW, "Value too large for defined data type" },
		{ ENOSYS, "Function not implemented" },
		{ ELIBBAD, "Accessing a corrupted shared library" },
		{ 0, "Success" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_str_eq(crt_strerror(cases[i].err), cases[i].text);
}
END_TEST

START_TEST(strerror_matches_host_for_every_errno)
{
	int err;

	/* Past the last Linux errno (EHWPOISON, 133) both say "Unknown". */
	for (err = -3; err < 200; err++)
		ck_assert_str_eq(crt_strerror(err), strerror(err));
}
END_TEST

START_TEST(strerror_formats_unknown_values)
{
	static const int values[] = { 41, 58, 134, 4095, 4096, 100000, -1,
				      INT_MAX, INT_MIN };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		char want[64];

		snprintf(want, sizeof(want), "Unknown error %d", values[i]);
		ck_assert_str_eq(crt_strerror(values[i]), want);
		ck_assert_str_eq(crt_strerror(values[i]), strerror(values[i]));
	}
}
END_TEST

START_TEST(strerror_known_text_is_constant)
{
	/* Known texts never live in the shared buffer: an unknown value
	 * formatted later cannot change a message already taken. */
	const char *noent = crt_strerror(ENOENT);

	crt_strerror(9999);
	ck_assert_ptr_eq(crt_strerror(ENOENT), noent);
	ck_assert_str_eq(noent, "No such file or directory");
}
END_TEST

START_TEST(strerrorname_matches_host)
{
	int err, named = 0;

	/* Every name we give is glibc's; the ones execve reports are there. */
	for (err = -3; err < 200; err++) {
		const char *name = crt_strerrorname(err);

		if (!name)
			continue;
		ck_assert_ptr_nonnull(strerrorname_np(err));
		ck_assert_str_eq(name, strerrorname_np(err));
		named++;
	}
	ck_assert_int_ge(named, 18);
	ck_assert_str_eq(crt_strerrorname(EACCES), "EACCES");
	ck_assert_str_eq(crt_strerrorname(ENOEXEC), "ENOEXEC");
	ck_assert_ptr_null(crt_strerrorname(ENOSPC));
}
END_TEST

/* Every length to 40 with the two buffers equal, then differing in each
 * single byte (at any bit): crt_memeq says what memcmp says. */
START_TEST(memeq_agrees_with_memcmp)
{
	unsigned char a[40] = { 0 }, b[40] = { 0 };

	for (size_t n = 0; n <= sizeof(a); n++) {
		for (size_t i = 0; i < n; i++)
			a[i] = b[i] = (unsigned char)(i * 37 + n);
		ck_assert_msg(crt_memeq(a, b, n), "equal, n %zu", n);
		for (size_t i = 0; i < n; i++) {
			for (unsigned bit = 0; bit < 8; bit++) {
				b[i] ^= (unsigned char)(1u << bit);
				ck_assert_msg(!crt_memeq(a, b, n),
					      "n %zu, byte %zu bit %u", n, i, bit);
				b[i] ^= (unsigned char)(1u << bit);
			}
		}
	}
}
END_TEST

/* n bytes that end at a PROT_NONE page, and start right after one: a
 * read outside [0, n) faults. */
START_TEST(memeq_reads_only_n_bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(mprotect(m, page, PROT_NONE), 0);
	ck_assert_int_eq(mprotect(m + 2 * page, page, PROT_NONE), 0);
	for (size_t n = 0; n <= 40; n++) {
		unsigned char *end = m + 2 * page - n, *start = m + page;

		memset(m + page, 'x', page);
		ck_assert(crt_memeq(end, start, n));
		ck_assert(crt_memeq(start, end, n));
	}
	munmap(m, 3 * page);
}
END_TEST

static Suite *
string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc;

	tc = tcase_create("strlen");
	tcase_add_test(tc, strlen_matches_host);
	tcase_add_test(tc, strlen_every_length_alignment_and_page_edge);
	tcase_add_test(tc, strnlen_stops_at_max);
	tcase_add_test(tc, strnlen_reads_no_further_than_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("strcmp");
	tcase_add_test(tc, strcmp_orders_like_host);
	tcase_add_test(tc, strcmp_compares_bytes_unsigned);
	tcase_add_test(tc, strcmp_words_alignments_and_page_edge);
	tcase_add_test(tc, strncmp_orders_like_host);
	tcase_add_test(tc, memeq_agrees_with_memcmp);
	tcase_add_test(tc, memeq_reads_only_n_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("strchr");
	tcase_add_test(tc, strchr_finds_first);
	tcase_add_test(tc, strrchr_finds_last);
	tcase_add_test(tc, strcspn_counts_like_host);
	suite_add_tcase(s, tc);

	tc = tcase_create("strlcpy");
	tcase_add_test(tc, strlcpy_truncates_and_terminates);
	tcase_add_test(tc, strlcpy_size_zero_writes_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("strdup");
	tcase_add_test(tc, strdup_copies);
	tcase_add_test(tc, strndup_stops_at_n);
	tcase_add_test(tc, strndup_reads_no_further_than_n);
	suite_add_tcase(s, tc);

	tc = tcase_create("strerror");
	tcase_add_test(tc, strerror_uses_glibc_wording);
	tcase_add_test(tc, strerror_matches_host_for_every_errno);
	tcase_add_test(tc, strerror_formats_unknown_values);
	tcase_add_test(tc, strerror_known_text_is_constant);
	tcase_add_test(tc, strerrorname_matches_host);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(string_suite());
}
