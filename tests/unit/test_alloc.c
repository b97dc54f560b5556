/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of crt/alloc.c: sizes across every class boundary, 16-byte
 * alignment, contents kept by realloc, crt_memalign up to 4 MiB, large
 * blocks really unmapped on free (the address stops being mapped; the
 * process's VmSize drops), and a randomized stress run, single- and
 * multi-threaded, that checks every live block's bytes. The allocator
 * maps its memory itself, so nothing here goes through the host malloc,
 * and measurements avoid calling anything that might (Check included).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "tests/unit/unit.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KiB ((size_t)1024)
#define MiB (1024 * KiB)
#define PAGE ((size_t)4096)

static const size_t sizes[] = {
	0, 1, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256,
	257, 511, 512, 513, 1023, 1024, 1025, 2032, 2047, 2048, 2049, 4080,
	4096, 4097, 8192, 65535, 65536, 65537, 1 * MiB, 3 * MiB + 5,
};

static bool
aligned(const void *p, size_t align)
{
	return ((uintptr_t)p & (align - 1)) == 0;
}

/* The byte at offset i of a block filled for seed. */
static unsigned char
pattern(unsigned seed, size_t i)
{
	return (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

static void
fill(void *p, size_t len, unsigned seed)
{
	unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = pattern(seed, i);
}

static bool
intact(const void *p, size_t len, unsigned seed)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != pattern(seed, i))
			return false;
	return true;
}

/* True when the page holding p is mapped (mincore fails with ENOMEM on
 * an unmapped range). */
static bool
is_mapped(const void *p)
{
	unsigned char vec;
	void *page = (void *)((uintptr_t)p & ~(uintptr_t)(PAGE - 1));

	return mincore(page, PAGE, &vec) == 0 || errno != ENOMEM;
}

/* The process's virtual size in bytes, read without allocating (host
 * malloc may grow the heap, which VmSize would count). */
static size_t
vm_size(void)
{
	char buf[4096], *line;
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	line = strstr(buf, "VmSize:");
	return line ? strtoul(line + 7, NULL, 10) * KiB : 0;
}

/* Valgrind maps memory of its own (shadow memory) whenever the program
 * maps or touches some, so VmSize says nothing under it. Valgrind always
 * preloads its vgpreload objects into the program it runs. */
static bool
under_valgrind(void)
{
	const char *preload = getenv("LD_PRELOAD");

	return preload && strstr(preload, "vgpreload");
}

START_TEST(malloc_returns_aligned_writable_blocks)
{
	void *blocks[ARRAY_SIZE(sizes)];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		blocks[i] = crt_malloc(sizes[i]);
		ck_assert_ptr_nonnull(blocks[i]);
		ck_assert_msg(aligned(blocks[i], 16), "size %zu: %p", sizes[i], blocks[i]);
		fill(blocks[i], sizes[i], (unsigned)i);
	}
	/* Every block still holds its own bytes: none overlaps another. */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		ck_assert_msg(intact(blocks[i], sizes[i], (unsigned)i), "size %zu", sizes[i]);
		crt_free(blocks[i]);
	}
}
END_TEST

START_TEST(malloc_blocks_do_not_overlap)
{
	/* Enough blocks of each class to span several 64 KiB arenas. */
	enum { N = 3000 };
	static void *blocks[N];
	static size_t lens[N];
	size_t i;

	for (i = 0; i < N; i++) {
		lens[i] = (i * 37) % 2100;
		blocks[i] = crt_malloc(lens[i]);
		ck_assert_ptr_nonnull(blocks[i]);
		fill(blocks[i], lens[i], (unsigned)i);
	}
	for (i = 0; i < N; i++) {
		ck_assert_msg(intact(blocks[i], lens[i], (unsigned)i), "block %zu", i);
		crt_free(blocks[i]);
	}
}
END_TEST

START_TEST(malloc_zero_returns_distinct_blocks)
{
	void *a = crt_malloc(0), *b = crt_malloc(0);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	crt_free(a);
	crt_free(b);
}
END_TEST

START_TEST(malloc_reuses_freed_small_blocks)
{
	void *a = crt_malloc(115);
	void *b;

	crt_free(a);
	b = crt_malloc(120);   /* same 128-byte class */
	ck_assert_ptr_eq(a, b);
	crt_free(b);
}
END_TEST

