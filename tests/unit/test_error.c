/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/error.c: the recorded message (set, replaced, cut
 * to the buffer, cleared), the structured record of one object's failure
 * (object, reason, errno: the reason kept apart), the mode-aware reporter ld_report (at start-up
 * one line per failure on fd 2 and "go on"; after start-up silence and
 * "stop"), glibc's loading-error line, and that ld_oom after start-up is
 * an internal error (exit 127 with the assertion line), never the start-up
 * "out of memory" exit.
 */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loader/error.h"
#include "loader/state.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_error_clear();
	ld_state.progname = "prog";
	ld_state.startup_done = false;
}

/* Runs fn with fd 2 redirected to a pipe; returns what was written and
 * fn's result in *ret. */
static const char *
capture_stderr(bool (*fn)(const char *), const char *arg, bool *ret)
{
	static char buf[4096];
	int fds[2], saved = dup(2);
	size_t len = 0;
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	dup2(fds[1], 2);
	close(fds[1]);
	*ret = fn(arg);
	dup2(saved, 2);
	close(saved);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fds[0]);
	buf[len] = '\0';
	return buf;
}

START_TEST(error_message_set_replaced_cleared)
{
	ck_assert_str_eq(ld_error_message(), "");
	ld_error("%s: first %d", "a.so", 1);
	ck_assert_str_eq(ld_error_message(), "a.so: first 1");
	ld_error("second");
	ck_assert_str_eq(ld_error_message(), "second");
	ld_error_clear();
	ck_assert_str_eq(ld_error_message(), "");
}
END_TEST

START_TEST(error_message_is_cut_to_the_buffer)
{
	static char big[3 * sizeof(ld_state.error_buf)];

	memset(big, 'x', sizeof(big) - 1);
	ld_error("%s", big);
	ck_assert_uint_eq(strlen(ld_error_message()),
			  sizeof(ld_state.error_buf) - 1);
}
END_TEST

/* One object's failure: the message in glibc's "object: reason: errno
 * text" shape, the reason kept apart, never cut back out of the text. */
START_TEST(error_at_keeps_the_reason_apart)
{
	ld_error_at("libx.so", -ENOENT, "cannot open %s", "shared object file");
	ck_assert_str_eq(ld_error_message(), "libx.so: cannot open shared object "
			 "file: No such file or directory");
	ck_assert_str_eq(ld_error_reason(), "cannot open shared object file");
	/* A reason may hold ": " itself; without an errno nothing follows. */
	ld_error_at("a: b.so", 0, "wrong ELF class: %s", "ELFCLASS32");
	ck_assert_str_eq(ld_error_message(), "a: b.so: wrong ELF class: ELFCLASS32");
	ck_assert_str_eq(ld_error_reason(), "wrong ELF class: ELFCLASS32");
}
END_TEST

/* A plain message is its own reason; a new message or a clear drops the
 * reason of the one before. */
START_TEST(error_reason_of_plain_message)
{
	ld_error_at("libx.so", -EISDIR, "cannot read file data");
	ld_error("cannot create scope list: out of memory");
	ck_assert_str_eq(ld_error_reason(), "cannot create scope list: out of "
			 "memory");
	ld_error_at("libx.so", -EISDIR, "cannot read file data");
	ld_error_clear();
	ck_assert_str_eq(ld_error_reason(), "");
}
END_TEST

START_TEST(report_at_startup_prints_every_failure)
{
	const char *out;
	bool go_on;

	ld_error("libx.so: cannot open shared object file");
	out = capture_stderr(ld_report, "symbol lookup error", &go_on);
	ck_assert(go_on);
	ck_assert_str_eq(out, "prog: symbol lookup error: libx.so: cannot open "
			      "shared object file\n");
	out = capture_stderr(ld_report, NULL, &go_on);
	ck_assert(go_on);
	ck_assert_str_eq(out, "prog: libx.so: cannot open shared object file\n");
}
END_TEST

START_TEST(report_after_startup_is_silent_and_stops)
{
	const char *out;
	bool go_on;

	ld_state.startup_done = true;
	ld_error("undefined symbol: f");
	out = capture_stderr(ld_report, "symbol lookup error", &go_on);
	ck_assert(!go_on);
	ck_assert_str_eq(out, "");
	/* The message stays for dlerror(). */
	ck_assert_str_eq(ld_error_message(), "undefined symbol: f");
}
END_TEST

/* myld's detail is printed at start-up after glibc's words, and is never
 * part of the message dlerror() gets; a new message drops it. */
START_TEST(detail_printed_at_startup_only)
{
	const char *out;
	bool go_on;

	ld_error("libx.so: cannot open shared object file");
	ld_error_detail("needed by ./prog");
	out = capture_stderr(ld_report, NULL, &go_on);
	ck_assert_str_eq(out, "prog: libx.so: cannot open shared object file "
			      "(needed by ./prog)\n");
	ck_assert_str_eq(ld_error_message(), "libx.so: cannot open shared object file");
	ck_assert_str_eq(ld_state.error_detail, "needed by ./prog");
	ld_error("other");
	ck_assert_str_eq(ld_state.error_detail, "");
	out = capture_stderr(ld_report, NULL, &go_on);
	ck_assert_str_eq(out, "prog: other\n");
}
END_TEST

static bool
loading_error(const char *unused)
{
	(void)unused;
	ld_report_loading_error();
	return true;
}

START_TEST(loading_error_has_glibc_shape)
{
	bool r;

	ld_error("libz.so: cannot open shared object file: No such file or "
		 "directory");
	ck_assert_str_eq(capture_stderr(loading_error, NULL, &r),
			 "prog: error while loading shared libraries: libz.so: "
			 "cannot open shared object file: No such file or "
			 "directory\n");
}
END_TEST

/* Runs ld_oom in a child with stderr in a pipe: its exit status and
 * output. */
static int
oom_in_child(char *out, size_t len)
{
	int fds[2], status;
	ssize_t n, got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(fds[1], 2);
		ld_oom();
	}
	close(fds[1]);
	while ((n = read(fds[0], out + got, len - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = '\0';
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(oom_at_startup_is_the_loading_error)
{
	char out[512];

	ck_assert_int_eq(oom_in_child(out, sizeof(out)), 127);
	ck_assert_str_eq(out, "prog: error while loading shared libraries: "
			      "out of memory\n");
}
END_TEST

START_TEST(oom_after_startup_is_an_internal_error)
{
	char out[512];

	ld_state.startup_done = true;
	ck_assert_int_eq(oom_in_child(out, sizeof(out)), 127);
	ck_assert_msg(strstr(out, "internal error") &&
		      strstr(out, "!ld_state.startup_done"), "got: %s", out);
}
END_TEST

static Suite *
error_suite(void)
{
	Suite *s = suite_create("error");
	TCase *tc;

	tc = tcase_create("message");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, error_message_set_replaced_cleared);
	tcase_add_test(tc, error_message_is_cut_to_the_buffer);
	tcase_add_test(tc, error_at_keeps_the_reason_apart);
	tcase_add_test(tc, error_reason_of_plain_message);
	suite_add_tcase(s, tc);

	tc = tcase_create("ld_report");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, report_at_startup_prints_every_failure);
	tcase_add_test(tc, report_after_startup_is_silent_and_stops);
	tcase_add_test(tc, loading_error_has_glibc_shape);
	tcase_add_test(tc, detail_printed_at_startup_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("ld_oom");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, oom_at_startup_is_the_loading_error);
	tcase_add_test(tc, oom_after_startup_is_an_internal_error);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(error_suite());
}
