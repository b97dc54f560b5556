/* SPDX-License-Identifier: MIT */
/*
 * Dependency chain prog -> a -> b -> c: each library calls the next; constructors show that c, b, a are initialised in that order.
 */
#include "rt.h"

int chain_a(int);

int
main(int argc, char **argv, char **envp)
{
	rt_print("chain: ");
	rt_print_dec(chain_a(1));
	rt_print("\n");
	return chain_a(1) == 1111 ? 0 : 1;
}
