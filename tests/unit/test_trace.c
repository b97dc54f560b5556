/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/trace.c: trace_parse on a table of LD_DEBUG values
 * (masks, separators, the help flag, glibc's warning for an unknown word),
 * trace_printf's line shape read back from a pipe, LD_DEBUG_OUTPUT, and
 * the help text. The expected shapes are what this system's glibc 2.36
 * ld.so prints: "%10d:\t" before every line (glibc widened the pid field
 * from 5 to 10 columns long ago; "LD_DEBUG=libs /bin/true" shows it).
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/state.h"
#include "loader/trace.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_state.trace_mask = 0;
	ld_state.trace_fd = 0;
	ld_state.pid = 0;
}

/* Runs fn(arg) with fd redirected to a pipe; returns what was written. */
static const char *
capture(int fd, void (*fn)(const void *), const void *arg)
{
	static char buf[8192];
	int fds[2], saved = dup(fd);
	size_t len = 0;
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	dup2(fds[1], fd);
	close(fds[1]);
	fn(arg);
	dup2(saved, fd);
	close(saved);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	buf[len] = '\0';
	return buf;
}

/* ---- trace_parse ---- */

struct parse_case {
	const char *spec;
	unsigned mask;
	bool help;
	const char *warning;      /* on fd 2; "" for none */
};

#define WARN(w) "warning: debug option `" w "' unknown; try LD_DEBUG=help\n"

/* libs and bindings also turn on the initialiser-call lines, as glibc's
 * DL_DEBUG_IMPCALLS. */
#define MASK_LIBS (TRACE_LIBS | TRACE_IMPCALLS)

static const struct parse_case parse_cases[] = {
	{ "libs", MASK_LIBS, false, "" },
	{ "reloc,files", TRACE_RELOC | TRACE_FILES, false, "" },
	{ "symbols:bindings versions", TRACE_SYMBOLS | TRACE_BINDINGS |
	  TRACE_IMPCALLS | TRACE_VERSIONS, false, "" },
	{ ",,scopes,,tls,", TRACE_SCOPES | TRACE_TLS, false, "" },
	{ "statistics", TRACE_STATISTICS, false, "" },
	{ "unused", TRACE_UNUSED, false, "" },
	{ "all", TRACE_ALL, false, "" },
	{ "all,unused", TRACE_ALL | TRACE_UNUSED, false, "" },
	{ "", 0, false, "" },
	{ " : , ", 0, false, "" },
	{ "help", 0, true, "" },
	{ "libs,help", MASK_LIBS, true, "" },
	{ "bogus", 0, false, WARN("bogus") },
	{ "libs,bogus,files", MASK_LIBS | TRACE_FILES, false, WARN("bogus") },
	{ "lib", 0, false, WARN("lib") },
	{ "libsx", 0, false, WARN("libsx") },
	{ "LIBS", 0, false, WARN("LIBS") },
	{ "a,b", 0, false, WARN("a") WARN("b") },
};

#define NPARSE (sizeof(parse_cases) / sizeof(parse_cases[0]))

static unsigned parse_mask;
static bool parse_help;

static void
run_parse(const void *spec)
{
	parse_mask = trace_parse(spec, &parse_help);
}

START_TEST(trace_parse_cases)
{
	const struct parse_case *c = &parse_cases[_i];
	const char *err = capture(2, run_parse, c->spec);

	ck_assert_msg(parse_mask == c->mask, "\"%s\": mask %#x, expected %#x",
		      c->spec, parse_mask, c->mask);
	ck_assert_msg(parse_help == c->help, "\"%s\": help %d", c->spec, parse_help);
	ck_assert_str_eq(err, c->warning);
}
END_TEST

/* "all" is every category but "unused" (glibc's DL_DEBUG_ALL). */
START_TEST(trace_parse_all_excludes_unused)
{
	bool help;

	ck_assert_uint_eq(trace_parse("all", &help) & TRACE_UNUSED, 0);
	ck_assert_uint_eq(trace_parse("all", &help) & TRACE_LIBS, TRACE_LIBS);
	ck_assert_uint_eq(trace_parse("all", &help) & TRACE_STATISTICS,
			  TRACE_STATISTICS);
}
END_TEST

/* ---- trace_printf ---- */

struct printf_case {
	const char *text;
	const char *expected;
};

static const struct printf_case printf_cases[] = {
	{ "hello", "        42:\thello\n" },
	/* A final newline ends the text; it is not an empty line. */
	{ "hello\n", "        42:\thello\n" },
	/* Every line gets the prefix, empty ones included. */
	{ "\ncalling init: /lib/libc.so.6\n",
	  "        42:\t\n        42:\tcalling init: /lib/libc.so.6\n" },
	{ "a\nb", "        42:\ta\n        42:\tb\n" },
	{ "a\n\nb\n", "        42:\ta\n        42:\t\n        42:\tb\n" },
	{ "", "        42:\t\n" },
};

static void
run_printf(const void *text)
{
	trace_printf("%s", (const char *)text);
}

START_TEST(trace_printf_line_shape)
{
	const struct printf_case *c = &printf_cases[_i];
	char path[] = "/tmp/myld-unit-trace-XXXXXX";
	char buf[512];
	int fd = mkstemp(path);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	ld_state.pid = 42;
	ld_state.trace_fd = fd;
	run_printf(c->text);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, c->expected);
}
END_TEST

