/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen_x.c: a private dependency, built twice: with
 * -DX_NAME=AX as libdl_fini_dlopen_ax.so (needed by A only) and with
 * -DX_NAME=CX as libdl_fini_dlopen_cx.so (needed by C only). Each must
 * go away with the library that needs it.
 */
#include "dl_fini_dlopen.h"

#define STR2(x) #x
#define STR(x) STR2(x)
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)

__attribute__((constructor)) static void
x_init(void)
{
	dl_fini_dlopen_event("+" STR(X_NAME));
}

__attribute__((destructor)) static void
x_fini(void)
{
	dl_fini_dlopen_event("-" STR(X_NAME));
}

int
CAT(dl_fini_dlopen_value_, X_NAME)(void)
{
	return 100;
}
