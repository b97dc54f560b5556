/* SPDX-License-Identifier: MIT */
/*
 * dl_filter_filtee.c: the filtee of two filters, prefixes FILTEE_A and
 * FILTEE_B (dl_filter.h), and a function of its own, FILTEE_ONLY, that
 * its filters do not define.
 */
#include "dl_filter.h"

static int ready;

#define FILTEE_DEFINE(P)                                                       \
	const char *DL_FILTER_CAT(P, _get)(void);                              \
	int DL_FILTER_CAT(P, _ready)(void);                                    \
	const char *DL_FILTER_CAT(P, _get)(void) { return "filtee"; }          \
	int DL_FILTER_CAT(P, _ready)(void) { return ready; }

FILTEE_DEFINE(FILTEE_A)
FILTEE_DEFINE(FILTEE_B)

int FILTEE_ONLY(void);

int
FILTEE_ONLY(void)
{
	return 42;
}

__attribute__((constructor)) static void
filtee_init(void)
{
	ready = 1;
}
