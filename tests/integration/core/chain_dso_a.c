/* SPDX-License-Identifier: MIT */
/*
 * Chain link a: calls b.
 */
#include "rt.h"

int chain_b(int);

__attribute__((constructor)) static void
init(void)
{
	rt_print("init a\n");
}

int
chain_a(int v)
{
	return 1000 * v + chain_b(v);
}
