/* SPDX-License-Identifier: MIT */
/*
 * dl_threads.c: dlopen, dlsym and dlclose from 16 threads at once.
 *
 * Usage: dl_threads DIR, where DIR holds libdl_threads_dso*.so.
 *
 * Each thread runs 300 rounds; a round opens one of four libraries (all
 * sharing one dependency) RTLD_LAZY or RTLD_NOW, looks up and calls a
 * function that goes through lazily bound PLT slots, checks the result,
 * and closes the library; every few rounds it also opens a missing file
 * (its dlerror must be this thread's and glibc-worded) and walks
 * dl_iterate_phdr. Phase 2 repeats that and, every tenth round, also
 * opens and closes a library whose constructor calls dlopen and whose
 * destructor calls dlclose (glibc's recursive load lock). A watchdog turns a deadlock into a FAIL line instead of
 * a silent meson timeout. It would catch a non-recursive or missing load
 * lock, races on reference counts, the link map, the global scope, or
 * lazy binding, and dlerror state shared between threads.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "t.h"

#define NTHREADS 16
#define ROUNDS 300
#define NDSOS 4
#define WATCHDOG_SECONDS 100

static const char *dir;
static pthread_barrier_t start;
static atomic_int progress;
/* Phase 2 adds the library whose constructor calls dlopen. */
static bool with_recursion;

static void
watchdog(int sig)
{
	static const char msg[] = "FAIL: dl_threads: no progress for "
				  "100 seconds (deadlock?)\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

/* What dl_threads_work(x) in library n must return (dl_threads_dso.c). */
static int
expected(int n, int x)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "dso%d:%d", n, x);
	return (int)strlen(buf) * 31 + x + n * 1000 + 500000;
}

static int
count_objects(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	/* Read every field a corrupted list would break. */
	if (info->dlpi_phnum == 0 || info->dlpi_phdr == NULL)
		++*(int *)data;
	return 0;
}

static void
round_recursive(int id, int round, const char *rec)
{
	void *h = dlopen(rec, RTLD_NOW);
	int *status;
	int (*value)(void);

	T_REQUIRE(h != NULL, "thread %d round %d: dlopen rec: %s", id, round,
		  T_STR(dlerror()));
	status = dlsym(h, "dl_threads_rec_status");
	value = (int (*)(void))dlsym(h, "dl_threads_rec_value");
	T_REQUIRE(status && value, "thread %d: dlsym rec", id);
	T_CHECK(*status == 0, "thread %d: dlopen from a constructor failed "
			      "(status %d)", id, *status);
	T_CHECK(value() == 4242, "thread %d: leaf value %d", id, value());
	T_CHECK(dlclose(h) == 0, "thread %d: dlclose rec: %s", id,
		T_STR(dlerror()));
}

static void
round_missing(int id)
{
	char name[64], *path;
	const char *e;

	snprintf(name, sizeof(name), "libdl_threads_missing_%d.so", id);
	path = t_path(dir, name);
	T_CHECK(dlopen(path, RTLD_NOW) == NULL, "thread %d: missing file opened",
		id);
	e = dlerror();
	T_CHECK(t_msg_has(e, name, ": cannot open shared object file: No such "
				   "file or directory", NULL),
		"thread %d: dlerror '%s' is not this thread's error", id,
		T_STR(e));
	T_CHECK(dlerror() == NULL, "thread %d: dlerror not cleared", id);
	free(path);
}

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	char *paths[NDSOS], *rec = t_path(dir, "libdl_threads_dso_rec.so");

	for (int n = 0; n < NDSOS; n++) {
		char name[32];

		snprintf(name, sizeof(name), "libdl_threads_dso%d.so", n);
		paths[n] = t_path(dir, name);
	}
	pthread_barrier_wait(&start);
	for (int r = 0; r < ROUNDS; r++) {
		int n = (id + r) % NDSOS, x = id * ROUNDS + r, bad = 0;
		void *h = dlopen(paths[n], (r & 1) ? RTLD_NOW : RTLD_LAZY);
		int (*work)(int);
		int *dso_id;

		T_REQUIRE(h != NULL, "thread %d round %d: dlopen: %s", id, r,
			  T_STR(dlerror()));
		work = (int (*)(int))dlsym(h, "dl_threads_work");
		dso_id = dlsym(h, "dl_threads_id");
		T_REQUIRE(work && dso_id, "thread %d round %d: dlsym: %s", id, r,
			  T_STR(dlerror()));
		T_CHECK(*dso_id == n, "thread %d: library %d says it is %d", id,
			n, *dso_id);
		T_CHECK(work(x) == expected(n, x),
			"thread %d round %d: library %d computed %d, want %d", id,
			r, n, work(x), expected(n, x));
		/* The shared dependency is reachable through this handle. */
		T_CHECK(dlsym(h, "dl_threads_util_mix") != NULL,
			"thread %d: dependency missing from the handle's scope",
			id);
		T_CHECK(dlclose(h) == 0, "thread %d: dlclose: %s", id,
			T_STR(dlerror()));
		if (with_recursion && r % 10 == id % 10)
			round_recursive(id, r, rec);
		if (r % 25 == id % 25)
			round_missing(id);
		if (r % 16 == id) {
			dl_iterate_phdr(count_objects, &bad);
			T_CHECK(bad == 0, "thread %d: %d malformed phdr entries",
				id, bad);
		}
		atomic_fetch_add(&progress, 1);
	}
	for (int n = 0; n < NDSOS; n++)
		free(paths[n]);
	free(rec);
	return NULL;
}

/* One phase: NTHREADS workers, watched for progress, then joined. */
static void
run_phase(void)
{
	pthread_t threads[NTHREADS];
	int last = -1;

	atomic_store(&progress, 0);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		T_REQUIRE(pthread_create(&threads[i], NULL, worker,
					 (void *)(intptr_t)i) == 0,
			  "pthread_create %d", i);
	/* Re-arm the watchdog while the workers make progress. */
	alarm(WATCHDOG_SECONDS);
	while (atomic_load(&progress) < NTHREADS * ROUNDS) {
		int now = atomic_load(&progress);

		if (now != last) {
			alarm(WATCHDOG_SECONDS);
			last = now;
		}
		usleep(10000);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(threads[i], NULL);
	alarm(0);
	pthread_barrier_destroy(&start);
	for (int n = 0; n < NDSOS; n++) {
		char name[32];

		snprintf(name, sizeof(name), "libdl_threads_dso%d.so", n);
		T_CHECK(!t_mapped(name), "%s still mapped after every dlclose",
			name);
	}
}

int
main(int argc, char **argv)
{
	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_threads DIR");
	dir = argv[1];
	signal(SIGALRM, watchdog);

	/* Phase 1 first, so its verdict is known even if phase 2 crashes. */
	run_phase();
	printf("dl_threads: phase 1 (dlopen/dlsym/dlclose, lazy binding, "
	       "dlerror, dl_iterate_phdr) %s\n", t_status() ? "FAILED" : "passed");
	fflush(stdout);
	with_recursion = true;
	run_phase();
	T_CHECK(!t_mapped("libdl_threads_dso_leaf.so"),
		"library opened by a constructor still mapped after its "
		"opener's destructor closed it");
	printf("dl_threads: phase 2 (plus dlopen/dlclose from constructors and "
	       "destructors) %s\n", t_status() ? "FAILED" : "passed");
	return t_status();
}
