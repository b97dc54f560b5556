/* SPDX-License-Identifier: MIT */
/*
 * Library half of the function-pointer test.
 */
#include "rt.h"

void
lib_function(void)
{
}

void *
lib_function_address(void)
{
	return (void *)lib_function;
}
