/* SPDX-License-Identifier: MIT */
/*
 * dl_fault.c: dlopen when memory runs out must fail cleanly, never end
 * the process.
 *
 * Usage: dl_fault DIR, where DIR holds libdl_fault_dso*.so and
 * libdl_fault_big.so.
 *
 * Under myld-fault.so (the test build of myld, found through its
 * myld_fault_* exports) the library with dependencies, TLS (dynamic and
 * initial-exec), versions and an IFUNC is opened with the Nth allocation
 * of myld's allocator failing, for every N until the dlopen needs fewer
 * allocations than N: once with only the Nth failing, once with every
 * allocation from the Nth on failing, in RTLD_LAZY|RTLD_LOCAL and
 * RTLD_NOW|RTLD_GLOBAL. Each failing dlopen must return NULL with a
 * non-empty dlerror(), leave no block of myld's allocator behind and
 * nothing mapped, and the next dlopen (injection off) must work: the
 * functions bind, the constructor ran once, TLS holds its images. A
 * dlclose with allocations failing must succeed and leave nothing behind
 * once the next dlclose has run; the same for the scope changes of
 * dl_scope's libraries (a dlopen that extends an older library's scope,
 * a dlclose that purges it). Then,
 * under any loader (the system's too), dlopen under RLIMIT_AS: a library
 * whose 1 GiB .bss cannot be mapped, and the same library with no address
 * space left at all, each NULL with dlerror(), and both work again once
 * the limit is lifted. It would catch a loader that exits or crashes on
 * an allocation failure, swallows one, or leaks what a failed load took.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <sys/resource.h>

#include "t.h"

/* crt/alloc.h's struct crt_alloc_stats, as myld-fault.so fills it. */
struct fault_stats {
	size_t blocks;
	size_t bytes;
	unsigned long calls;
	unsigned long failed;
};

static void (*fail_nth)(unsigned long n, int every_after);
static void (*get_stats)(struct fault_stats *out);
static const char *lib_path, *weak_path, *scope_a_path, *scope_b_path;

/* Opens the library, checks everything it offers, closes it. */
static void
check_works(const char *when)
{
	void *h = dlopen(lib_path, RTLD_NOW);
	int (*sum)(void), (*constructed)(void);
	int *(*tls)(void);
	char *(*tls_zero)(void);
	char *z;
	int i;

	T_REQUIRE(h != NULL, "%s: dlopen: %s", when, T_STR(dlerror()));
	sum = (int (*)(void))dlsym(h, "dl_fault_sum");
	constructed = (int (*)(void))dlsym(h, "dl_fault_constructed");
	tls = (int *(*)(void))dlsym(h, "dl_fault_tls_addr");
	tls_zero = (char *(*)(void))dlsym(h, "dl_fault_tls_zero_addr");
	T_REQUIRE(sum && constructed && tls && tls_zero, "%s: dlsym: %s", when,
		  T_STR(dlerror()));
	T_CHECK(sum() == 1107, "%s: dl_fault_sum() = %d, not 1107", when, sum());
	T_CHECK(constructed() == 1, "%s: constructor ran %d times", when,
		constructed());
	T_CHECK(*tls() == 42, "%s: TLS image %d, not 42", when, *tls());
	z = tls_zero();
	for (i = 0; i < 64 && z[i] == 0; i++)
		;
	T_CHECK(i == 64, "%s: .tbss not zero", when);
	T_CHECK(dlclose(h) == 0, "%s: dlclose: %s", when, T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_fault_dso.so"), "%s: still mapped after dlclose",
		when);
}

/* One dlopen with allocation n failing (every_after: and the rest).
 * Returns false once the dlopen needed fewer than n allocations. */
static bool
open_failing(unsigned long n, int every_after, int mode)
{
	struct fault_stats before, after;
	char when[128];
	const char *err;
	void *h;

	snprintf(when, sizeof(when), "allocation %lu%s failing, mode %#x", n,
		 every_after ? " and later" : "", mode);
	get_stats(&before);
	fail_nth(n, every_after);
	h = dlopen(lib_path, mode);
	fail_nth(0, 0);
	get_stats(&after);
	err = dlerror();
	if (after.failed == before.failed) {
		/* Nothing failed: this dlopen must have worked. */
		T_REQUIRE(h != NULL, "%s (not reached): dlopen: %s", when, T_STR(err));
		T_CHECK(dlclose(h) == 0, "%s: dlclose", when);
		return false;
	}
	if (h) {
		t_fail(__FILE__, __LINE__, "%s: dlopen succeeded anyway", when);
		dlclose(h);
	} else {
		T_CHECK(err && *err, "%s: NULL without a dlerror() message", when);
		T_CHECK(after.blocks == before.blocks && after.bytes == before.bytes,
			"%s: %s: leaked %ld blocks, %ld bytes", when, T_STR(err),
			(long)(after.blocks - before.blocks),
			(long)(after.bytes - before.bytes));
		T_CHECK(!t_mapped("libdl_fault_dso.so") &&
			!t_mapped("libdl_fault_dso_dep.so") &&
			!t_mapped("libdl_fault_dso_ie.so"),
			"%s: a library stayed mapped", when);
	}
	check_works(when);
	return true;
}

