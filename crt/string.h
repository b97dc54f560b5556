/* SPDX-License-Identifier: MIT */
/*
 * String and memory helpers of the loader's runtime. memcpy, memmove, memset
 * and memcmp keep their standard names (the compiler emits calls to them) and
 * live in mem.c; everything else has the crt_ prefix so that unit tests can
 * link crt beside the host libc.
 */
#ifndef CRT_STRING_H
#define CRT_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The word-at-a-time routines (here, string.c, loader/hash.c) read a
 * string's bytes eight at a time, the first at the lowest bits. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "crt's word-at-a-time string routines assume a little-endian machine"
#endif

/* Nonzero when one of x's bytes is 0; then its lowest set bit is bit 7
 * of the first zero byte (higher bits may be set for bytes that are
 * not): __builtin_ctzll(z) / 8 is the NUL's position in the word. */
static inline uint64_t
crt_zero_bytes(uint64_t x)
{
	return (x - 0x0101010101010101ull) & ~x & 0x8080808080808080ull;
}

void *memcpy(void *dst, const void *src, size_t len);
void *memmove(void *dst, const void *src, size_t len);
void *memset(void *dst, int c, size_t len);
int memcmp(const void *a, const void *b, size_t len);

size_t crt_strlen(const char *s);
size_t crt_strnlen(const char *s, size_t max);
int crt_strcmp(const char *a, const char *b);
int crt_strncmp(const char *a, const char *b, size_t n);
/* Whether the n bytes at a and b are equal, a word at a time (symbol
 * names: their lengths are known, and they are long in C++). */
bool crt_memeq(const void *a, const void *b, size_t n);
char *crt_strchr(const char *s, int c);
char *crt_strrchr(const char *s, int c);
/* Length of the initial segment of s made only of bytes not in reject. */
size_t crt_strcspn(const char *s, const char *reject);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t crt_strlcpy(char *dst, const char *src, size_t size);
/* crt_malloc'd copies; NULL when out of memory. */
char *crt_strdup(const char *s);
char *crt_strndup(const char *s, size_t n);
/* glibc's wording for an errno value ("No such file or directory"; 0 is
 * "Success"), or glibc's "Unknown error N" for one it does not know. Never
 * NULL, never allocates. Known texts are constant; the unknown form lives in
 * one static buffer, valid until the next call with an unknown value. */
const char *crt_strerror(int err);
/* The errno's symbolic name ("EACCES"), as glibc's strerrorname_np gives
 * it, for the errors execve(2) and open(2) report; NULL for others. */
const char *crt_strerrorname(int err);

#endif
