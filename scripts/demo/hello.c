/* SPDX-License-Identifier: MIT */
/*
 * The demo program: no libc. _start keeps the loader's fini function (rdx,
 * psABI 3.4.1), calls greet() from libgreet.so, then runs the finalisers
 * and exits.
 */
#include "sys.h"

const char *greet(void);
extern int greetings;

void demo_main(void (*fini)(void));

__asm__(".text\n.globl _start\n_start:\n"
	"\txor %ebp, %ebp\n\tmov %rdx, %rdi\n\tand $-16, %rsp\n"
	"\tcall demo_main\n\thlt\n");

void
demo_main(void (*fini)(void))
{
	demo_print(greet());
	demo_print(greetings == 42 ? "greetings: 42, as expected\n" :
				     "greetings: WRONG\n");
	if (fini)
		fini();
	demo_syscall3(231, greetings == 42 ? 0 : 1, 0, 0);
}
