/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen_b.c: libdl_fini_dlopen_b.so (needs D), which main keeps
 * open while A is closed. Its call count lives in its own data, so a
 * library unloaded and loaded again behind main's back starts over.
 */
#include "dl_fini_dlopen.h"

int dl_fini_dlopen_d_value(void);

static int calls;

__attribute__((constructor)) static void
b_init(void)
{
	dl_fini_dlopen_event("+B");
}

__attribute__((destructor)) static void
b_fini(void)
{
	dl_fini_dlopen_event("-B");
}

/* 1000 times the number of calls so far, plus D's 40, plus 2. */
int
dl_fini_dlopen_b_value(void)
{
	return ++calls * 1000 + dl_fini_dlopen_d_value() + 2;
}
