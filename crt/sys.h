/* SPDX-License-Identifier: MIT */
/*
 * Raw Linux system calls for the loader. Every function is a thin wrapper
 * around one syscall and returns the kernel's answer unchanged: a value >= 0
 * on success, -errno on failure. There is no global errno in the loader.
 * sys_mmap returns the mapping or a value for which crt_mmap_failed() is true.
 */
#ifndef CRT_SYS_H
#define CRT_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>

long sys_read(int fd, void *buf, size_t len);
long sys_pread(int fd, void *buf, size_t len, off_t offset);
long sys_write(int fd, const void *buf, size_t len);
/* openat(AT_FDCWD, path, flags | O_CLOEXEC, mode). */
int sys_open(const char *path, int flags, int mode);
int sys_close(int fd);
/* The *at calls, relative to the directory open at dirfd: openat adds
 * O_CLOEXEC as sys_open does. */
int sys_openat(int dirfd, const char *path, int flags, int mode);
int sys_mkdirat(int dirfd, const char *path, int mode);
int sys_renameat(int dirfd, const char *from, const char *to);
int sys_unlinkat(int dirfd, const char *path);
int sys_fstat(int fd, struct stat *st);
int sys_stat(const char *path, struct stat *st);
long sys_readlink(const char *path, char *buf, size_t len);
long sys_getcwd(char *buf, size_t len);
/* Returns only on failure. */
int sys_execve(const char *path, char *const argv[], char *const envp[]);
void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);
int sys_munmap(void *addr, size_t len);
int sys_mprotect(void *addr, size_t len, int prot);
int sys_getpid(void);
int sys_clock_gettime(int clock, struct timespec *ts);
int sys_sched_yield(void);
__attribute__((noreturn)) void sys_exit_group(int status);

/* True when a sys_mmap() result is an error (-4095..-1 cast to a pointer). */
static inline int
crt_mmap_failed(const void *p)
{
	return (uintptr_t)p > (uintptr_t)-4096;
}

#endif
