/* SPDX-License-Identifier: MIT */
/*
 * The libc-free test runtime (see rt.h): system calls and output helpers,
 * linked into every test program and (hidden) into every test library.
 */
#include "rt.h"

static void (*rt_fini)(void);

long
rt_syscall(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return r;
}

void
rt_write(int fd, const char *s, size_t n)
{
	while (n) {
		long w = rt_syscall(1, fd, (long)s, (long)n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void
rt_print(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	rt_write(1, s, n);
}

void
rt_print_dec(long v)
{
	char buf[24];
	int i = sizeof(buf);
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do {
		buf[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[--i] = '-';
	rt_write(1, buf + i, sizeof(buf) - (size_t)i);
}

void
rt_print_hex(unsigned long v)
{
	char buf[18];
	int i = sizeof(buf);

	do {
		buf[--i] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	rt_write(1, buf + i, sizeof(buf) - (size_t)i);
}

int
rt_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const char *
rt_getenv(char **envp, const char *name)
{
	for (; *envp; envp++) {
		const char *e = *envp, *n = name;

		while (*n && *e == *n) {
			e++;
			n++;
		}
		if (!*n && *e == '=')
			return e + 1;
	}
	return 0;
}

int
rt_mapped(const char *name)
{
	static char buf[1 << 20];   /* the 100-library workload maps ~500 areas */
	long fd = rt_syscall(2, (long)"/proc/self/maps", 0, 0), n, len = 0;
	size_t nl = 0;

	if (fd < 0)
		return 0;
	while ((n = rt_syscall(0, fd, (long)buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	rt_syscall(3, fd, 0, 0);
	buf[len] = 0;
	while (name[nl])
		nl++;
	for (long i = 0; i < len; i++) {
		long end = i;

		while (end < len && buf[end] != '\n')
			end++;
		if (end - i >= (long)nl) {
			long k;

			for (k = 0; k < (long)nl && buf[end - nl + k] == name[k]; k++)
				;
			/* "/name" ends the path, or an absolute name is it. */
			if (k == (long)nl && (end - (long)nl == i ||
					      buf[end - nl - 1] ==
					      (name[0] == '/' ? ' ' : '/')))
				return 1;
		}
		i = end;
	}
	return 0;
}

void
rt_check(int cond, const char *msg)
{
	if (cond)
		return;
	rt_print("FAIL: ");
	rt_print(msg);
	rt_print("\n");
	rt_exit(1);
}

void
rt_exit(int status)
{
	if (rt_fini)
		rt_fini();
	for (;;)
		rt_syscall(231, status, 0, 0);
}

void
rt_set_fini(void (*fini)(void))
{
	rt_fini = fini;
}
