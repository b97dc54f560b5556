/* SPDX-License-Identifier: MIT */
/*
 * Library search through a chain: libmid.so (no paths of its own) needs libwhere.so, found by the DT_RPATH of the program that loaded it.
 */
#include "rt.h"

const char *where(void);

const char *
mid_where(void)
{
	return where();
}
