/* SPDX-License-Identifier: MIT */
/*
 * t.h: the helpers the env test programs share (libc-test style).
 *
 * T_CHECK records "FAIL: file:line: what" on stderr and goes on; T_REQUIRE
 * does the same and exits 1 at once. t_check_loader() proves which loader
 * mapped the program: when T_EXPECT_LOADER is set (run_env.py sets the
 * loader's file name), some mapping in /proc/self/maps must end with it, so
 * a test cannot pass because the system loader ran it instead of myld.so.
 * Header-only, so each test stays one file plus its helper DSOs.
 */
#ifndef ENV_T_H
#define ENV_T_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_failures;

__attribute__((format(printf, 3, 4), unused)) static void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	__atomic_add_fetch(&t_failures, 1, __ATOMIC_SEQ_CST);
}

#define T_CHECK(cond, ...)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			t_fail(__FILE__, __LINE__, __VA_ARGS__);               \
	} while (0)

#define T_REQUIRE(cond, ...)                                                   \
	do {                                                                   \
		if (!(cond)) {                                                 \
			t_fail(__FILE__, __LINE__, __VA_ARGS__);               \
			exit(1);                                               \
		}                                                              \
	} while (0)

/* Whether some mapping's path in /proc/self/maps ends with "/name". */
__attribute__((unused)) static bool
t_mapped(const char *name)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	size_t nlen = strlen(name);
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');
		size_t len;

		if (!path)
			continue;
		len = strcspn(path, "\n");
		path[len] = '\0';
		if (len > nlen && strcmp(path + len - nlen, name) == 0 &&
		    path[len - nlen - 1] == '/')
			found = true;
	}
	fclose(f);
	return found;
}

/* Exit 1 unless the loader named by T_EXPECT_LOADER mapped us. */
__attribute__((unused)) static void
t_check_loader(void)
{
	const char *want = getenv("T_EXPECT_LOADER");

	if (!want || !*want)
		return;
	T_REQUIRE(t_mapped(want),
		  "loader proof: no mapping in /proc/self/maps ends with %s",
		  want);
}

/* Exit status for main: 0 only when nothing failed. */
__attribute__((unused)) static int
t_status(void)
{
	return __atomic_load_n(&t_failures, __ATOMIC_SEQ_CST) ? 1 : 0;
}

#endif /* ENV_T_H */
