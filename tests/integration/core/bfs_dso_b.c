/* SPDX-License-Identifier: MIT */
/*
 * libbfsb.so: the first definition of bfs_who() in breadth-first order.
 */
#include "rt.h"

const char *
bfs_who(void)
{
	return "b";
}
