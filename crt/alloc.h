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

/* All return NULL when out of memory (or on size overflow); none exit. */
void *crt_malloc(size_t size);
void *crt_calloc(size_t count, size_t size);
void *crt_realloc(void *p, size_t size);
/* align is a power of two; the block is freed with crt_free. */
void *crt_memalign(size_t align, size_t size);
void crt_free(void *p);

#endif
