/* SPDX-License-Identifier: MIT */
/*
 * x86_64 system call instruction wrappers (psABI A.2.1): the number goes in
 * rax, arguments in rdi, rsi, rdx, r10, r8, r9; the kernel clobbers rcx and
 * r11 and returns -errno in rax on failure.
 */
#ifndef CRT_ARCH_SYSCALL_ARCH_H
#define CRT_ARCH_SYSCALL_ARCH_H

/* Always inlined: stage 1 (loader/boot.c) may call nothing. */
#define ARCH_SYSCALL_INLINE static inline __attribute__((always_inline))

ARCH_SYSCALL_INLINE long
arch_syscall0(long n)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n) : "rcx", "r11", "memory");
	return ret;
}

ARCH_SYSCALL_INLINE long
arch_syscall1(long n, long a)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a)
			 : "rcx", "r11", "memory");
	return ret;
}

ARCH_SYSCALL_INLINE long
arch_syscall2(long n, long a, long b)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b)
			 : "rcx", "r11", "memory");
	return ret;
}

ARCH_SYSCALL_INLINE long
arch_syscall3(long n, long a, long b, long c)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

ARCH_SYSCALL_INLINE long
arch_syscall4(long n, long a, long b, long c, long d)
{
	long ret;
	register long r10 __asm__("r10") = d;
	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

ARCH_SYSCALL_INLINE long
arch_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/* What a spin-wait loop does between tries (PAUSE). */
static inline void
arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

#endif
