/* SPDX-License-Identifier: MIT */
/*
 * Two system calls for the libc-free demo: write(2) and exit_group(2).
 */
#ifndef DEMO_SYS_H
#define DEMO_SYS_H

static inline long
demo_syscall3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

static inline void
demo_print(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	demo_syscall3(1, 1, (long)s, n);
}

#endif
