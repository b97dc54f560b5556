/* SPDX-License-Identifier: MIT */
/*
 * The test programs' entry point. _start keeps rdx, the function the loader
 * wants registered with atexit (psABI 3.4.1), and calls main (rt_exit runs
 * it at the end, unless T_NO_FINI is set). When
 * T_EXPECT_LOADER is set, the program first checks that a mapping of that
 * file exists: a test proves which loader ran it.
 */
#include "rt.h"

void rt_start_c(long *sp, void (*fini)(void));

long *rt_entry_sp;

__asm__(".text\n.globl _start\n.type _start, @function\n_start:\n"
	"\txor %ebp, %ebp\n\tmov %rsp, %rdi\n\tmov %rdx, %rsi\n"
	"\tand $-16, %rsp\n\tcall rt_start_c\n\thlt\n");

void
rt_start_c(long *sp, void (*fini)(void))
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	const char *loader = rt_getenv(envp, "T_EXPECT_LOADER");

	rt_entry_sp = sp;

	/* glibc's _dl_fini asserts for programs without libc ("dl-fini.c:
	 * _dl_fini: Assertion `ns != LM_ID_BASE || i == nloaded'"), so runs
	 * under the system loader set T_NO_FINI to compare the rest. */
	if (!rt_getenv(envp, "T_NO_FINI"))
		rt_set_fini(fini);
	if (loader && !rt_mapped(loader)) {
		rt_print("FAIL: not loaded by ");
		rt_print(loader);
		rt_print("\n");
		rt_exit(1);
	}
	rt_exit(main(argc, argv, envp));
}
