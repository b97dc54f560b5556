/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 micro-architecture levels (psABI 3.1.1, "Processor
 * Architecture", the x86-64-v2/v3/v4 table) of the running CPU, from CPUID
 * and XGETBV: which glibc-hwcaps subdirectories a library search may use,
 * and which ISA levels ld.so.cache entries may require.
 * A feature counts only when the CPU has it and, for the vector extensions,
 * the kernel saves its registers (XCR0), as glibc's "usable" bits do; each
 * level needs the one below. tests/unit/test_cpu_features.c checks the
 * answer against the adapter's copy of glibc's own computation.
 * Stage 2 (library search); reads CPUID only, no state.
 */
#include "machdep.h"

#include <stdbool.h>
#include <stddef.h>

enum { EAX, EBX, ECX, EDX };

/* A feature: CPUID leaf (0x80000001 as 8), register, bit. */
struct feature {
	unsigned char leaf, reg, bit;
};

#define LEAF_EXT1 8

static const struct feature baseline[] = {
	{ 1, EDX, 0 } /* FPU */, { 1, EDX, 8 } /* CX8 */, { 1, EDX, 15 } /* CMOV */,
	{ 1, EDX, 23 } /* MMX */, { 1, EDX, 24 } /* FXSR */, { 1, EDX, 25 } /* SSE */,
	{ 1, EDX, 26 } /* SSE2 */,
};

static const struct feature v2[] = {
	{ 1, ECX, 0 } /* SSE3 */, { 1, ECX, 9 } /* SSSE3 */, { 1, ECX, 13 } /* CX16 */,
	{ 1, ECX, 19 } /* SSE4_1 */, { 1, ECX, 20 } /* SSE4_2 */,
	{ 1, ECX, 23 } /* POPCNT */, { LEAF_EXT1, ECX, 0 } /* LAHF/SAHF */,
};

/* AVX, AVX2, F16C and FMA also need the YMM state enabled. */
static const struct feature v3[] = {
	{ 1, ECX, 12 } /* FMA */, { 1, ECX, 22 } /* MOVBE */, { 1, ECX, 28 } /* AVX */,
	{ 1, ECX, 29 } /* F16C */, { 7, EBX, 3 } /* BMI1 */, { 7, EBX, 5 } /* AVX2 */,
	{ 7, EBX, 8 } /* BMI2 */, { LEAF_EXT1, ECX, 5 } /* LZCNT */,
};

/* All need the opmask and ZMM state enabled. */
static const struct feature v4[] = {
	{ 7, EBX, 16 } /* AVX512F */, { 7, EBX, 17 } /* AVX512DQ */,
	{ 7, EBX, 28 } /* AVX512CD */, { 7, EBX, 30 } /* AVX512BW */,
	{ 7, EBX, 31 } /* AVX512VL */,
};

/* XCR0 state components (Intel SDM vol. 1, 13.1): SSE and AVX; opmask,
 * ZMM_Hi256 and Hi16_ZMM. */
#define XCR0_YMM 0x6u
#define XCR0_ZMM 0xe0u

struct cpu {
	uint32_t leaf1[4], leaf7[4], ext1[4];
	uint32_t xcr0;
};

static void
cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[EAX]), "=b"(r[EBX]), "=c"(r[ECX]), "=d"(r[EDX])
			 : "a"(leaf), "c"(subleaf));
}

static void
probe(struct cpu *c)
{
	uint32_t r[4];

	*c = (struct cpu){ 0 };
	cpuid(0, 0, r);
	if (r[EAX] >= 1)
		cpuid(1, 0, c->leaf1);
	if (r[EAX] >= 7)
		cpuid(7, 0, c->leaf7);
	cpuid(0x80000000u, 0, r);
	if (r[EAX] >= 0x80000001u)
		cpuid(0x80000001u, 0, c->ext1);
	/* XGETBV faults unless the OS set CR4.OSXSAVE (CPUID 1 ecx bit 27). */
	if (c->leaf1[ECX] & (1u << 27)) {
		uint32_t lo, hi;

		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		c->xcr0 = lo;
	}
}

static bool
has_all(const struct cpu *c, const struct feature *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const uint32_t *regs = f[i].leaf == 1 ? c->leaf1 :
				       f[i].leaf == 7 ? c->leaf7 : c->ext1;

		if (!(regs[f[i].reg] >> f[i].bit & 1))
			return false;
	}
	return true;
}

#define HAS_ALL(c, list) has_all(c, list, sizeof(list) / sizeof(list[0]))

uint32_t
arch_isa_levels(void)
{
	struct cpu c;
	uint32_t levels = 0;

	probe(&c);
	if (!HAS_ALL(&c, baseline))
		return levels;
	levels |= 1u;
	if (!HAS_ALL(&c, v2))
		return levels;
	levels |= 2u;
	if (!HAS_ALL(&c, v3) || (c.xcr0 & XCR0_YMM) != XCR0_YMM)
		return levels;
	levels |= 4u;
	if (!HAS_ALL(&c, v4) || (c.xcr0 & XCR0_ZMM) != XCR0_ZMM)
		return levels;
	return levels | 8u;
}

const char *
arch_hwcaps_subdirs(uint32_t levels, uint32_t *active)
{
	/* Name i is usable when level 3 - i is (bit 0 of *active: v4). */
	*active = (levels & 8u ? 1u : 0u) | (levels & 4u ? 2u : 0u) |
		  (levels & 2u ? 4u : 0u);
	return "x86-64-v4:x86-64-v3:x86-64-v2";
}
