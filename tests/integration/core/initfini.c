/* SPDX-License-Identifier: MIT */
/*
 * Initialisers and finalisers across three libraries (prog -> a -> b, prog -> c): DT_INIT (-Wl,-init), constructors and destructors, finalisers in reverse when the program calls the loader's fini function.
 */
#include "rt.h"

void initfini_a(void);
void initfini_c(void);

int
main(int argc, char **argv, char **envp)
{
	initfini_a();
	initfini_c();
	rt_print("main\n");
	return 0;
}
