/* SPDX-License-Identifier: MIT */
/*
 * The libc-free test runtime: raw system calls, unbuffered output and an
 * exit that runs the loader's finalisers. Test programs define
 * main(argc, argv, envp); rt.c's _start calls it. Nothing here uses TLS or
 * a stack protector (there is no thread pointer unless the loader made
 * one).
 */
#ifndef RT_H
#define RT_H

#include <stddef.h>

long rt_syscall(long n, long a, long b, long c);
void rt_write(int fd, const char *s, size_t n);
void rt_print(const char *s);
void rt_print_dec(long v);
void rt_print_hex(unsigned long v);
int rt_streq(const char *a, const char *b);
const char *rt_getenv(char **envp, const char *name);
/* True when /proc/self/maps has a mapping whose path ends with "/name"
 * or, name absolute, is name. */
int rt_mapped(const char *name);
/* Prints "FAIL: msg" and exits 1 unless cond. */
void rt_check(int cond, const char *msg);
/* The stack pointer the program's _start got (argc at [0]): programs
 * only, defined in rt_start.c. */
extern long *rt_entry_sp;
/* Remembers the loader's fini function for rt_exit. */
void rt_set_fini(void (*fini)(void));
/* Runs the loader's fini function (rdx at entry), then exit_group. */
__attribute__((noreturn)) void rt_exit(int status);

int main(int argc, char **argv, char **envp);

#endif
