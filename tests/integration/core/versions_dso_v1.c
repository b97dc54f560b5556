/* SPDX-License-Identifier: MIT */
/*
 * Version 1 of the library: foo@@V1 only.
 */
#include "rt.h"

int
foo(void)
{
	return 1;
}
