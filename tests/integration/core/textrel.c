/* SPDX-License-Identifier: MIT */
/*
 * A program using a DT_TEXTREL library (code built without -fPIC, so its text holds absolute addresses the loader must patch).
 */
#include "rt.h"

int textrel_get(void);
int textrel_set(int);

int
main(int argc, char **argv, char **envp)
{
	rt_check(textrel_get() == 5, "text relocation of a data address");
	rt_check(textrel_set(9) == 9 && textrel_get() == 9, "same object");
	rt_print("textrel ok\n");
	return 0;
}
