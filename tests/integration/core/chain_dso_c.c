/* SPDX-License-Identifier: MIT */
/*
 * Chain end c.
 */
#include "rt.h"

__attribute__((constructor)) static void
init(void)
{
	rt_print("init c\n");
}

int
chain_c(int v)
{
	return 11 * v;
}
