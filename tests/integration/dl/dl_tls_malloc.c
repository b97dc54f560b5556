/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_malloc.c: dynamic TLS blocks come from the malloc the program
 * interposes, and that malloc may use dynamic TLS itself.
 *
 * Usage: dl_tls_malloc DIR, where DIR holds libdl_tls_dso_gd.so.
 *
 * The program links libdl_tls_malloc_dso.so (a counting malloc whose
 * counter is a general-dynamic TLS variable) before libc. It opens and
 * closes the TLS library 40 times; each round a new thread touches the
 * library's TLS (its block is allocated on first use) and so does the
 * main thread, after the DTV had to drop the block of the previous
 * round's copy (freed by free). glibc's ld.so takes those blocks from the
 * interposed malloc (its __rtld_malloc is bound after relocation), so the
 * thread's count must grow by a first TLS access; a loader that calls
 * the interposed malloc or free while holding its TLS lock hangs (the
 * malloc's own TLS access re-enters __tls_get_addr), which the test's
 * timeout turns into a failure.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

#include "t.h"

unsigned long dl_tls_malloc_count(void);

static int *(*gd_addr)(void);

static void *
touch(void *arg)
{
	unsigned long before = dl_tls_malloc_count();
	int *p = gd_addr();

	(void)arg;
	T_CHECK(*p == 5, "new thread: dl_tls_gd is %d, want its image's 5", *p);
	*p = 6;
	T_CHECK(dl_tls_malloc_count() > before,
		"the thread's first TLS access called the interposed malloc "
		"%lu times, want at least once", dl_tls_malloc_count() - before);
	return NULL;
}

int
main(int argc, char **argv)
{
	int round;

	T_REQUIRE(argc == 2, "usage: dl_tls_malloc DIR");
	t_check_loader();
	for (round = 0; round < 40; round++) {
		char *path = t_path(argv[1], "libdl_tls_dso_gd.so");
		void *h = dlopen(path, RTLD_NOW);
		pthread_t t;
		int *p;

		T_REQUIRE(h, "dlopen %s: %s", path, T_STR(dlerror()));
		free(path);
		gd_addr = (int *(*)(void))dlsym(h, "dl_tls_gd_addr");
		T_REQUIRE(gd_addr, "dlsym dl_tls_gd_addr: %s", T_STR(dlerror()));
		T_REQUIRE(pthread_create(&t, NULL, touch, NULL) == 0,
			  "pthread_create");
		pthread_join(t, NULL);
		p = gd_addr();
		T_CHECK(*p == 5, "round %d: main thread's dl_tls_gd is %d, "
			"want 5 (a fresh block, not the last round's)", round, *p);
		*p = 7;
		T_CHECK(dlclose(h) == 0, "dlclose: %s", T_STR(dlerror()));
	}
	T_CHECK(dl_tls_malloc_count() > 0, "the interposed malloc was never called");
	if (!t_status())
		printf("dl_tls_malloc: 40 rounds, %lu calls of the interposed "
		       "malloc in the main thread: passed\n", dl_tls_malloc_count());
	return t_status();
}