/* dlclose of an RTLD_GLOBAL library (its scope leaves the global scope)
 * with allocation n failing and the rest too: it must succeed, and
 * whatever it could not unload must go with the next dlclose. */
static bool
close_failing(unsigned long n)
{
	struct fault_stats before, after;
	void *h = dlopen(lib_path, RTLD_NOW | RTLD_GLOBAL), *again, *sym, *weak;
	void *self = dlopen(NULL, RTLD_NOW);
	int (*probe)(void);
	int rc;

	T_REQUIRE(h != NULL && self != NULL, "dlopen for dlclose %lu: %s", n,
		  T_STR(dlerror()));
	get_stats(&before);
	fail_nth(n, 1);
	rc = dlclose(h);
	fail_nth(0, 0);
	get_stats(&after);
	T_CHECK(rc == 0, "dlclose with allocation %lu failing: %s", n,
		T_STR(dlerror()));
	/* Unloaded, or kept for later: never an unloaded object left in
	 * the global scope, which relocating the next library walks. The
	 * program's handle searches the global scope; RTLD_DEFAULT would
	 * too, but a definition it finds for the program in a dlopen'ed
	 * library keeps that library loaded for good (glibc's rule). */
	sym = dlsym(self, "dl_fault_sum");
	T_CHECK(sym == NULL || t_mapped("libdl_fault_dso.so"),
		"dlclose with allocation %lu failing: dl_fault_sum found at %p "
		"in an unloaded library", n, sym);
	weak = dlopen(weak_path, RTLD_NOW);
	T_REQUIRE(weak != NULL, "dlopen weak after dlclose %lu: %s", n,
		  T_STR(dlerror()));
	probe = (int (*)(void))dlsym(weak, "dl_fault_weak_probe");
	T_CHECK(probe && probe() == 7, "weak probe after dlclose %lu", n);
	dlclose(weak);
	again = dlopen(lib_path, RTLD_NOW);
	T_REQUIRE(again != NULL, "dlopen after dlclose %lu: %s", n,
		  T_STR(dlerror()));
	T_CHECK(dlclose(again) == 0, "second dlclose after %lu", n);
	dlclose(self);
	T_CHECK(!t_mapped("libdl_fault_dso.so") &&
		!t_mapped("libdl_fault_dso_dep.so"),
		"dlclose with allocation %lu failing: never unloaded", n);
	return after.failed != before.failed;
}

/* dl_scope's libraries: a loads shared; opening b, which needs shared
 * too, adds b's search list to shared's scope; closing a purges a from
 * it. Each with allocation n and the rest failing: the dlopen fails
 * cleanly or works, the dlclose succeeds (unloading a now or later), and
 * shared still finds its hook in b. Returns false once nothing failed. */
static bool
scope_failing(unsigned long n)
{
	struct fault_stats before, after;
	void *a = dlopen(scope_a_path, RTLD_LAZY), *b;
	int (*fb)(void);
	bool reached;
	int rc;

	T_REQUIRE(a != NULL, "dlopen scope a: %s", T_STR(dlerror()));
	get_stats(&before);
	fail_nth(n, 1);
	b = dlopen(scope_b_path, RTLD_LAZY);
	fail_nth(0, 0);
	get_stats(&after);
	reached = after.failed != before.failed;
	if (!b) {
		T_CHECK(reached, "scope b, allocation %lu: NULL without a failure: %s",
			n, T_STR(dlerror()));
		T_CHECK(after.blocks == before.blocks,
			"scope b, allocation %lu failing: leaked %ld blocks", n,
			(long)(after.blocks - before.blocks));
		T_CHECK(!t_mapped("libdl_scope_dso_b.so"),
			"scope b, allocation %lu failing: b stayed mapped", n);
		b = dlopen(scope_b_path, RTLD_LAZY);
		T_REQUIRE(b != NULL, "dlopen scope b: %s", T_STR(dlerror()));
	}
	get_stats(&before);
	fail_nth(n, 1);
	rc = dlclose(a);
	fail_nth(0, 0);
	get_stats(&after);
	reached = reached || after.failed != before.failed;
	T_CHECK(rc == 0, "dlclose scope a with allocation %lu failing: %s", n,
		T_STR(dlerror()));
	fb = (int (*)(void))dlsym(b, "dl_scope_b");
	T_CHECK(fb && fb() == 11, "scope b after dlclose of a, allocation %lu", n);
	T_CHECK(dlclose(b) == 0, "dlclose scope b after %lu", n);
	T_CHECK(!t_mapped("libdl_scope_dso_a.so") &&
		!t_mapped("libdl_scope_dso_b.so") &&
		!t_mapped("libdl_scope_dso_shared.so"),
		"scope libraries, allocation %lu failing: never unloaded", n);
	return reached;
}

