/* SPDX-License-Identifier: MIT */
/*
 * Diamond prog -> a, b; a -> c; b -> c: c is loaded and initialised once, before a and b, in glibc's order.
 */
#include "rt.h"

int diamond_a(void);
int diamond_b(void);
extern int diamond_c_inits;

int
main(int argc, char **argv, char **envp)
{
	rt_check(diamond_a() == 3 && diamond_b() == 4, "diamond values");
	rt_check(diamond_c_inits == 1, "c initialised exactly once");
	rt_print("diamond ok\n");
	return 0;
}
