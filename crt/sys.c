/* SPDX-License-Identifier: MIT */
/*
 * Raw system calls (see sys.h). Runs in stage 2 and later; stage 1 (boot.c)
 * must not call these, since they live outside its translation unit.
 * Each wrapper returns the kernel's result unchanged (-errno on failure).
 */
#include "crt/sys.h"

#include <fcntl.h>
#include <sys/syscall.h>

#include "syscall_arch.h"

long
sys_read(int fd, void *buf, size_t len)
{
	return arch_syscall3(SYS_read, fd, (long)buf, (long)len);
}

long
sys_pread(int fd, void *buf, size_t len, off_t offset)
{
	return arch_syscall4(SYS_pread64, fd, (long)buf, (long)len, offset);
}

long
sys_write(int fd, const void *buf, size_t len)
{
	return arch_syscall3(SYS_write, fd, (long)buf, (long)len);
}

int
sys_open(const char *path, int flags, int mode)
{
	return sys_openat(AT_FDCWD, path, flags, mode);
}

int
sys_openat(int dirfd, const char *path, int flags, int mode)
{
	return (int)arch_syscall4(SYS_openat, dirfd, (long)path,
				  flags | O_CLOEXEC, mode);
}

int
sys_mkdirat(int dirfd, const char *path, int mode)
{
	return (int)arch_syscall3(SYS_mkdirat, dirfd, (long)path, mode);
}

int
sys_renameat(int dirfd, const char *from, const char *to)
{
	return (int)arch_syscall4(SYS_renameat, dirfd, (long)from, dirfd,
				  (long)to);
}

int
sys_unlinkat(int dirfd, const char *path)
{
	return (int)arch_syscall3(SYS_unlinkat, dirfd, (long)path, 0);
}

int
sys_close(int fd)
{
	return (int)arch_syscall1(SYS_close, fd);
}

int
sys_fstat(int fd, struct stat *st)
{
	return (int)arch_syscall2(SYS_fstat, fd, (long)st);
}

/* fstatat: the call every architecture has (newer ones lack stat). */
int
sys_stat(const char *path, struct stat *st)
{
	return (int)arch_syscall4(SYS_newfstatat, AT_FDCWD, (long)path, (long)st, 0);
}

/* readlinkat, for the same reason. */
long
sys_readlink(const char *path, char *buf, size_t len)
{
	return arch_syscall4(SYS_readlinkat, AT_FDCWD, (long)path, (long)buf,
			     (long)len);
}

int
sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)arch_syscall3(SYS_execve, (long)path, (long)argv,
				  (long)envp);
}

long
sys_getcwd(char *buf, size_t len)
{
	return arch_syscall2(SYS_getcwd, (long)buf, (long)len);
}

void *
sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	return (void *)arch_syscall6(SYS_mmap, (long)addr, (long)len, prot,
				     flags, fd, offset);
}

int
sys_munmap(void *addr, size_t len)
{
	return (int)arch_syscall2(SYS_munmap, (long)addr, (long)len);
}

int
sys_mprotect(void *addr, size_t len, int prot)
{
	return (int)arch_syscall3(SYS_mprotect, (long)addr, (long)len, prot);
}

int
sys_getpid(void)
{
	return (int)arch_syscall0(SYS_getpid);
}

int
sys_sched_yield(void)
{
	return (int)arch_syscall0(SYS_sched_yield);
}

int
sys_clock_gettime(int clock, struct timespec *ts)
{
	return (int)arch_syscall2(SYS_clock_gettime, clock, (long)ts);
}

void
sys_exit_group(int status)
{
	for (;;)
		arch_syscall1(SYS_exit_group, status);
}
