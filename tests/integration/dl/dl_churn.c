/* SPDX-License-Identifier: MIT */
/*
 * dl_churn.c: 16 threads dlopen, use and dlclose a few libraries over and
 * over (at least 10 000 cycles in all), and RSS stays flat.
 *
 * Usage: dl_churn DIR [CYCLES], where DIR holds libdl_churn_*.so and
 * CYCLES is each thread's cycle count (default 10 000: 160 000 in all).
 *
 * A cycle, with every result checked: dlopen (RTLD_LAZY) one of five
 * libraries, picked with rand_r from a fixed per-thread seed: two with
 * general-dynamic TLS, one with initial-exec TLS (static surplus), two
 * with general-dynamic TLS that call their dependency through a lazy PLT
 * slot (one also libc); dlsym dl_churn_work and call it (its first call
 * after a load binds the slot); check the library's TLS variable in this
 * thread holds its initial value (put back before each dlclose, since
 * another thread may keep the library loaded), mark it and read the mark
 * back; find the library (and its dependency) exactly once in
 * dl_iterate_phdr, with a page-aligned dlpi_addr whose executable
 * PT_LOAD holds the function, a TLS module ID and, if dlpi_tls_data is
 * set, a TLS block that holds the variable; dladdr the function: the
 * library's file, its base, the symbol's name and address; dlclose. RSS
 * is read after a warm-up of 32 cycles a thread (all threads stopped at
 * a barrier, nothing open) and at the end: it must not grow by more than
 * 8 MiB. It would catch races between loading, lazy binding, the
 * dl_iterate_phdr, dladdr and _dl_find_object walks and unloading, static TLS that is
 * not reused after dlclose, stale TLS blocks, and per-cycle leaks of
 * mappings, link maps, TLS blocks or module slots. A watchdog turns a
 * deadlock into a FAIL line. The summary line also gives dlpi_adds (how
 * many objects were ever loaded), which tells how many cycles really
 * loaded the library instead of finding it held by another thread.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dl_churn.h"
#include "t.h"

#define NTHREADS 16
#define DEFAULT_CYCLES 10000
#define MIN_TOTAL 10000
#define WARMUP 32
#define RSS_SLACK_KIB (8 * 1024)
#define WATCHDOG_SECONDS 45
#define MAX_FAILURES 20

struct lib {
	const char *file;
	int id;	       /* DSO_ID it was built with */
	bool dep;      /* calls libdl_churn_dso_dep.so through the PLT */
	bool ie;       /* initial-exec TLS */
	char *path;
};

static struct lib libs[] = {
	{ "libdl_churn_gd0.so", 0, false, false, NULL },
	{ "libdl_churn_gd1.so", 1, false, false, NULL },
	{ "libdl_churn_ie.so", 2, false, true, NULL },
	{ "libdl_churn_plt0.so", 3, true, false, NULL },
	{ "libdl_churn_plt1.so", 4, true, false, NULL },
};
#define NLIBS ((int)(sizeof(libs) / sizeof(libs[0])))
static const char dep_file[] = "libdl_churn_dso_dep.so";

static int cycles = DEFAULT_CYCLES;
static pthread_barrier_t phase;
static atomic_int progress;

/* Whether path ends with "/file" (or is file). */
static bool
names(const char *path, const char *file)
{
	size_t pl, fl = strlen(file);

	if (!path)
		return false;
	pl = strlen(path);
	return pl >= fl && strcmp(path + pl - fl, file) == 0 &&
	       (pl == fl || path[pl - fl - 1] == '/');
}

/* What one cycle learns from dl_iterate_phdr. */
struct walk {
	const struct lib *lib;
	const char *who;
	int cycle;
	void *fn;
	long *tls;
	int found, dep_found, entries;
	ElfW(Addr) addr, map_start;
};

