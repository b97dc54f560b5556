/* SPDX-License-Identifier: MIT */
/*
 * Breadth-first symbol scope: the program needs libbfsa.so and libbfsb.so,
 * and libbfsa.so needs libbfsc.so. libbfsb.so and libbfsc.so both define
 * bfs_who(). The global scope is prog, a, b, c (glibc's breadth-first
 * order), so every reference, the program's and libbfsa.so's, binds to b's
 * definition; a depth-first loader would pick c's.
 */
#include "rt.h"

const char *bfs_who(void);
const char *bfs_who_from_a(void);
const char *bfs_c_own_via_a(void);

int
main(int argc, char **argv, char **envp)
{
	rt_print("program: ");
	rt_print(bfs_who());
	rt_print("\na: ");
	rt_print(bfs_who_from_a());
	rt_print("\nc: ");
	rt_print(bfs_c_own_via_a());
	rt_print("\n");
	rt_check(rt_streq(bfs_who(), "b"), "the program binds to the first in breadth-first order");
	rt_check(rt_streq(bfs_who_from_a(), "b"), "a library binds through the global scope too");
	rt_check(rt_streq(bfs_c_own_via_a(), "b"), "even c's own call is interposed by b");
	return 0;
}
