/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_stress.c: general-dynamic TLS of 120 libraries while 4 threads
 * dlopen and dlclose them and 4 others use the TLS of one that stays.
 *
 * Usage: dl_tls_stress DIR [CYCLES], where DIR holds
 * libdl_tls_stress_dso0.so .. libdl_tls_stress_dso119.so and CYCLES is
 * how many dlopen/dlclose pairs each churn thread makes (default 5000).
 *
 * Main opens the pinned library (libdl_tls_stress_dso0.so) before any
 * thread starts and keeps it open. Each churn thread (fixed rand_r seed)
 * holds up to 16 libraries open: it opens a random one it does not hold,
 * RTLD_NOW or RTLD_LAZY, and checks that the library's variable in this
 * thread holds that library's own initial value (a wrong block reads
 * another library's value, or a stale one garbage), that the zeroed pad
 * is zero and aligned, then marks it with a value of its own; it closes
 * a random one after checking its mark survived (the other threads'
 * writes are to their own blocks) and putting the initial value back, so
 * the next open expects the initial value whether or not the library was
 * unloaded in between (another thread may hold it). After every step it
 * checks and re-marks every library it holds, through both the returned
 * address and the library's own access. The reader threads mark and
 * check the pinned library's variable in a loop until the churn ends:
 * its address must never change and it must always hold what this thread
 * last wrote. It would catch a loader that hands out the wrong module's
 * block, shares blocks between threads, loses or moves a live block when
 * the DTV grows or a module ID is reused, or reuses a module ID without
 * giving the new library a fresh block. A watchdog turns a deadlock into
 * a FAIL line.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "dl_tls_stress.h"
#include "t.h"

#define NLIBS DL_TLS_STRESS_NLIBS
#define NCHURN 4
#define NREADERS 4
#define MAX_OPEN 16
#define DEFAULT_CYCLES 5000
#define PINNED 0
/* Reader rounds at least, even if the churn is over first. */
#define READER_MIN_ROUNDS 20000
#define WATCHDOG_SECONDS 45
/* Past this many failures the rest is noise: stop. */
#define MAX_FAILURES 20

/* A thread's mark: never any library's initial value. */
#define MARK(kind, tid, idx, n)                                                \
	((long)0x7e << 56 | (long)(kind) << 52 | (long)(tid) << 44 |           \
	 (long)(idx) << 32 | (long)((n) & 0xffffffff))

struct lib {
	void *h;
	int idx;
	int (*id)(void);
	long *(*addr)(void);
	long (*swap)(long);
	int (*check)(void);
	long *where; /* this thread's variable, as first seen */
	long last;   /* what this thread last wrote there */
};

static char *paths[NLIBS];
static int cycles = DEFAULT_CYCLES;
static struct lib pinned;
static pthread_barrier_t start;
static atomic_int progress;
static atomic_bool churn_done;
static long reader_rounds[NREADERS];
static long *reader_where[NREADERS];

/* Which library's initial value v is, or -1: names a wrong block. */
static int
whose_initial(long v)
{
	for (int n = 0; n < NLIBS; n++)
		if (v == DL_TLS_STRESS_INIT(n))
			return n;
	return -1;
}

/* Resolve a freshly opened library's functions (fatal if missing). */
static void
resolve(struct lib *l, const char *who)
{
	l->id = (int (*)(void))dlsym(l->h, "dl_tls_stress_id");
	l->addr = (long *(*)(void))dlsym(l->h, "dl_tls_stress_addr");
	l->swap = (long (*)(long))dlsym(l->h, "dl_tls_stress_swap");
	l->check = (int (*)(void))dlsym(l->h, "dl_tls_stress_check");
	T_REQUIRE(l->id && l->addr && l->swap && l->check,
		  "%s: dlsym in library %d: %s", who, l->idx, T_STR(dlerror()));
	T_REQUIRE(l->id() == l->idx, "%s: library %d says it is %d", who,
		  l->idx, l->id());
}

/*
 * A library this thread has just opened: its variable must hold the
 * initial value (fresh block, or one this thread put it back into).
 */
