/* SPDX-License-Identifier: MIT */
/*
 * A filter object (built as libfilt_std.so with --filter, libfilt_aux.so
 * and libfilt_auxmiss.so with --auxiliary, libfilt_stdmiss.so with a
 * --filter that names no file): FN is defined by the filtee too, FN_own
 * only here. FN() and FN_own() are called by the program; FN_via() is
 * the filter's own call of FN.
 */
#include "rt.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

const char *FN(void);
const char *CAT(FN, _own)(void);
const char *CAT(FN, _via)(void);

const char *
FN(void)
{
	return "filter";
}

const char *
CAT(FN, _own)(void)
{
	return "filter";
}

const char *
CAT(FN, _via)(void)
{
	return FN();
}
