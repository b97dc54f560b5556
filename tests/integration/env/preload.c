/* SPDX-License-Identifier: MIT */
/*
 * preload.c: a small program whose libc calls a preload library can
 * interpose. It prints what it got from time(), getuid(), getgid() and
 * puts(), and which definition of env_preload_order() comes first in the
 * global scope (dlsym(RTLD_DEFAULT)): "none" without preloads, else the
 * first preload of the list, and the chain of env_preload_chain()
 * definitions each preload reaches with dlsym(RTLD_NEXT): the preloads in
 * list order ("ab"), or "none". run_env.py runs it with LD_PRELOAD lists
 * (space- and colon-separated, names found via LD_LIBRARY_PATH, paths),
 * with --preload, and with a missing preload, comparing with the system
 * loader. Would catch preloads loaded after the program's libraries (no
 * interposition), in the wrong order, or not at all, and an RTLD_NEXT
 * that does not search on from one preload into the next.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "t.h"

int
main(void)
{
	const char *(*order)(void);
	void (*chain)(char *);
	char links[16] = "none";

	t_check_loader();
	printf("preload: time=%s\n", time(NULL) == 1000000000 ? "fixed" : "real");
	printf("preload: uid=%s\n", getuid() == 4242 ? "4242" : "real");
	printf("preload: gid=%s\n", getgid() == 4343 ? "4343" : "real");
	puts("preload: this line went through puts");
	order = (const char *(*)(void))dlsym(RTLD_DEFAULT, "env_preload_order");
	printf("preload: first env_preload_order: %s\n", order ? order() : "none");
	chain = (void (*)(char *))dlsym(RTLD_DEFAULT, "env_preload_chain");
	if (chain)
		chain(links);
	printf("preload: RTLD_NEXT chain: %s\n", links);
	return t_status();
}
