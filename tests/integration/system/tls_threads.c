/* SPDX-License-Identifier: MIT */
/*
 * tls_threads.c: thread-local storage, pthread keys and cancellation in a
 * program and two libraries, under eight threads plus the main one.
 *
 * The program has local-exec variables (.tdata, .tbss, a 256-byte aligned
 * one) and reads the libraries' variables initial-exec (TPOFF64 in its
 * GOT); tls_threads_dso1 uses general-, local-dynamic and initial-exec
 * access, tls_threads_dso2 TLSDESC. Every thread checks it starts with the
 * initial image (.tdata copied, .tbss zero, alignment kept), that the
 * program and both libraries compute the same address for the same
 * variable by all three access models, writes its own values, meets the
 * others at a barrier and checks nothing was shared. Then pthread keys
 * with destructors, and two cancelled threads whose cleanup handlers must
 * run innermost first and still see their own TLS. dl_iterate_phdr must
 * list the TLS objects in link-map order, the program first with glibc's
 * empty name, and give each one's block in dlpi_tls_data. It prints a
 * summary that does not depend on addresses, and exits 1 on any mismatch.
 */
#define _GNU_SOURCE
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NTHREADS 8

int system_check_loader(void);

/* tls_threads_dso1.c */
extern __thread int dso1_gd, dso1_ie;
int dso1_check_initial(void);
void dso1_set(int id);
int dso1_check(int id);
void *dso1_addr(int which);

/* tls_threads_dso2.c */
extern __thread int dso2_desc;
int dso2_check_initial(void);
void dso2_set(int id);
int dso2_check(int id);
void *dso2_addr(int which);
int dso2_desc_preserves(int which, void **where);

__thread int prog_data = 42;
__thread char prog_bss[1000];
__thread long prog_al __attribute__((aligned(256))) = 7;

static pthread_barrier_t barrier;
static pthread_key_t key, null_key;
static atomic_int failures;
static atomic_int dtor_calls, dtor_sum, null_dtor_calls;
static void *addr_prog[NTHREADS + 1], *addr_dso1[NTHREADS + 1],
	*addr_dso2[NTHREADS + 1];
static int ids[NTHREADS + 3];

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
			atomic_fetch_add(&failures, 1);                      \
		}                                                            \
	} while (0)

static void
key_dtor(void *p)
{
	atomic_fetch_add(&dtor_calls, 1);
	atomic_fetch_add(&dtor_sum, *(int *)p);
}

static void
null_key_dtor(void *p)
{
	(void)p;
	atomic_fetch_add(&null_dtor_calls, 1);
}

/* A fresh thread's TLS, as the loader's initial image must make it. */
static void
check_initial(int id)
{
	size_t i;
	int zero = 1;

	CHECK(prog_data == 42, "thread %d: prog_data %d", id, prog_data);
	for (i = 0; i < sizeof(prog_bss); i++)
		zero &= prog_bss[i] == 0;
	CHECK(zero, "thread %d: prog_bss not zero", id);
	CHECK(prog_al == 7, "thread %d: prog_al %ld", id, prog_al);
	CHECK(((uintptr_t)&prog_al & 255) == 0, "thread %d: prog_al at %p",
	      id, (void *)&prog_al);
	CHECK(dso1_check_initial() == 0, "thread %d: dso1 initial image", id);
	CHECK(dso2_check_initial() == 0, "thread %d: dso2 initial image", id);

	/* One variable, three access models, one address. */
	CHECK(dso1_addr(0) == (void *)&dso1_gd,
	      "thread %d: dso1_gd GD %p, IE %p", id, dso1_addr(0),
	      (void *)&dso1_gd);
	CHECK(dso1_addr(1) == (void *)&dso1_ie,
	      "thread %d: dso1_ie in dso1 %p, program %p", id, dso1_addr(1),
	      (void *)&dso1_ie);
	CHECK(dso2_addr(2) == (void *)&dso1_gd,
	      "thread %d: dso1_gd TLSDESC %p, IE %p", id, dso2_addr(2),
	      (void *)&dso1_gd);
	CHECK(dso2_addr(0) == (void *)&dso2_desc,
	      "thread %d: dso2_desc TLSDESC %p, IE %p", id, dso2_addr(0),
	      (void *)&dso2_desc);
	CHECK(dso1_addr(3) == (void *)&dso2_desc,
	      "thread %d: dso2_desc GD %p, IE %p", id, dso1_addr(3),
	      (void *)&dso2_desc);
}

static void
set_values(int id)
{
	prog_data = 1000 + id;
	memset(prog_bss, id + 1, sizeof(prog_bss));
	prog_al = 7000 + id;
	dso1_set(id);
	dso2_set(id);
	addr_prog[id] = &prog_data;
	addr_dso1[id] = &dso1_gd;
	addr_dso2[id] = &dso2_desc;
}

