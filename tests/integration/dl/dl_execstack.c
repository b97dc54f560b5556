/* SPDX-License-Identifier: MIT */
/*
 * dl_execstack.c: dlopen of a library that needs an executable stack
 * (PT_GNU_STACK with PF_X) makes every thread's stack executable, as
 * glibc's ld.so does.
 *
 * Usage: dl_execstack DIR, where DIR holds libdl_execstack_dso.so.
 *
 * The program's own stack is not executable (checked in /proc/self/maps).
 * A thread is started before the dlopen and waits; after the dlopen the
 * main thread, that thread and a thread created afterwards each call the
 * library's function, which runs a trampoline on the caller's stack. A
 * loader that ignores the library's PT_GNU_STACK, changes only the main
 * thread's stack, or does not tell libc (new threads) faults here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

#include "t.h"

static int (*call)(int);
static pthread_barrier_t loaded;

/* Whether the mapping holding addr is executable. */
static int
executable(const void *addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int x = -1;

	T_REQUIRE(f, "cannot read /proc/self/maps");
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
		    (unsigned long)addr >= lo && (unsigned long)addr < hi)
			x = perms[2] == 'x';
	}
	fclose(f);
	return x;
}

static void *
early_thread(void *arg)
{
	int here;

	(void)arg;
	pthread_barrier_wait(&loaded);
	T_CHECK(executable(&here) == 1, "a thread started before the dlopen: "
		"its stack is not executable");
	T_CHECK(call(41) == 42, "thread started before the dlopen: wrong result");
	return NULL;
}

static void *
late_thread(void *arg)
{
	int here;

	(void)arg;
	T_CHECK(executable(&here) == 1, "a thread started after the dlopen: "
		"its stack is not executable");
	T_CHECK(call(1) == 2, "thread started after the dlopen: wrong result");
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t early, late;
	char *path;
	void *h;
	int here;

	T_REQUIRE(argc == 2, "usage: dl_execstack DIR");
	t_check_loader();
	T_REQUIRE(executable(&here) == 0, "the stack is executable before the "
		  "dlopen: the test proves nothing");
	pthread_barrier_init(&loaded, NULL, 2);
	T_REQUIRE(pthread_create(&early, NULL, early_thread, NULL) == 0,
		  "pthread_create");
	path = t_path(argv[1], "libdl_execstack_dso.so");
	h = dlopen(path, RTLD_NOW);
	T_REQUIRE(h, "dlopen %s: %s", path, T_STR(dlerror()));
	free(path);
	call = (int (*)(int))dlsym(h, "dl_execstack_call");
	T_REQUIRE(call, "dlsym: %s", T_STR(dlerror()));
	T_CHECK(executable(&here) == 1, "the main thread's stack is not "
		"executable after the dlopen");
	T_CHECK(call(9) == 10, "main thread: wrong result");
	pthread_barrier_wait(&loaded);
	pthread_join(early, NULL);
	T_REQUIRE(pthread_create(&late, NULL, late_thread, NULL) == 0,
		  "pthread_create");
	pthread_join(late, NULL);
	if (!t_status())
		printf("dl_execstack: passed\n");
	return t_status();
}
