/* SPDX-License-Identifier: MIT */
/*
 * Library IFUNC: the resolver counts its calls and picks by a variable.
 */
#include "rt.h"

int lib_resolver_calls;
int lib_flag = 1;

static int
one(void)
{
	return 1;
}

static int
two(void)
{
	return 2;
}

static int (*resolve_lib_pick(void))(void)
{
	lib_resolver_calls++;
	return lib_flag ? two : one;
}

int lib_pick(void) __attribute__((ifunc("resolve_lib_pick")));