static int
walk_one(struct dl_phdr_info *info, size_t size, void *data)
{
	struct walk *w = data;
	const struct lib *l = w->lib;
	bool fn_in_text = false, first_load = true;
	const ElfW(Phdr) *tls_ph = NULL;
	long page = sysconf(_SC_PAGESIZE);

	w->entries++;
	if (names(info->dlpi_name, dep_file))
		w->dep_found++;
	if (!names(info->dlpi_name, l->file))
		return 0;
	w->found++;
	w->addr = info->dlpi_addr;
	T_CHECK(info->dlpi_addr != 0 && info->dlpi_addr % page == 0,
		"%s cycle %d: %s: dlpi_addr %#lx is not a page-aligned load "
		"address", w->who, w->cycle, l->file,
		(unsigned long)info->dlpi_addr);
	T_CHECK(info->dlpi_phdr != NULL && info->dlpi_phnum > 0,
		"%s cycle %d: %s: no program headers (%p, %d)", w->who,
		w->cycle, l->file, (const void *)info->dlpi_phdr,
		info->dlpi_phnum);
	for (int i = 0; info->dlpi_phdr && i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		ElfW(Addr) lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_TLS)
			tls_ph = ph;
		if (ph->p_type != PT_LOAD)
			continue;
		if (first_load) {
			w->map_start = lo & ~(ElfW(Addr))(page - 1);
			first_load = false;
		}
		if ((ph->p_flags & PF_X) && (ElfW(Addr))w->fn >= lo &&
		    (ElfW(Addr))w->fn < lo + ph->p_memsz)
			fn_in_text = true;
	}
	T_CHECK(fn_in_text, "%s cycle %d: %s: dl_churn_work %p in no "
			    "executable PT_LOAD of dlpi_addr %#lx",
		w->who, w->cycle, l->file, w->fn,
		(unsigned long)info->dlpi_addr);
	T_CHECK(tls_ph != NULL, "%s cycle %d: %s: no PT_TLS", w->who, w->cycle,
		l->file);
	if (size < offsetof(struct dl_phdr_info, dlpi_tls_data) +
			   sizeof(info->dlpi_tls_data)) {
		T_CHECK(0, "%s cycle %d: dl_iterate_phdr size %zu lacks the "
			   "TLS fields", w->who, w->cycle, size);
		return 0;
	}
	T_CHECK(info->dlpi_tls_modid != 0, "%s cycle %d: %s: dlpi_tls_modid "
					   "0 for a library with TLS",
		w->who, w->cycle, l->file);
	/* NULL is allowed (not allocated yet in this thread's view). */
	if (info->dlpi_tls_data && tls_ph) {
		char *lo = info->dlpi_tls_data;

		T_CHECK((char *)w->tls >= lo &&
				(char *)w->tls < lo + tls_ph->p_memsz,
			"%s cycle %d: %s: TLS variable %p outside "
			"dlpi_tls_data %p + %#lx", w->who, w->cycle, l->file,
			(void *)w->tls, (void *)lo,
			(unsigned long)tls_ph->p_memsz);
	}
	return 0;
}

