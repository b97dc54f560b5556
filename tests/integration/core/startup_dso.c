/* SPDX-License-Identifier: MIT */
/*
 * libstartup.so: one function, so that the startup programs (the non-PIE
 * one especially: ld makes a program that needs no library static) are
 * dynamic and started by a loader.
 */
#include "rt.h"

int
startup_lib(void)
{
	return 1;
}
