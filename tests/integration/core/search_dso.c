/* SPDX-License-Identifier: MIT */
/*
 * One copy of libwhere.so; WHERE names the directory it was put in.
 */
#include "rt.h"

const char *
where(void)
{
	return WHERE;
}