static void
check_values(int id)
{
	size_t i;
	int same = 1;

	CHECK(prog_data == 1000 + id, "thread %d: prog_data %d", id, prog_data);
	for (i = 0; i < sizeof(prog_bss); i++)
		same &= prog_bss[i] == (char)(id + 1);
	CHECK(same, "thread %d: prog_bss overwritten", id);
	CHECK(prog_al == 7000 + id, "thread %d: prog_al %ld", id, prog_al);
	CHECK(dso1_check(id) == 0, "thread %d: dso1 values overwritten", id);
	CHECK(dso2_check(id) == 0, "thread %d: dso2 values overwritten", id);
}

/* A descriptor call preserves every register but %rax (x86-64 psABI). */
static void
check_desc_registers(int id)
{
	void *where;
	int changed;

	changed = dso2_desc_preserves(0, &where);
	CHECK(changed == 0, "thread %d: TLSDESC call for dso2_desc changed "
	      "%d registers", id, changed);
	CHECK(where == (void *)&dso2_desc, "thread %d: TLSDESC dso2_desc %p, "
	      "IE %p", id, where, (void *)&dso2_desc);
	changed = dso2_desc_preserves(1, &where);
	CHECK(changed == 0, "thread %d: TLSDESC call for dso1_gd changed "
	      "%d registers", id, changed);
	CHECK(where == (void *)&dso1_gd, "thread %d: TLSDESC dso1_gd %p, "
	      "IE %p", id, where, (void *)&dso1_gd);
}

static void *
worker(void *arg)
{
	int id = *(int *)arg;
	int rc;

	check_initial(id);
	set_values(id);
	check_desc_registers(id);
	CHECK(pthread_setspecific(key, arg) == 0, "setspecific");
	CHECK(pthread_getspecific(key) == arg, "thread %d: getspecific", id);
	CHECK(pthread_getspecific(null_key) == NULL, "null_key not NULL");
	rc = pthread_barrier_wait(&barrier);
	CHECK(rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD, "barrier %d", rc);
	check_values(id);
	CHECK(pthread_getspecific(key) == arg, "thread %d: key lost", id);
	return arg;
}

/* Cancellation: cleanup handlers run innermost first, with TLS intact. */
static int cleanup_log[4];
static atomic_int cleanup_n;
static int pipefd[2];
static pthread_barrier_t ready;

static void
cleanup(void *arg)
{
	int tag = (int)(intptr_t)arg;

	CHECK(prog_data == 2000 + (tag >= 3), "cleanup %d: prog_data %d", tag,
	      prog_data);
	CHECK(dso2_desc == 0x50000 + 50 + (tag >= 3), "cleanup %d: dso2_desc",
	      tag);
	cleanup_log[atomic_fetch_add(&cleanup_n, 1) & 3] = tag;
}

static void *
cancel_in_read(void *arg)
{
	char c;

	prog_data = 2000;
	dso2_set(50);
	pthread_setspecific(key, arg);
	pthread_cleanup_push(cleanup, (void *)1);
	pthread_cleanup_push(cleanup, (void *)2);
	pthread_barrier_wait(&ready);
	/* A cancellation point that blocks forever: nobody writes the pipe. */
	if (read(pipefd[0], &c, 1) >= 0)
		CHECK(0, "read returned");
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *
cancel_in_testcancel(void *arg)
{
	prog_data = 2001;
	dso2_set(51);
	pthread_setspecific(key, arg);
	pthread_cleanup_push(cleanup, (void *)3);
	pthread_barrier_wait(&ready);
	for (;;)
		pthread_testcancel();
	pthread_cleanup_pop(0);
	return NULL;
}

static void
run_cancel(void *(*fn)(void *), int *id, const char *what, int first_tag)
{
	pthread_t t;
	void *ret;

	atomic_store(&cleanup_n, 0);
	CHECK(pthread_create(&t, NULL, fn, id) == 0, "create %s", what);
	pthread_barrier_wait(&ready);
	CHECK(pthread_cancel(t) == 0, "cancel %s", what);
	CHECK(pthread_join(t, &ret) == 0, "join %s", what);
	CHECK(ret == PTHREAD_CANCELED, "%s: retval %p", what, ret);
	if (first_tag == 2) {
		CHECK(cleanup_n == 2 && cleanup_log[0] == 2 &&
		      cleanup_log[1] == 1, "%s: cleanup order", what);
		printf("cancel in read: %s, cleanup handlers %d then %d\n",
		       ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "?",
		       cleanup_log[0], cleanup_log[1]);
	} else {
		CHECK(cleanup_n == 1 && cleanup_log[0] == 3, "%s: cleanup", what);
		printf("cancel in testcancel: %s, cleanup handler %d\n",
		       ret == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "?",
		       cleanup_log[0]);
	}
}

/*
 * Objects with PT_TLS, in link-map order; their blocks hold their
 * variables. The first object is the program, whose dlpi_name glibc
 * leaves empty in both modes; it is printed as given.
 */
struct phdr_walk {
	int objects, tls_objects;
};

static int
phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct phdr_walk *w = data;
	const char *name = strrchr(info->dlpi_name, '/');
	int i, first = w->objects++ == 0;

	(void)size;
	name = name ? name + 1 : info->dlpi_name;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		char *lo = info->dlpi_tls_data;
		void *probe = NULL;

		if (ph->p_type != PT_TLS)
			continue;
		CHECK(info->dlpi_tls_modid != 0, "%s: TLS module id 0", name);
		if (first)
			probe = &prog_data;
		else if (strcmp(name, "libtls_threads_dso1.so") == 0)
			probe = &dso1_gd;
		else if (strcmp(name, "libtls_threads_dso2.so") == 0)
			probe = &dso2_desc;
		if (probe != NULL)
			CHECK(lo != NULL && (char *)probe >= lo &&
			      (char *)probe < lo + ph->p_memsz,
			      "%s: dlpi_tls_data %p does not hold %p", name,
			      (void *)lo, probe);
		if (first)
			printf("PT_TLS in the program (dlpi_name \"%s\"): memsz "
			       "%zu, align %zu\n", info->dlpi_name,
			       (size_t)ph->p_memsz, (size_t)ph->p_align);
		else if (probe != NULL || strcmp(name, "libc.so.6") == 0)
			printf("PT_TLS in %s: memsz %zu, align %zu\n", name,
			       (size_t)ph->p_memsz, (size_t)ph->p_align);
		w->tls_objects++;
	}
	return 0;
}

