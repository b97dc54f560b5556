/* SPDX-License-Identifier: MIT */
/*
 * dl_scope_dso_user.c: calls dl_scope_late, which none of its
 * dependencies defines: it binds lazily, on the first call, to whatever
 * the global scope holds then. dl_scope_find_late asks for it the other
 * way, dlsym(RTLD_DEFAULT) from here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

int dl_scope_late(void);

int
dl_scope_call_late(void)
{
	return dl_scope_late();
}

void *
dl_scope_find_late(void)
{
	void *p = dlsym(RTLD_DEFAULT, "dl_scope_late");

	/* Not a tail call: dlsym must see this library as its caller (a
	 * jump would leave the program's return address). */
	__asm__ volatile("" : : : "memory");
	return p;
}
