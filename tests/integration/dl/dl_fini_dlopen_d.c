/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen_d.c: libdl_fini_dlopen_d.so, needed by A, B and C: it
 * must stay loaded while B does, whatever A's destructor does.
 */
#include "dl_fini_dlopen.h"

__attribute__((constructor)) static void
d_init(void)
{
	dl_fini_dlopen_event("+D");
}

__attribute__((destructor)) static void
d_fini(void)
{
	dl_fini_dlopen_event("-D");
}

int
dl_fini_dlopen_d_value(void)
{
	return 40;
}
