/* SPDX-License-Identifier: MIT */
/*
 * glibc 2.36's struct cpu_features (480 bytes, fact sheet section 8),
 * baseline version: no ISA extension is marked active, so libc's IFUNC
 * resolvers pick their SSE2 baseline code, which runs on every x86-64 CPU;
 * the copy thresholds libc derives from it are set to values the fact sheet
 * tested (zero thresholds make memcpy corrupt memory). Runs before libc is
 * relocated; calls nothing but memset.
 * TODO(myld): compute the active feature bits and cache sizes from CPUID as
 * glibc does, so libc selects the same string functions (issue #3).
 */
#include "loader/glibc/cpu_features.h"

#include <stdint.h>

#include "crt/string.h"

/* Offsets inside struct cpu_features (fact sheet 8). */
#define CF_KIND 0
#define CF_NON_TEMPORAL_THRESHOLD 352
#define CF_REP_MOVSB_THRESHOLD 360
#define CF_REP_MOVSB_STOP_THRESHOLD 368
#define CF_REP_STOSB_THRESHOLD 376
#define CF_SIZE 480
#define KIND_OTHER 4

static void
put64(unsigned char *p, size_t off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

void
glibc_cpu_features_init(void *out, size_t size)
{
	unsigned char *cf = out;
	uint32_t kind = KIND_OTHER;

	if (size < CF_SIZE)
		return;
	memset(cf, 0, size);
	memcpy(cf + CF_KIND, &kind, sizeof(kind));
	put64(cf, CF_NON_TEMPORAL_THRESHOLD, 0xc0000);
	put64(cf, CF_REP_MOVSB_THRESHOLD, 2048);
	put64(cf, CF_REP_MOVSB_STOP_THRESHOLD, 0xc0000);
	put64(cf, CF_REP_STOSB_THRESHOLD, 2048);
}
