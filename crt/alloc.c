/* SPDX-License-Identifier: MIT */
/*
 * The loader's allocator (see alloc.h), on anonymous mmap, used from stage 2
 * on. Every block has a 16-byte header just before it saying what it is:
 *   small   sizes 16..2048 in 24 classes (multiples of 16 up to 128, then
 *           four per doubling: 160, 192, 224, 256, 320, ...), carved from
 *           64 KiB arenas, recycled through one free list per class;
 *   large   anything bigger, one mapping each, unmapped by crt_free;
 *   aligned a crt_memalign block inside a small block, pointing at it.
 * A large block's mapping starts at the page holding its header, so a
 * large crt_memalign block (any alignment) is a large block like any other.
 * State is one file-static struct (crt sits below the loader's state.h).
 * A spin lock makes it thread-safe: pthread_create and __tls_get_addr reach
 * it from any thread. Critical sections are a few instructions, or the
 * mmap of a new arena; large blocks are mapped and unmapped outside it.
 * It must not call the host libc: unit tests link it beside one.
 * Built with MYLD_FAULT_INJECTION (test builds only), it also counts the
 * blocks in use and can fail a chosen allocation call (see alloc.h).
 */
#include "crt/alloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "crt/lock.h"
#include "crt/string.h"
#include "crt/sys.h"

#define PAGE 4096                   /* the x86-64 base page size */
#define HEADER 16                   /* keeps every block 16-byte aligned */
#define LINEAR 8                    /* classes 16, 32, .. 128 */
#define NCLASSES 24                 /* then 160 .. 2048, four per doubling */
#define MAX_SMALL ((size_t)2048)
#define ARENA (64 * 1024)
#define MAGIC 0x6d796c64u           /* "myld" */

enum block_kind { KIND_SMALL = 1, KIND_FREE, KIND_LARGE, KIND_ALIGNED };

struct header {
	uint32_t magic;
	uint16_t kind;
	uint16_t cls;     /* small and free: size class */
	uint64_t value;   /* large: mapping length; aligned: inner block;
			     small: 1 while never written (fresh pages) */
};

struct free_block {
	struct free_block *next;
};

static struct {
	struct free_block *free[NCLASSES];
	char *bump, *bump_end;   /* unused tail of the current arena */
	int lock;
} heap;

static void free_locked(void *p);

#ifdef MYLD_FAULT_INJECTION
static struct {
	unsigned long countdown;    /* calls left before the failure; 0: off */
	int every_after;            /* keep failing once it fired */
	int fired;
	struct crt_alloc_stats stats;
} fault;

/* Whether this allocation call is the one armed to fail. Atomics, not the
 * heap lock: large blocks are allocated outside it. */
static bool
fault_fire(void)
{
	unsigned long left;

	__atomic_add_fetch(&fault.stats.calls, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&fault.fired, __ATOMIC_ACQUIRE) && fault.every_after)
		goto fail;
	left = __atomic_load_n(&fault.countdown, __ATOMIC_RELAXED);
	do {
		if (left == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&fault.countdown, &left, left - 1,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_RELAXED));
	if (left != 1)
		return false;
	__atomic_store_n(&fault.fired, 1, __ATOMIC_RELEASE);
fail:
	__atomic_add_fetch(&fault.stats.failed, 1, __ATOMIC_RELAXED);
	return true;
}

void
crt_alloc_fail_nth(unsigned long n, int every_after)
{
	__atomic_store_n(&fault.fired, 0, __ATOMIC_RELAXED);
	fault.every_after = every_after;
	__atomic_store_n(&fault.countdown, n, __ATOMIC_RELEASE);
}

void
crt_alloc_stats(struct crt_alloc_stats *out)
{
	out->blocks = __atomic_load_n(&fault.stats.blocks, __ATOMIC_RELAXED);
	out->bytes = __atomic_load_n(&fault.stats.bytes, __ATOMIC_RELAXED);
	out->calls = __atomic_load_n(&fault.stats.calls, __ATOMIC_RELAXED);
	out->failed = __atomic_load_n(&fault.stats.failed, __ATOMIC_RELAXED);
}

static size_t block_size(void *p, bool whole);

/* Counts block p in (sign 1) or out (sign -1) of the in-use totals; a
 * count added (size_t)-1 times is subtracted. */
static void
account(void *p, int sign)
{
	size_t bytes = block_size(p, true);

	if (!bytes)
		return;
	__atomic_add_fetch(&fault.stats.blocks, (size_t)sign, __ATOMIC_RELAXED);
	__atomic_add_fetch(&fault.stats.bytes, (size_t)sign * bytes,
			   __ATOMIC_RELAXED);
}
#define FAULT_FIRE() fault_fire()
#define ACCOUNT(p, sign) account((p), (sign))
#define ACCOUNT_BYTES(delta) \
	__atomic_add_fetch(&fault.stats.bytes, (size_t)(delta), __ATOMIC_RELAXED)
