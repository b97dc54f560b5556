/* SPDX-License-Identifier: MIT */
/*
 * ifunc_string.c: glibc's IFUNC'd string functions, used hard.
 *
 * libc.so.6 picks memcpy, strlen, ... by IFUNC resolvers that read the
 * cpu_features block the loader fills in, and sizes its copy strategies
 * (vector loops, rep movsb, non-temporal stores) from the cache sizes the
 * loader computes. So the program prints which implementation each
 * function resolved to (its offset inside libc.so.6, equal under any
 * loader that fills cpu_features as glibc's ld.so does), the cache sizes
 * sysconf reports and the CPU features <sys/platform/x86.h> says are
 * active; then it runs memcpy, memmove (overlapping both ways), memset,
 * memcmp, memchr, strlen, strnlen, strchr, strcpy and strcmp over sizes
 * 0..64 and around every power of two up to 16 MiB, with misaligned
 * pointers and strings that end at an unmapped page, checking each result
 * and the guard bytes around it against a naive byte loop. Exits 1 on any
 * mismatch; the naive loops are built with -fno-builtin and
 * -fno-tree-loop-distribute-patterns so they never become libc calls.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/platform/x86.h>
#include <unistd.h>

int system_check_loader(void);

/* Called through volatile pointers: always the resolved libc function. */
static void *(*volatile f_memcpy)(void *, const void *, size_t);
static void *(*volatile f_memmove)(void *, const void *, size_t);
static void *(*volatile f_memset)(void *, int, size_t);
static int (*volatile f_memcmp)(const void *, const void *, size_t);
static void *(*volatile f_memchr)(const void *, int, size_t);
static size_t (*volatile f_strlen)(const char *);
static size_t (*volatile f_strnlen)(const char *, size_t);
static char *(*volatile f_strchr)(const char *, int);
static char *(*volatile f_strcpy)(char *, const char *);
static int (*volatile f_strcmp)(const char *, const char *);

static long failures;
static long cases[10];
enum { C_MEMCPY, C_MEMMOVE, C_MEMSET, C_MEMCMP, C_MEMCHR, C_STRLEN,
       C_STRNLEN, C_STRCHR, C_STRCPY, C_STRCMP };
static const char *const case_names[] = {
	"memcpy", "memmove", "memset", "memcmp", "memchr", "strlen",
	"strnlen", "strchr", "strcpy", "strcmp",
};

#define FAIL(...)                                                            \
	do {                                                                 \
		if (failures++ < 20) {                                       \
			fprintf(stderr, "FAIL: ");                           \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define MIB (1024UL * 1024)
#define GUARD 64
#define MAXSZ (16 * MIB + 3)

static size_t sizes[256];
static size_t nsizes;

static const size_t offsets[] = {0, 1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 33, 63};
#define NOFF (sizeof(offsets) / sizeof(offsets[0]))
/* Large sizes: a few (src, dst) offset pairs, aligned and not. */
static const size_t big_offsets[][2] = {{0, 0}, {1, 3}, {63, 5}, {32, 0}};
#define NBIG (sizeof(big_offsets) / sizeof(big_offsets[0]))
#define BIG (128 * 1024)
/* Room on both sides of a memmove for the largest shift. */
#define PAD 4224

static unsigned char *src, *dst, *ref;

static void
add_size(size_t n)
{
	if (n <= MAXSZ && (nsizes == 0 || sizes[nsizes - 1] < n))
		sizes[nsizes++] = n;
}

static void
make_sizes(void)
{
	size_t n, p;

	for (n = 0; n <= 64; n++)
		add_size(n);
	for (p = 128; p <= 16 * MIB; p *= 2) {
		add_size(p - 1);
		add_size(p);
		add_size(p + 1);
		if (p == 1024 || p == 4096)
			add_size(p + p / 2 + 7);
	}
	add_size(16 * MIB + 3);
}

/* A fixed pseudo-random fill (xorshift), never a NUL. */
static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	uint32_t x = 2463534242u ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)(x >> 24) ? (unsigned char)(x >> 24) : 0x5a;
	}
}

/* Byte loops without an early exit, so the compiler may vectorise them. */
static int
naive_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

static int
naive_all(const unsigned char *a, unsigned char c, size_t n)
{
	unsigned char d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ c;
	return d == 0;
}