/* The size classes, as alloc.c documents them. */
static const size_t classes[] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448,
	512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048,
};

/* Every small size lands in the smallest class that holds it: growing a
 * block to its class's end keeps it in place, one byte more moves it. */
START_TEST(malloc_sizes_map_to_their_class)
{
	size_t c = 0;

	for (size_t size = 1; size <= 2048; size++) {
		char *p, *q;

		while (classes[c] < size)
			c++;
		p = crt_malloc(size);
		ck_assert_ptr_nonnull(p);
		q = crt_realloc(p, classes[c]);
		ck_assert_msg(q == p, "size %zu: class %zu moved", size, classes[c]);
		q = crt_realloc(p, classes[c] + 1);
		ck_assert_msg(q && q != p, "size %zu: %zu bytes stayed", size,
			      classes[c] + 1);
		crt_free(q);
	}
}
END_TEST

START_TEST(malloc_fails_on_impossible_sizes)
{
	ck_assert_ptr_null(crt_malloc(SIZE_MAX));
	ck_assert_ptr_null(crt_malloc(SIZE_MAX - 4096));
	ck_assert_ptr_null(crt_malloc((size_t)1 << 62));
	/* And the allocator still works afterwards. */
	crt_free(crt_malloc(10));
}
END_TEST

START_TEST(free_null_is_harmless)
{
	crt_free(NULL);
}
END_TEST

START_TEST(free_unmaps_large_blocks)
{
	static const size_t large[] = { 2049, 4096, 65536, 1 * MiB, 16 * MiB + 3 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(large); i++) {
		char *p = crt_malloc(large[i]);
		char *last;

		ck_assert_ptr_nonnull(p);
		last = p + large[i] - 1;
		p[0] = 1;
		*last = 1;
		ck_assert(is_mapped(p) && is_mapped(last));
		crt_free(p);
		ck_assert_msg(!is_mapped(p) && !is_mapped(last),
			      "%zu-byte block still mapped after free", large[i]);
	}
}
END_TEST

START_TEST(free_gives_large_blocks_back_to_the_system)
{
	size_t before, during, after;
	void *p;

	if (under_valgrind())
		return;
	before = vm_size();
	p = crt_malloc(8 * MiB);
	during = vm_size();
	crt_free(p);
	after = vm_size();
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(during - before, 8 * MiB + PAGE);   /* header page */
	ck_assert_uint_eq(after, before);
}
END_TEST

START_TEST(calloc_zeroes_recycled_memory)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *dirty = crt_malloc(sizes[i]), *p;
		size_t j;

		memset(dirty, 0xa5, sizes[i]);
		crt_free(dirty);
		p = crt_calloc(1, sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert(aligned(p, 16));
		/* One assertion per block: each ck_assert talks to the runner. */
		for (j = 0; j < sizes[i] && p[j] == 0; j++)
			;
		ck_assert_msg(j == sizes[i], "size %zu: byte %zu not zero", sizes[i], j);
		crt_free(p);
	}
}
END_TEST

/* An arena's unused tail is handed to the free lists when the next arena
 * starts; those blocks hold free-list links, so calloc must clear them
 * (only blocks never handed out are known to be zero). 64 blocks of 2 KiB
 * take three 64 KiB arenas: the second one's tail (1552 bytes) gives a
 * 1 KiB block whose link points at the 1 KiB block freed first. */
START_TEST(calloc_zeroes_retired_arena_tail)
{
	void *blocks[64];
	unsigned char *p;
	size_t i, j;

	crt_free(crt_malloc(1024));
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		blocks[i] = crt_malloc(2048);
	p = crt_calloc(1, 1024);
	ck_assert_ptr_nonnull(p);
	for (j = 0; j < 1024 && p[j] == 0; j++)
		;
	ck_assert_msg(j == 1024, "byte %zu not zero", j);
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		crt_free(blocks[i]);
	crt_free(p);
}
END_TEST

START_TEST(calloc_rejects_overflow)
{
	ck_assert_ptr_null(crt_calloc(SIZE_MAX / 2 + 1, 2));
	ck_assert_ptr_null(crt_calloc(SIZE_MAX, SIZE_MAX));
	ck_assert_ptr_null(crt_calloc((size_t)1 << 32, (size_t)1 << 32));
	crt_free(crt_calloc(0, SIZE_MAX));
	crt_free(crt_calloc(SIZE_MAX, 0));
}
END_TEST

