/* SPDX-License-Identifier: MIT */
/*
 * Symbol versions: a program linked against the V1-only library calls foo@V1 of the V1+V2 library; one linked against the new library calls foo@@V2; the default version serves unversioned dlsym-style lookups.
 */
#include "rt.h"

int foo(void);

int
main(int argc, char **argv, char **envp)
{
	int want = argc > 1 && rt_streq(argv[1], "new") ? 2 : 1;

	rt_print("foo() = ");
	rt_print_dec(foo());
	rt_print("\n");
	rt_check(foo() == want, "bound to the version it linked against");
	return 0;
}
