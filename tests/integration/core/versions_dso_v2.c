/* SPDX-License-Identifier: MIT */
/*
 * Version 2: foo@V1 (old) and foo@@V2 (default).
 */
#include "rt.h"

int
foo_v1(void)
{
	return 1;
}

int
foo_v2(void)
{
	return 2;
}

__asm__(".symver foo_v1, foo@V1\n.symver foo_v2, foo@@V2\n");
