/* SPDX-License-Identifier: MIT */
/*
 * lazy_undef_dso.c: the library of the lazy_undef test. Built twice: the
 * real liblazy_undef_dso.so lacks lazy_undef_gone(), and a stub with
 * -DLAZY_UNDEF_STUB and the same soname has it, only so the program can be
 * linked against it. The library itself calls lazy_undef_nowhere(), which
 * nothing defines, only when asked to. Built with -z lazy.
 */
#include <stdio.h>

void lazy_undef_nowhere(void);

#ifdef LAZY_UNDEF_STUB
void
lazy_undef_gone(void)
{
}
#endif

/* Returns 42; calls the undefined function first when take is non-zero. */
int
lazy_undef_lib(int take)
{
	if (take) {
		printf("lazy_undef: library calls lazy_undef_nowhere\n");
		fflush(stdout);
		lazy_undef_nowhere();
	}
	return 42;
}
