/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of crt/fmt.c. The host's snprintf is the reference: tables of
 * formats are crossed with tables of values of the matching type, and
 * crt_snprintf must produce the same bytes and the same return value.
 * crt_dprintf is checked on files and pipes, including output far longer
 * than its stack buffer and writes cut short by signals. Formats are
 * passed as variables on purpose, so -Wformat cannot check them here.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crt/fmt.h"
#include "tests/unit/unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The tables pass formats as variables, on purpose. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

/* Formats with both implementations and compares bytes and lengths
 * (memcmp, so that an embedded NUL from %c is compared too). */
#define ASSERT_SAME(...)							\
	do {									\
		char want_[512], got_[512];					\
		int nwant_ = snprintf(want_, sizeof(want_), __VA_ARGS__);	\
		int ngot_ = crt_snprintf(got_, sizeof(got_), __VA_ARGS__);	\
		ck_assert_msg(nwant_ == ngot_ &&				\
			      memcmp(want_, got_, (size_t)nwant_ + 1) == 0,	\
			      "format %s: want \"%s\" (%d), got \"%s\" (%d)",	\
			      #__VA_ARGS__, want_, nwant_, got_, ngot_);	\
	} while (0)

static const char *const int_formats[] = {
	"%d", "%i", "%u", "%x", "%X", "%o",
	"%5d", "%-5d|", "%05d", "%+d", "% d", "%+ d", "%-+6d|", "%0-6d|",
	"%.3d", "%.0d", "%5.0d", "%8.3d", "%-8.3d|", "%08.3d", "%+.0d", "% .0d",
	"%#x", "%#X", "%#08x", "%#-8x|", "%#.4x", "%#.0x", "%.0x", "%#10.6X",
	"%#o", "%#.0o", "%#5o", "%#.5o", "%#05o", "%#-6o|", "%.0o",
	"%hhd", "%hhu", "%hhx", "%hd", "%hu", "%hx", "%#hho",
	"%1d", "%30d", "%-30d|", "%030x", "%.30u",
	"[%d]%%", "%%d%d", "x%dy",
};

static const int int_values[] = {
	0, 1, -1, 7, 8, 42, -42, 255, 256, -129, 4095, 65535, 65536, 100000,
	-100000, 0x7fff1234, INT_MAX, INT_MIN,
};

START_TEST(fmt_ints_match_host)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(int_formats); i++)
		for (j = 0; j < ARRAY_SIZE(int_values); j++)
			ASSERT_SAME(int_formats[i], int_values[j]);
}
END_TEST

/* On x86-64 long, long long, size_t, intmax_t and ptrdiff_t all have 64
 * bits, so one table of long values serves every length modifier. */
static const char *const long_formats[] = {
	"%ld", "%li", "%lu", "%lx", "%lX", "%lo", "%#lx", "%#lo", "%020ld",
	"%-20lu|", "%+ld", "% ld", "%.25ld", "%lld", "%llu", "%llx", "%#llX",
	"%zu", "%zx", "%zd", "%zi", "%jd", "%ju", "%jx", "%td", "%tu", "%tx",
	"%016lx", "0x%016lx", "%+.0ld", "%-+25.20ld|",
};

static const long long_values[] = {
	0, 1, -1, 42, -42, 0x7fffffffL, 0x80000000L, 0x100000000L,
	0x7fc0deadbeefL, -0x7fc0deadbeefL, LONG_MAX, LONG_MIN,
};

START_TEST(fmt_longs_match_host)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(long_formats); i++)
		for (j = 0; j < ARRAY_SIZE(long_values); j++)
			ASSERT_SAME(long_formats[i], long_values[j]);
}
END_TEST

START_TEST(fmt_pads_hex_width)
{
	char buf[32];

	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%8x|%-8x|%08x", 0xbeef,
				      0xbeef, 0xbeef), 26);
	ck_assert_str_eq(buf, "    beef|beef    |0000beef");
	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%#010x", 0xbeef), 10);
	ck_assert_str_eq(buf, "0x0000beef");
}
END_TEST

static const char *const string_formats[] = {
	"%s", "%10s", "%-10s|", "%.2s", "%10.2s", "%-10.0s|", "%.0s", "%05s",
	"%.5s", "%.6s", "%.7s", "%3s", "[%s]", "%s%s",
};

static const char *const string_values[] = {
	"", "a", "hello", "libc.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
	NULL,
};

START_TEST(fmt_strings_match_host)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(string_formats); i++)
		for (j = 0; j < ARRAY_SIZE(string_values); j++)
			ASSERT_SAME(string_formats[i], string_values[j], "tail");
}
END_TEST

