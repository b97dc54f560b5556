/* SPDX-License-Identifier: MIT */
/*
 * The ELF symbol hash functions. hash_sysv is the gABI's DT_HASH function
 * ("Hash Table" in the System V ABI); hash_gnu_len is the one DT_GNU_HASH uses
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
hash_gnu_len(const char *name, size_t *len)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 5381;

	/* Four characters a step while none is the NUL: the same sum,
	 * h * 33^4 + c0 * 33^3 + c1 * 33^2 + c2 * 33 + c3, with one
	 * multiply each instead of a dependent chain of four. */
	while (p[0] && p[1] && p[2] && p[3]) {
		h = h * (33u * 33 * 33 * 33) + p[0] * (33u * 33 * 33) +
		    p[1] * (33u * 33) + p[2] * 33u + p[3];
		p += 4;
	}
	while (*p)
		h = h * 33 + *p++;
	*len = (size_t)(p - (const unsigned char *)name);
	return h;
}