static void
one_cycle(const char *who, int tid, int cycle, unsigned int *seed)
{
	const struct lib *l = &libs[rand_r(seed) % NLIBS];
	long x = (long)tid * 100000 + cycle, want, got, mark;
	struct walk w = { l, who, cycle, NULL, NULL, 0, 0, 0, 0, 0 };
	long (*work)(long);
	long *(*tls)(void);
	int *id;
	void *h;
	Dl_info di;

	h = dlopen(l->path, RTLD_LAZY);
	T_REQUIRE(h != NULL, "%s cycle %d: dlopen %s: %s", who, cycle, l->path,
		  T_STR(dlerror()));
	work = (long (*)(long))dlsym(h, "dl_churn_work");
	tls = (long *(*)(void))dlsym(h, "dl_churn_tls");
	id = dlsym(h, "dl_churn_id");
	T_REQUIRE(work && tls && id, "%s cycle %d: dlsym in %s: %s", who,
		  cycle, l->file, T_STR(dlerror()));
	T_CHECK(*id == l->id, "%s cycle %d: %s says it is library %d, want %d",
		who, cycle, l->file, *id, l->id);

	want = l->dep ? DL_CHURN_WORK_DEP(x, l->id) : DL_CHURN_WORK_PLAIN(x, l->id);
	got = work(x);
	T_CHECK(got == want, "%s cycle %d: %s: dl_churn_work(%ld) = %ld, want "
			     "%ld%s", who, cycle, l->file, x, got, want,
		l->dep ? " (first call through the lazy PLT)" : "");
	got = work(x + 1);
	want = l->dep ? DL_CHURN_WORK_DEP(x + 1, l->id)
		      : DL_CHURN_WORK_PLAIN(x + 1, l->id);
	T_CHECK(got == want, "%s cycle %d: %s: second dl_churn_work(%ld) = %ld, "
			     "want %ld", who, cycle, l->file, x + 1, got, want);

	w.fn = (void *)work;
	w.tls = tls();
	got = *w.tls;
	T_CHECK(got == DL_CHURN_INIT(l->id), "%s cycle %d: %s (%s TLS): "
					     "variable at %p reads %#lx after "
					     "dlopen, want its initial %#lx",
		who, cycle, l->file, l->ie ? "initial-exec" : "general-dynamic",
		(void *)w.tls, (unsigned long)got,
		(unsigned long)DL_CHURN_INIT(l->id));
	mark = (long)0x7d << 56 | (long)tid << 40 | cycle;
	*w.tls = mark;
	T_CHECK(tls() == w.tls && *tls() == mark,
		"%s cycle %d: %s: wrote %#lx at %p, read %#lx at %p", who,
		cycle, l->file, (unsigned long)mark, (void *)w.tls,
		(unsigned long)*tls(), (void *)tls());

	dl_iterate_phdr(walk_one, &w);
	T_CHECK(w.found == 1, "%s cycle %d: %s listed %d times by "
			      "dl_iterate_phdr (%d entries)",
		who, cycle, l->file, w.found, w.entries);
	if (l->dep)
		T_CHECK(w.dep_found == 1, "%s cycle %d: %s loaded, its "
					  "dependency listed %d times",
			who, cycle, l->file, w.dep_found);

	memset(&di, 0, sizeof(di));
	T_CHECK(dladdr((void *)work, &di) != 0, "%s cycle %d: dladdr(%p) "
						"failed", who, cycle,
		(void *)work);
	T_CHECK(names(di.dli_fname, l->file),
		"%s cycle %d: dladdr(dl_churn_work of %s): dli_fname %s", who,
		cycle, l->file, T_STR(di.dli_fname));
	T_CHECK(di.dli_saddr == (void *)work && di.dli_sname &&
			strcmp(di.dli_sname, "dl_churn_work") == 0,
		"%s cycle %d: dladdr(%p) in %s: dli_sname %s dli_saddr %p", who,
		cycle, (void *)work, l->file, T_STR(di.dli_sname), di.dli_saddr);
	/* The unwinder's lookup, lock-free in glibc, while other threads
	 * load and unload. */
	{
		struct dl_find_object fo;

		T_CHECK(_dl_find_object((void *)work, &fo) == 0 &&
				(char *)fo.dlfo_map_start <= (char *)work &&
				(char *)work < (char *)fo.dlfo_map_end,
			"%s cycle %d: _dl_find_object(dl_churn_work of %s) "
			"failed or gave a range without it", who, cycle, l->file);
	}
	if (w.found == 1)
		T_CHECK((ElfW(Addr))di.dli_fbase == w.map_start,
			"%s cycle %d: %s: dli_fbase %p, want %#lx (first "
			"PT_LOAD of dlpi_addr %#lx)",
			who, cycle, l->file, di.dli_fbase,
			(unsigned long)w.map_start, (unsigned long)w.addr);

	/* Back to the initial value: the library may stay loaded. */
	T_CHECK(*w.tls == mark, "%s cycle %d: %s: mark %#lx became %#lx", who,
		cycle, l->file, (unsigned long)mark, (unsigned long)*w.tls);
	*w.tls = DL_CHURN_INIT(l->id);
	T_CHECK(dlclose(h) == 0, "%s cycle %d: dlclose %s: %s", who, cycle,
		l->file, T_STR(dlerror()));
	t_bail_if_flooded("dl_churn", MAX_FAILURES);
	atomic_fetch_add(&progress, 1);
}

static void *
worker(void *arg)
{
	int tid = (int)(intptr_t)arg;
	unsigned int seed = 0xc4u + 977u * (unsigned int)tid;
	char who[32];
	int c = 0;

	snprintf(who, sizeof(who), "thread %d", tid);
	for (; c < WARMUP && c < cycles; c++)
		one_cycle(who, tid, c, &seed);
	pthread_barrier_wait(&phase); /* 1: warm-up done */
	pthread_barrier_wait(&phase); /* 2: RSS read */
	for (; c < cycles; c++)
		one_cycle(who, tid, c, &seed);
	return NULL;
}

