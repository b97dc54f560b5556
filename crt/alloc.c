/* SPDX-License-Identifier: MIT */
/*
 * The loader's allocator (see alloc.h), on anonymous mmap. Every block has
 * a 16-byte header just before it saying what it is:
 *   small   sizes 16..2048 in power-of-two classes, carved from 64 KiB
 *           chunks, recycled through one free list per class;
 *   large   anything bigger, one mapping each, unmapped by crt_free;
 *   aligned a crt_memalign block inside a larger block, pointing at it.
 * State is one file-static struct (crt sits below the loader's state.h).
 * A spin lock makes it thread-safe: pthread_create and __tls_get_addr
 * reach it from any thread (critical sections are a few instructions, or
 * one mmap).
 */
#include "crt/alloc.h"

#include <stdint.h>
#include <sys/mman.h>

#include "crt/lock.h"
#include "crt/string.h"
#include "crt/sys.h"

#define HEADER 16
#define MIN_SHIFT 4                 /* 16 bytes */
#define NCLASSES 8                  /* 16 .. 2048 */
#define CHUNK (64 * 1024)
#define MAGIC 0x6d796c64u           /* "myld" */

enum block_kind { KIND_SMALL = 1, KIND_LARGE, KIND_ALIGNED };

struct header {
	uint32_t magic;
	uint16_t kind;
	uint16_t cls;
	uint64_t value;   /* large: mapping length; aligned: inner block */
};

struct free_block {
	struct free_block *next;
};

static struct {
	struct free_block *free[NCLASSES];
	char *bump, *bump_end;
	int lock;
} heap;

static void free_locked(void *p);

static struct header *
header_of(void *p)
{
	return (struct header *)((char *)p - HEADER);
}

static size_t
page_round(size_t n)
{
	return (n + 4095) & ~(size_t)4095;
}

static int
class_of(size_t size)
{
	int cls = 0;

	while (((size_t)1 << (cls + MIN_SHIFT)) < size)
		cls++;
	return cls;
}

static void *
alloc_small(int cls)
{
	size_t need = HEADER + ((size_t)1 << (cls + MIN_SHIFT));
	struct header *h;

	if (heap.free[cls]) {
		struct free_block *b = heap.free[cls];

		heap.free[cls] = b->next;
		return b;
	}
	if ((size_t)(heap.bump_end - heap.bump) < need) {
		char *chunk = sys_mmap(NULL, CHUNK, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (crt_mmap_failed(chunk))
			return NULL;
		/* The rest of the old chunk is abandoned (< 2 KiB). */
		heap.bump = chunk;
		heap.bump_end = chunk + CHUNK;
	}
	h = (struct header *)heap.bump;
	heap.bump += need;
	h->magic = MAGIC;
	h->kind = KIND_SMALL;
	h->cls = (uint16_t)cls;
	return (char *)h + HEADER;
}

static void *
alloc_large(size_t size)
{
	size_t len = page_round(size + HEADER);
	struct header *h;

	if (len < size)
		return NULL;
	h = sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (crt_mmap_failed(h))
		return NULL;
	h->magic = MAGIC;
	h->kind = KIND_LARGE;
	h->value = len;
	return (char *)h + HEADER;
}

static void *
malloc_locked(size_t size)
{
	if (size == 0)
		size = 1;
	if (size > ((size_t)1 << (MIN_SHIFT + NCLASSES - 1)))
		return alloc_large(size);
	return alloc_small(class_of(size));
}

void *
crt_malloc(size_t size)
{
	void *p;

	crt_spin_lock(&heap.lock);
	p = malloc_locked(size);
	crt_spin_unlock(&heap.lock);
	return p;
}

void
crt_free(void *p)
{
	if (!p)
		return;
	crt_spin_lock(&heap.lock);
	free_locked(p);
	crt_spin_unlock(&heap.lock);
}

void *
crt_calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = crt_malloc(count * size);
	if (p && header_of(p)->kind == KIND_SMALL)
		memset(p, 0, count * size);
	/* Large blocks are fresh anonymous pages: already zero. */
	return p;
}

/* Usable bytes of a block. */
static size_t
usable(void *p)
{
	struct header *h = header_of(p);

	if (h->kind == KIND_SMALL)
		return (size_t)1 << (h->cls + MIN_SHIFT);
	if (h->kind == KIND_LARGE)
		return h->value - HEADER;
	return usable((void *)h->value) - (size_t)((char *)p - (char *)h->value);
}

static void
free_locked(void *p)
{
	struct header *h;

	if (!p)
		return;
	h = header_of(p);
	if (h->magic != MAGIC)
		return;   /* not ours: never corrupt the heap further */
	switch (h->kind) {
	case KIND_SMALL:
		((struct free_block *)p)->next = heap.free[h->cls];
		heap.free[h->cls] = p;
		break;
	case KIND_LARGE:
		sys_munmap(h, h->value);
		break;
	case KIND_ALIGNED:
		free_locked((void *)h->value);
		break;
	}
}

void *
crt_realloc(void *p, size_t size)
{
	void *q;
	size_t have;

	if (!p)
		return crt_malloc(size);
	if (size == 0) {
		crt_free(p);
		return NULL;
	}
	have = usable(p);
	if (size <= have)
		return p;
	q = crt_malloc(size);
	if (!q)
		return NULL;
	memcpy(q, p, have);
	crt_free(p);
	return q;
}

void *
crt_memalign(size_t align, size_t size)
{
	char *inner, *p;
	struct header *h;

	if (align <= HEADER)
		return crt_malloc(size);
	if (size > SIZE_MAX - align - HEADER)
		return NULL;
	inner = crt_malloc(size + align + HEADER);
	if (!inner)
		return NULL;
	p = (char *)(((uintptr_t)inner + HEADER + align - 1) & ~(uintptr_t)(align - 1));
	h = header_of(p);
	h->magic = MAGIC;
	h->kind = KIND_ALIGNED;
	h->value = (uintptr_t)inner;
	return p;
}
