/* SPDX-License-Identifier: MIT */
/*
 * secure_preload_dso.c: the preload library of the secure test. If it is
 * loaded at all its constructor says so on stderr, and it interposes
 * getuid() (4242), so the set-user-ID program can show that LD_PRELOAD
 * took no effect.
 */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void
secure_preload_init(void)
{
	fprintf(stderr, "secure: the preload library was loaded\n");
}

uid_t
getuid(void)
{
	return 4242;
}