int
main(void)
{
	pthread_t t[NTHREADS];
	struct phdr_walk walk = {0, 0};
	int i, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (system_check_loader() != 0)
		return 1;

	CHECK(pthread_key_create(&key, key_dtor) == 0, "key_create");
	CHECK(pthread_key_create(&null_key, null_key_dtor) == 0, "key_create");
	CHECK(pthread_barrier_init(&barrier, NULL, NTHREADS + 1) == 0, "barrier");
	CHECK(pthread_barrier_init(&ready, NULL, 2) == 0, "barrier");
	for (i = 0; i < NTHREADS + 3; i++)
		ids[i] = i;

	/* The main thread's block comes from the loader, not pthread_create. */
	check_initial(NTHREADS);
	set_values(NTHREADS);
	check_desc_registers(NTHREADS);
	dl_iterate_phdr(phdr_cb, &walk);
	CHECK(walk.tls_objects == 4, "%d objects with TLS, want 4 (program, "
	      "two libraries, libc.so.6)", walk.tls_objects);
	printf("objects with TLS: %d\n", walk.tls_objects);

	for (i = 0; i < NTHREADS; i++)
		CHECK(pthread_create(&t[i], NULL, worker, &ids[i]) == 0,
		      "pthread_create %d", i);
	pthread_barrier_wait(&barrier);
	for (i = 0; i < NTHREADS; i++) {
		void *ret;

		CHECK(pthread_join(t[i], &ret) == 0, "join %d", i);
		CHECK(ret == &ids[i], "thread %d returned %p", i, ret);
	}
	check_values(NTHREADS);
	for (i = 0; i <= NTHREADS; i++)
		for (j = 0; j < i; j++) {
			CHECK(addr_prog[i] != addr_prog[j], "prog_data shared "
			      "by threads %d and %d", i, j);
			CHECK(addr_dso1[i] != addr_dso1[j], "dso1_gd shared "
			      "by threads %d and %d", i, j);
			CHECK(addr_dso2[i] != addr_dso2[j], "dso2_desc shared "
			      "by threads %d and %d", i, j);
		}
	printf("%d threads + main: initial images, shared addresses across "
	       "IE/GD/LD/TLSDESC, private values: %s\n", NTHREADS,
	       failures ? "FAILED" : "ok");
	printf("registers across TLSDESC calls: %s\n",
	       failures ? "FAILED" : "ok");
	CHECK(dtor_calls == NTHREADS && dtor_sum == NTHREADS * (NTHREADS - 1) / 2,
	      "key destructors: %d calls, sum %d", dtor_calls, dtor_sum);
	printf("pthread key destructors: %d calls, sum of ids %d; "
	       "NULL values destroyed: %d\n", dtor_calls, dtor_sum,
	       null_dtor_calls);
	CHECK(null_dtor_calls == 0, "destructor called for NULL values");

	if (pipe(pipefd) != 0)
		CHECK(0, "pipe");
	run_cancel(cancel_in_read, &ids[NTHREADS + 1], "cancel in read", 2);
	run_cancel(cancel_in_testcancel, &ids[NTHREADS + 2],
		   "cancel in testcancel", 3);
	CHECK(dtor_calls == NTHREADS + 2, "cancelled threads' key destructors: "
	      "%d calls", dtor_calls);
	printf("key destructors after cancellation: %d calls\n", dtor_calls);

	if (failures) {
		fprintf(stderr, "%d checks failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
