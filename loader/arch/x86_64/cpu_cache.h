/* SPDX-License-Identifier: MIT */
/*
 * The cache half of glibc 2.36's struct cpu_features: cache geometry from
 * CPUID and the memcpy/memset thresholds glibc derives from it. Used by
 * cpu_features.c (and tunables.c for a tunable's bound); runs before libc
 * is relocated and calls nothing but memset/memcpy.
 */
#ifndef LOADER_GLIBC_CPU_CACHE_H
#define LOADER_GLIBC_CPU_CACHE_H

#include "cpu_features.h"

/* Fills data_cache_size ... level4_cache_size of cf. Needs kind, max_cpuid,
 * family, model, leaf[] and preferred already final (glibc calls its
 * dl_init_cacheinfo at the same point). */
void glibc_cpu_cache_init(struct glibc_cpu_features *cf);

/* The lower bound glibc gives the glibc.cpu.x86_rep_movsb_threshold
 * tunable: eight of memmove's vectors (512 bytes with AVX-512). */
uint64_t glibc_cpu_rep_movsb_minimum(const struct glibc_cpu_features *cf);

/* One CPUID query (leaf, subleaf): the four registers in enum
 * glibc_cpu_reg order. Shared by cpu_features.c and cpu_cache.c. */
struct regs {
	uint32_t r[4];
};

/* The answer to CPUID (leaf, subleaf), asked of the CPU the first time
 * only (cpu_features.c keeps the answers): in a virtual machine every
 * CPUID traps to the hypervisor (9 us each on the development VM), and
 * glibc's algorithm asks the same leaves again and again (69 queries at
 * start-up, 25 distinct). The per-CPU parts of an answer (APIC ids) are
 * those of the CPU that first answered, as for any query. */
struct regs cpuid(uint32_t leaf, uint32_t subleaf);
/* How many CPUID instructions ran (for the unit test). */
unsigned cpuid_executions(void);

#endif
