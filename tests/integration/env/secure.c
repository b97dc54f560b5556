/* SPDX-License-Identifier: MIT */
/*
 * secure.c: the program run_env.py makes set-user-ID (owned by nobody) to
 * test secure mode for real. It prints its real and effective user ids
 * (getuid() is what secure_preload_dso would interpose), every variable of
 * its environment, and what dlopen("libenv_secure_dso.so") found: the
 * library beside it (DT_RUNPATH $ORIGIN), the one in LD_LIBRARY_PATH, or
 * nothing. run_env.py checks that under AT_SECURE LD_PRELOAD,
 * LD_LIBRARY_PATH, LD_DEBUG and $ORIGIN took no effect and glibc's unsafe
 * variables are gone from this environment, and, from a run of the same
 * file without the set-user-ID bit, that each of them would have been seen.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

#include "t.h"

extern char **environ;

int
main(void)
{
	void *h;

	t_check_loader();
	printf("secure: uid=%u euid=%u\n", (unsigned)getuid(), (unsigned)geteuid());
	for (char **e = environ; *e; e++)
		printf("env %s\n", *e);
	h = dlopen("libenv_secure_dso.so", RTLD_NOW);
	if (h) {
		const char *(*who)(void) =
			(const char *(*)(void))dlsym(h, "secure_dso_who");

		printf("secure: dlopen found %s\n", who ? who() : "(no secure_dso_who)");
	} else {
		printf("secure: dlopen found nothing\n");
	}
	return t_status();
}
