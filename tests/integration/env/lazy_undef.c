/* SPDX-License-Identifier: MIT */
/*
 * lazy_undef.c: proof that binding is lazy. The program references
 * lazy_undef_gone(), which the library it runs with lacks, and the library
 * references lazy_undef_nowhere(), which nothing defines; both calls sit on
 * paths not taken unless asked for. Lazily the program runs to the end;
 * run_env.py checks that LD_BIND_NOW=1 fails at start-up (exit 127) and
 * that taking either path fails exactly at the call, after the line printed
 * just before it, with glibc's "PROG: symbol lookup error: OBJ: undefined
 * symbol: NAME" and exit 127. Would catch a loader that binds every PLT
 * slot at start-up, or one that mis-reports or survives a failed lazy
 * lookup. Argument: none, "prog" (call lazy_undef_gone) or "lib" (make the
 * library call lazy_undef_nowhere).
 */
#include <stdio.h>
#include <string.h>

#include "t.h"

void lazy_undef_gone(void);
int lazy_undef_lib(int take);

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "";

	t_check_loader();
	printf("lazy_undef: started\n");
	fflush(stdout);
	T_CHECK(lazy_undef_lib(strcmp(path, "lib") == 0) == 42,
		"lazy_undef_lib returned the wrong value");
	if (strcmp(path, "prog") == 0) {
		printf("lazy_undef: program calls lazy_undef_gone\n");
		fflush(stdout);
		lazy_undef_gone();
	}
	printf("lazy_undef: reached the end\n");
	return t_status();
}
