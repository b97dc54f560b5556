/* SPDX-License-Identifier: MIT */
/*
 * Diamond b: uses c.
 */
#include "rt.h"

int diamond_c(void);

__attribute__((constructor)) static void
init(void)
{
	rt_print("init b\n");
}

int
diamond_b(void)
{
	return diamond_c() + 2;
}