/* Deliberately odd formats below: GCC's format checks would flag them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
START_TEST(fmt_null_string_prints_null)
{
	char buf[32];

	crt_snprintf(buf, sizeof(buf), "%s|%.*s|%.3s|", (char *)NULL, 6,
		     (char *)NULL, (char *)NULL);
	ck_assert_str_eq(buf, "(null)|(null)||");
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(fmt_precision_bounds_unterminated_string)
{
	/* A name inside a string table is not terminated where we stop. */
	const char name[4] = { 'l', 'i', 'b', 'c' };
	char buf[32];

	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%.*s!", 3, name), 4);
	ck_assert_str_eq(buf, "lib!");
	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%.4s!", name), 5);
	ck_assert_str_eq(buf, "libc!");
}
END_TEST

START_TEST(fmt_chars_match_host)
{
	static const char *const formats[] = { "%c", "%3c", "%-3c|", "%03c", "%.0c" };
	static const int chars[] = { 'a', ' ', '%', 0x7f, 0xff, 0x141 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(formats); i++)
		for (j = 0; j < ARRAY_SIZE(chars); j++)
			ASSERT_SAME(formats[i], chars[j]);
}
END_TEST

START_TEST(fmt_nul_char_is_written_and_padded)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%3c|", 0), 4);
	ck_assert_int_eq(memcmp(buf, "  \0|", 5), 0);
	ASSERT_SAME("a%cb", 0);
	ASSERT_SAME("%-3c|", 0);
}
END_TEST

static const char *const pointer_formats[] = {
	"%p", "%20p", "%-20p|", "%020p", "%.20p", "%+p", "% p", "%#p", "%.0p",
	"%5p", "%-5p|",
};

static void *const pointer_values[] = {
	NULL, (void *)1, (void *)0x1000, (void *)0x7ffc12345678,
	(void *)0xffffffffff600000, (void *)UINTPTR_MAX,
};

START_TEST(fmt_pointers_match_host)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(pointer_formats); i++)
		for (j = 0; j < ARRAY_SIZE(pointer_values); j++)
			ASSERT_SAME(pointer_formats[i], pointer_values[j]);
}
END_TEST

START_TEST(fmt_pointer_null_prints_nil)
{
	char buf[32];

	crt_snprintf(buf, sizeof(buf), "%p|%8p|%-8p|", NULL, NULL, NULL);
	ck_assert_str_eq(buf, "(nil)|   (nil)|(nil)   |");
	crt_snprintf(buf, sizeof(buf), "%p", (void *)0xdead);
	ck_assert_str_eq(buf, "0xdead");
}
END_TEST

/* Deliberately odd formats below: GCC's format checks would flag them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
START_TEST(fmt_star_width_and_precision_match_host)
{
	static const int stars[] = { -12, -5, -1, 0, 1, 3, 7, 12 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(stars); i++) {
		ASSERT_SAME("%*d|", stars[i], 42);
		ASSERT_SAME("%-*d|", stars[i], -42);
		ASSERT_SAME("%0*x|", stars[i], 0xabc);
		ASSERT_SAME("%.*d|", stars[i], 42);
		ASSERT_SAME("%.*d|", stars[i], 0);
		ASSERT_SAME("%.*s|", stars[i], "libc.so.6");
		ASSERT_SAME("%*s|", stars[i], "ld");
		ASSERT_SAME("%*p|", stars[i], (void *)0xabc);
		ASSERT_SAME("%*c|", stars[i], 'c');
		for (j = 0; j < ARRAY_SIZE(stars); j++) {
			ASSERT_SAME("%*.*d|", stars[i], stars[j], -7);
			ASSERT_SAME("%*.*s|", stars[i], stars[j], "hello");
			ASSERT_SAME("%0*.*lx|", stars[i], stars[j], 0xdeadbeefL);
		}
	}
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(fmt_loader_messages_match_host)
{
	/* The shapes the loader prints: errors, ldd lines, LD_DEBUG lines. */
	ASSERT_SAME("%s: error while loading shared libraries: %s: cannot open "
		    "shared object file: %s\n", "./prog", "libfoo.so.1",
		    "No such file or directory");
	ASSERT_SAME("\t%s => %s (0x%016lx)\n", "libc.so.6",
		    "/lib/x86_64-linux-gnu/libc.so.6", 0x7f0123456000L);
	ASSERT_SAME("%10d:\tbinding file %s [%lu] to %s [%lu]: normal symbol `%s' [%s]\n",
		    12345, "./prog", 0UL, "/lib/x86_64-linux-gnu/libc.so.6", 0UL,
		    "puts", "GLIBC_2.2.5");
	ASSERT_SAME("%-20s %#18lx %5zu %c%c%c", "symbol", 0x401000L, (size_t)42,
		    'r', '-', 'x');
	ASSERT_SAME("100%% %s", "done");
}
END_TEST

