/* SPDX-License-Identifier: MIT */
/*
 * The valid program from which gen-bad-elf.py derives the broken-program
 * corpus, and the program that needs the broken libraries. It has what the
 * .dynamic variants break: DT_NEEDED (libbad.so), RELATIVE relocations (a
 * pointer in data), a JUMP_SLOT (the call) and DT_INIT_ARRAY.
 */
#include "rt.h"

int bad_elf_lib(void);

static const char ran[] = "ran\n";
static const char *const message = ran;
static int constructed;

__attribute__((constructor)) static void
ctor(void)
{
	constructed = 1;
}

int
main(int argc, char **argv, char **envp)
{
	/* glibc's ld.so leaves the program's own constructors to libc. */
	rt_check(constructed || !rt_mapped("myld.so"), "constructor ran");
	rt_check(bad_elf_lib() == 42, "libbad.so works");
	rt_print(message);
	return 0;
}
