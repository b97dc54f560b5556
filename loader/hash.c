/* SPDX-License-Identifier: MIT */
/*
 * The ELF symbol hash functions. hash_sysv is the gABI's DT_HASH function
 * ("Hash Table" in the System V ABI); hash_gnu_len is the one DT_GNU_HASH uses
 * (Bernstein's h*33 + c from 5381, truncated to 32 bits). Pure functions:
 * safe in any stage after relocation, and in unit tests.
 */
#include "loader/hash.h"

/* An aligned 8-byte word that may alias the characters it holds. */
typedef uint64_t __attribute__((may_alias)) hash_word;

#include "crt/string.h"

#define ONES 0x0101010101010101ull

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


/* Reads whole aligned words, which never cross a page, so it may read up
 * to 7 bytes past the NUL: AddressSanitizer is told not to check that
 * (as for any word-at-a-time string routine). The bytes before name in
 * the first word are set to 0xff for the NUL test and left out of the
 * sum; in the last word, only the bytes before the NUL count. Of the
 * zero-byte test's set bits, the lowest is always a real NUL. */
__attribute__((no_sanitize("address"))) uint32_t
hash_gnu_from_chain(uint32_t chain, const char *name, size_t *len)
{
	uintptr_t off = (uintptr_t)name & 7;
	const hash_word *w = (const hash_word *)(const void *)(name - off);
	uint64_t before = off ? ~0ull >> (64 - 8 * off) : 0;
	uint64_t x = *w, sum = 0, z;
	unsigned nul;

	x &= ~before;
	for (;;) {
		z = crt_zero_bytes(x | before);
		if (z)
			break;
		sum ^= x;
		x = *++w;
		before = 0;
	}
	nul = (unsigned)__builtin_ctzll(z) / 8;
	sum ^= nul ? x & (~0ull >> (64 - 8 * nul)) : 0;
	*len = (size_t)((const char *)w + nul - name);
	/* The parity of the bytes' sum is the parity of their low bits. */
	sum &= ONES;
	sum ^= sum >> 32;
	sum ^= sum >> 16;
	sum ^= sum >> 8;
	return (chain & ~1u) | ((1u ^ (uint32_t)sum) & 1u);
}
