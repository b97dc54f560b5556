/* SPDX-License-Identifier: MIT */
/* dl_minstack.c's library: one function that calls libc through its PLT. */
#include <string.h>

int
dl_minstack_add(int x)
{
	return x + (int)strlen("hello");
}
