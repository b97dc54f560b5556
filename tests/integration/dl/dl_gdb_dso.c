/* SPDX-License-Identifier: MIT */
/*
 * dl_gdb_dso.c: the dlopen'ed library dl_gdb.sh sets a pending breakpoint
 * in. dl_gdb_target is a plain (non-IFUNC) function, kept out of line so
 * the breakpoint has a real frame to stop in.
 */
__attribute__((noinline)) int
dl_gdb_target(int x)
{
	volatile int y = x;

	return y * 2;
}
