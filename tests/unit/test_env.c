/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/env.c: env_get on a table of environments,
 * env_apply filling ld_state from LD_* variables (and ignoring them all in
 * secure mode, where the unsafe ones are also removed from the
 * environment the program sees), env_scrub_unsafe on its own.
 */
#include <check.h>
#include <elf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "loader/env.h"
#include "loader/startup.h"
#include "loader/state.h"
#include "loader/trace.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_state.secure = false;
	ld_state.search.library_path = NULL;
	ld_state.bind_now = ld_state.bind_not = ld_state.trace_loaded = false;
	ld_state.preload_env = NULL;
	ld_state.trace_mask = 0;
	ld_state.trace_fd = 0;
}

/* ---- env_get ---- */

static char *get_env[] = {
	"LD_LIBRARY_PATHX=no", "LD_LIBRARY_PATH=/a:/b", "EMPTY=", "NOEQUALS",
	"DUP=first", "DUP=second", "X==y", NULL,
};

struct get_case {
	const char *name;
	const char *value;        /* NULL: not found */
};

static const struct get_case get_cases[] = {
	{ "LD_LIBRARY_PATH", "/a:/b" },
	{ "LD_LIBRARY_PATHX", "no" },
	{ "LD_LIBRARY", NULL },       /* a prefix is not a name */
	{ "EMPTY", "" },
	{ "NOEQUALS", NULL },
	{ "DUP", "first" },
	{ "X", "=y" },
	{ "MISSING", NULL },
	{ "", NULL },
};

START_TEST(env_get_cases)
{
	const struct get_case *c = &get_cases[_i];
	const char *v = env_get(get_env, c->name);

	if (!c->value)
		ck_assert_msg(v == NULL, "%s: \"%s\"", c->name, v);
	else
		ck_assert_msg(v && strcmp(v, c->value) == 0, "%s: \"%s\"", c->name,
			      v ? v : "(null)");
}
END_TEST

START_TEST(env_get_null_environment)
{
	char *empty[] = { NULL };

	ck_assert_ptr_null(env_get(NULL, "PATH"));
	ck_assert_ptr_null(env_get(empty, "PATH"));
}
END_TEST

/* ---- env_apply ---- */

START_TEST(env_apply_reads_variables)
{
	char *envp[] = {
		"HOME=/root", "LD_LIBRARY_PATH=/opt/lib", "LD_BIND_NOW=1",
		"LD_PRELOAD=libx.so", "LD_TRACE_LOADED_OBJECTS=1", "LD_BIND_NOT=yes",
		"LD_DEBUG=libs,files", NULL,
	};

	ck_assert(!env_apply(envp));
	ck_assert_str_eq(ld_state.search.library_path, "/opt/lib");
	ck_assert(ld_state.bind_now);
	ck_assert(ld_state.bind_not);
	ck_assert(ld_state.trace_loaded);
	ck_assert_str_eq(ld_state.preload_env, "libx.so");
	ck_assert_uint_eq(ld_state.trace_mask, (TRACE_LIBS | TRACE_IMPCALLS | TRACE_FILES));
	ck_assert_int_eq(ld_state.trace_fd, 2);
	/* Nothing is removed outside secure mode. */
	ck_assert_str_eq(envp[1], "LD_LIBRARY_PATH=/opt/lib");
	crt_free(ld_state.search.library_path);
}
END_TEST

/* Empty values mean unset; --library-path wins over LD_LIBRARY_PATH. */
START_TEST(env_apply_empty_and_overridden)
{
	char *empty[] = { "LD_LIBRARY_PATH=", "LD_BIND_NOW=", "LD_PRELOAD=",
			  "LD_DEBUG=", NULL };
	char *set[] = { "LD_LIBRARY_PATH=/env", NULL };
	char option[] = "/option";

	ck_assert(!env_apply(empty));
	ck_assert_ptr_null(ld_state.search.library_path);
	ck_assert(!ld_state.bind_now);
	ck_assert_ptr_null(ld_state.preload_env);
	ck_assert_uint_eq(ld_state.trace_mask, 0);
	ld_state.search.library_path = option;
	env_apply(set);
	ck_assert_str_eq(ld_state.search.library_path, "/option");
}
END_TEST

/* Set twice: the last value wins, as in glibc, but every LD_DEBUG
 * counts (glibc adds each one's categories). */
