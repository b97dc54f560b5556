/* SPDX-License-Identifier: MIT */
/*
 * Second definition of who(): must never be used.
 */
#include "rt.h"

const char *
who(void)
{
	return "b";
}
