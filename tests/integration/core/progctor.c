/* SPDX-License-Identifier: MIT */
/*
 * The program's own initialisers under myld (a libc-free program: no libc runs them for it): DT_PREINIT_ARRAY first, then the library, then the program's constructor, then main.
 */
#include "rt.h"

void progctor_lib(void);

static void
preinit(int argc, char **argv, char **envp)
{
	rt_print("preinit\n");
}

__attribute__((section(".preinit_array"), used)) static void (*preinit_entry)(int, char **, char **) = preinit;

__attribute__((constructor)) static void
ctor(void)
{
	rt_print("program constructor\n");
}

int
main(int argc, char **argv, char **envp)
{
	progctor_lib();
	rt_print("main\n");
	return 0;
}
