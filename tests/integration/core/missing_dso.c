/* SPDX-License-Identifier: MIT */
/*
 * The library the missing-library test is linked against (removed before the run).
 */
#include "rt.h"

int
missing_function(void)
{
	return 0;
}