START_TEST(realloc_preserves_contents)
{
	/* Every pair of sizes: within a class, across classes, small to
	 * large and back, large to large. */
	static const size_t rsizes[] = {
		0, 1, 15, 16, 17, 100, 1000, 2047, 2048, 2049, 4080, 4096, 5000,
		65536, 1 * MiB + 3,
	};
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(rsizes); i++) {
		for (j = 0; j < ARRAY_SIZE(rsizes); j++) {
			size_t keep = rsizes[i] < rsizes[j] ? rsizes[i] : rsizes[j];
			void *p = crt_malloc(rsizes[i]), *q;

			fill(p, rsizes[i], (unsigned)(i + j));
			q = crt_realloc(p, rsizes[j]);
			if (rsizes[j] == 0) {
				ck_assert_ptr_null(q);
				continue;
			}
			ck_assert_ptr_nonnull(q);
			ck_assert(aligned(q, 16));
			ck_assert_msg(intact(q, keep, (unsigned)(i + j)),
				      "%zu -> %zu", rsizes[i], rsizes[j]);
			fill(q, rsizes[j], 1);   /* the new size is usable */
			crt_free(q);
		}
	}
}
END_TEST

START_TEST(realloc_keeps_aligned_contents)
{
	/* A crt_memalign block grows like any other. */
	char *p = crt_memalign(256, 1000);
	char *q;

	fill(p, 1000, 5);
	q = crt_realloc(p, 1500);   /* still fits the inner block */
	ck_assert(intact(q, 1000, 5));
	q = crt_realloc(q, 100000);
	ck_assert_ptr_nonnull(q);
	ck_assert(intact(q, 1000, 5));
	crt_free(q);
}
END_TEST

START_TEST(realloc_null_allocates)
{
	char *p = crt_realloc(NULL, 40);

	ck_assert_ptr_nonnull(p);
	memset(p, 1, 40);
	crt_free(p);
}
END_TEST

START_TEST(realloc_to_zero_frees)
{
	char *big = crt_malloc(1 * MiB);

	ck_assert_ptr_null(crt_realloc(crt_malloc(10), 0));
	ck_assert_ptr_null(crt_realloc(big, 0));
	ck_assert(!is_mapped(big));
}
END_TEST

START_TEST(realloc_shrinks_large_blocks_in_place)
{
	char *p = crt_malloc(4 * MiB);
	char *q;

	fill(p, 4 * MiB, 9);
	q = crt_realloc(p, 10000);
	ck_assert_ptr_eq(q, p);
	ck_assert(intact(q, 10000, 9));
	/* The tail went back to the system. */
	ck_assert(!is_mapped(p + 64 * KiB));
	ck_assert(!is_mapped(p + 4 * MiB - 1));
	/* And it can grow again. */
	q = crt_realloc(q, 5 * MiB);
	ck_assert_ptr_nonnull(q);
	ck_assert(intact(q, 10000, 9));
	crt_free(q);
}
END_TEST

static const size_t alignments[] = {
	1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
	64 * KiB, 1 * MiB, 2 * MiB, 4 * MiB,
};

static const size_t aligned_sizes[] = { 0, 1, 24, 100, 1000, 2048, 5000, 3 * MiB };

START_TEST(memalign_aligns_every_power_of_two)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(alignments); i++) {
		for (j = 0; j < ARRAY_SIZE(aligned_sizes); j++) {
			size_t align = alignments[i], size = aligned_sizes[j];
			void *p = crt_memalign(align, size);

			ck_assert_ptr_nonnull(p);
			ck_assert_msg(aligned(p, align < 16 ? 16 : align),
				      "align %zu size %zu: %p", align, size, p);
			fill(p, size, (unsigned)j);
			ck_assert(intact(p, size, (unsigned)j));
			crt_free(p);
		}
	}
}
END_TEST

