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

#endif
