/* SPDX-License-Identifier: MIT */
/*
 * Formatted output without libc. Conversions: %d %i %u %x %X %o %p %s %c %%
 * with the flags '-', '0', '#', ' ', '+', a width and a precision (both may be
 * '*'), and the length modifiers hh h l ll z j t, printed exactly as glibc's
 * printf prints them: %p is "0x..." or "(nil)", %s of NULL is "(null)" (or
 * nothing under a precision below 6). Any other conversion (%n, %f, ...) is
 * copied to the output as written and consumes no argument.
 * Nothing here allocates memory.
 */
#ifndef CRT_FMT_H
#define CRT_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Like vsnprintf: writes at most size bytes including the terminating NUL
 * and returns the length the full output would have had. */
int crt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int crt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Formats and writes to fd; output of any length is written whole (in
 * pieces if needed). Returns the number of bytes written or -errno. */
int crt_dprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
