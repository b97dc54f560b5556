/* SPDX-License-Identifier: MIT */
/*
 * preload_dso_b.c: the second preload library: getgid()/getegid() return
 * 4343 (so `id -g` prints 4343), and env_preload_order() says "b", so a
 * program can see which of preload_dso_a and preload_dso_b comes first in
 * the global scope (the order of the LD_PRELOAD list). Its puts() adds
 * "[preload b] " and goes on with dlsym(RTLD_NEXT): after preload_dso_a's
 * puts, whose RTLD_NEXT must find this one (glibc loads preloads for the
 * program, so RTLD_NEXT searches the global scope after the caller).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

gid_t
getgid(void)
{
	return 4343;
}

gid_t
getegid(void)
{
	return 4343;
}

const char *
env_preload_order(void)
{
	return "b";
}

int
puts(const char *s)
{
	int (*next)(const char *) = (int (*)(const char *))dlsym(RTLD_NEXT, "puts");

	if (!next)
		return EOF;
	fputs("[preload b] ", stdout);
	return next(s);
}