#else
#define FAULT_FIRE() false
#define ACCOUNT(p, sign) ((void)0)
#define ACCOUNT_BYTES(delta) ((void)0)
#endif

static struct header *
header_of(void *p)
{
	return (struct header *)((char *)p - HEADER);
}

static uintptr_t
page_down(uintptr_t n)
{
	return n & ~(uintptr_t)(PAGE - 1);
}

/* Rounds up to whole pages (callers rule out overflow). */
static size_t
page_round(size_t n)
{
	return (n + PAGE - 1) & ~(size_t)(PAGE - 1);
}

/* Class sizes: 16 * (cls + 1) for the first LINEAR, then each power of
 * two 2^k (k >= 7) up to 2^(k+1) in four steps of 2^(k-2). At most a
 * fifth of a block above 128 bytes is slack (a 1208-byte link map takes
 * 1280, not 2048). */
static size_t
class_size(int cls)
{
	int k;

	if (cls < LINEAR)
		return (size_t)16 * (size_t)(cls + 1);
	k = 7 + (cls - LINEAR) / 4;
	return ((size_t)1 << k) + (size_t)((cls - LINEAR) % 4 + 1) * ((size_t)1 << (k - 2));
}

/* The smallest class holding size (at most MAX_SMALL; 0 is class 0). */
static int
class_of(size_t size)
{
	size_t s;
	int k;

	if (size <= 16 * LINEAR)
		return size ? (int)((size - 1) / 16) : 0;
	s = size - 1;
	k = 63 - __builtin_clzl(s);     /* 2^k <= s < 2^(k+1), k >= 7 */
	return LINEAR + (k - 7) * 4 + (int)((s >> (k - 2)) & 3);
}

/* Writes a block header at at; returns the block after it. */
static void *
put_header(char *at, enum block_kind kind, int cls, uint64_t value)
{
	struct header *h = (struct header *)at;

	h->magic = MAGIC;
	h->kind = (uint16_t)kind;
	h->cls = (uint16_t)cls;
	h->value = value;
	return at + HEADER;
}

/* Hands the unused tail of the arena to the free lists, largest classes
 * first, so that starting a new arena wastes nothing. */
static void
retire_arena_tail(void)
{
	int cls;

	for (cls = NCLASSES - 1; cls >= 0; cls--) {
		while ((size_t)(heap.bump_end - heap.bump) >= HEADER + class_size(cls)) {
			struct free_block *b = put_header(heap.bump, KIND_FREE,
							  cls, 0);

			b->next = heap.free[cls];
			heap.free[cls] = b;
			heap.bump += HEADER + class_size(cls);
		}
	}
}