START_TEST(memalign_blocks_coexist)
{
	/* Aligned blocks of every kind live at once without overlapping. */
	void *blocks[ARRAY_SIZE(alignments)][ARRAY_SIZE(aligned_sizes)];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(alignments); i++)
		for (j = 0; j < ARRAY_SIZE(aligned_sizes); j++) {
			blocks[i][j] = crt_memalign(alignments[i], aligned_sizes[j]);
			ck_assert_ptr_nonnull(blocks[i][j]);
			fill(blocks[i][j], aligned_sizes[j], (unsigned)(i * 16 + j));
		}
	for (i = 0; i < ARRAY_SIZE(alignments); i++)
		for (j = 0; j < ARRAY_SIZE(aligned_sizes); j++) {
			ck_assert(intact(blocks[i][j], aligned_sizes[j], (unsigned)(i * 16 + j)));
			crt_free(blocks[i][j]);
		}
}
END_TEST

START_TEST(memalign_rejects_bad_alignment)
{
	static const size_t bad[] = { 0, 3, 24, 48, 4095, 3 * MiB };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_ptr_null(crt_memalign(bad[i], 16));
	ck_assert_ptr_null(crt_memalign(4096, SIZE_MAX - 100));
}
END_TEST

START_TEST(memalign_frees_large_blocks)
{
	char *p = crt_memalign(2 * MiB, 3 * MiB);

	ck_assert_ptr_nonnull(p);
	p[0] = p[3 * MiB - 1] = 1;
	crt_free(p);
	ck_assert(!is_mapped(p));
	ck_assert(!is_mapped(p - 1));   /* the header page */
	ck_assert(!is_mapped(p + 3 * MiB - 1));
}
END_TEST

START_TEST(memalign_keeps_only_what_it_needs_mapped)
{
	/* 2 MiB of alignment must not cost 2 MiB of address space: only the
	 * header page and the block's own page stay mapped. */
	size_t before, during, after;
	void *p;

	if (under_valgrind())
		return;
	before = vm_size();
	p = crt_memalign(2 * MiB, 100);
	during = vm_size();
	crt_free(p);
	after = vm_size();
	ck_assert_ptr_nonnull(p);
	ck_assert(aligned(p, 2 * MiB));
	ck_assert_uint_eq(during - before, 2 * PAGE);
	ck_assert_uint_eq(after, before);
}
END_TEST

START_TEST(memalign_small_blocks_are_recycled)
{
	/* A small aligned block lives inside an ordinary one (164 bytes and
	 * more: the 192-byte class); freeing it recycles that block. */
	char *p = crt_memalign(64, 100);
	char *q;

	ck_assert(aligned(p, 64));
	crt_free(p);
	q = crt_malloc(180);
	ck_assert_msg(q < p && p - q <= 64, "aligned %p, reused %p", p, q);
	crt_free(q);
}
END_TEST

/* A small deterministic generator (xorshift64), so failures reproduce. */
static uint64_t
next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Mostly small sizes, some medium, a few large: the loader's mix. */
static size_t
random_size(uint64_t *rng)
{
	uint64_t r = next_random(rng);

	switch (r % 32) {
	case 0:
		return (size_t)(r >> 8) % (256 * KiB);
	case 1: case 2: case 3:
		return (size_t)(r >> 8) % (16 * KiB);
	default:
		return (size_t)(r >> 8) % 2100;
	}
}

struct slot {
	unsigned char *p;
	size_t len;
	unsigned seed;
};

/* Runs ops random operations on nslots slots, checking every block's
 * contents before it is touched; returns false at the first corruption. */