/* Lazy binding must be possible, or the PLT part proves nothing. */
static void
check_setup(void)
{
	for (int i = 0; i < NLIBS; i++) {
		void *h = dlopen(libs[i].path, RTLD_LAZY);
		struct link_map *lm;
		bool static_tls = false, now = false, plt = false;

		T_REQUIRE(h != NULL, "dlopen %s: %s", libs[i].path,
			  T_STR(dlerror()));
		T_REQUIRE(dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0, "dlinfo: %s",
			  T_STR(dlerror()));
		for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
			if (d->d_tag == DT_FLAGS &&
			    (d->d_un.d_val & DF_STATIC_TLS))
				static_tls = true;
			if (d->d_tag == DT_BIND_NOW ||
			    (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_BIND_NOW)) ||
			    (d->d_tag == DT_FLAGS_1 && (d->d_un.d_val & DF_1_NOW)))
				now = true;
			if (d->d_tag == DT_PLTRELSZ && d->d_un.d_val > 0)
				plt = true;
		}
		T_CHECK(static_tls == libs[i].ie, "test setup: %s %s "
						  "DF_STATIC_TLS",
			libs[i].file, static_tls ? "has" : "lacks");
		if (libs[i].dep)
			T_CHECK(plt && !now, "test setup: %s is bound %s",
				libs[i].file, now ? "now" : "without a PLT");
		T_CHECK(dlclose(h) == 0, "dlclose %s", libs[i].file);
	}
	T_CHECK(getenv("LD_BIND_NOW") == NULL, "test setup: LD_BIND_NOW is "
					       "set");
}

static int
read_adds(struct dl_phdr_info *info, size_t size, void *data)
{
	if (size >= offsetof(struct dl_phdr_info, dlpi_adds) +
			    sizeof(info->dlpi_adds))
		*(unsigned long long *)data = info->dlpi_adds;
	return 1;
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
	pthread_t threads[NTHREADS];
	long rss_warm, rss_end;
	unsigned long long adds = 0;
	int last = -1;
	double t0;

	t_check_loader();
	T_REQUIRE(argc == 2 || argc == 3, "usage: dl_churn DIR [CYCLES]");
	if (argc == 3)
		cycles = atoi(argv[2]);
	T_REQUIRE(cycles > WARMUP, "cycle count %d: more than %d needed",
		  cycles, WARMUP);
	if (NTHREADS * cycles < MIN_TOTAL)
		printf("dl_churn: note: %d cycles, fewer than the %d the test "
		       "is meant to run\n", NTHREADS * cycles, MIN_TOTAL);
	for (int i = 0; i < NLIBS; i++)
		libs[i].path = t_path(argv[1], libs[i].file);
	check_setup();
	t0 = now_seconds();

	pthread_barrier_init(&phase, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		T_REQUIRE(pthread_create(&threads[i], NULL, worker,
					 (void *)(intptr_t)i) == 0,
			  "pthread_create %d", i);
	t_watchdog("dl_churn", WATCHDOG_SECONDS);
	pthread_barrier_wait(&phase); /* 1 */
	rss_warm = t_rss_kib();
	pthread_barrier_wait(&phase); /* 2 */
	t_watchdog("dl_churn", WATCHDOG_SECONDS);
	while (atomic_load(&progress) < NTHREADS * cycles) {
		int now = atomic_load(&progress);

		if (now != last) {
			t_watchdog("dl_churn", WATCHDOG_SECONDS);
			last = now;
		}
		usleep(10000);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(threads[i], NULL);
	t_watchdog(NULL, 0);
	rss_end = t_rss_kib();

	T_CHECK(rss_warm > 0 && rss_end > 0, "cannot read /proc/self/statm");
	T_CHECK(rss_end - rss_warm <= RSS_SLACK_KIB,
		"RSS grew by %ld KiB from %ld KiB after the warm-up to %ld KiB "
		"after %d cycles (limit %d KiB)",
		rss_end - rss_warm, rss_warm, rss_end, NTHREADS * cycles,
		RSS_SLACK_KIB);
	for (int i = 0; i < NLIBS; i++)
		T_CHECK(!t_mapped(libs[i].file), "%s still mapped after every "
						 "dlclose", libs[i].file);
	T_CHECK(!t_mapped(dep_file), "%s still mapped after every dlclose",
		dep_file);
	dl_iterate_phdr(read_adds, &adds);
	printf("dl_churn: %d cycles (%d threads x %d), RSS %ld KiB after the "
	       "warm-up (%d cycles), %ld KiB at the end (%+ld KiB), "
	       "dlpi_adds %llu, %.2f s: %s\n",
	       NTHREADS * cycles, NTHREADS, cycles, rss_warm,
	       NTHREADS * WARMUP, rss_end, rss_end - rss_warm, adds,
	       now_seconds() - t0, t_status() ? "FAILED" : "passed");
	return t_status();
}
