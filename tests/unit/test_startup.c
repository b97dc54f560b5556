/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/startup.c: the initial stack decoded from a
 * fabricated one (psABI 3.4.1 layout), auxv get/set, the options of
 * explicit invocation (a table of command lines and what they mean, usage
 * errors with glibc's messages) and the LD_SHOW_AUXV format, compared with
 * what this system's ld.so prints.
 */
#include <check.h>
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/error.h"
#include "loader/startup.h"
#include "tests/unit/unit.h"

static void
setup(void)
{
	ld_error_clear();
}

/* ---- startup_parse_stack ---- */

START_TEST(startup_parse_stack_decodes_everything)
{
	static char a0[] = "./prog", a1[] = "arg", e0[] = "A=1", e1[] = "B=2";
	static char execfn[] = "/bin/prog";
	uintptr_t stack[] = {
		2, (uintptr_t)a0, (uintptr_t)a1, 0,
		(uintptr_t)e0, (uintptr_t)e1, 0,
		AT_PHDR, 0x400040, AT_PHNUM, 13, AT_PAGESZ, 16384,
		AT_BASE, 0x7f0000000000, AT_ENTRY, 0x401000,
		AT_EXECFN, (uintptr_t)execfn, AT_RANDOM, 0x7ffc0000,
		AT_SYSINFO_EHDR, 0x7fff0000, AT_SECURE, 1,
		AT_UID, 1000, AT_EUID, 0, AT_GID, 100, AT_EGID, 0,
		AT_HWCAP, 0xabc, AT_NULL, 0,
	};
	struct startup_info info;

	memset(&info, 0xa5, sizeof(info));
	startup_parse_stack(stack, &info);
	ck_assert_int_eq(info.argc, 2);
	ck_assert_ptr_eq(info.argv, (char **)&stack[1]);
	ck_assert_str_eq(info.argv[0], "./prog");
	ck_assert_ptr_null(info.argv[2]);
	ck_assert_ptr_eq(info.envp, (char **)&stack[4]);
	ck_assert_str_eq(info.envp[1], "B=2");
	ck_assert_ptr_eq(info.auxv, (uint64_t *)&stack[7]);
	ck_assert_uint_eq(info.at_phdr, 0x400040);
	ck_assert_uint_eq(info.at_phnum, 13);
	ck_assert_uint_eq(info.at_pagesz, 16384);
	ck_assert_uint_eq(info.at_base, 0x7f0000000000);
	ck_assert_uint_eq(info.at_entry, 0x401000);
	ck_assert_uint_eq(info.at_execfn, (uintptr_t)execfn);
	ck_assert_uint_eq(info.at_random, 0x7ffc0000);
	ck_assert_uint_eq(info.at_sysinfo_ehdr, 0x7fff0000);
	ck_assert(info.at_secure);
	ck_assert(info.have_ids);
	ck_assert_uint_eq(info.at_uid, 1000);
	ck_assert_uint_eq(info.at_euid, 0);
	ck_assert_uint_eq(info.at_gid, 100);
	ck_assert_uint_eq(info.at_egid, 0);
}
END_TEST

/* No arguments beyond argv[0], an empty environment, a short auxv:
 * defaults for what is absent. */
START_TEST(startup_parse_stack_minimal)
{
	static char a0[] = "p";
	uintptr_t stack[] = {
		1, (uintptr_t)a0, 0,
		0,
		AT_UID, 5, AT_EUID, 5, AT_GID, 5, AT_NULL, 0,
	};
	struct startup_info info;

	startup_parse_stack(stack, &info);
	ck_assert_int_eq(info.argc, 1);
	ck_assert_ptr_eq(info.envp, (char **)&stack[3]);
	ck_assert_ptr_null(info.envp[0]);
	ck_assert_ptr_eq(info.auxv, (uint64_t *)&stack[4]);
	ck_assert_uint_eq(info.at_pagesz, 4096);
	ck_assert_uint_eq(info.at_base, 0);
	ck_assert(!info.at_secure);
	/* Three of the four ids: not enough to trust them. */
	ck_assert(!info.have_ids);
}
END_TEST

/* ---- startup_auxv_get / startup_auxv_set ---- */

START_TEST(startup_auxv_get_and_set)
{
	uint64_t auxv[] = { AT_PAGESZ, 4096, AT_BASE, 0, AT_PHNUM, 9, AT_NULL, 0 };

	ck_assert_uint_eq(startup_auxv_get(auxv, AT_PAGESZ, 1), 4096);
	ck_assert_uint_eq(startup_auxv_get(auxv, AT_BASE, 1), 0);
	ck_assert_uint_eq(startup_auxv_get(auxv, AT_ENTRY, 77), 77);
	ck_assert(startup_auxv_set(auxv, AT_PHNUM, 11));
	ck_assert_uint_eq(auxv[5], 11);
	ck_assert_uint_eq(startup_auxv_get(auxv, AT_PHNUM, 0), 11);
	ck_assert(!startup_auxv_set(auxv, AT_ENTRY, 5));
	/* The terminator is untouched. */
	ck_assert_uint_eq(auxv[6], AT_NULL);
	ck_assert_uint_eq(auxv[7], 0);
}
END_TEST

/* ---- startup_parse_options ---- */

struct options_case {
	const char *argv[12];            /* NULL-terminated */
	enum startup_action action;
	int prog_index;                  /* when not a usage error */
	const char *library_path, *inhibit_rpath, *preload, *argv0;
	bool inhibit_cache;
	const char *message;             /* for STARTUP_USAGE_ERROR */
};

static const struct options_case options_cases[] = {
	{ { "ld.so", "prog", "a", NULL }, STARTUP_RUN, 1, NULL, NULL, NULL, NULL,
	  false, NULL },
	{ { "ld.so", "--", "prog", NULL }, STARTUP_RUN, 2, NULL, NULL, NULL, NULL,
	  false, NULL },
	/* After "--" an option-looking word is the program. */
	{ { "ld.so", "--", "--list", NULL }, STARTUP_RUN, 2, NULL, NULL, NULL,
	  NULL, false, NULL },
	/* Options after the program belong to the program. */
	{ { "ld.so", "prog", "--list", "--x", NULL }, STARTUP_RUN, 1, NULL, NULL,
	  NULL, NULL, false, NULL },
	{ { "ld.so", "--library-path", "/opt/lib:/x", "prog", NULL }, STARTUP_RUN,
	  3, "/opt/lib:/x", NULL, NULL, NULL, false, NULL },
	{ { "ld.so", "--argv0", "name", "--inhibit-cache", "--inhibit-rpath",
	    "libx.so", "--preload", "liba.so libb.so", "--", "prog", "arg", NULL },
	  STARTUP_RUN, 9, NULL, "libx.so", "liba.so libb.so", "name", true, NULL },
	/* An option's value may look like an option. */
	{ { "ld.so", "--argv0", "--list", "prog", NULL }, STARTUP_RUN, 3, NULL,
	  NULL, NULL, "--list", false, NULL },
	{ { "ld.so", "--list", "prog", NULL }, STARTUP_LIST, 2, NULL, NULL, NULL,
	  NULL, false, NULL },
	{ { "ld.so", "--verify", "prog", NULL }, STARTUP_VERIFY, 2, NULL, NULL,
	  NULL, NULL, false, NULL },
	{ { "ld.so", "--help", NULL }, STARTUP_HELP, 0, NULL, NULL, NULL, NULL,
	  false, NULL },
	{ { "ld.so", "--version", "--bogus", NULL }, STARTUP_VERSION, 0, NULL,
	  NULL, NULL, NULL, false, NULL },
	/* --help and --list-tunables need no program, and the options after
	 * them still count (glibc's --help shows --library-path's list). */
	{ { "ld.so", "--help", "--library-path", "/x", NULL }, STARTUP_HELP, 0,
	  "/x", NULL, NULL, NULL, false, NULL },
	{ { "ld.so", "--list-tunables", NULL }, STARTUP_LIST_TUNABLES, 0, NULL,
	  NULL, NULL, NULL, false, NULL },
	{ { "ld.so", "--list-tunables", "prog", NULL }, STARTUP_LIST_TUNABLES, 2,
	  NULL, NULL, NULL, NULL, false, NULL },
	{ { "ld.so", "--help", "--bogus", NULL }, STARTUP_USAGE_ERROR, 0, NULL,
	  NULL, NULL, NULL, false, "unrecognized option '--bogus'" },
	{ { "ld.so", "--list-diagnostics", "prog", NULL }, STARTUP_USAGE_ERROR, 0,
	  NULL, NULL, NULL, NULL, false,
	  "option '--list-diagnostics' is not supported" },
	{ { "ld.so", "--x", "prog", NULL }, STARTUP_USAGE_ERROR, 0, NULL, NULL,
	  NULL, NULL, false, "unrecognized option '--x'" },
	{ { "ld.so", "--library-path=/x", "prog", NULL }, STARTUP_USAGE_ERROR, 0,
	  NULL, NULL, NULL, NULL, false, "unrecognized option '--library-path=/x'" },
	{ { "ld.so", NULL }, STARTUP_USAGE_ERROR, 0, NULL, NULL, NULL, NULL, false,
	  "missing program name" },
	{ { "ld.so", "--", NULL }, STARTUP_USAGE_ERROR, 0, NULL, NULL, NULL, NULL,
	  false, "missing program name" },
	{ { "ld.so", "--list", NULL }, STARTUP_USAGE_ERROR, 0, NULL, NULL, NULL,
	  NULL, false, "missing program name" },
	{ { "ld.so", "--inhibit-cache", "--library-path", NULL },
	  STARTUP_USAGE_ERROR, 0, NULL, NULL, NULL, NULL, false,
	  "option '--library-path' requires an argument" },
};

#define NOPTIONS (sizeof(options_cases) / sizeof(options_cases[0]))

static void
assert_opt_str(const char *what, const char *got, const char *want)
{
	if (!want)
		ck_assert_msg(got == NULL, "%s: \"%s\", expected none", what, got);
	else
		ck_assert_msg(got && strcmp(got, want) == 0, "%s: \"%s\", expected \"%s\"",
			      what, got ? got : "(null)", want);
}

START_TEST(startup_parse_options_cases)
{
	const struct options_case *c = &options_cases[_i];
	struct startup_options opts;
	char *argv[12];
	int argc;

	for (argc = 0; c->argv[argc]; argc++)
		argv[argc] = (char *)c->argv[argc];
	argv[argc] = NULL;
	memset(&opts, 0x5a, sizeof(opts));
	startup_parse_options(argc, argv, &opts);
	ck_assert_msg(opts.action == c->action, "case %d: action %d, expected %d",
		      _i, opts.action, c->action);
	if (c->action == STARTUP_USAGE_ERROR) {
		ck_assert_str_eq(ld_error_message(), c->message);
		return;
	}
	if (c->action == STARTUP_VERSION)
		return;
	ck_assert_int_eq(opts.prog_index, c->prog_index);
	assert_opt_str("library_path", opts.library_path, c->library_path);
	assert_opt_str("inhibit_rpath", opts.inhibit_rpath, c->inhibit_rpath);
	assert_opt_str("preload", opts.preload, c->preload);
	assert_opt_str("argv0", opts.argv0, c->argv0);
	ck_assert(opts.inhibit_cache == c->inhibit_cache);
	ck_assert_ptr_null(opts.audit);
}
END_TEST

START_TEST(startup_parse_options_hwcaps)
{
	char *argv[] = { "ld.so", "--glibc-hwcaps-prepend", "a:b",
			 "--glibc-hwcaps-mask", "x86-64-v2", "prog", NULL };
	struct startup_options opts;

	startup_parse_options(6, argv, &opts);
	ck_assert_int_eq(opts.action, STARTUP_RUN);
	ck_assert_int_eq(opts.prog_index, 5);
	ck_assert_str_eq(opts.hwcaps_prepend, "a:b");
	ck_assert_str_eq(opts.hwcaps_mask, "x86-64-v2");
	startup_parse_options(2, (char *[]){ "ld.so", "prog", NULL }, &opts);
	ck_assert_ptr_null(opts.hwcaps_prepend);
	ck_assert_ptr_null(opts.hwcaps_mask);
}
END_TEST

/* ---- startup_show_auxv ---- */

START_TEST(startup_show_auxv_glibc_format)
{
	static char execfn[] = "/bin/true";
	uint64_t auxv[] = {
		AT_SYSINFO_EHDR, 0x7f58bc509000, AT_HWCAP, 0x178bebff,
		AT_PAGESZ, 4096, AT_PHDR, 0x564620583040, AT_FLAGS, 0,
		AT_SECURE, 0, AT_EXECFN, (uint64_t)(uintptr_t)execfn,
		0x1b, 0x1c, AT_NULL, 0,
	};
	/* As this system's ld.so prints it (LD_SHOW_AUXV=1 /bin/true). */
	static const char expected[] =
		"AT_SYSINFO_EHDR:      0x7f58bc509000\n"
		"AT_HWCAP:             178bebff\n"
		"AT_PAGESZ:            4096\n"
		"AT_PHDR:              0x564620583040\n"
		"AT_FLAGS:             0x0\n"
		"AT_SECURE:            0\n"
		"AT_EXECFN:            /bin/true\n"
		"AT_??? (0x1b): 0x1c\n";
	char buf[1024];
	int fds[2];
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	startup_show_auxv(fds[1], auxv);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, expected);
}
END_TEST

static Suite *
startup_suite(void)
{
	Suite *s = suite_create("startup");
	TCase *tc;

	tc = tcase_create("startup_parse_stack");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, startup_parse_stack_decodes_everything);
	tcase_add_test(tc, startup_parse_stack_minimal);
	suite_add_tcase(s, tc);

	tc = tcase_create("startup_auxv");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, startup_auxv_get_and_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("startup_parse_options");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, startup_parse_options_cases, 0, NOPTIONS);
	tcase_add_test(tc, startup_parse_options_hwcaps);
	suite_add_tcase(s, tc);

	tc = tcase_create("startup_show_auxv");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, startup_show_auxv_glibc_format);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(startup_suite());
}
