/* SPDX-License-Identifier: MIT */
/*
 * The gdb scenario's libc-free program: calls into libgdbt.so through its
 * PLT, so a debugger that does not see the library stops in the PLT stub
 * (or never) instead of in gdb_target.
 */
#include "rt.h"

int gdb_target(int);

int
main(int argc, char **argv, char **envp)
{
	int v = gdb_target(21);

	rt_print("gdb: ");
	rt_print_dec(v);
	rt_print("\n");
	return v == 42 ? 0 : 1;
}
