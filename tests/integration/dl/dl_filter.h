/* SPDX-License-Identifier: MIT */
/*
 * dl_filter.h: the names the filters of dl_filter (dl_filter_dso.c, built
 * once per prefix P) and their filtees (dl_filter_filtee.c) define.
 *
 *   P_get    in the filter ("P filter") and in its filtee ("filtee"):
 *            every lookup must find the filtee's;
 *   P_own    in the filter only: found in the filter, after the filtee;
 *   P_call   in the filter: returns P_get() as the filter itself binds it;
 *   P_ready  in the filter (0) and the filtee (1 once its constructor
 *            ran); P_init_saw is what the filter's constructor got from it.
 */
#ifndef DL_FILTER_H
#define DL_FILTER_H

#define DL_FILTER_CAT2(a, b) a##b
#define DL_FILTER_CAT(a, b) DL_FILTER_CAT2(a, b)
#define DL_FILTER_STR2(a) #a
#define DL_FILTER_STR(a) DL_FILTER_STR2(a)

#define DL_FILTER_DECLARE(P)                                                   \
	const char *DL_FILTER_CAT(P, _get)(void);                              \
	const char *DL_FILTER_CAT(P, _own)(void);                              \
	const char *DL_FILTER_CAT(P, _call)(void);                             \
	int DL_FILTER_CAT(P, _ready)(void);                                    \
	int DL_FILTER_CAT(P, _init_saw)(void);

#endif
