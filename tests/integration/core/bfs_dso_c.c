/* SPDX-License-Identifier: MIT */
/*
 * libbfsc.so: a second definition of bfs_who(), found first by a
 * depth-first walk (prog, a, c, b) but second by the breadth-first one.
 * bfs_c_own() calls it through the PLT, so it is interposed as well.
 */
#include "rt.h"

const char *
bfs_who(void)
{
	return "c";
}

const char *
bfs_c_own(void)
{
	return bfs_who();
}
