/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/hwcaps.c: the glibc-hwcaps list built from
 * --glibc-hwcaps-prepend, the CPU's built-in names and --glibc-hwcaps-mask,
 * in glibc's order, and --help's section in glibc's format (what glibc's
 * ld.so prints on this machine: the built-in names' flags come from the
 * same CPU, through arch_hwcaps_subdirs, which test-cpu_features checks
 * against glibc's).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "loader/hwcaps.h"
#include "loader/state.h"
#include "machdep.h"
#include "tests/unit/unit.h"

/* hwcaps_init reads AT_PLATFORM from the loader's auxv: this process's. */
static uint64_t fake_auxv[4];

static void
state_reset(void)
{
	memset(&ld_state.search, 0, sizeof(ld_state.search));
	fake_auxv[0] = AT_PLATFORM;
	fake_auxv[1] = getauxval(AT_PLATFORM);
	fake_auxv[2] = AT_NULL;
	ld_state.auxv = fake_auxv;
}

static void
state_free(void)
{
	crt_free(ld_state.search.hwcaps);
	crt_free(ld_state.search.subdirs);
	state_reset();
}

/* Everything `cmd` prints on stdout and stderr. */
static const char *
command_output(const char *cmd)
{
	static char text[16384];
	FILE *f = popen(cmd, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	pclose(f);
	return text;
}

/* The list as "a,b,c". */
static const char *
list_text(void)
{
	static char text[512];
	const char *p = ld_state.search.hwcaps;

	text[0] = '\0';
	for (size_t i = 0; i < ld_state.search.hwcaps_count;
	     i++, p += strlen(p) + 1)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%s%s", i ? "," : "", p);
	return text;
}

/* The built-in names the CPU supports and mask lets through, "a,b". */
static const char *
supported(const char *mask)
{
	static char text[256];
	uint32_t active;
	const char *names = arch_hwcaps_subdirs(arch_isa_levels(), &active);
	char copy[128], *save, *name;
	unsigned i = 0;

	text[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", names);
	for (name = strtok_r(copy, ":", &save); name;
	     name = strtok_r(NULL, ":", &save), i++)
		if ((active >> i & 1) && hwcaps_list_has(mask, name, strlen(name)))
			snprintf(text + strlen(text), sizeof(text) - strlen(text),
				 "%s%s", text[0] ? "," : "", name);
	return text;
}

START_TEST(hwcaps_list_has_elements_only)
{
	ck_assert(hwcaps_list_has(NULL, "x", 1));
	ck_assert(hwcaps_list_has("a:bc::d", "bc", 2));
	ck_assert(hwcaps_list_has("a:bc::d", "d", 1));
	ck_assert(!hwcaps_list_has("a:bc::d", "b", 1));
	ck_assert(!hwcaps_list_has("a:bc::d", "", 0));
	ck_assert(!hwcaps_list_has("", "a", 1));
	/* len bytes of name count, not its terminator. */
	ck_assert(hwcaps_list_has("x86-64-v3", "x86-64-v3:more", 9));
}
END_TEST

START_TEST(hwcaps_init_prepends_and_masks)
{
	char want[512];

	/* An empty mask leaves no built-in name. */
	hwcaps_init("p1::p2:", "");
	ck_assert_str_eq(list_text(), "p1,p2");
	ck_assert_uint_eq(ld_state.search.isa_levels, arch_isa_levels());
	state_free();

	/* No options: every supported built-in name, best first. */
	hwcaps_init(NULL, NULL);
	ck_assert_str_eq(list_text(), supported(NULL));
	state_free();

	hwcaps_init("first", "x86-64-v2:nonsense:x86-64-v4");
	snprintf(want, sizeof(want), "first%s%s",
		 supported("x86-64-v2:x86-64-v4")[0] ? "," : "",
		 supported("x86-64-v2:x86-64-v4"));
	ck_assert_str_eq(list_text(), want);
	ck_assert_str_eq(ld_state.search.hwcaps_prepend, "first");
	state_free();
}
END_TEST

/* hwcaps_print_help's text. */
static const char *
help_text(void)
{
	static char text[4096];
	char tmp[] = "/tmp/myld-hwcaps-XXXXXX";
	int fd = mkstemp(tmp);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(tmp);
	hwcaps_print_help(fd);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ck_assert_int_ge(n, 0);
	text[n] = '\0';
	return text;
}

#define LEGACY "\nLegacy HWCAP subdirectories under library search path " \
	"directories:\n  (none: this glibc release searches none)\n"

/* glibc's line for built-in name i: its flags. */
static const char *
builtin_line(unsigned i, const char *name, const char *mask)
{
	static char line[128];
	uint32_t active;
	bool sup, listed;

	arch_hwcaps_subdirs(arch_isa_levels(), &active);
	sup = active >> i & 1;
	listed = hwcaps_list_has(mask, name, strlen(name));
	if (!sup && listed)             /* no flag: no parentheses */
		snprintf(line, sizeof(line), "  %s\n", name);
	else
		snprintf(line, sizeof(line), "  %s (%s%s%s%s%s)\n", name,
			 sup ? "supported" : "", sup && !listed ? ", " : "",
			 !listed ? "masked" : "", (sup && listed) ? ", " : "",
			 (sup && listed) ? "searched" : "");
	return line;
}

START_TEST(hwcaps_print_help_like_glibc)
{
	static const char *const names[] = { "x86-64-v4", "x86-64-v3", "x86-64-v2" };
	const char *mask = "x86-64-v3";
	char want[2048];

	hwcaps_init("foo::bar", mask);
	snprintf(want, sizeof(want),
		 "\nSubdirectories of glibc-hwcaps directories, in priority order:\n"
		 "  foo (searched)\n  bar (searched)\n");
	for (unsigned i = 0; i < 3; i++)
		strcat(want, builtin_line(i, names[i], mask));
	strcat(want, LEGACY);
	ck_assert_str_eq(help_text(), want);
	state_free();
}
END_TEST

START_TEST(hwcaps_print_help_without_builtins)
{
	/* What glibc prints when nothing is searched. */
	ld_state.search.hwcaps_mask = "";
	ld_state.search.isa_levels = 0;
	ck_assert_str_eq(help_text(), "\nSubdirectories of glibc-hwcaps "
			 "directories, in priority order:\n"
			 "  x86-64-v4 (masked)\n  x86-64-v3 (masked)\n"
			 "  x86-64-v2 (masked)\n" LEGACY);
}
END_TEST

#define LDSO "/lib64/ld-linux-x86-64.so.2"
#define NOWHERE "/nonexistent-myld-dir"

/* The subdirectories glibc's ld.so (2.36) tries in a directory, best
 * first, as its LD_DEBUG=libs search path line shows them for NOWHERE,
 * "," between them. */
static const char *
glibc_subdirs(void)
{
	static char list[2048];
	const char *out = command_output("LD_LIBRARY_PATH=" NOWHERE " LD_DEBUG=libs "
					 LDSO " /bin/true 2>&1");
	const char *p = strstr(out, "search path=");
	char *q = list;

	ck_assert_ptr_nonnull(p);
	p += strlen("search path=");
	while (*p && *p != '\t') {
		size_t len = strcspn(p, ":\t");

		ck_assert(strncmp(p, NOWHERE, strlen(NOWHERE)) == 0);
		if (len > strlen(NOWHERE) + 1)	/* NOWHERE itself ends it */
			q += sprintf(q, "%s%.*s", q > list ? "," : "",
				     (int)(len - strlen(NOWHERE) - 1),
				     p + strlen(NOWHERE) + 1);
		p += len + (p[len] == ':');
	}
	return list;
}

static const char *
our_subdirs(void)
{
	static char text[2048];
	const char *p = ld_state.search.subdirs;

	text[0] = '\0';
	for (size_t i = 0; i < ld_state.search.subdirs_count; i++, p += strlen(p) + 1)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "%s%s", i ? "," : "", p);
	return text;
}

START_TEST(hwcaps_init_subdirs_like_glibc_236)
{
	ld_state.search.legacy_hwcaps = true;
	hwcaps_init(NULL, NULL);
	ck_assert_str_eq(our_subdirs(), glibc_subdirs());
	state_free();
}
END_TEST

START_TEST(hwcaps_init_subdirs_without_legacy)
{
	char want[512];
	const char *p;

	hwcaps_init("pre", NULL);
	snprintf(want, sizeof(want), "glibc-hwcaps/pre");
	for (p = supported(NULL); *p; p += strcspn(p, ","), p += *p == ',') {
		size_t len = strcspn(p, ",");

		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 ",glibc-hwcaps/%.*s", (int)len, p);
	}
	ck_assert_str_eq(our_subdirs(), want);
	state_free();
}
END_TEST