static void
inject_everywhere(void)
{
	static const int modes[] = { RTLD_LAZY | RTLD_LOCAL, RTLD_NOW | RTLD_GLOBAL };
	unsigned long n, points = 0;
	size_t m;
	int every;

	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (every = 0; every < 2; every++) {
			for (n = 1; n < 100000 && open_failing(n, every, modes[m]); n++)
				points++;
			T_CHECK(n > 10, "mode %#x: only %lu allocations in a dlopen?",
				modes[m], n - 1);
		}
	fprintf(stderr, "dl_fault: %lu failing dlopen calls checked\n", points);
	for (n = 1; n < 1000 && close_failing(n); n++)
		;
	fprintf(stderr, "dl_fault: %lu failing dlclose calls checked\n", n - 1);
	for (n = 1; n < 1000 && scope_failing(n); n++)
		;
	T_CHECK(n > 2, "only %lu allocations in scope changes?", n - 1);
	fprintf(stderr, "dl_fault: %lu failing scope changes checked\n", n - 1);
}

/* Virtual memory in use, bytes (/proc/self/statm). */
static size_t
vm_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;

	T_REQUIRE(f && fscanf(f, "%lu", &pages) == 1, "cannot read statm");
	fclose(f);
	return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* dlopen under RLIMIT_AS of what is mapped now plus slack bytes. */
static void
open_limited(const char *path, size_t slack, const char *what)
{
	struct rlimit old, low;
	const char *err;
	void *h;

	T_REQUIRE(getrlimit(RLIMIT_AS, &old) == 0, "getrlimit");
	low = old;
	low.rlim_cur = vm_bytes() + slack;
	T_REQUIRE(setrlimit(RLIMIT_AS, &low) == 0, "setrlimit");
	h = dlopen(path, RTLD_NOW);
	err = dlerror();
	T_REQUIRE(setrlimit(RLIMIT_AS, &old) == 0, "setrlimit back");
	T_CHECK(h == NULL, "%s: dlopen worked under RLIMIT_AS", what);
	T_CHECK(h != NULL || (err && *err), "%s: NULL without dlerror()", what);
	if (h)
		dlclose(h);
}

int
main(int argc, char **argv)
{
	const char *expect = getenv("T_EXPECT_LOADER");
	void *h;

	T_REQUIRE(argc == 2, "usage: dl_fault DIR");
	t_check_loader();
	lib_path = t_path(argv[1], "libdl_fault_dso.so");
	weak_path = t_path(argv[1], "libdl_fault_dso_weak.so");
	scope_a_path = t_path(argv[1], "libdl_scope_dso_a.so");
	scope_b_path = t_path(argv[1], "libdl_scope_dso_b.so");
	fail_nth = (void (*)(unsigned long, int))dlsym(RTLD_DEFAULT,
						       "myld_fault_fail_nth");
	get_stats = (void (*)(struct fault_stats *))dlsym(RTLD_DEFAULT,
							  "myld_fault_stats");
	T_REQUIRE(!expect || strcmp(expect, "myld-fault.so") != 0 ||
		  (fail_nth && get_stats),
		  "myld-fault.so runs us but its myld_fault_* are missing");
	check_works("first dlopen");
	if (fail_nth && get_stats)
		inject_everywhere();

	open_limited(t_path(argv[1], "libdl_fault_big.so"), 64 << 20,
		     "1 GiB .bss, 64 MiB left");
	open_limited(lib_path, 0, "no address space left");
	check_works("after RLIMIT_AS");
	h = dlopen(t_path(argv[1], "libdl_fault_big.so"), RTLD_NOW);
	T_CHECK(h != NULL, "big library without a limit: %s", T_STR(dlerror()));
	if (h)
		dlclose(h);
	return t_status();
}
