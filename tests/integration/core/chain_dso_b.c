/* SPDX-License-Identifier: MIT */
/*
 * Chain link b: calls c.
 */
#include "rt.h"

int chain_c(int);

__attribute__((constructor)) static void
init(void)
{
	rt_print("init b\n");
}

int
chain_b(int v)
{
	return 100 * v + chain_c(v);
}