static bool
stress(uint64_t seed, size_t nslots, unsigned ops)
{
	struct slot *slots = calloc(nslots, sizeof(*slots));
	uint64_t rng = seed;
	bool ok = true;
	unsigned op;
	size_t i;

	for (op = 0; op < ops && ok; op++) {
		struct slot *s = &slots[next_random(&rng) % nslots];
		uint64_t what = next_random(&rng) % 8;

		if (s->p && !intact(s->p, s->len, s->seed)) {
			ok = false;
			break;
		}
		if (s->p && what < 4) {
			crt_free(s->p);
			s->p = NULL;
		} else if (s->p) {
			size_t len = random_size(&rng);
			unsigned char *q = crt_realloc(s->p, len);
			size_t keep = len < s->len ? len : s->len;

			if (len == 0) {
				/* Size 0 frees the block. */
				ok = q == NULL;
				s->p = NULL;
				continue;
			}
			if (!q || !intact(q, keep, s->seed) || !aligned(q, 16)) {
				ok = false;
				break;
			}
			s->p = q;
			s->len = len;
			s->seed = op;
			fill(q, len, op);
		} else {
			size_t len = random_size(&rng);

			if (what == 0) {
				size_t align = (size_t)1 << (next_random(&rng) % 17);

				s->p = crt_memalign(align, len);
				ok = s->p && aligned(s->p, align < 16 ? 16 : align);
			} else if (what == 1) {
				s->p = crt_calloc(1, len);
				for (i = 0; s->p && i < len; i++)
					ok &= s->p[i] == 0;
			} else {
				s->p = crt_malloc(len);
			}
			ok = ok && s->p && aligned(s->p, 16);
			s->len = len;
			s->seed = op;
			if (s->p)
				fill(s->p, len, op);
		}
	}
	for (i = 0; i < nslots; i++) {
		if (slots[i].p && !intact(slots[i].p, slots[i].len, slots[i].seed))
			ok = false;
		crt_free(slots[i].p);
	}
	free(slots);
	return ok;
}

START_TEST(malloc_random_stress_keeps_contents)
{
	ck_assert(stress(0x6d796c64, 512, 20000));
	ck_assert(stress(0x1234567887654321, 64, 20000));
}
END_TEST

static void *
stress_thread(void *arg)
{
	return (void *)(uintptr_t)stress((uint64_t)(uintptr_t)arg, 128, 10000);
}

START_TEST(malloc_is_thread_safe)
{
	/* alloc.h promises thread safety: __tls_get_addr allocates from any
	 * thread. Each thread checks its own blocks. */
	enum { THREADS = 4 };
	pthread_t threads[THREADS];
	uintptr_t i;

	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&threads[i], NULL, stress_thread,
						(void *)(0x9e3779b97f4a7c15u * (i + 1))), 0);
	for (i = 0; i < THREADS; i++) {
		void *ok;

		ck_assert_int_eq(pthread_join(threads[i], &ok), 0);
		ck_assert_msg(ok, "thread %zu saw corrupt memory", (size_t)i);
	}
}
END_TEST

static Suite *
alloc_suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc;

	tc = tcase_create("malloc");
	tcase_add_test(tc, malloc_returns_aligned_writable_blocks);
	tcase_add_test(tc, malloc_blocks_do_not_overlap);
	tcase_add_test(tc, malloc_zero_returns_distinct_blocks);
	tcase_add_test(tc, malloc_reuses_freed_small_blocks);
	tcase_add_test(tc, malloc_sizes_map_to_their_class);
	tcase_add_test(tc, malloc_fails_on_impossible_sizes);
	tcase_add_test(tc, malloc_random_stress_keeps_contents);
	tcase_add_test(tc, malloc_is_thread_safe);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("free");
	tcase_add_test(tc, free_null_is_harmless);
	tcase_add_test(tc, free_unmaps_large_blocks);
	tcase_add_test(tc, free_gives_large_blocks_back_to_the_system);
	suite_add_tcase(s, tc);

	tc = tcase_create("calloc");
	tcase_add_test(tc, calloc_zeroes_recycled_memory);
	tcase_add_test(tc, calloc_zeroes_retired_arena_tail);
	tcase_add_test(tc, calloc_rejects_overflow);
	suite_add_tcase(s, tc);

	tc = tcase_create("realloc");
	tcase_add_test(tc, realloc_preserves_contents);
	tcase_add_test(tc, realloc_keeps_aligned_contents);
	tcase_add_test(tc, realloc_null_allocates);
	tcase_add_test(tc, realloc_to_zero_frees);
	tcase_add_test(tc, realloc_shrinks_large_blocks_in_place);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("memalign");
	tcase_add_test(tc, memalign_aligns_every_power_of_two);
	tcase_add_test(tc, memalign_blocks_coexist);
	tcase_add_test(tc, memalign_rejects_bad_alignment);
	tcase_add_test(tc, memalign_frees_large_blocks);
	tcase_add_test(tc, memalign_keeps_only_what_it_needs_mapped);
	tcase_add_test(tc, memalign_small_blocks_are_recycled);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(alloc_suite());
}
