/* SPDX-License-Identifier: MIT */
/*
 * Needs libbad.so (linked with --no-as-needed) and uses nothing from it:
 * the broken-library tests only load it.
 */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	rt_print("ran\n");
	return 0;
}
