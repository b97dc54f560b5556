/* SPDX-License-Identifier: MIT */
/*
 * preload_dso_a.c: a preload library that interposes libc functions:
 * time() and clock_gettime() return a fixed 1000000000 (2001-09-09, so
 * `date -u +%s` prints 1000000000), getuid()/geteuid() return 4242 (so
 * `id -u` prints 4242), and puts() prefixes its line with "[preload a] "
 * before calling libc's puts found with dlsym(RTLD_NEXT). It also defines
 * env_preload_order(), as preload_dso_b does, to tell which preload comes
 * first in the global scope, and env_preload_chain(), which appends "a"
 * and calls the next definition dlsym(RTLD_NEXT) finds: with both
 * preloads that is preload_dso_b's, outside this library's own
 * dependencies (glibc's RTLD_NEXT searches on in the program's scope).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define PRELOAD_FIXED_TIME 1000000000

time_t
time(time_t *t)
{
	if (t)
		*t = PRELOAD_FIXED_TIME;
	return PRELOAD_FIXED_TIME;
}

int
clock_gettime(clockid_t clock, struct timespec *ts)
{
	(void)clock;
	ts->tv_sec = PRELOAD_FIXED_TIME;
	ts->tv_nsec = 0;
	return 0;
}

uid_t
getuid(void)
{
	return 4242;
}

uid_t
geteuid(void)
{
	return 4242;
}

int
puts(const char *s)
{
	int (*next)(const char *) = (int (*)(const char *))dlsym(RTLD_NEXT, "puts");

	if (!next)
		return EOF;
	fputs("[preload a] ", stdout);
	return next(s);
}

const char *
env_preload_order(void)
{
	return "a";
}

void
env_preload_chain(char *out)
{
	void (*next)(char *) = (void (*)(char *))dlsym(RTLD_NEXT,
							 "env_preload_chain");

	*out++ = 'a';
	*out = '\0';
	if (next)
		next(out);
}
