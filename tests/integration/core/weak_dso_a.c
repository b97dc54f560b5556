/* SPDX-License-Identifier: MIT */
/*
 * First definition of who().
 */
#include "rt.h"

const char *
who(void)
{
	return "a";
}
