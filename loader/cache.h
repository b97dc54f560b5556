/* SPDX-License-Identifier: MIT */
/*
 * /etc/ld.so.cache: glibc's current format ("glibc-ld.so.cache" + "1.1"),
 * and the old "ld.so-1.7.0" format followed by the new one. The file is
 * mapped read-only once and looked up by library name.
 */
#ifndef LOADER_CACHE_H
#define LOADER_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ld_cache;

/* Maps and checks the cache at path (with cache_open_buffer). Returns
 * NULL (and sets the error message) when the file is missing or
 * malformed: callers then just skip the cache, as glibc does. */
struct ld_cache *cache_open(const char *path);
/* Checks the len bytes at data, which the caller keeps, and makes a handle
 * for them; label names them in messages. Returns NULL (message set) when
 * they are not a cache. */
struct ld_cache *cache_open_buffer(const void *data, size_t len,
				   const char *label);
void cache_close(struct ld_cache *cache);

/* The glibc-hwcaps subdirectories a lookup may choose entries of: names
 * best first, each followed by a NUL (ld_state.search.hwcaps), and the
 * ISA levels the CPU has (arch_isa_levels). When legacy is set, entries
 * recorded for legacy HWCAP subdirectories are usable too, as glibc 2.36
 * uses them: their hwcap bits all among hwcap's important bits, their
 * platform bits (if any) those of platform. */
struct cache_hwcaps {
	const char *names;
	size_t count;
	uint32_t isa_levels;
	bool legacy;
	uint64_t hwcap;          /* _dl_hwcap */
	const char *platform;    /* _dl_platform, or NULL */
};

/* The path recorded for name (e.g. "libc.so.6") among the entries that fit
 * this machine (x86-64, 64-bit libc6 flags), or NULL; the string lives in
 * the cache. When several entries match, the one glibc would choose: an
 * entry for one of hw's subdirectories (and an ISA level the CPU has) is
 * preferred to the baseline entry, the best ranked first. hw may be NULL:
 * no subdirectories, their entries are skipped. */
const char *cache_lookup(const struct ld_cache *cache, const char *name,
			 const struct cache_hwcaps *hw);

#endif
