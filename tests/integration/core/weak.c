/* SPDX-License-Identifier: MIT */
/*
 * Weak undefined symbols resolve to 0; a symbol defined in two libraries binds to the first in breadth-first order (libweak_a before libweak_b).
 */
#include "rt.h"

int not_anywhere(void) __attribute__((weak));
extern int nor_this __attribute__((weak));
const char *who(void);

int
main(int argc, char **argv, char **envp)
{
	rt_check(not_anywhere == 0 && &nor_this == 0, "weak undefined is 0");
	rt_check(rt_streq(who(), "a"), "first definition in load order wins");
	rt_print("weak ok\n");
	return 0;
}
