/* SPDX-License-Identifier: MIT */
/*
 * libbfsa.so: needs libbfsc.so, and calls bfs_who(), which its own
 * dependency defines but which an earlier object in the global scope
 * (libbfsb.so) also defines; and passes on calls to libbfsc.so's
 * bfs_c_own(), which the program cannot name (an indirect dependency).
 */
#include "rt.h"

const char *bfs_who(void);
const char *bfs_c_own(void);

const char *
bfs_who_from_a(void)
{
	return bfs_who();
}

const char *
bfs_c_own_via_a(void)
{
	return bfs_c_own();
}
