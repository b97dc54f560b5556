/* SPDX-License-Identifier: MIT */
/*
 * glibc 2.36's struct cpu_features (_rtld_global_ro._dl_x86_cpu_features),
 * computed from CPUID and XGETBV exactly as glibc's ld.so computes it
 * without GLIBC_TUNABLES, plus what glibc derives from it for _dl_hwcap,
 * _dl_platform, the glibc-hwcaps subdirectories and _dl_minsigstacksize.
 * Runs while libc is not yet relocated: calls nothing but memset/memcpy.
 * The layout is fact sheet section 8 (480 bytes, align 8).
 */
#ifndef LOADER_ARCH_X86_64_CPU_FEATURES_H
#define LOADER_ARCH_X86_64_CPU_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Indices of glibc_cpu_features.leaf[] (glibc's CPUID_INDEX_*, part of the
 * public <sys/platform/x86.h> ABI). */
enum glibc_cpu_leaf {
	CPU_LEAF_1,		/* leaf 1 */
	CPU_LEAF_7,		/* leaf 7, subleaf 0 */
	CPU_LEAF_80000001,	/* leaf 0x80000001 */
	CPU_LEAF_D_1,		/* leaf 0xd, subleaf 1 */
	CPU_LEAF_80000007,	/* leaf 0x80000007 */
	CPU_LEAF_80000008,	/* leaf 0x80000008 */
	CPU_LEAF_7_1,		/* leaf 7, subleaf 1 */
	CPU_LEAF_19,		/* leaf 0x19 */
	CPU_LEAF_14_0,		/* leaf 0x14, subleaf 0 */
	CPU_LEAF_COUNT
};

/* Register order inside cpuid[] and active[]. */
enum glibc_cpu_reg { CPU_EAX, CPU_EBX, CPU_ECX, CPU_EDX };

/* basic.kind (glibc's enum cpu_features_kind). */
enum glibc_cpu_kind {
	CPU_KIND_UNKNOWN,
	CPU_KIND_INTEL,
	CPU_KIND_AMD,		/* also Hygon */
	CPU_KIND_ZHAOXIN,	/* also Centaur */
	CPU_KIND_OTHER
};

/* Bits of glibc_cpu_features.preferred (cpu-features-preferred_feature_
 * index_1.def order; the diagnostics print them by these names). */
enum glibc_cpu_preferred {
	CPU_PREF_FAST_REP_STRING = 1u << 0,
	CPU_PREF_FAST_COPY_BACKWARD = 1u << 1,
	CPU_PREF_SLOW_BSF = 1u << 2,
	CPU_PREF_FAST_UNALIGNED_LOAD = 1u << 3,
	CPU_PREF_PREFER_PMINUB_FOR_STRINGOP = 1u << 4,
	CPU_PREF_FAST_UNALIGNED_COPY = 1u << 5,
	CPU_PREF_I586 = 1u << 6,
	CPU_PREF_I686 = 1u << 7,
	CPU_PREF_SLOW_SSE4_2 = 1u << 8,
	CPU_PREF_AVX_FAST_UNALIGNED_LOAD = 1u << 9,
	CPU_PREF_PREFER_NO_VZEROUPPER = 1u << 10,
	CPU_PREF_PREFER_ERMS = 1u << 11,
	CPU_PREF_PREFER_NO_AVX512 = 1u << 12,
	CPU_PREF_MATHVEC_PREFER_NO_AVX512 = 1u << 13,
	CPU_PREF_PREFER_FSRM = 1u << 14,
	CPU_PREF_AVOID_SHORT_DISTANCE_REP_MOVSB = 1u << 15,
};

/* One CPUID leaf: the raw registers and the subset glibc marks usable. */
struct glibc_cpu_leaf_bits {
	uint32_t cpuid[4];
	uint32_t active[4];
};

/* glibc 2.36 struct cpu_features; field names are ours, offsets glibc's. */
struct glibc_cpu_features {
	uint32_t kind;			/* enum glibc_cpu_kind */
	int32_t max_cpuid;		/* CPUID leaf 0 eax */
	uint32_t family;
	uint32_t model;
	uint32_t stepping;
	struct glibc_cpu_leaf_bits leaf[CPU_LEAF_COUNT];
	uint32_t preferred;		/* enum glibc_cpu_preferred bits */
	uint32_t isa_1;			/* x86-64 ISA levels: 1 base, 2 v2, 4 v3, 8 v4 */
	uint64_t xsave_state_size;	/* bytes _dl_runtime_resolve reserves */
	uint32_t xsave_state_full_size;
	uint64_t data_cache_size;
	uint64_t shared_cache_size;
	uint64_t non_temporal_threshold;
	uint64_t rep_movsb_threshold;
	uint64_t rep_movsb_stop_threshold;
	uint64_t rep_stosb_threshold;
	uint64_t level1_icache_size;
	uint64_t level1_icache_linesize;
	uint64_t level1_dcache_size;
	uint64_t level1_dcache_assoc;
	uint64_t level1_dcache_linesize;
	uint64_t level2_cache_size;
	uint64_t level2_cache_assoc;
	uint64_t level2_cache_linesize;
	uint64_t level3_cache_size;
	uint64_t level3_cache_assoc;
	uint64_t level3_cache_linesize;
	uint64_t level4_cache_size;
};

