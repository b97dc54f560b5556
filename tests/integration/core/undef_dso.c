/* SPDX-License-Identifier: MIT */
/*
 * The library the undefined-symbol test links against (defines gone_one and gone_two); the test runs the program with a library that lacks them.
 */
#include "rt.h"

int
gone_one(void)
{
	return 0;
}

int
gone_two(void)
{
	return 0;
}
