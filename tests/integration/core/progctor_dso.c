/* SPDX-License-Identifier: MIT */
/*
 * Library of the program-initialiser test.
 */
#include "rt.h"

__attribute__((constructor)) static void
ctor(void)
{
	rt_print("library constructor\n");
}

void
progctor_lib(void)
{
}
