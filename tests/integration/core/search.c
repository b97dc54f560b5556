/* SPDX-License-Identifier: MIT */
/*
 * Library search: prints which copy of libwhere.so it got (each copy is built with a different WHERE string).
 */
#include "rt.h"

const char *where(void);

int
main(int argc, char **argv, char **envp)
{
	rt_print(where());
	rt_print("\n");
	return 0;
}
