/* SPDX-License-Identifier: MIT */
/*
 * IFUNC in a library (bound through GLOB_DAT/JUMP_SLOT) and in the program (IRELATIVE): each resolver ran and picked by a flag it read.
 */
#include "rt.h"

int lib_pick(void);
extern int lib_resolver_calls;

static int
impl_a(void)
{
	return 10;
}

static int
impl_b(void)
{
	return 20;
}

int prog_flag = 1;
static int prog_resolver_calls;

static int (*resolve_prog_pick(void))(void)
{
	prog_resolver_calls++;
	return prog_flag ? impl_b : impl_a;
}

int prog_pick(void) __attribute__((ifunc("resolve_prog_pick")));

int
main(int argc, char **argv, char **envp)
{
	int (*p)(void) = prog_pick;

	rt_check(prog_pick() == 20 && p() == 20, "program IFUNC resolved");
	rt_check(prog_resolver_calls >= 1, "program resolver ran");
	rt_check(lib_pick() == 2, "library IFUNC resolved");
	rt_check(lib_resolver_calls >= 1, "library resolver ran");
	rt_print("ifunc ok\n");
	return 0;
}
