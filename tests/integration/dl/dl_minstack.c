/* SPDX-License-Identifier: MIT */
/*
 * dl_minstack.c: the loader's work on a thread's smallest stack. A thread
 * created with PTHREAD_STACK_MIN bytes (of which libc takes the static TLS
 * and the thread descriptor) dlopens a library by name (the search walks
 * DT_RUNPATH's directories and every glibc-hwcaps and legacy subdirectory
 * of each), calls into it through a lazily bound PLT slot, looks a symbol
 * up, closes it, and ends with pthread_exit, which makes libc dlopen
 * libgcc_s.so.1 for the unwinder on that same stack (glibc's
 * nptl/tst-minstack-exit). glibc's ld.so fits in that stack; a loader with
 * page-sized path buffers on the stack faults here.
 *
 * Usage: dl_minstack DIR (unused: the library is found through RUNPATH).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>

#include "t.h"

static void *
small_thread(void *arg)
{
	int (*add)(int);
	void *h;

	(void)arg;
	h = dlopen("libdl_minstack_dso.so", RTLD_LAZY);
	T_REQUIRE(h, "dlopen on a PTHREAD_STACK_MIN stack: %s", T_STR(dlerror()));
	add = (int (*)(int))dlsym(h, "dl_minstack_add");
	T_REQUIRE(add, "dlsym: %s", T_STR(dlerror()));
	/* Its first call binds the library's own PLT slot to libc's strlen. */
	T_CHECK(add(1) == 6, "dl_minstack_add(1) gave the wrong result");
	T_CHECK(dlsym(h, "dl_minstack_missing") == NULL, "a missing symbol found");
	T_CHECK(dlclose(h) == 0, "dlclose: %s", T_STR(dlerror()));
	pthread_exit((void *)small_thread);
}

int
main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t t;
	void *ret = NULL;

	(void)argc;
	(void)argv;
	t_check_loader();
	T_REQUIRE(pthread_attr_init(&attr) == 0, "pthread_attr_init");
	T_REQUIRE(pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN) == 0,
		  "pthread_attr_setstacksize");
	T_REQUIRE(pthread_create(&t, &attr, small_thread, NULL) == 0,
		  "pthread_create");
	T_REQUIRE(pthread_join(t, &ret) == 0, "pthread_join");
	T_CHECK(ret == (void *)small_thread, "the thread's pthread_exit value "
		"was lost");
	pthread_attr_destroy(&attr);
	if (!t_status())
		printf("dl_minstack: passed\n");
	return t_status();
}
