/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: /etc/ld.so.cache parsing (loader/cache.c), in its three
 * layouts, from a buffer: cache_open_buffer, cache_foreach over every usable
 * entry, then cache_lookup (the binary search) of the names found and of a
 * few fixed ones. Seeds: the system's cache and caches in each layout
 * (scripts/gen-fuzz-corpus.py).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/cache.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX_NAMES 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct names {
	const char *v[FUZZ_MAX_NAMES];
	size_t n;
};

static void
collect(const char *name, const char *path, void *arg)
{
	struct names *names = arg;

	if (!name || !path)
		abort();
	if (names->n < FUZZ_MAX_NAMES)
		names->v[names->n++] = name;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = { "libc.so.6", "libm.so.6", "",
					     "libz.so.1", "libstdc++.so.6" };
	struct names names = { .n = 0 };
	struct ld_cache *cache;
	unsigned char *copy;
	size_t i;

	fuzz_reset_state();
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	cache = cache_open_buffer(copy, size, "(buffer)");
	if (cache) {
		cache_foreach(cache, collect, &names);
		for (i = 0; i < names.n; i++)
			cache_lookup(cache, names.v[i], NULL);
		for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
			cache_lookup(cache, fixed[i], NULL);
		cache_close(cache);
	}
	free(copy);
	return 0;
}
