/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: /etc/ld.so.cache parsing (loader/cache.c), in its three
 * layouts, from a buffer: cache_open_buffer, then cache_lookup (the binary
 * search and the walk over entries of one name) of every string in the
 * buffer that could be a library name, with and without a glibc-hwcaps
 * list, and of a few fixed names; a path found must lie in the buffer.
 * Seeds: the system's cache and caches in each layout
 * (scripts/gen-fuzz-corpus.py).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/cache.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX_NAMES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
lookup(const struct ld_cache *cache, const char *name,
       const unsigned char *copy, size_t size)
{
	static const struct cache_hwcaps hw = { "x86-64-v3\0x86-64-v2", 2, 0xf,
						true, 0x6, "haswell" };
	const char *got[2] = { cache_lookup(cache, name, NULL),
			       cache_lookup(cache, name, &hw) };

	for (size_t k = 0; k < 2; k++)
		if (got[k] && ((const unsigned char *)got[k] < copy ||
			       (const unsigned char *)got[k] +
			       strlen(got[k]) >= copy + size))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = { "libc.so.6", "libm.so.6", "",
					     "libz.so.1", "libstdc++.so.6" };
	struct ld_cache *cache;
	unsigned char *copy;
	size_t i, n = 0;

	fuzz_reset_state();
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	cache = cache_open_buffer(copy, size, "(buffer)");
	if (cache) {
		/* Names in the buffer: each "lib" that starts a terminated
		 * string, as keys do. */
		for (i = 0; i + 3 < size && n < FUZZ_MAX_NAMES; i++)
			if ((i == 0 || copy[i - 1] == '\0') &&
			    memcmp(copy + i, "lib", 3) == 0 &&
			    memchr(copy + i, '\0', size - i)) {
				lookup(cache, (const char *)copy + i, copy, size);
				n++;
			}
		for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			lookup(cache, fixed[i], copy, size);
		cache_close(cache);
	}
	free(copy);
	return 0;
}
