/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_next1.c: first of two libraries the program links that
 * both define dlfcn_all_next. dlsym(RTLD_NEXT) from the program must find
 * this one; from here it must find libdlfcn_all_dso_next2.so's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

int
dlfcn_all_next(void)
{
	return 1;
}

int
dlfcn_all_next_from1(void)
{
	int (*f)(void) = (int (*)(void))dlsym(RTLD_NEXT, "dlfcn_all_next");

	return f ? f() : -1;
}
