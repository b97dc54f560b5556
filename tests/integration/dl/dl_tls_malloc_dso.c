/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_malloc_dso.c: a malloc, free, calloc and realloc that count their
 * calls in a general-dynamic TLS variable and forward to libc's. Linked
 * into dl_tls_malloc ahead of libc, so it interposes on libc's malloc for
 * the program and, as under glibc's ld.so, for the loader's own
 * allocations handed to libc (dynamic TLS blocks). Counting touches TLS
 * of this library, so a loader that calls malloc or free with its TLS
 * lock held deadlocks here.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

__thread unsigned long dl_tls_malloc_calls;

static void *(*next_malloc)(size_t);
static void (*next_free)(void *);
static void *(*next_calloc)(size_t, size_t);
static void *(*next_realloc)(void *, size_t);

/* dlsym may itself calloc: serve that from a static area. */
static char early[4096] __attribute__((aligned(16)));
static size_t early_used;
static int resolving;

static void *
early_alloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (early_used + n > sizeof(early))
		return NULL;
	p = early + early_used;
	early_used += n;
	return p;
}

static void
resolve(void)
{
	if (next_malloc || resolving)
		return;
	resolving = 1;
	next_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	next_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	next_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	next_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	resolving = 0;
}

void *
malloc(size_t n)
{
	resolve();
	if (!next_malloc)
		return early_alloc(n);
	dl_tls_malloc_calls++;
	return next_malloc(n);
}

void
free(void *p)
{
	if ((char *)p >= early && (char *)p < early + sizeof(early))
		return;
	resolve();
	dl_tls_malloc_calls++;
	if (next_free)
		next_free(p);
}

void *
calloc(size_t a, size_t b)
{
	char *p;
	size_t i;

	resolve();
	if (!next_calloc) {
		p = early_alloc(a * b);
		for (i = 0; p && i < a * b; i++)
			p[i] = 0;
		return p;
	}
	dl_tls_malloc_calls++;
	return next_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	resolve();
	dl_tls_malloc_calls++;
	return next_realloc(p, n);
}

unsigned long
dl_tls_malloc_count(void)
{
	return dl_tls_malloc_calls;
}
