/* SPDX-License-Identifier: MIT */
/*
 * dl_filter_dso.c: a filter object, built once per prefix FLT and linked
 * with --filter=FILTEE or --auxiliary=FILTEE (dl_filter.h has the names).
 * Its definitions of FLT_get and FLT_ready are what a loader that ignores
 * the filtee would use.
 */
#include "dl_filter.h"

#define NAME(s) DL_FILTER_CAT(FLT, s)

DL_FILTER_DECLARE(FLT)

static int init_saw = -1;

const char *
NAME(_get)(void)
{
	return DL_FILTER_STR(FLT) " filter";
}

const char *
NAME(_own)(void)
{
	return DL_FILTER_STR(FLT) " own";
}

/* Through the PLT: the filter's own reference is looked up in its scope,
 * where the filtee comes first. */
const char *
NAME(_call)(void)
{
	return NAME(_get)();
}

int
NAME(_ready)(void)
{
	return 0;
}

int
NAME(_init_saw)(void)
{
	return init_saw;
}

__attribute__((constructor)) static void
filter_init(void)
{
	init_saw = NAME(_ready)();
}
