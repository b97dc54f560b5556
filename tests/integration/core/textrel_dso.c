/* SPDX-License-Identifier: MIT */
/*
 * Non-PIC library code: the absolute address of value in .text needs a text relocation.
 */
#include "rt.h"

static int value = 5;

int
textrel_get(void)
{
	return value;
}

int
textrel_set(int v)
{
	value = v;
	return value;
}