static void *
alloc_small(int cls)
{
	size_t need = HEADER + class_size(cls);
	void *p;

	if (heap.free[cls]) {
		struct free_block *b = heap.free[cls];

		heap.free[cls] = b->next;
		header_of(b)->kind = KIND_SMALL;
		return b;
	}
	if ((size_t)(heap.bump_end - heap.bump) < need) {
		char *arena = sys_mmap(NULL, ARENA, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (crt_mmap_failed(arena))
			return NULL;
		retire_arena_tail();
		heap.bump = arena;
		heap.bump_end = arena + ARENA;
	}
	p = put_header(heap.bump, KIND_SMALL, cls, 1);
	heap.bump += need;
	return p;
}

/*
 * A block with a mapping of its own, aligned to align (a power of two,
 * at least HEADER). Maps size + align bytes, which is enough for any
 * placement of the aligned address p, then unmaps the pages before the
 * one holding p's header and the pages after p + size. Example, align
 * 2 MiB, size 100: map 2 MiB + 4 KiB, keep the page before p (header) and
 * the page at p, give the rest back. Mapping starts at page_down(header).
 */
static void *
alloc_large(size_t align, size_t size)
{
	uintptr_t map, p, start, end;
	size_t len;

	if (size > SIZE_MAX - align - PAGE)
		return NULL;
	len = page_round(size + align);
	map = (uintptr_t)sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (crt_mmap_failed((void *)map))
		return NULL;
	p = (map + HEADER + align - 1) & ~(uintptr_t)(align - 1);
	start = page_down(p - HEADER);
	end = page_round(p + size);
	if (start > map)
		sys_munmap((void *)map, start - map);
	if (end < map + len)
		sys_munmap((void *)end, map + len - end);
	return put_header((char *)(p - HEADER), KIND_LARGE, 0, end - start);
}

/* An aligned block carved from a small one: [inner header][gap][aligned
 * header][p ...]. The gap is at least 0 and the whole fits the class.
 * The caller holds the lock. */
static void *
memalign_small(size_t align, size_t size)
{
	char *inner = alloc_small(class_of(size + align));
	char *p;

	if (!inner)
		return NULL;
	p = (char *)(((uintptr_t)inner + HEADER + align - 1) & ~(uintptr_t)(align - 1));
	return put_header(p - HEADER, KIND_ALIGNED, 0, (uintptr_t)inner);
}

/*
 * crt_malloc (align HEADER) and crt_memalign (align a larger power of
 * two; size + align does not overflow). Large blocks share no state (a
 * mapping and the header inside it), so they are mapped and unmapped
 * without the lock: a thread in mmap must not keep the others spinning.
 */
static inline void *
allocate(size_t align, size_t size)
{
	bool aligned = align > HEADER;
	void *p;

	if (FAULT_FIRE())
		return NULL;
	if (size + (aligned ? align : 0) > MAX_SMALL) {
		p = alloc_large(align, size ? size : 1);
	} else {
		crt_spin_lock(&heap.lock);
		/* Class 0 serves size 0 too. */
		p = aligned ? memalign_small(align, size) : alloc_small(class_of(size));
		crt_spin_unlock(&heap.lock);
	}
	if (p)
		ACCOUNT(p, 1);
	return p;
}

void *
crt_malloc(size_t size)
{
	return allocate(HEADER, size);
}

void
crt_free(void *p)
{
	struct header *h;

	if (!p)
		return;
	ACCOUNT(p, -1);
	h = header_of(p);
	if (h->magic == MAGIC && h->kind == KIND_LARGE) {
		sys_munmap((void *)page_down((uintptr_t)h), h->value);
		return;
	}
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
	/* Large blocks and small ones never handed out before are fresh
	 * anonymous pages: already zero. */
	if (p && header_of(p)->kind == KIND_SMALL && !header_of(p)->value)
		memset(p, 0, count * size);
	return p;
}

/* Usable bytes of a block, from p to the end of what it owns; with
 * whole, what a live block occupies instead: its header and class, its
 * mapping, or (aligned) the small block it was carved from. 0 for
 * anything else (freed, not ours): realloc copies nothing, and the fault
 * injection's totals do not count it. */
static size_t
block_size(void *p, bool whole)
{
	struct header *h = header_of(p);
	char *inner;

	if (h->magic != MAGIC)
		return 0;
	switch (h->kind) {
	case KIND_SMALL:
		return class_size(h->cls) + (whole ? HEADER : 0);
	case KIND_LARGE:
		if (whole)
			return h->value;
		return (size_t)(page_down((uintptr_t)h) + h->value - (uintptr_t)p);
	case KIND_ALIGNED:
		inner = (char *)(uintptr_t)h->value;
		if (whole)
			return block_size(inner, true);
		return block_size(inner, false) - (size_t)((char *)p - inner);
	default:
		return 0;
	}
}

/* Frees a small or small-aligned block; large ones never come here. */
static void
free_locked(void *p)
{
	struct header *h = header_of(p);

	if (h->magic != MAGIC)
		return;   /* not ours: never corrupt the heap further */
	switch (h->kind) {
	case KIND_SMALL:
		h->kind = KIND_FREE;
		h->value = 0;
		((struct free_block *)p)->next = heap.free[h->cls];
		heap.free[h->cls] = p;
		break;
	case KIND_ALIGNED:
		/* The inner block is always small (see crt_memalign). */
		free_locked((void *)(uintptr_t)h->value);
		break;
	default:
		break;    /* KIND_FREE: a double free is ignored */
	}
}

/* Shrinks a large block in place by unmapping the pages it no longer
 * needs, so a big table trimmed after use gives its memory back. */
static void
shrink_large(void *p, size_t size)
{
	struct header *h = header_of(p);
	uintptr_t start = page_down((uintptr_t)h);
	uintptr_t end = page_round((uintptr_t)p + size);

	if (end < start + h->value) {
		ACCOUNT_BYTES(-(start + h->value - end));
		sys_munmap((void *)end, start + h->value - end);
		h->value = end - start;
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
	have = block_size(p, false);
	if (size <= have) {
		if (header_of(p)->kind == KIND_LARGE)
			shrink_large(p, size);
		return p;
	}
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
	if (align == 0 || (align & (align - 1)))
		return NULL;
	if (align <= HEADER)
		return crt_malloc(size);
	if (size > SIZE_MAX - align - PAGE)
		return NULL;
	return allocate(align, size);
}
