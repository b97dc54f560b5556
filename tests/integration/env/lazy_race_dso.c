/* SPDX-License-Identifier: MIT */
/*
 * lazy_race_dso.c: the 64 functions of lazy_race, each returning a value
 * that names it and counting its calls, so the program can tell a thread
 * that landed in the wrong function (a slot resolved to another symbol, or
 * written half-way) from one that landed in the right one. Built -z lazy.
 */
#include "lazy_race.h"

long lazy_race_calls[LAZY_RACE_NFUNCS];

#define LAZY_RACE_DEFINE(n)                                                    \
	long lazy_race_f##n(long x)                                            \
	{                                                                      \
		__atomic_add_fetch(&lazy_race_calls[n], 1, __ATOMIC_SEQ_CST);  \
		return x * LAZY_RACE_NFUNCS + n;                               \
	}
LAZY_RACE_FUNCS(LAZY_RACE_DEFINE)
