/* SPDX-License-Identifier: MIT */
/*
 * Function pointer equality through a canonical PLT entry (non-PIE program): the library's idea of &lib_function equals the program's.
 */
#include "rt.h"

void lib_function(void);
void *lib_function_address(void);

int
main(int argc, char **argv, char **envp)
{
	void *mine = (void *)lib_function;

	rt_check(mine == lib_function_address(), "one address for one function");
	rt_print("funcptr ok\n");
	return 0;
}