/* Index of the first c in the string s (or of its NUL). */
static size_t
naive_index(const char *s, char c)
{
	size_t i = 0;

	while (s[i] != c && s[i] != '\0')
		i++;
	return i;
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
test_memcpy_one(size_t n, size_t so, size_t doff)
{
	unsigned char *d = dst + GUARD + doff;
	void *r;

	f_memset(dst, 0xaa, n + doff + 2 * GUARD);
	r = f_memcpy(d, src + GUARD + so, n);
	cases[C_MEMCPY]++;
	if (r != d || !naive_equal(d, src + GUARD + so, n) ||
	    !naive_all(dst, 0xaa, GUARD + doff) || !naive_all(d + n, 0xaa, GUARD))
		FAIL("memcpy size %zu src+%zu dst+%zu", n, so, doff);
}

/* memmove within one buffer: dst = src + shift, both directions. */
static void
test_memmove_one(size_t n, long shift, size_t so)
{
	unsigned char *base = dst + GUARD + PAD + so;
	unsigned char *s = base, *d = base + shift;
	size_t span = so + n + 2 * PAD + 2 * GUARD;
	size_t i;
	void *r;

	fill(dst, span, (unsigned)n);
	for (i = 0; i < span; i++)
		ref[i] = dst[i];
	/* Reference: copy out through a separate buffer, byte by byte. */
	for (i = 0; i < n; i++)
		src[i] = s[i];
	for (i = 0; i < n; i++)
		ref[(d - dst) + i] = src[i];
	r = f_memmove(d, s, n);
	cases[C_MEMMOVE]++;
	if (r != d || !naive_equal(dst, ref, span))
		FAIL("memmove size %zu shift %ld src+%zu", n, shift, so);
}

static void
test_memset_one(size_t n, size_t off, int c)
{
	unsigned char *d = dst + GUARD + off;
	void *r;

	/* A background no tested value uses, set by a naive loop. */
	for (size_t i = 0; i < n + off + 2 * GUARD; i++)
		dst[i] = 0x3c;
	r = f_memset(d, c, n);
	cases[C_MEMSET]++;
	if (r != d || !naive_all(d, (unsigned char)c, n) ||
	    !naive_all(dst, 0x3c, GUARD + off) || !naive_all(d + n, 0x3c, GUARD))
		FAIL("memset size %zu dst+%zu value %#x", n, off, c);
}

/* memcmp and memchr on a copy of src that differs (or holds c) at k. */
static void
test_memcmp_memchr(size_t n, size_t so, size_t doff)
{
	unsigned char *a = src + GUARD + so, *b = dst + GUARD + doff;
	size_t ks[3] = {0, n / 2, n ? n - 1 : 0};
	int j;

	f_memcpy(b, a, n);
	cases[C_MEMCMP]++;
	if (f_memcmp(a, b, n) != 0)
		FAIL("memcmp equal size %zu +%zu +%zu", n, so, doff);
	for (j = 0; j < 3 && n > 0; j++) {
		size_t k = ks[j];
		unsigned char old = b[k];

		/* 0x80 and above must compare as unsigned char. */
		b[k] = (unsigned char)(a[k] + 0x80);
		cases[C_MEMCMP]++;
		if (sign(f_memcmp(a, b, n)) != (a[k] < b[k] ? -1 : 1))
			FAIL("memcmp size %zu differ at %zu", n, k);
		b[k] = old;

		/* memchr for a byte that occurs first at k: 0 never occurs. */
		b[k] = 0;
		cases[C_MEMCHR]++;
		if (f_memchr(b, 0, n) != b + k || f_memchr(b, 0, k) != NULL)
			FAIL("memchr size %zu at %zu", n, k);
		b[k] = old;
	}
}

/* String functions on a NUL-terminated copy of src of length n. */
static void
test_strings(size_t n, size_t so, size_t doff)
{
	char *a = (char *)src + GUARD + so, *b = (char *)dst + GUARD + doff;
	unsigned char save = (unsigned char)a[n];
	size_t ks[3] = {0, n / 2, n ? n - 1 : 0};
	char *r;
	int j;

	a[n] = '\0';
	cases[C_STRLEN]++;
	if (f_strlen(a) != n)
		FAIL("strlen %zu at +%zu: %zu", n, so, f_strlen(a));
	cases[C_STRNLEN]++;
	if (f_strnlen(a, n + 1) != n || f_strnlen(a, n / 2) != n / 2)
		FAIL("strnlen %zu at +%zu", n, so);
	f_memset(b, 0xaa, n + 1 + GUARD);
	r = f_strcpy(b, a);
	cases[C_STRCPY]++;
	if (r != b || !naive_equal((unsigned char *)b, (unsigned char *)a,
				   n + 1) ||
	    !naive_all((unsigned char *)b + n + 1, 0xaa, GUARD))
		FAIL("strcpy %zu +%zu +%zu", n, so, doff);
	cases[C_STRCMP]++;
	if (f_strcmp(a, b) != 0)
		FAIL("strcmp equal %zu +%zu +%zu", n, so, doff);
	for (j = 0; j < 3 && n > 0; j++) {
		size_t k = ks[j];
		char old = b[k];

		b[k] = (char)((unsigned char)a[k] ^ 0x80);
		cases[C_STRCMP]++;
		if (sign(f_strcmp(a, b)) !=
		    ((unsigned char)a[k] < (unsigned char)b[k] ? -1 : 1))
			FAIL("strcmp %zu differ at %zu", n, k);
		/* A shorter string compares lower. */
		b[k] = '\0';
		cases[C_STRCMP]++;
		if (f_strcmp(b, a) >= 0 || f_strcmp(a, b) <= 0)
			FAIL("strcmp %zu prefix %zu", n, k);
		b[k] = old;

		/* strchr: find a byte placed at k that occurs nowhere before. */
		old = a[k];
		a[k] = 1;
		cases[C_STRCHR]++;
		if (f_strchr(a, 1) != a + naive_index(a, 1))
			FAIL("strchr %zu at %zu", n, k);
		if (f_strchr(a, 0) != a + n)
			FAIL("strchr NUL %zu", n);
		a[k] = old;
	}
	a[n] = (char)save;
}

/*
 * Strings that end in the last bytes of a page followed by an unmapped
 * one: the vector loops must not read past the terminator's page.
 */
static void
test_page_end(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t n;

	if (m == MAP_FAILED || munmap(m + 2 * pg, pg) != 0) {
		FAIL("mmap");
		return;
	}
	for (n = 0; n < 300; n++) {
		char *s = (char *)m + 2 * pg - n - 1;
		char *t = (char *)m + pg - n - 1;

		fill((unsigned char *)s, n, (unsigned)n);
		s[n] = '\0';
		memcpy(t, s, n + 1);
		cases[C_STRLEN]++;
		if (f_strlen(s) != n)
			FAIL("strlen %zu at page end", n);
		cases[C_STRCMP]++;
		if (f_strcmp(s, t) != 0)
			FAIL("strcmp %zu at page end", n);
		cases[C_MEMCHR]++;
		if (f_memchr(s, 0, n + 1) != s + n)
			FAIL("memchr %zu at page end", n);
		cases[C_STRCHR]++;
		if (f_strchr(s, 0) != s + n)
			FAIL("strchr %zu at page end", n);
		cases[C_MEMCMP]++;
		if (f_memcmp(s, t, n + 1) != 0)
			FAIL("memcmp %zu at page end", n);
	}
	munmap(m, 2 * pg);
}

static void
run_all_sizes(void)
{
	static const long shifts[] = {-4097, -65, -33, -1, 1, 7, 32, 64, 4097};
	size_t i, a, b;

	for (i = 0; i < nsizes; i++) {
		size_t n = sizes[i];

		if (n <= BIG) {
			/* Every offset pair while it is cheap, a sample above. */
			size_t step = n <= 8192 ? 1 : 3;

			for (a = 0; a < NOFF; a += step)
				for (b = 0; b < NOFF; b += step)
					test_memcpy_one(n, offsets[a], offsets[b]);
			for (a = 0; a < NOFF; a += 3)
				for (b = 0; b < NOFF; b += 4) {
					test_memcmp_memchr(n, offsets[a], offsets[b]);
					test_strings(n, offsets[a], offsets[b]);
				}
			for (a = 0; a < NOFF; a++) {
				test_memset_one(n, offsets[a], 0);
				test_memset_one(n, offsets[a], 0xa5);
			}
		} else {
			for (a = 0; a < NBIG; a++) {
				test_memcpy_one(n, big_offsets[a][0],
						big_offsets[a][1]);
				test_memset_one(n, big_offsets[a][0], 0x5a);
			}
			test_memcmp_memchr(n, 1, 2);
			test_strings(n, 3, 0);
		}
		for (a = 0; a < sizeof(shifts) / sizeof(shifts[0]); a++)
			if (n <= BIG || shifts[a] == -1 || shifts[a] == 1 ||
			    shifts[a] == 4097)
				test_memmove_one(n, shifts[a], n <= BIG ? 5 : 0);
	}
}

/* Offset of the function inside the object that contains it. */
static unsigned long
libc_offset(void *fn)
{
	char line[4096];
	unsigned long lo, hi, off, base = 0, found = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *path = strchr(line, '/');

		if (sscanf(line, "%lx-%lx %*s %lx", &lo, &hi, &off) != 3 ||
		    path == NULL || strstr(path, "/libc.so.6") == NULL)
			continue;
		if (off == 0 && base == 0)
			base = lo;
		if ((unsigned long)fn >= lo && (unsigned long)fn < hi)
			found = 1;
	}
	fclose(f);
	if (!found || base == 0) {
		FAIL("%p is not inside libc.so.6", fn);
		return 0;
	}
	return (unsigned long)fn - base;
}

