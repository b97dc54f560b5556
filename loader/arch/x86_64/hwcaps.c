/* SPDX-License-Identifier: MIT */
/*
 * The glibc-hwcaps subdirectory names of x86-64: one per micro-architecture
 * level of the psABI (3.1.1, "Processor Architecture", the x86-64-v2/v3/v4
 * table), usable when the CPU has that level (arch_isa_levels, from the
 * probe in cpu_features.c, which tests/unit/test_cpu_features.c checks
 * against glibc's ld.so).
 */
#include "machdep.h"

const char *
arch_hwcaps_subdirs(uint32_t levels, uint32_t *active)
{
	/* Name i is usable when level 3 - i is (bit 0 of *active: v4). */
	*active = (levels & 8u ? 1u : 0u) | (levels & 4u ? 2u : 0u) |
		  (levels & 2u ? 4u : 0u);
	return "x86-64-v4:x86-64-v3:x86-64-v2";
}
