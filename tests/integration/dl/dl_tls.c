/* SPDX-License-Identifier: MIT */
/*
 * dl_tls.c: thread-local storage of dlopen'ed libraries.
 *
 * Usage: dl_tls DIR, where DIR holds libdl_tls_dso_{gd,ie,huge}.so.
 *
 * A thread created before the dlopen and one created after it, and the
 * main thread, each see the general-dynamic library's initial image at
 * their own address (aligned, .tbss zeroed), see it again fresh after
 * the library is closed and reopened, and agree with dlsym. The
 * initial-exec library (DF_STATIC_TLS) must be served from the static
 * surplus: the same offset from the thread pointer in every thread,
 * initialised also in the thread that existed before the dlopen. The
 * 1 MiB initial-exec library must fail with glibc's message. Last, new
 * threads on the cached stacks of exited ones (libc then frees the old
 * dynamic TLS blocks) must get fresh blocks. It would catch a loader that
 * only sets up TLS for new threads, hands out stale blocks after dlclose,
 * overruns the static TLS area, or allocates dynamic TLS blocks that
 * libc's free() cannot take.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <pthread.h>
#include <stdint.h>

#include "t.h"

static const char *dir;
static pthread_barrier_t phase;

struct lib {
	void *h;
	int *(*gd)(void);
	int *(*gd_zero)(void);
	char *(*gd_buf)(void);
};

static struct lib lib;
static void *ie_handle;

/* Which thread is checking, for messages. */
struct probe {
	const char *who;
	int mark;
	int *gd;
	intptr_t ie_offset;
};

static void
open_gd(void)
{
	lib.h = dlopen(t_path(dir, "libdl_tls_dso_gd.so"), RTLD_NOW);
	T_REQUIRE(lib.h != NULL, "dlopen gd: %s", T_STR(dlerror()));
	lib.gd = (int *(*)(void))dlsym(lib.h, "dl_tls_gd_addr");
	lib.gd_zero = (int *(*)(void))dlsym(lib.h, "dl_tls_gd_zero_addr");
	lib.gd_buf = (char *(*)(void))dlsym(lib.h, "dl_tls_gd_buf_addr");
	T_REQUIRE(lib.gd && lib.gd_zero && lib.gd_buf, "dlsym gd: %s",
		  T_STR(dlerror()));
}

/* This thread's view of the general-dynamic library: fresh, then marked. */
static void
check_gd(struct probe *p)
{
	int *v = lib.gd();
	char *buf = lib.gd_buf();
	int zero = 1;

	T_CHECK(*v == 5, "%s: GD variable %d, want the initial 5", p->who, *v);
	T_CHECK(*lib.gd_zero() == 0, "%s: GD .tbss variable not zero", p->who);
	for (int i = 0; i < 256; i++)
		zero &= buf[i] == 0;
	T_CHECK(zero, "%s: GD .tbss buffer not zero", p->who);
	T_CHECK(((uintptr_t)buf & 63) == 0, "%s: GD buffer %p not 64-aligned",
		p->who, (void *)buf);
	T_CHECK(dlsym(lib.h, "dl_tls_gd") == v, "%s: dlsym(TLS) %p, want %p",
		p->who, dlsym(lib.h, "dl_tls_gd"), (void *)v);
	*v = p->mark;
	memset(buf, p->mark, 256);
	p->gd = v;
}

static void
check_ie(struct probe *p)
{
	int *(*ie)(void) = (int *(*)(void))dlsym(ie_handle, "dl_tls_ie_addr");
	long *(*ie_zero)(void) =
		(long *(*)(void))dlsym(ie_handle, "dl_tls_ie_zero_addr");
	int *v;

	T_REQUIRE(ie && ie_zero, "dlsym ie: %s", T_STR(dlerror()));
	v = ie();
	T_CHECK(*v == 9, "%s: IE variable %d, want the initial 9", p->who, *v);
	T_CHECK(*ie_zero() == 0, "%s: IE .tbss variable not zero", p->who);
	T_CHECK(dlsym(ie_handle, "dl_tls_ie") == v, "%s: dlsym(IE TLS) %p, want "
						   "%p", p->who,
		dlsym(ie_handle, "dl_tls_ie"), (void *)v);
	*v = p->mark;
	p->ie_offset = (char *)v - (char *)__builtin_thread_pointer();
	/* Static TLS lies below the thread pointer (variant II, psABI 3.4). */
	T_CHECK(p->ie_offset < 0, "%s: IE variable at TP%+ld, not in the static "
				  "block", p->who, (long)p->ie_offset);
}

