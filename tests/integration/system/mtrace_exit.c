/* SPDX-License-Identifier: MIT */
/*
 * mtrace_exit.c: a program under mtrace(3) (MALLOC_TRACE set, glibc's
 * libc_malloc_debug.so preloaded by the runner) exits normally. At exit
 * libc then runs __libc_freeres, which walks the loader's data in
 * _rtld_global (search directories, link maps' name lists, the global
 * scope, the TLS slot lists) and frees what it believes libc's malloc
 * gave: anything the loader leaves inconsistent there crashes it, after
 * the program's own output. A failed dlopen while tracing also exercises
 * the loader's allocations on the error path.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <mcheck.h>
#include <stdio.h>

int
main(void)
{
	void *h;

	mtrace();
	h = dlopen("libm.so.6", RTLD_NOW);
	printf("libm: %s\n", h ? "opened" : dlerror());
	printf("missing: %s\n", dlopen("libmyld-no-such-library.so", RTLD_NOW) ?
	       "opened" : "failed");
	if (h)
		dlclose(h);
	puts("exiting");
	return 0;
}
