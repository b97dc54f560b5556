/* SPDX-License-Identifier: MIT */
/*
 * dl_threads_dso_rec.c: a library whose constructor calls dlopen (of
 * libdl_threads_dso_leaf.so, found through this library's
 * DT_RUNPATH=$ORIGIN) and whose destructor calls dlclose, so the loader's
 * load lock must be recursive, as glibc's is, and dlopen from a
 * constructor must search the constructor's object's run path.
 */
#include <dlfcn.h>
#include <stddef.h>

static void *leaf;
static int (*leaf_value)(void);
int dl_threads_rec_status = -1;

__attribute__((constructor)) static void
rec_init(void)
{
	leaf = dlopen("libdl_threads_dso_leaf.so", RTLD_NOW);
	if (!leaf) {
		dl_threads_rec_status = 1;
		return;
	}
	leaf_value = (int (*)(void))dlsym(leaf, "dl_threads_leaf_value");
	dl_threads_rec_status = leaf_value ? 0 : 2;
}

__attribute__((destructor)) static void
rec_fini(void)
{
	if (leaf)
		dlclose(leaf);
}

int
dl_threads_rec_value(void)
{
	return leaf_value ? leaf_value() : -1;
}