/* Formatting, the real pid by default, and fd 2 when no fd is set. */
START_TEST(trace_printf_formats_and_defaults)
{
	char expected[64];
	const char *out;

	snprintf(expected, sizeof(expected), "%10d:\tsymbol=puts;  lookup in file=x [0]\n",
		 getpid());
	out = capture(2, run_printf, "symbol=puts;  lookup in file=x [0]");
	ck_assert_str_eq(out, expected);
	ck_assert_int_eq(ld_state.pid, getpid());
}
END_TEST

/* A pid as wide as the field, and a text longer than one buffer. */
START_TEST(trace_printf_wide_pid_and_long_text)
{
	static char text[3000];
	const char *out;

	ld_state.pid = 1234567890;
	ld_state.trace_fd = 2;
	out = capture(2, run_printf, "x");
	ck_assert_str_eq(out, "1234567890:\tx\n");
	/* Cut to the 1023 characters of the text buffer, still one line. */
	memset(text, 'y', sizeof(text) - 1);
	out = capture(2, run_printf, text);
	ck_assert_int_eq(strncmp(out, "1234567890:\tyyy", 15), 0);
	ck_assert_uint_eq(strlen(out), 12 + 1023 + 1);
	ck_assert_ptr_eq(strchr(out, '\n'), out + strlen(out) - 1);
}
END_TEST

/* The TRACE macro tests the category before formatting anything. */
static void
run_trace_macro(const void *arg)
{
	(void)arg;
	TRACE(LIBS, "libs line");
	TRACE(RELOC, "reloc line");
}

START_TEST(trace_printf_only_enabled_categories)
{
	ld_state.pid = 7;
	ld_state.trace_fd = 2;
	ld_state.trace_mask = TRACE_RELOC;
	ck_assert_str_eq(capture(2, run_trace_macro, NULL), "         7:\treloc line\n");
}
END_TEST

/* ---- trace_configure ---- */

START_TEST(trace_configure_output_file)
{
	char dir[] = "/tmp/myld-unit-trace-XXXXXX";
	char base[256], file[300], buf[256];
	int fd;
	ssize_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s/out", dir);
	trace_configure(MASK_LIBS, base);
	ck_assert_uint_eq(ld_state.trace_mask, MASK_LIBS);
	ck_assert_int_gt(ld_state.trace_fd, 2);
	ld_state.pid = 99;
	trace_printf("to the file");
	close(ld_state.trace_fd);
	/* glibc's name: LD_DEBUG_OUTPUT + "." + pid. */
	snprintf(file, sizeof(file), "%s.%d", base, getpid());
	fd = open(file, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	ck_assert_str_eq(buf, "        99:\tto the file\n");
	unlink(file);
	rmdir(dir);
}
END_TEST

START_TEST(trace_configure_defaults)
{
	ld_state.trace_fd = 9;
	trace_configure(0, NULL);
	ck_assert_int_eq(ld_state.trace_fd, 2);
	ck_assert_uint_eq(ld_state.trace_mask, 0);
	/* No mask: no file, even when one is named. */
	trace_configure(0, "/nonexistent/x");
	ck_assert_int_eq(ld_state.trace_fd, 2);
	/* An output file that cannot be created: fd 2. */
	trace_configure(TRACE_FILES, "/nonexistent/dir/x");
	ck_assert_int_eq(ld_state.trace_fd, 2);
	ck_assert_uint_eq(ld_state.trace_mask, TRACE_FILES);
}
END_TEST

/* ---- trace_print_help ---- */

static void
run_help(const void *arg)
{
	(void)arg;
	trace_print_help();
}

START_TEST(trace_print_help_text)
{
	/* glibc 2.36's text (LD_DEBUG=help /bin/true), plus the "tls"
	 * category that myld adds (documented in the README). */
	static const char expected[] =
		"Valid options for the LD_DEBUG environment variable are:\n"
		"\n"
		"  libs        display library search paths\n"
		"  reloc       display relocation processing\n"
		"  files       display progress for input file\n"
		"  symbols     display symbol table processing\n"
		"  bindings    display information about symbol binding\n"
		"  versions    display version dependencies\n"
		"  scopes      display scope information\n"
		"  tls         display TLS structures and module ids\n"
		"  all         all previous options combined\n"
		"  statistics  display relocation statistics\n"
		"  unused      determined unused DSOs\n"
		"  help        display this help message and exit\n"
		"\n"
		"To direct the debugging output into a file instead of standard output\n"
		"a filename can be specified using the LD_DEBUG_OUTPUT environment variable.\n";

	ck_assert_str_eq(capture(1, run_help, NULL), expected);
}
END_TEST

static Suite *
trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc;

	tc = tcase_create("trace_parse");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, trace_parse_cases, 0, NPARSE);
	tcase_add_test(tc, trace_parse_all_excludes_unused);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace_printf");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, trace_printf_line_shape, 0,
			    sizeof(printf_cases) / sizeof(printf_cases[0]));
	tcase_add_test(tc, trace_printf_formats_and_defaults);
	tcase_add_test(tc, trace_printf_wide_pid_and_long_text);
	tcase_add_test(tc, trace_printf_only_enabled_categories);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace_configure");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, trace_configure_output_file);
	tcase_add_test(tc, trace_configure_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace_print_help");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, trace_print_help_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(trace_suite());
}