START_TEST(env_apply_repeated_variables)
{
	char *envp[] = { "LD_LIBRARY_PATH=/first", "LD_DEBUG=libs",
			 "LD_PRELOAD=a.so", "LD_LIBRARY_PATH=/second",
			 "LD_DEBUG=files", "LD_PRELOAD=", "LD_", "L", NULL };

	ck_assert(!env_apply(envp));
	ck_assert_str_eq(ld_state.search.library_path, "/second");
	ck_assert_ptr_null(ld_state.preload_env);
	ck_assert_uint_eq(ld_state.trace_mask,
			  TRACE_LIBS | TRACE_IMPCALLS | TRACE_FILES);
	crt_free(ld_state.search.library_path);
}
END_TEST

START_TEST(env_apply_reports_help)
{
	char *envp[] = { "LD_DEBUG=help", NULL };

	ck_assert(env_apply(envp));
}
END_TEST

/* Secure mode: LD_LIBRARY_PATH and the rest are ignored, and the unsafe
 * ones disappear from the program's environment. */
START_TEST(env_apply_secure_ignores_variables)
{
	char *envp[] = {
		"HOME=/root", "LD_LIBRARY_PATH=/evil", "LD_PRELOAD=/evil.so",
		"LD_DEBUG=all", "PATH=/bin", "LD_BIND_NOW=1", "TMPDIR=/tmp", NULL,
	};

	ld_state.secure = true;
	ck_assert(!env_apply(envp));
	ck_assert_ptr_null(ld_state.search.library_path);
	ck_assert_ptr_null(ld_state.preload_env);
	ck_assert_uint_eq(ld_state.trace_mask, 0);
	ck_assert(!ld_state.bind_now);
	ck_assert_str_eq(envp[0], "HOME=/root");
	ck_assert_str_eq(envp[1], "PATH=/bin");
	ck_assert_str_eq(envp[2], "LD_BIND_NOW=1");
	ck_assert_ptr_null(envp[3]);
	ck_assert_ptr_null(envp[7]);
}
END_TEST

/* LD_SHOW_AUXV asks for the auxiliary vector; main.c prints it once the
 * auxv is final (after explicit invocation rewrote it), with
 * startup_show_auxv. Both halves are checked here. */
START_TEST(env_apply_shows_auxv)
{
	char *envp[] = { "LD_SHOW_AUXV=1", NULL };
	uint64_t auxv[] = { AT_PAGESZ, 4096, AT_NULL, 0 };
	char buf[256];
	int fds[2], saved = dup(1);
	ssize_t n;

	env_apply(envp);
	ck_assert(ld_state.show_auxv);
	ck_assert_int_eq(pipe(fds), 0);
	dup2(fds[1], 1);
	startup_show_auxv(1, auxv);
	dup2(saved, 1);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, "AT_PAGESZ:            4096\n");
	ld_state.show_auxv = false;
}
END_TEST

/* ---- env_scrub_unsafe ---- */

START_TEST(env_scrub_unsafe_keeps_order)
{
	char *envp[] = {
		"GCONV_PATH=/x", "A=1", "LD_AUDIT=a.so", "LD_ORIGIN_PATH=/o",
		"B=2", "LD_PRELOADX=keep", "LOCALDOMAIN=d", "LD_PRELOAD", "C=3",
		"TZDIR=/z", NULL,
	};

	env_scrub_unsafe(envp);
	ck_assert_str_eq(envp[0], "A=1");
	ck_assert_str_eq(envp[1], "B=2");
	ck_assert_str_eq(envp[2], "LD_PRELOADX=keep");
	/* No '=': not a variable setting, kept. */
	ck_assert_str_eq(envp[3], "LD_PRELOAD");
	ck_assert_str_eq(envp[4], "C=3");
	ck_assert_ptr_null(envp[5]);
	ck_assert_ptr_null(envp[9]);
	ck_assert_ptr_null(envp[10]);
}
END_TEST

START_TEST(env_scrub_unsafe_empty)
{
	char *envp[] = { NULL };

	env_scrub_unsafe(envp);
	ck_assert_ptr_null(envp[0]);
}
END_TEST

static Suite *
env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc;

	tc = tcase_create("env_get");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, env_get_cases, 0,
			    sizeof(get_cases) / sizeof(get_cases[0]));
	tcase_add_test(tc, env_get_null_environment);
	suite_add_tcase(s, tc);

	tc = tcase_create("env_apply");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, env_apply_reads_variables);
	tcase_add_test(tc, env_apply_empty_and_overridden);
	tcase_add_test(tc, env_apply_reports_help);
	tcase_add_test(tc, env_apply_repeated_variables);
	tcase_add_test(tc, env_apply_secure_ignores_variables);
	tcase_add_test(tc, env_apply_shows_auxv);
	suite_add_tcase(s, tc);

	tc = tcase_create("env_scrub_unsafe");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, env_scrub_unsafe_keeps_order);
	tcase_add_test(tc, env_scrub_unsafe_empty);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(env_suite());
}