/* Deliberately odd formats below: GCC's format checks would flag them. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-overflow"
START_TEST(fmt_unknown_conversion_is_copied)
{
	char buf[64];

	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "a%5yb%dc", 7), 7);
	ck_assert_str_eq(buf, "a%5yb7c");
	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%n|%d", 3), 4);
	ck_assert_str_eq(buf, "%n|3");
	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "end%"), 4);
	ck_assert_str_eq(buf, "end%");
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(snprintf_truncates_like_host)
{
	const char *fmt = "%s=%08x (%p) %d%%";
	size_t size;

	for (size = 1; size < 48; size++) {
		char want[48], got[48];
		int nwant, ngot;

		memset(want, 'X', sizeof(want));
		memset(got, 'X', sizeof(got));
		nwant = snprintf(want, size, fmt, "LD_DEBUG", 0xbeef, (void *)0x1234, -5);
		ngot = crt_snprintf(got, size, fmt, "LD_DEBUG", 0xbeef, (void *)0x1234, -5);
		ck_assert_int_eq(ngot, nwant);
		/* Same bytes, terminator included, and nothing past size. */
		ck_assert_int_eq(memcmp(got, want, sizeof(got)), 0);
	}
}
END_TEST

START_TEST(snprintf_size_zero_only_counts)
{
	char canary = 'X';

	ck_assert_int_eq(crt_snprintf(NULL, 0, "%s-%d", "abc", 12345), 9);
	ck_assert_int_eq(crt_snprintf(&canary, 0, "%s", "abc"), 3);
	ck_assert_int_eq(canary, 'X');
}
END_TEST

START_TEST(snprintf_counts_long_output)
{
	char buf[16];

	ck_assert_int_eq(crt_snprintf(buf, sizeof(buf), "%5000d|%s", 1, "end"), 5004);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
}
END_TEST

/* A file descriptor on an anonymous file, read back with read_all. */
static int
scratch_fd(void)
{
	int fd = memfd_create("test-fmt", 0);

	ck_assert_int_ge(fd, 0);
	return fd;
}

static size_t
read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	while ((n = read(fd, buf + len, size - len)) > 0)
		len += (size_t)n;
	return len;
}

START_TEST(dprintf_writes_formatted_text)
{
	int fd = scratch_fd();
	const char *want = "ld.so: libs: 3 objects at 0x1000\n";
	char buf[256];
	int n;

	n = crt_dprintf(fd, "ld.so: %s: %d objects at %p\n", "libs", 3, (void *)0x1000);
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_uint_eq(read_all(fd, buf, sizeof(buf)), strlen(want));
	ck_assert_int_eq(memcmp(buf, want, strlen(want)), 0);
	close(fd);
}
END_TEST

START_TEST(dprintf_writes_output_longer_than_buffer)
{
	/* Output lengths around and far beyond the 512-byte stack buffer. */
	static const int widths[] = { 0, 1, 510, 511, 512, 513, 1023, 1024, 5000,
				      200000 };
	static char want[400000], got[400000];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(widths); i++) {
		int fd = scratch_fd();
		int nwant = snprintf(want, sizeof(want), "<%*d>%s|%-*s|", widths[i],
				     -12, "mid", widths[i] / 2, "x");
		int ngot = crt_dprintf(fd, "<%*d>%s|%-*s|", widths[i], -12, "mid",
				       widths[i] / 2, "x");

		ck_assert_int_eq(ngot, nwant);
		ck_assert_uint_eq(read_all(fd, got, sizeof(got)), (size_t)nwant);
		ck_assert_int_eq(memcmp(got, want, (size_t)nwant), 0);
		close(fd);
	}
}
END_TEST

START_TEST(dprintf_reports_bad_fd)
{
	int fd = scratch_fd();

	close(fd);
	ck_assert_int_eq(crt_dprintf(fd, "x"), -EBADF);
	ck_assert_int_eq(crt_dprintf(-1, "x"), -EBADF);
}
END_TEST

START_TEST(dprintf_reports_broken_pipe)
{
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	ck_assert_int_eq(crt_dprintf(p[1], "%s", "nobody reads this"), -EPIPE);
	close(p[1]);
}
END_TEST

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* What the reader expects: line i is "line %06d\n" (12 bytes). */
#define LINES 100000

