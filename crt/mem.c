/* SPDX-License-Identifier: MIT */
/*
 * memcpy, memmove, memset and memcmp for the freestanding loader: the
 * compiler may emit calls to them even with -ffreestanding (GCC manual,
 * "Standards"), so they must exist; and strlen, for valgrind (below). Unit tests use the host libc's instead,
 * so this file is not part of the crt library linked into them.
 * Built with -fno-builtin (and no tree-loop-distribute-patterns) so the
 * compiler cannot turn these loops back into calls to themselves.
 */
#include "crt/string.h"

#include <stdint.h>

/* An unaligned 64-bit load or store. */
typedef uint64_t __attribute__((may_alias, aligned(1))) mem_word;

/* Words, unaligned, then the last word again ending at the last byte (it
 * may overlap the one before: the buffers do not overlap each other);
 * under 8 bytes, bytes. The loader copies paths, .tdata images and
 * COPY-relocated objects. */
void *
memcpy(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (len < 8) {
		while (len--)
			*d++ = *s++;
		return dst;
	}
	for (size_t i = 0; i + 8 < len; i += 8)
		*(mem_word *)(d + i) = *(const mem_word *)(s + i);
	*(mem_word *)(d + len - 8) = *(const mem_word *)(s + len - 8);
	return dst;
}

/* memcpy when the buffers do not overlap; otherwise bytes, forwards when
 * dst is below src and backwards when above. */
void *
memmove(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || len == 0)
		return dst;
	if (d + len <= s || d >= s + len)
		return memcpy(dst, src, len);
	if (d < s) {
		while (len--)
			*d++ = *s++;
		return dst;
	}
	while (len--)
		d[len] = s[len];
	return dst;
}

void *
memset(void *dst, int c, size_t len)
{
	unsigned char *d = dst;
	uint64_t word = (unsigned char)c * 0x0101010101010101ull;

	while (len && ((uintptr_t)d & 7)) {
		*d++ = (unsigned char)c;
		len--;
	}
	/* Four words a step: calloc'ed link maps and objects are most of
	 * what the loader clears. */
	for (; len >= 32; len -= 32, d += 32) {
		((uint64_t *)(void *)d)[0] = word;
		((uint64_t *)(void *)d)[1] = word;
		((uint64_t *)(void *)d)[2] = word;
		((uint64_t *)(void *)d)[3] = word;
	}
	for (; len >= 8; len -= 8, d += 8)
		*(uint64_t *)(void *)d = word;
	while (len--)
		*d++ = (unsigned char)c;
	return dst;
}

int
memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;

	for (; len; len--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

/* valgrind's memcheck refuses to start unless the object whose soname is
 * ld-linux-x86-64.so.2 has a symbol named strlen (its m_redir.c makes that
 * redirection mandatory for glibc's loader, whose optimised strlen reads
 * past the terminator). It only has to exist in the symbol table: myld
 * calls crt_strlen, and this hidden definition is not exported. */
size_t strlen(const char *s);

size_t
strlen(const char *s)
{
	return crt_strlen(s);
}
