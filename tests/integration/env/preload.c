/* SPDX-License-Identifier: MIT */
/*
 * preload.c: a small program whose libc calls a preload library can
 * interpose. It prints what it got from time(), getuid(), getgid() and
 * puts(), and which definition of env_preload_order() comes first in the
 * global scope (dlsym(RTLD_DEFAULT)): "none" without preloads, else the
 * first preload of the list. run_env.py runs it with LD_PRELOAD lists
 * (space- and colon-separated, names found via LD_LIBRARY_PATH, paths),
 * with --preload, and with a missing preload, comparing with the system
 * loader. Would catch preloads loaded after the program's libraries (no
 * interposition), in the wrong order, or not at all. It calls mtrace():
 * with glibc's libc_malloc_debug.so preloaded and MALLOC_TRACE set, libc
 * then runs __libc_freeres at exit, which walks the loader's data.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <mcheck.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "t.h"

int
main(void)
{
	const char *(*order)(void);

	t_check_loader();
	mtrace();
	printf("preload: time=%s\n", time(NULL) == 1000000000 ? "fixed" : "real");
	printf("preload: uid=%s\n", getuid() == 4242 ? "4242" : "real");
	printf("preload: gid=%s\n", getgid() == 4343 ? "4343" : "real");
	puts("preload: this line went through puts");
	order = (const char *(*)(void))dlsym(RTLD_DEFAULT, "env_preload_order");
	printf("preload: first env_preload_order: %s\n", order ? order() : "none");
	return t_status();
}
