/* SPDX-License-Identifier: MIT */
/*
 * dl_gdb.c: the program dl_gdb.sh runs under gdb: it dlopen's
 * libdl_gdb_dso.so after start-up (so gdb can only learn of it through
 * the loader's r_debug list and _dl_debug_state), calls dl_gdb_target in
 * it, and starts a second thread for "info threads".
 *
 * Usage: dl_gdb DIR, where DIR holds libdl_gdb_dso.so. Also a plain
 * self-checking test: exits 0 when the call returned the right value.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

#include "t.h"

static pthread_barrier_t both;

static void *
second(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&both);
	pthread_barrier_wait(&both);
	return NULL;
}

int
main(int argc, char **argv)
{
	int (*target)(int);
	pthread_t t;
	void *h;

	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_gdb DIR");
	pthread_barrier_init(&both, NULL, 2);
	T_REQUIRE(pthread_create(&t, NULL, second, NULL) == 0, "pthread_create");
	pthread_barrier_wait(&both);
	h = dlopen(t_path(argv[1], "libdl_gdb_dso.so"), RTLD_NOW);
	T_REQUIRE(h != NULL, "dlopen: %s", T_STR(dlerror()));
	target = (int (*)(int))dlsym(h, "dl_gdb_target");
	T_REQUIRE(target != NULL, "dlsym: %s", T_STR(dlerror()));
	T_CHECK(target(21) == 42, "dl_gdb_target(21) = %d", target(21));
	pthread_barrier_wait(&both);
	pthread_join(t, NULL);
	dlclose(h);
	return t_status();
}
