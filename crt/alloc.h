/* SPDX-License-Identifier: MIT */
/*
 * The loader's own allocator, on top of anonymous mmap. Small blocks come
 * from size classes with free lists; large blocks are mapped on their own and
 * unmapped by crt_free, so dlclose gives memory back. Thread-safe (an
 * internal spin lock).
 * Memory is returned zeroed only by crt_calloc.
 */
#ifndef CRT_ALLOC_H
#define CRT_ALLOC_H

#include <stddef.h>

/* All return NULL when out of memory (or on size overflow); none exit.
 * Every block is 16-byte aligned; crt_malloc(0) returns a unique block. */
void *crt_malloc(size_t size);
void *crt_calloc(size_t count, size_t size);
/* NULL p acts as crt_malloc; size 0 frees p and returns NULL. Grows or
 * shrinks, keeping the first min(old, new) bytes; on failure p is left
 * as it was. The result is only 16-byte aligned, whatever p was. */
void *crt_realloc(void *p, size_t size);
/* align must be a power of two (else NULL), however large: TLS segments
 * may ask for 2 MiB. The block is freed with crt_free; beyond a page of
 * alignment, only the page before it and its own pages stay mapped. */
void *crt_memalign(size_t align, size_t size);
/* NULL is a no-op. Large blocks are unmapped at once. */
void crt_free(void *p);

#ifdef MYLD_FAULT_INJECTION
/* Test builds only (myld-fault.so, some unit tests): what the allocator
 * holds, and a failure armed on purpose. A block counts once, with the
 * whole size class or mapping it occupies. */
struct crt_alloc_stats {
	size_t blocks;            /* blocks in use */
	size_t bytes;             /* bytes those blocks occupy */
	unsigned long calls;      /* allocation calls so far */
	unsigned long failed;     /* armed failures that happened */
};

/* The nth allocation call from now (crt_malloc, crt_calloc, a growing
 * crt_realloc, crt_memalign; n >= 1) returns NULL; with every_after, so
 * does each one after it, until the next call. n = 0 disarms. */
void crt_alloc_fail_nth(unsigned long n, int every_after);
void crt_alloc_stats(struct crt_alloc_stats *out);
#endif

#endif