/* The legacy section of --help: what glibc's ld.so prints on this machine. */
START_TEST(hwcaps_print_help_legacy_like_glibc_236)
{
	const char *glibc = strstr(command_output(LDSO " --help"), "\nLegacy HWCAP");
	char want[1024];

	ck_assert_ptr_nonnull(glibc);
	snprintf(want, sizeof(want), "%s", glibc);
	ld_state.search.legacy_hwcaps = true;
	hwcaps_init(NULL, NULL);
	ck_assert_ptr_nonnull(strstr(help_text(), "\nLegacy HWCAP"));
	ck_assert_str_eq(strstr(help_text(), "\nLegacy HWCAP"), want);
	state_free();
}
END_TEST

static Suite *
hwcaps_suite(void)
{
	Suite *s = suite_create("hwcaps");
	TCase *tc;

	tc = tcase_create("hwcaps_list_has");
	tcase_add_test(tc, hwcaps_list_has_elements_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("hwcaps_init");
	tcase_add_checked_fixture(tc, state_reset, NULL);
	tcase_add_test(tc, hwcaps_init_prepends_and_masks);
	tcase_add_test(tc, hwcaps_init_subdirs_like_glibc_236);
	tcase_add_test(tc, hwcaps_init_subdirs_without_legacy);
	suite_add_tcase(s, tc);

	tc = tcase_create("hwcaps_print_help");
	tcase_add_checked_fixture(tc, state_reset, NULL);
	tcase_add_test(tc, hwcaps_print_help_like_glibc);
	tcase_add_test(tc, hwcaps_print_help_without_builtins);
	tcase_add_test(tc, hwcaps_print_help_legacy_like_glibc_236);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(hwcaps_suite());
}
