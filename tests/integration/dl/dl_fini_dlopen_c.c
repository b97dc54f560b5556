/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen_c.c: libdl_fini_dlopen_c.so (needs CX and D), loaded for
 * the first time, and closed, by A's destructor.
 */
#include "dl_fini_dlopen.h"

int dl_fini_dlopen_d_value(void);
int dl_fini_dlopen_value_CX(void);

__attribute__((constructor)) static void
c_init(void)
{
	dl_fini_dlopen_event("+C");
}

__attribute__((destructor)) static void
c_fini(void)
{
	dl_fini_dlopen_event("-C");
}

int
dl_fini_dlopen_c_value(void)
{
	return dl_fini_dlopen_value_CX() + dl_fini_dlopen_d_value();
}