static void
reader(int fd)
{
	char line[13], got[12];
	int i;

	for (i = 0; i < LINES; i++) {
		size_t len = 0;

		snprintf(line, sizeof(line), "line %06d\n", i);
		while (len < 12) {
			ssize_t n = read(fd, got + len, 12 - len);

			if (n <= 0)
				_exit(2);
			len += (size_t)n;
		}
		if (memcmp(got, line, 12) != 0)
			_exit(3);
		if (i % 5000 == 0)
			usleep(1000);   /* let the pipe fill up */
	}
	_exit(read(fd, got, 1) == 0 ? 0 : 4);
}

START_TEST(dprintf_survives_interrupted_and_partial_writes)
{
	/* A pipe that fills up, and a timer whose signal (no SA_RESTART)
	 * interrupts the blocked write: write(2) then returns EINTR or a
	 * short count, and crt_dprintf must carry on either way. */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval every = { { 0, 500 }, { 0, 500 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	int p[2], status, i, total = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 4096);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[1]);
		reader(p[0]);
	}
	close(p[0]);
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &every, NULL), 0);
	for (i = 0; i < LINES; i += 4) {
		int n = crt_dprintf(p[1], "line %06d\nline %06d\nline %06d\nline %06d\n",
				    i, i + 1, i + 2, i + 3);

		ck_assert_int_eq(n, 48);
		total += n;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "reader saw corrupt output (status %#x)", status);
	ck_assert_int_eq(total, LINES * 12);
	ck_assert_int_gt(alarms, 0);
}
END_TEST

START_TEST(dprintf_long_single_write_is_interrupted_safely)
{
	/* One call producing 1 MiB, written while signals keep arriving. */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval every = { { 0, 200 }, { 0, 200 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	int p[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char buf[4096];
		size_t total = 0;
		ssize_t n;
		bool ok = true;

		close(p[1]);
		while ((n = read(p[0], buf, sizeof(buf))) > 0) {
			ssize_t k;

			for (k = 0; k < n; k++)
				ok &= buf[k] == (total + (size_t)k < (1 << 20) - 1 ? ' ' : '!');
			total += (size_t)n;
			usleep(50);
		}
		_exit(ok && total == (1 << 20) + 1 ? 0 : 1);
	}
	close(p[0]);
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(setitimer(ITIMER_REAL, &every, NULL), 0);
	ck_assert_int_eq(crt_dprintf(p[1], "%*s", 1 << 20, "!"), (1 << 20));
	ck_assert_int_eq(crt_dprintf(p[1], "!"), 1);
	setitimer(ITIMER_REAL, &off, NULL);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "reader saw corrupt output (status %#x)", status);
}
END_TEST

static Suite *
fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc;

	tc = tcase_create("fmt");
	tcase_add_test(tc, fmt_ints_match_host);
	tcase_add_test(tc, fmt_longs_match_host);
	tcase_add_test(tc, fmt_pads_hex_width);
	tcase_add_test(tc, fmt_strings_match_host);
	tcase_add_test(tc, fmt_null_string_prints_null);
	tcase_add_test(tc, fmt_precision_bounds_unterminated_string);
	tcase_add_test(tc, fmt_chars_match_host);
	tcase_add_test(tc, fmt_nul_char_is_written_and_padded);
	tcase_add_test(tc, fmt_pointers_match_host);
	tcase_add_test(tc, fmt_pointer_null_prints_nil);
	tcase_add_test(tc, fmt_star_width_and_precision_match_host);
	tcase_add_test(tc, fmt_loader_messages_match_host);
	tcase_add_test(tc, fmt_unknown_conversion_is_copied);
	suite_add_tcase(s, tc);

	tc = tcase_create("snprintf");
	tcase_add_test(tc, snprintf_truncates_like_host);
	tcase_add_test(tc, snprintf_size_zero_only_counts);
	tcase_add_test(tc, snprintf_counts_long_output);
	suite_add_tcase(s, tc);

	tc = tcase_create("dprintf");
	tcase_add_test(tc, dprintf_writes_formatted_text);
	tcase_add_test(tc, dprintf_writes_output_longer_than_buffer);
	tcase_add_test(tc, dprintf_reports_bad_fd);
	tcase_add_test(tc, dprintf_reports_broken_pipe);
	tcase_add_test(tc, dprintf_survives_interrupted_and_partial_writes);
	tcase_add_test(tc, dprintf_long_single_write_is_interrupted_safely);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(fmt_suite());
}
