/* SPDX-License-Identifier: MIT */
/*
 * A minimal spin lock for the loader's short critical sections (allocating
 * a dynamic TLS block from __tls_get_addr, which any thread may enter).
 * Not a replacement for the load lock, which must sleep and be recursive.
 */
#ifndef CRT_LOCK_H
#define CRT_LOCK_H

#include "syscall_arch.h"

static inline void
crt_spin_lock(int *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void
crt_spin_unlock(int *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

#endif
