/* SPDX-License-Identifier: MIT */
/*
 * preload_dso_b.c: the second preload library: getgid()/getegid() return
 * 4343 (so `id -g` prints 4343), and env_preload_order() says "b", so a
 * program can see which of preload_dso_a and preload_dso_b comes first in
 * the global scope (the order of the LD_PRELOAD list). env_preload_chain()
 * appends "b" and calls the next definition (RTLD_NEXT), as preload_dso_a
 * does.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
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

void
env_preload_chain(char *out)
{
	void (*next)(char *) = (void (*)(char *))dlsym(RTLD_NEXT,
							 "env_preload_chain");

	*out++ = 'b';
	*out = '\0';
	if (next)
		next(out);
}