static void
print_platform(void)
{
	static const struct { const char *name; int sc; } caches[] = {
		{"L1i size", _SC_LEVEL1_ICACHE_SIZE},
		{"L1i line", _SC_LEVEL1_ICACHE_LINESIZE},
		{"L1d size", _SC_LEVEL1_DCACHE_SIZE},
		{"L1d assoc", _SC_LEVEL1_DCACHE_ASSOC},
		{"L1d line", _SC_LEVEL1_DCACHE_LINESIZE},
		{"L2 size", _SC_LEVEL2_CACHE_SIZE},
		{"L2 assoc", _SC_LEVEL2_CACHE_ASSOC},
		{"L2 line", _SC_LEVEL2_CACHE_LINESIZE},
		{"L3 size", _SC_LEVEL3_CACHE_SIZE},
		{"L3 assoc", _SC_LEVEL3_CACHE_ASSOC},
		{"L3 line", _SC_LEVEL3_CACHE_LINESIZE},
		{"L4 size", _SC_LEVEL4_CACHE_SIZE},
	};
	size_t i;

	printf("memcpy  -> libc+%#lx\n", libc_offset((void *)f_memcpy));
	printf("memmove -> libc+%#lx\n", libc_offset((void *)f_memmove));
	printf("memset  -> libc+%#lx\n", libc_offset((void *)f_memset));
	printf("memcmp  -> libc+%#lx\n", libc_offset((void *)f_memcmp));
	printf("memchr  -> libc+%#lx\n", libc_offset((void *)f_memchr));
	printf("strlen  -> libc+%#lx\n", libc_offset((void *)f_strlen));
	printf("strnlen -> libc+%#lx\n", libc_offset((void *)f_strnlen));
	printf("strchr  -> libc+%#lx\n", libc_offset((void *)f_strchr));
	printf("strcpy  -> libc+%#lx\n", libc_offset((void *)f_strcpy));
	printf("strcmp  -> libc+%#lx\n", libc_offset((void *)f_strcmp));
	for (i = 0; i < sizeof(caches) / sizeof(caches[0]); i++)
		printf("sysconf %s: %ld\n", caches[i].name, sysconf(caches[i].sc));
	printf("active:");
#define FEAT(x) if (CPU_FEATURE_ACTIVE(x)) printf(" " #x)
	FEAT(SSE2); FEAT(SSSE3); FEAT(SSE4_1); FEAT(SSE4_2); FEAT(POPCNT);
	FEAT(AVX); FEAT(AVX2); FEAT(BMI1); FEAT(BMI2); FEAT(LZCNT);
	FEAT(MOVBE); FEAT(FMA); FEAT(F16C); FEAT(ERMS); FEAT(FSRM);
	FEAT(RTM); FEAT(XSAVE); FEAT(XSAVEC); FEAT(OSXSAVE); FEAT(AVX512F);
	FEAT(AVX512BW); FEAT(AVX512VL); FEAT(AVX512DQ); FEAT(AVX512CD);
	FEAT(AVX512_VBMI2); FEAT(VAES); FEAT(SHA);
#undef FEAT
	printf("\n");
}