static void
check_fresh(struct lib *l, const char *who, int step)
{
	long want = DL_TLS_STRESS_INIT(l->idx), got;
	int bad;

	l->where = l->addr();
	got = *l->where;
	if (got != want) {
		int other = whose_initial(got);
		char why[64];

		if (other >= 0)
			snprintf(why, sizeof(why), "library %d's initial value: "
						   "wrong block", other);
		else
			snprintf(why, sizeof(why), "no library's initial value: "
						   "stale or foreign block");
		T_CHECK(0, "%s step %d: library %d after dlopen: TLS variable at "
			   "%p reads %#lx, want its initial %#lx (%s)",
			who, step, l->idx, (void *)l->where, (unsigned long)got,
			(unsigned long)want, why);
	}
	T_CHECK(((uintptr_t)l->where & 7) == 0,
		"%s step %d: library %d: variable at %p misaligned", who, step,
		l->idx, (void *)l->where);
	bad = l->check();
	T_CHECK(bad == 0, "%s step %d: library %d: .tbss pad %s%s", who, step,
		l->idx, bad & 1 ? "misaligned " : "", bad & 2 ? "not zero" : "");
	l->last = want;
}

/*
 * A library this thread holds: same address, still its own mark; then a
 * new mark, written through the library's own access this time.
 */
static void
check_mark(struct lib *l, const char *who, int step, long mark)
{
	long *now = l->addr(), got;

	T_CHECK(now == l->where, "%s step %d: library %d: variable moved from "
				 "%p to %p while open",
		who, step, l->idx, (void *)l->where, (void *)now);
	got = l->swap(mark);
	T_CHECK(got == l->last, "%s step %d: library %d: read %#lx, want %#lx "
				"(this thread's last write)%s",
		who, step, l->idx, (unsigned long)got, (unsigned long)l->last,
		whose_initial(got) >= 0 ? ": reset to an initial value" : "");
	got = *now;
	T_CHECK(got == mark, "%s step %d: library %d: wrote %#lx through the "
			     "library, read %#lx through its address",
		who, step, l->idx, (unsigned long)mark, (unsigned long)got);
	l->last = mark;
}

static void *
churn(void *arg)
{
	int tid = (int)(intptr_t)arg;
	unsigned int seed = 0x5eed1000u + (unsigned int)tid;
	struct lib open_libs[MAX_OPEN];
	bool held[NLIBS] = { false };
	int nopen = 0, done = 0, step = 0;
	char who[32];

	snprintf(who, sizeof(who), "churn thread %d", tid);
	pthread_barrier_wait(&start);
	while (done < cycles || nopen > 0) {
		bool do_open = nopen == 0 ||
			       (done + nopen < cycles && nopen < MAX_OPEN &&
				rand_r(&seed) % 2);

		step++;
		if (do_open) {
			struct lib *l = &open_libs[nopen];
			int mode = rand_r(&seed) % 2 ? RTLD_NOW : RTLD_LAZY;

			do
				l->idx = rand_r(&seed) % NLIBS;
			while (held[l->idx]);
			l->h = dlopen(paths[l->idx], mode);
			T_REQUIRE(l->h != NULL, "%s step %d: dlopen %s: %s", who,
				  step, paths[l->idx], T_STR(dlerror()));
			held[l->idx] = true;
			nopen++;
			resolve(l, who);
			check_fresh(l, who, step);
			*l->where = MARK(1, tid, l->idx, step);
			l->last = MARK(1, tid, l->idx, step);
		} else {
			int k = rand_r(&seed) % nopen;
			struct lib *l = &open_libs[k];

			check_mark(l, who, step, DL_TLS_STRESS_INIT(l->idx));
			T_CHECK(dlclose(l->h) == 0, "%s step %d: dlclose "
						    "library %d: %s",
				who, step, l->idx, T_STR(dlerror()));
			held[l->idx] = false;
			open_libs[k] = open_libs[--nopen];
			done++;
			atomic_fetch_add(&progress, 1);
		}
		for (int k = 0; k < nopen; k++)
			check_mark(&open_libs[k], who, step,
				   MARK(2, tid, open_libs[k].idx, step));
		t_bail_if_flooded("dl_tls_stress", MAX_FAILURES);
	}
	return NULL;
}

