/* SPDX-License-Identifier: MIT */
/*
 * Library search through a chain: the program uses libmid.so.
 */
#include "rt.h"

const char *mid_where(void);

int
main(int argc, char **argv, char **envp)
{
	rt_print(mid_where());
	rt_print("\n");
	return 0;
}