#define GLIBC_CPU_FEATURES_SIZE 480

/* A feature is a bit of one register of one leaf: leaf << 7 | reg << 5 | bit. */
#define FEAT(leaf, reg, bit) ((uint16_t)((leaf) << 7 | (reg) << 5 | (bit)))
#define L1C(bit) FEAT(CPU_LEAF_1, CPU_ECX, bit)
#define L1D(bit) FEAT(CPU_LEAF_1, CPU_EDX, bit)
#define L7B(bit) FEAT(CPU_LEAF_7, CPU_EBX, bit)
#define L7C(bit) FEAT(CPU_LEAF_7, CPU_ECX, bit)
#define L7D(bit) FEAT(CPU_LEAF_7, CPU_EDX, bit)
#define LX1C(bit) FEAT(CPU_LEAF_80000001, CPU_ECX, bit)
#define LX1D(bit) FEAT(CPU_LEAF_80000001, CPU_EDX, bit)
#define LD1A(bit) FEAT(CPU_LEAF_D_1, CPU_EAX, bit)
#define L71A(bit) FEAT(CPU_LEAF_7_1, CPU_EAX, bit)

/* The features cpu_features.c and cpu_cache.c test by name (bit numbers:
 * Intel SDM vol. 2, CPUID; AMD APM vol. 3, appendix E). */
enum {
	F_SSE3 = L1C(0), F_SSSE3 = L1C(9), F_FMA = L1C(12), F_CX16 = L1C(13),
	F_SSE4_1 = L1C(19), F_SSE4_2 = L1C(20), F_MOVBE = L1C(22),
	F_POPCNT = L1C(23), F_XSAVE = L1C(26), F_OSXSAVE = L1C(27),
	F_AVX = L1C(28), F_F16C = L1C(29),
	F_FPU = L1D(0), F_CX8 = L1D(8), F_CMOV = L1D(15), F_MMX = L1D(23),
	F_FXSR = L1D(24), F_SSE = L1D(25), F_SSE2 = L1D(26), F_HTT = L1D(28),
	F_BMI1 = L7B(3), F_HLE = L7B(4), F_AVX2 = L7B(5), F_BMI2 = L7B(8),
	F_ERMS = L7B(9), F_RTM = L7B(11), F_AVX512F = L7B(16),
	F_AVX512DQ = L7B(17), F_AVX512ER = L7B(27), F_AVX512PF = L7B(26),
	F_AVX512CD = L7B(28), F_AVX512BW = L7B(30), F_AVX512VL = L7B(31),
	F_PKU = L7C(3), F_OSPKE = L7C(4), F_KL = L7C(23),
	F_FSRM = L7D(4), F_RTM_ALWAYS_ABORT = L7D(11),
	F_LAHF = LX1C(0), F_LZCNT = LX1C(5), F_FMA4 = LX1C(16),
	F_XSAVEC = LD1A(1),
	F_AVX_VNNI = L71A(4),
	F_AESKLE = FEAT(CPU_LEAF_19, CPU_EBX, 0),
	F_WIDE_KL = FEAT(CPU_LEAF_19, CPU_EBX, 2),
};

/* Whether the CPU reports feature f (a FEAT value), and whether glibc
 * marks it usable (the active words). */
static inline bool
cpu_has(const struct glibc_cpu_features *cf, uint16_t f)
{
	return (cf->leaf[f >> 7].cpuid[(f >> 5) & 3] >> (f & 31)) & 1;
}

static inline bool
cpu_usable(const struct glibc_cpu_features *cf, uint16_t f)
{
	return (cf->leaf[f >> 7].active[(f >> 5) & 3] >> (f & 31)) & 1;
}

/* The running CPU as the first call probed it (later calls return the
 * same record): glibc's struct cpu_features, plus what the lazy-binding
 * trampoline and the signal stack size need. */
struct x86_cpu {
	struct glibc_cpu_features glibc;
	uint32_t xcr0;		/* XCR0's low word; 0 without OSXSAVE */
	uint32_t xsave_size;	/* CPUID 0xd.0 ebx: standard XSAVE area for XCR0 */
	bool xsavec;		/* CPUID 0xd.1 eax bit 1 */
};

const struct x86_cpu *x86_cpu(void);

#endif