static void *
reader(void *arg)
{
	int tid = (int)(intptr_t)arg;
	char who[32];
	struct lib l = pinned;
	long round = 0;

	snprintf(who, sizeof(who), "reader thread %d", tid);
	pthread_barrier_wait(&start);
	/* A new thread: a fresh block of the pinned library. */
	check_fresh(&l, who, 0);
	reader_where[tid] = l.where;
	while (!atomic_load(&churn_done) || round < READER_MIN_ROUNDS) {
		round++;
		if (round % 2)
			check_mark(&l, who, (int)round,
				   MARK(3, tid, PINNED, round));
		else {
			/* Write through the address, read through the library. */
			long got;

			*l.where = MARK(4, tid, PINNED, round);
			got = l.swap(MARK(4, tid, PINNED, round));
			T_CHECK(got == MARK(4, tid, PINNED, round),
				"%s step %ld: wrote %#lx at %p, library reads "
				"%#lx",
				who, round,
				(unsigned long)MARK(4, tid, PINNED, round),
				(void *)l.where, (unsigned long)got);
			l.last = MARK(4, tid, PINNED, round);
		}
		t_bail_if_flooded("dl_tls_stress", MAX_FAILURES);
		if (round % 256 == 0)
			sched_yield();
	}
	reader_rounds[tid] = round;
	return NULL;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	pthread_t churners[NCHURN], readers[NREADERS];
	long main_mark = MARK(5, 0, PINNED, 1), total_rounds = 0;
	int last = -1, still_mapped = 0;
	double t0;

	t_check_loader();
	T_REQUIRE(argc == 2 || argc == 3, "usage: dl_tls_stress DIR [CYCLES]");
	if (argc == 3)
		cycles = atoi(argv[2]);
	T_REQUIRE(cycles > 0, "bad cycle count %s", argv[2]);
	for (int n = 0; n < NLIBS; n++) {
		char name[64];

		snprintf(name, sizeof(name), "libdl_tls_stress_dso%d.so", n);
		paths[n] = t_path(argv[1], name);
	}
	t0 = now_seconds();

	pinned.idx = PINNED;
	pinned.h = dlopen(paths[PINNED], RTLD_NOW);
	T_REQUIRE(pinned.h != NULL, "dlopen %s: %s", paths[PINNED],
		  T_STR(dlerror()));
	resolve(&pinned, "main thread");
	check_fresh(&pinned, "main thread", 0);
	check_mark(&pinned, "main thread", 0, main_mark);

	pthread_barrier_init(&start, NULL, NCHURN + NREADERS);
	for (int i = 0; i < NCHURN; i++)
		T_REQUIRE(pthread_create(&churners[i], NULL, churn,
					 (void *)(intptr_t)i) == 0,
			  "pthread_create churn %d", i);
	for (int i = 0; i < NREADERS; i++)
		T_REQUIRE(pthread_create(&readers[i], NULL, reader,
					 (void *)(intptr_t)i) == 0,
			  "pthread_create reader %d", i);
	t_watchdog("dl_tls_stress", WATCHDOG_SECONDS);
	while (atomic_load(&progress) < NCHURN * cycles) {
		int now = atomic_load(&progress);

		if (now != last) {
			t_watchdog("dl_tls_stress", WATCHDOG_SECONDS);
			last = now;
		}
		usleep(10000);
	}
	for (int i = 0; i < NCHURN; i++)
		pthread_join(churners[i], NULL);
	atomic_store(&churn_done, true);
	t_watchdog("dl_tls_stress", WATCHDOG_SECONDS);
	for (int i = 0; i < NREADERS; i++) {
		pthread_join(readers[i], NULL);
		total_rounds += reader_rounds[i];
	}
	t_watchdog(NULL, 0);

	for (int i = 0; i < NREADERS; i++)
		for (int j = 0; j < i; j++)
			T_CHECK(reader_where[i] != reader_where[j],
				"reader threads %d and %d share the pinned "
				"library's variable at %p", i, j,
				(void *)reader_where[i]);
	/* The main thread's mark outlived all of it. */
	check_mark(&pinned, "main thread", 1, main_mark);
	for (int n = 0; n < NLIBS; n++) {
		char name[64];

		snprintf(name, sizeof(name), "libdl_tls_stress_dso%d.so", n);
		if (n != PINNED && t_mapped(name) && still_mapped++ < 5)
			T_CHECK(0, "%s still mapped after every dlclose", name);
	}
	T_CHECK(still_mapped == 0, "%d libraries still mapped after every "
				   "dlclose", still_mapped);
	T_CHECK(dlclose(pinned.h) == 0, "dlclose pinned: %s", T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_tls_stress_dso0.so"),
		"pinned library still mapped after its last dlclose");
	printf("dl_tls_stress: %d churn threads x %d dlopen/dlclose cycles, "
	       "%d reader threads x %ld rounds on average, %.2f s: %s\n",
	       NCHURN, cycles, NREADERS, total_rounds / NREADERS,
	       now_seconds() - t0, t_status() ? "FAILED" : "passed");
	return t_status();
}
