/* SPDX-License-Identifier: MIT */
/*
 * libgdbt.so: the function the gdb scenario breaks on (built with -g, so
 * gdb names its argument).
 */
#include "rt.h"

int
gdb_target(int x)
{
	return 2 * x;
}
