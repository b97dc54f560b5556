/* SPDX-License-Identifier: MIT */
/*
 * Setting the x86_64 thread pointer: arch_prctl(ARCH_SET_FS) loads the %fs
 * base. Stage 2 only.
 */
#include "machdep.h"

#include <asm/prctl.h>
#include <sys/syscall.h>

#include "syscall_arch.h"

int
arch_set_thread_pointer(void *tp)
{
	return (int)arch_syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)tp);
}
