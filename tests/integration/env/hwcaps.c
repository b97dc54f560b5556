/* SPDX-License-Identifier: MIT */
/*
 * hwcaps.c: prints which variant of its DT_NEEDED library
 * (libenv_hwcaps_needed.so) and of a library it dlopens by name
 * (libenv_hwcaps_dl.so) the loader found. run_env.py puts the variants of
 * both in glibc-hwcaps subdirectories (x86-64-v2, -v3, -v4 and a prepended
 * name) of an LD_LIBRARY_PATH or DT_RUNPATH directory and compares the
 * answers with glibc's: the best subdirectory the CPU supports, the
 * --glibc-hwcaps-prepend names before it, --glibc-hwcaps-mask's choice.
 * Would catch a loader that looks only in the directories themselves.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "t.h"

const char *env_hwcaps_needed(void);

int
main(void)
{
	void *h;
	const char *(*opened)(void) = NULL;

	t_check_loader();
	printf("hwcaps: needed %s\n", env_hwcaps_needed());
	h = dlopen("libenv_hwcaps_dl.so", RTLD_NOW);
	if (h)
		opened = (const char *(*)(void))dlsym(h, "env_hwcaps_opened");
	printf("hwcaps: dlopen %s\n", opened ? opened() : "failed");
	return t_status();
}