int
main(void)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (system_check_loader() != 0)
		return 1;
	f_memcpy = memcpy;
	f_memmove = memmove;
	f_memset = memset;
	f_memcmp = memcmp;
	f_memchr = memchr;
	f_strlen = strlen;
	f_strnlen = strnlen;
	f_strchr = strchr;
	f_strcpy = strcpy;
	f_strcmp = strcmp;
	print_platform();

	src = malloc(MAXSZ + 2 * GUARD + 512);
	dst = malloc(MAXSZ + 2 * GUARD + 2 * PAD + 64);
	ref = malloc(MAXSZ + 2 * GUARD + 2 * PAD + 64);
	if (src == NULL || dst == NULL || ref == NULL) {
		fprintf(stderr, "FAIL: out of memory\n");
		return 1;
	}
	fill(src, MAXSZ + 2 * GUARD + 512, 1);
	make_sizes();
	run_all_sizes();
	test_page_end();

	printf("sizes: %zu, from %zu to %zu bytes\n", nsizes, sizes[0],
	       sizes[nsizes - 1]);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		printf("%-8s %ld cases\n", case_names[i], cases[i]);
	if (failures) {
		fprintf(stderr, "%ld checks failed\n", failures);
		return 1;
	}
	printf("all checks passed\n");
	return 0;
}
