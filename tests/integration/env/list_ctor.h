/* SPDX-License-Identifier: MIT */
/*
 * list_ctor.h: list_ctor_touch(name) creates the file name in the current
 * directory with raw system calls, so it works from an IFUNC resolver,
 * before libc is usable. Used by list_ctor.c and list_ctor_dso.c to leave
 * evidence of any of their code that ran.
 */
#ifndef LIST_CTOR_H
#define LIST_CTOR_H

#include <fcntl.h>
#include <sys/syscall.h>

static inline long
list_ctor_syscall4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long ret;

	/* x86-64 Linux system call convention: the kernel clobbers rcx, r11. */
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

__attribute__((unused)) static void
list_ctor_touch(const char *name)
{
	long fd = list_ctor_syscall4(SYS_openat, AT_FDCWD, (long)name,
				     O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd >= 0)
		list_ctor_syscall4(SYS_close, fd, 0, 0, 0);
}

int list_ctor_ifunc(void);
int list_ctor_dso_value(void);

#endif /* LIST_CTOR_H */
