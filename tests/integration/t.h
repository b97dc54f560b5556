/* SPDX-License-Identifier: MIT */
/*
 * t.h: the helpers the dl and env test programs share (libc-test style).
 *
 * T_CHECK records a failure as "FAIL: file:line: what" on stderr and goes on;
 * T_REQUIRE does the same and exits 1 at once, for steps later checks need.
 * t_check_loader() proves which loader mapped the program: when
 * T_EXPECT_LOADER is set (meson sets "myld.so", tests/integration/runner.py
 * the loader's real path), some mapping in /proc/self/maps must end with
 * that file name (or be that path), else the test would pass for the wrong
 * reason (the system loader ran it). Header-only, so each
 * test stays one file plus its helper DSOs; usable from C and C++.
 */
#ifndef INTEGRATION_T_H
#define INTEGRATION_T_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int t_failures;

__attribute__((format(printf, 3, 4), unused)) static void
t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	/* One line at a time, also when threads fail together. */
	flockfile(stderr);
	fprintf(stderr, "FAIL: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	funlockfile(stderr);
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

/* A NULL-safe string for messages: dlerror() may return NULL. */
#define T_STR(s) ((s) ? (s) : "(null)")

/*
 * Whether some mapping's path in /proc/self/maps ends with "/name" (or is
 * exactly name). Used both for the loader proof and to see whether a
 * dlclose'd library is really unmapped.
 */
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
		if (len >= nlen && strcmp(path + len - nlen, name) == 0 &&
		    (len == nlen || path[len - nlen - 1] == '/'))
			found = true;
	}
	fclose(f);
	return found;
}

/* Fail (exit 1) unless the loader named by T_EXPECT_LOADER mapped us. */
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

/* "dir/name" in a fresh heap buffer (tests never free it). */
__attribute__((unused)) static char *
t_path(const char *dir, const char *name)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *p = (char *)malloc(len);

	T_REQUIRE(p != NULL, "out of memory");
	snprintf(p, len, "%s/%s", dir, name);
	return p;
}

/* Resident set size in KiB, from /proc/self/statm (pages). */
__attribute__((unused)) static long
t_rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, resident = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident < 0 ? -1 : resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Whether msg is non-NULL and contains every one of the NULL-ended parts. */
__attribute__((unused, sentinel)) static bool
t_msg_has(const char *msg, ...)
{
	va_list ap;
	const char *part;
	bool ok = msg != NULL;

	va_start(ap, msg);
	while ((part = va_arg(ap, const char *)) != NULL)
		if (ok && !strstr(msg, part))
			ok = false;
	va_end(ap);
	return ok;
}

/* Stress tests: a watchdog that turns a hang into a failure, and a stop
 * once failures flood (the first ones tell the story). t_watchdog(name,
 * seconds) (re)arms it; t_watchdog(NULL, 0) disarms it. */
static const char *t_watchdog_name = "test";

__attribute__((unused)) static void
t_watchdog_fired(int sig)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "FAIL: %s: no progress for a "
			 "while (deadlock?)\n", t_watchdog_name);

	(void)sig;
	if (n > 0 && write(2, msg, (size_t)n) < 0)
		_exit(1);
	_exit(1);
}

__attribute__((unused)) static void
t_watchdog(const char *name, unsigned seconds)
{
	if (name) {
		t_watchdog_name = name;
		signal(SIGALRM, t_watchdog_fired);
	}
	alarm(seconds);
}

__attribute__((unused)) static void
t_bail_if_flooded(const char *name, int max_failures)
{
	if (__atomic_load_n(&t_failures, __ATOMIC_SEQ_CST) >= max_failures) {
		flockfile(stderr);
		fprintf(stderr, "FAIL: %s: %d failures, stopping\n", name,
			max_failures);
		fflush(stderr);
		_exit(1);
	}
}

/* Exit status for main: 0 only when nothing failed. */
__attribute__((unused)) static int
t_status(void)
{
	return __atomic_load_n(&t_failures, __ATOMIC_SEQ_CST) ? 1 : 0;
}

#endif /* INTEGRATION_T_H */
