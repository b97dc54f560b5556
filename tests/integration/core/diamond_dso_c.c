/* SPDX-License-Identifier: MIT */
/*
 * Diamond c: counts its initialisations.
 */
#include "rt.h"

int diamond_c_inits;

__attribute__((constructor)) static void
init(void)
{
	diamond_c_inits++;
	rt_print("init c\n");
}

int
diamond_c(void)
{
	return 2;
}
