/* SPDX-License-Identifier: MIT */
/*
 * Diamond a: uses c.
 */
#include "rt.h"

int diamond_c(void);

__attribute__((constructor)) static void
init(void)
{
	rt_print("init a\n");
}

int
diamond_a(void)
{
	return diamond_c() + 1;
}
