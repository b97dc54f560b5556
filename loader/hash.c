/* SPDX-License-Identifier: MIT */
/*
 * The ELF symbol hash functions. hash_sysv is the gABI's DT_HASH function
 * ("Hash Table" in the System V ABI); hash_gnu is the one DT_GNU_HASH uses
 * (Bernstein's h*33 + c from 5381, truncated to 32 bits). Pure functions:
 * safe in any stage after relocation, and in unit tests.
 */
#include "loader/hash.h"

uint32_t
hash_sysv(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 0, g;

	while (*p) {
		h = (h << 4) + *p++;
		g = h & 0xf0000000u;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

uint32_t
hash_gnu(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 5381;

	while (*p)
		h = h * 33 + *p++;
	return h;
}
