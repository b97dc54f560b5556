/* SPDX-License-Identifier: MIT */
/*
 * lazy_race.c: 16 threads racing to resolve the same unresolved PLT slots.
 * The parent never calls the 64 library functions; it forks 16 children,
 * each inheriting fresh slots, and in each child 16 threads meet at a
 * barrier and then call all of lazy_race_f0 .. lazy_race_f63, half of them
 * upwards and half downwards, so eight threads enter the lazy-binding
 * trampoline for the same slot at once while two slots are resolved
 * concurrently. Every call must return its own function's value, and every
 * function must have run exactly 16 times in each child. Would catch a
 * resolver that is not thread-safe (a shared scratch buffer, a slot or
 * lookup cache updated non-atomically, the trampoline's save area shared
 * between threads). Built -z lazy; run also under LD_BIND_NOT=1, where
 * every call of every thread resolves.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lazy_race.h"
#include "t.h"

#define NTHREADS 16
#define NCHILDREN 16

static pthread_barrier_t barrier;

/* A direct call of lazy_race_fN, each through its own PLT slot (taking an
 * address would bind the symbol at start-up instead). */
static long
call(int n, long x)
{
	switch (n) {
#define LAZY_RACE_CASE(n)                                                      \
	case n:                                                                \
		return lazy_race_f##n(x);
		LAZY_RACE_FUNCS(LAZY_RACE_CASE)
	}
	return -1;
}

/* Even threads call f0 up to f63, odd ones f63 down to f0: eight threads
 * race for each slot, while two slots are resolved at once. */
static void *
racer(void *arg)
{
	long id = (long)arg;
	long wrong = 0;

	pthread_barrier_wait(&barrier);
	for (int i = 0; i < LAZY_RACE_NFUNCS; i++) {
		int n = id % 2 ? LAZY_RACE_NFUNCS - 1 - i : i;

		if (call(n, id) != id * LAZY_RACE_NFUNCS + n)
			wrong++;
	}
	return (void *)wrong;
}

/* One child's race: returns 0 when every call landed right. */
static int
race(void)
{
	pthread_t threads[NTHREADS];
	long wrong = 0;

	T_REQUIRE(pthread_barrier_init(&barrier, NULL, NTHREADS) == 0,
		  "pthread_barrier_init");
	for (long i = 0; i < NTHREADS; i++)
		T_REQUIRE(pthread_create(&threads[i], NULL, racer, (void *)i) == 0,
			  "pthread_create %ld", i);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		T_REQUIRE(pthread_join(threads[i], &ret) == 0, "pthread_join %d", i);
		wrong += (long)ret;
	}
	T_CHECK(wrong == 0, "%ld calls returned another function's value", wrong);
	for (int n = 0; n < LAZY_RACE_NFUNCS; n++)
		T_CHECK(lazy_race_calls[n] == NTHREADS,
			"lazy_race_f%d ran %ld times, want %d", n,
			lazy_race_calls[n], NTHREADS);
	return t_status();
}

int
main(void)
{
	int failed = 0;

	t_check_loader();
	fflush(stdout);
	for (int c = 0; c < NCHILDREN; c++) {
		pid_t pid = fork();
		int status;

		T_REQUIRE(pid >= 0, "fork");
		if (pid == 0)
			_exit(race());
		T_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "FAIL: child %d: status %#x\n", c, status);
			failed++;
		}
	}
	printf("lazy_race: %d children x %d threads x %d functions: %s\n",
	       NCHILDREN, NTHREADS, LAZY_RACE_NFUNCS, failed ? "FAILED" : "ok");
	return failed ? 1 : t_status();
}
