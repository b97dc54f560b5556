/* SPDX-License-Identifier: MIT */
/* libfilt_filtee.so: the filtee of libfilt_std.so and libfilt_aux.so. */
#include "rt.h"

const char *filt_std(void);
const char *filt_aux(void);

const char *
filt_std(void)
{
	return "filtee";
}

const char *
filt_aux(void)
{
	return "filtee";
}