static void *
early_thread(void *arg)
{
	struct probe *p = arg;

	pthread_barrier_wait(&phase); /* 1: main has done the dlopen */
	check_gd(p);
	check_ie(p);
	pthread_barrier_wait(&phase); /* 2: main reopens gd */
	pthread_barrier_wait(&phase); /* 3: reopened */
	T_CHECK(*lib.gd() == 5, "%s: GD variable %d after dlclose + dlopen, "
				"want a fresh 5", p->who, *lib.gd());
	T_CHECK(*(int *)dlsym(ie_handle, "dl_tls_ie") == p->mark,
		"%s: IE variable lost", p->who);
	return NULL;
}

static void *
late_thread(void *arg)
{
	struct probe *p = arg;

	check_gd(p);
	check_ie(p);
	return NULL;
}

/* The IE library must carry DF_STATIC_TLS, or the test proves nothing. */
static bool
has_static_tls(void *h)
{
	struct link_map *lm;

	if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0)
		return false;
	for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_FLAGS && (d->d_un.d_val & DF_STATIC_TLS))
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct probe early = { "thread created before dlopen", 111, NULL, 0 };
	struct probe late = { "thread created after dlopen", 222, NULL, 0 };
	struct probe self = { "main thread", 333, NULL, 0 };
	char *huge;
	const char *e;
	int gd_before, ie_before;
	pthread_t te, tl;

	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_tls DIR");
	dir = argv[1];
	pthread_barrier_init(&phase, NULL, 2);
	T_REQUIRE(pthread_create(&te, NULL, early_thread, &early) == 0,
		  "pthread_create");

	open_gd();
	ie_handle = dlopen(t_path(dir, "libdl_tls_dso_ie.so"), RTLD_NOW);
	T_REQUIRE(ie_handle != NULL, "dlopen of an initial-exec TLS library "
				     "(static surplus): %s", T_STR(dlerror()));
	T_CHECK(has_static_tls(ie_handle), "test setup: libdl_tls_dso_ie.so "
					   "lacks DF_STATIC_TLS");
	T_CHECK(!has_static_tls(lib.h), "test setup: libdl_tls_dso_gd.so has "
					"DF_STATIC_TLS");
	check_gd(&self);
	check_ie(&self);
	pthread_barrier_wait(&phase); /* 1 */
	pthread_barrier_wait(&phase); /* 2: early has checked */
	T_REQUIRE(pthread_create(&tl, NULL, late_thread, &late) == 0,
		  "pthread_create");
	pthread_join(tl, NULL);
	T_CHECK(*self.gd == 333, "main thread's GD variable changed to %d",
		*self.gd);
	T_CHECK(early.gd != self.gd && late.gd != self.gd && early.gd != late.gd,
		"threads share GD addresses");
	T_CHECK(early.ie_offset == self.ie_offset &&
			late.ie_offset == self.ie_offset,
		"IE offsets from the thread pointer differ (%ld, %ld, %ld): not "
		"static TLS", (long)early.ie_offset, (long)late.ie_offset,
		(long)self.ie_offset);

	/* Close and reopen: every thread must see a fresh block again. */
	T_CHECK(dlclose(lib.h) == 0, "dlclose gd: %s", T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_tls_dso_gd.so"), "gd library still mapped");
	open_gd();
	T_CHECK(*lib.gd() == 5, "main thread: GD variable %d after dlclose + "
				"dlopen, want a fresh 5", *lib.gd());
	pthread_barrier_wait(&phase); /* 3 */
	pthread_join(te, NULL);

	/* Initial-exec TLS that cannot fit: glibc's error, nothing left. */
	gd_before = *lib.gd();
	ie_before = *(int *)dlsym(ie_handle, "dl_tls_ie");
	huge = t_path(dir, "libdl_tls_dso_huge.so");
	T_CHECK(dlopen(huge, RTLD_NOW) == NULL,
		"1 MiB of initial-exec TLS fitted in the static block");
	e = dlerror();
	T_CHECK(t_msg_has(e, huge, ": cannot allocate memory in static TLS "
				   "block", NULL),
		"static TLS overflow message: '%s'", T_STR(e));
	T_CHECK(!t_mapped("libdl_tls_dso_huge.so"),
		"failed library still mapped");
	T_CHECK(*lib.gd() == gd_before &&
			*(int *)dlsym(ie_handle, "dl_tls_ie") == ie_before,
		"TLS changed by the failed dlopen");
	/*
	 * A thread that used the library's TLS exits; the next thread reuses
	 * its cached stack, and libc frees the old thread's dynamic blocks
	 * (glibc's get_cached_stack): they must be libc-malloc'ed, and the new
	 * thread must get a fresh block.
	 */
	for (int i = 0; i < 3; i++) {
		struct probe reuse = { "thread on a reused stack", 444 + i, NULL, 0 };

		T_REQUIRE(pthread_create(&tl, NULL, late_thread, &reuse) == 0,
			  "pthread_create");
		pthread_join(tl, NULL);
	}

	dlclose(lib.h);
	dlclose(ie_handle);
	return t_status();
}
