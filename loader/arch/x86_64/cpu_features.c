/* SPDX-License-Identifier: MIT */
/*
 * glibc 2.36's struct cpu_features as glibc's ld.so computes it (Debian 12's
 * release/2.36 branch, no GLIBC_TUNABLES): raw CPUID leaves, the "active"
 * subset libc's IFUNC resolvers test (only features the OS enabled in XCR0),
 * the preferred bits, the ISA level and the XSAVE area size; cpu_cache.c
 * adds the cache geometry and the copy thresholds.
 *
 * Runs in stage 2 while libc.so.6 is not yet relocated (its resolvers read
 * the result): calls nothing but memset/memcpy and cpu_cache.c; its only
 * global data are the probed CPU and the CPUID answers (below), written
 * by the probe alone. x86_64 only by location.
 * Verified field by field against glibc's `ld.so --list-diagnostics`
 * (tests/unit/test_cpu_features.c): AMD Zen 5 (in a VM), and the Intel path
 * on valgrind's synthetic Haswell (both sides run under valgrind). Not
 * verified: other Intel model quirks, AMD Excavator, Zhaoxin.
 */
#include "cpu_features.h"

#include <stdbool.h>

#include "crt/string.h"
#include "cpu_cache.h"
#include "machdep.h"

_Static_assert(sizeof(struct glibc_cpu_features) == GLIBC_CPU_FEATURES_SIZE,
	       "struct cpu_features is 480 bytes in glibc 2.36");
_Static_assert(offsetof(struct glibc_cpu_features, leaf) == 20, "features[]");
_Static_assert(offsetof(struct glibc_cpu_features, preferred) == 308, "preferred");
_Static_assert(offsetof(struct glibc_cpu_features, isa_1) == 312, "isa_1");
_Static_assert(offsetof(struct glibc_cpu_features, xsave_state_size) == 320, "xsave");
_Static_assert(offsetof(struct glibc_cpu_features, xsave_state_full_size) == 328, "xsave full");
_Static_assert(offsetof(struct glibc_cpu_features, data_cache_size) == 336, "data cache");
_Static_assert(offsetof(struct glibc_cpu_features, non_temporal_threshold) == 352, "nt");
_Static_assert(offsetof(struct glibc_cpu_features, rep_stosb_threshold) == 376, "stosb");
_Static_assert(offsetof(struct glibc_cpu_features, level1_icache_size) == 384, "level1");
_Static_assert(offsetof(struct glibc_cpu_features, level4_cache_size) == 472, "level4");

/* Usable as soon as the CPU reports them: no OS state needed. */
static const uint16_t plain_features[] = {
	F_SSE3, L1C(1) /* PCLMULQDQ */, F_SSSE3, F_CX16, F_SSE4_1, F_SSE4_2,
	F_MOVBE, F_POPCNT, L1C(25) /* AES */, F_OSXSAVE, L1C(30) /* RDRAND */,
	L1D(4) /* TSC */, F_CX8, F_CMOV, L1D(19) /* CLFSH */, F_MMX, F_FXSR,
	F_SSE, F_SSE2, F_HTT,
	F_BMI1, F_HLE, F_BMI2, F_ERMS, L7B(18) /* RDSEED */, L7B(19) /* ADX */,
	L7B(23) /* CLFLUSHOPT */, L7B(24) /* CLWB */, L7B(29) /* SHA */,
	L7C(0) /* PREFETCHWT1 */, F_OSPKE, L7C(5) /* WAITPKG */,
	L7C(8) /* GFNI */, L7C(22) /* RDPID */, L7C(25) /* CLDEMOTE */,
	L7C(27) /* MOVDIRI */, L7C(28) /* MOVDIR64B */,
	F_FSRM, F_RTM_ALWAYS_ABORT, L7D(14) /* SERIALIZE */, L7D(16) /* TSXLDTRK */,
	F_LAHF, F_LZCNT, LX1C(6) /* SSE4A */, LX1C(8) /* PREFETCHW */,
	LX1C(21) /* TBM */, LX1D(27) /* RDTSCP */,
	FEAT(CPU_LEAF_80000008, CPU_EBX, 9) /* WBNOINVD */,
	L71A(10) /* FZLRM */, L71A(11) /* FSRS */, L71A(12) /* FSRCS */,
	FEAT(CPU_LEAF_14_0, CPU_EBX, 4) /* PTWRITE */,
};

/* Usable once XCR0 has XMM and YMM state, if the CPU has AVX. */
static const uint16_t avx_features[] = {
	F_AVX, F_AVX2, F_AVX_VNNI, F_FMA, L7C(9) /* VAES */, L7C(10) /* VPCLMULQDQ */,
	LX1C(11) /* XOP */, F_F16C,
};

/* Usable once XCR0 also has opmask and both ZMM halves, if the CPU has
 * AVX512F. */
static const uint16_t avx512_features[] = {
	F_AVX512F, F_AVX512CD, F_AVX512ER, F_AVX512PF, F_AVX512VL, F_AVX512DQ, F_AVX512BW,
	L7D(3) /* 4FMAPS */, L7D(2) /* 4VNNIW */, L7C(12) /* BITALG */,
	L7B(21) /* IFMA */, L7C(1) /* VBMI */, L7C(6) /* VBMI2 */,
	L7C(11) /* VNNI */, L7C(14) /* VPOPCNTDQ */, L7D(8) /* VP2INTERSECT */,
	L71A(5) /* BF16 */, L7D(23) /* FP16 */,
};

/* Usable when XCR0 has the tile state (XTILECFG and XTILEDATA). */
static const uint16_t amx_features[] = {
	L7D(22) /* AMX_BF16 */, L7D(24) /* AMX_TILE */, L7D(25) /* AMX_INT8 */,
};

/* Usable when OSXSAVE is (XSAVE itself is set unconditionally). */
static const uint16_t xsave_features[] = {
	LD1A(0) /* XSAVEOPT */, F_XSAVEC, LD1A(2) /* XGETBV_ECX_1 */,
	LD1A(4) /* XFD */,
};

/* XCR0 state components (Intel SDM vol. 1, 13.1). */
#define XCR0_SSE_AVX ((1u << 1) | (1u << 2))
#define XCR0_AVX512 ((1u << 5) | (1u << 6) | (1u << 7))
#define XCR0_AMX ((1u << 17) | (1u << 18))

/* _dl_runtime_resolve saves 7 integer registers (+ 8 bytes of alignment)
 * before the XSAVE area, and glibc saves the components SSE, AVX, MPX
 * bound registers, opmask and both ZMM halves (bits 1-3, 5-7). */
#define STATE_SAVE_OFFSET 64u
#define STATE_SAVE_MASK 0xeeu

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))


/* Only valid when CPUID reports OSXSAVE (otherwise #UD). */
static uint32_t
xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo;
}

/* Marks f usable whatever CPUID says (glibc's CPU_FEATURE_SET). */
static void
set_active(struct glibc_cpu_features *cf, uint16_t f)
{
	cf->leaf[f >> 7].active[(f >> 5) & 3] |= 1u << (f & 31);
}

static void
clear_active(struct glibc_cpu_features *cf, uint16_t f)
{
	cf->leaf[f >> 7].active[(f >> 5) & 3] &= ~(1u << (f & 31));
}

/* Marks f usable if the CPU has it (glibc's CPU_FEATURE_SET_ACTIVE). */
static void
copy_active(struct glibc_cpu_features *cf, uint16_t f)
{
	struct glibc_cpu_leaf_bits *l = &cf->leaf[f >> 7];

	l->active[(f >> 5) & 3] |= l->cpuid[(f >> 5) & 3] & (1u << (f & 31));
}

static void
copy_list(struct glibc_cpu_features *cf, const uint16_t *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		copy_active(cf, list[i]);
}

#define COPY_LIST(cf, list) copy_list(cf, list, sizeof(list) / sizeof(list[0]))

static void
load_leaf(struct glibc_cpu_features *cf, enum glibc_cpu_leaf i,
	  uint32_t leaf, uint32_t subleaf)
{
	struct regs v = cpuid(leaf, subleaf);

	memcpy(cf->leaf[i].cpuid, v.r, sizeof(v.r));
}

/* The leaves read after leaf 1, each when the highest basic or extended
 * leaf reaches it. */
static const struct {
	uint8_t index;		/* enum glibc_cpu_leaf */
	uint32_t leaf, subleaf;
} more_leaves[] = {
	{ CPU_LEAF_7, 7, 0 }, { CPU_LEAF_7_1, 7, 1 }, { CPU_LEAF_D_1, 0xd, 1 },
	{ CPU_LEAF_14_0, 0x14, 0 }, { CPU_LEAF_19, 0x19, 0 },
	{ CPU_LEAF_80000001, 0x80000001, 0 },
	{ CPU_LEAF_80000007, 0x80000007, 0 },
	{ CPU_LEAF_80000008, 0x80000008, 0 },
};

/*
 * The leaves every vendor reads (glibc's get_common_indices), and the
 * extended ones for known vendors. Leaf 1 only for known vendors too:
 * glibc skips it for "other", so their features[0] stays zero. Family and
 * model get the extended fields only for family 0xf here; Intel and
 * Zhaoxin add the extended model for their family 6/7.
 */
static void
load_leaves(struct glibc_cpu_features *cf, bool known, uint32_t *ext_model)
{
	uint32_t ext_max = known ? cpuid(0x80000000, 0).r[CPU_EAX] : 0;

	if (known) {
		uint32_t eax;

		load_leaf(cf, CPU_LEAF_1, 1, 0);
		eax = cf->leaf[CPU_LEAF_1].cpuid[CPU_EAX];
		cf->family = (eax >> 8) & 0xf;
		cf->model = (eax >> 4) & 0xf;
		cf->stepping = eax & 0xf;
		*ext_model = (eax >> 12) & 0xf0;
		if (cf->family == 0xf) {
			cf->family += (eax >> 20) & 0xff;
			cf->model += *ext_model;
		}
	}
	for (size_t i = 0; i < sizeof(more_leaves) / sizeof(more_leaves[0]); i++) {
		uint32_t leaf = more_leaves[i].leaf;

		if (leaf & 0x80000000 ? leaf <= ext_max :
		    (int64_t)leaf <= cf->max_cpuid)
			load_leaf(cf, more_leaves[i].index, leaf,
				  more_leaves[i].subleaf);
	}
}

/*
 * XSAVE area sizes for _dl_runtime_resolve: the standard (XCR0-sized)
 * format, and the compacted format of the saved components when XSAVEC
 * exists (Intel SDM vol. 1, 13.4.3: in compacted form component i starts
 * right after i-1, rounded up to 64 when CPUID 0xd.i ecx bit 1 says so).
 * Like glibc, the component sizes come from CPUID, whatever XCR0 enables.
 */
static void
compute_xsave_sizes(struct glibc_cpu_features *cf)
{
	uint32_t std_size, offset, size;

	if (cf->max_cpuid < 0xd)
		return;
	std_size = cpuid(0xd, 0).r[CPU_EBX];
	if (std_size == 0)
		return;
	cf->xsave_state_full_size = ALIGN_UP(std_size + STATE_SAVE_OFFSET, 64u);
	cf->xsave_state_size = cf->xsave_state_full_size;
	if (!cpu_has(cf, F_XSAVEC))
		return;

	/* Legacy region (x87 160 bytes + SSE 256 + rest) and header: 576. */
	offset = 576;
	size = 0;
	for (uint32_t i = 2; i < 32; i++) {
		struct regs c = { { 0, 0, 0, 0 } };

		if (STATE_SAVE_MASK & (1u << i))
			c = cpuid(0xd, i);
		if (i > 2) {
			offset += size;
			if (c.r[CPU_ECX] & 2)
				offset = ALIGN_UP(offset, 64u);
		}
		size = c.r[CPU_EAX];
	}
	if (offset + size != 0) {
		cf->xsave_state_size = ALIGN_UP(offset + size + STATE_SAVE_OFFSET, 64u);
		set_active(cf, F_XSAVEC);
	}
}

/* glibc's get_isa_level: GNU_PROPERTY_X86_ISA_1_BASELINE, _V2, _V3, _V4
 * (bits 0-3; x86-64 psABI 3.1.1), each needing the one before. A list
 * ends at its first 0 (no list names a leaf-1 EAX bit, feature 0). */
static uint32_t
isa_level(const struct glibc_cpu_features *cf)
{
	static const uint16_t need[4][8] = {
		{ F_CMOV, F_CX8, F_FXSR, F_MMX, F_SSE, F_SSE2 },
		{ F_CX16, F_LAHF, F_POPCNT, F_SSE3, F_SSSE3, F_SSE4_1, F_SSE4_2 },
		{ F_AVX, F_AVX2, F_BMI1, F_BMI2, F_F16C, F_FMA, F_LZCNT, F_MOVBE },
		{ F_AVX512F, F_AVX512BW, F_AVX512CD, F_AVX512DQ, F_AVX512VL },
	};
	uint32_t level = 0;

	for (size_t l = 0; l < 4 && cpu_has(cf, F_FPU); l++) {
		for (size_t i = 0; i < 8 && need[l][i]; i++)
			if (!cpu_usable(cf, need[l][i]))
				return level;
		level |= 1u << l;
	}
	return level;
}

/*
 * The active words (glibc's update_active). Vector features additionally
 * need their register state enabled by the kernel in XCR0: a resolver
 * choosing AVX2 code on a kernel that does not save YMM would corrupt
 * registers on every context switch, or fault.
 */
static void
compute_active(struct glibc_cpu_features *cf)
{
	COPY_LIST(cf, plain_features);
	if (!cpu_has(cf, F_RTM_ALWAYS_ABORT))
		copy_active(cf, F_RTM);
	/* IBT and SHSTK: glibc 2.36 (CET build) clears them again unless the
	 * kernel reports CET through ARCH_CET_STATUS, which mainline Linux
	 * never implemented, so they stay clear. */

	if (cpu_has(cf, F_OSXSAVE)) {
		uint32_t xcr0 = xgetbv0();

		if ((xcr0 & XCR0_SSE_AVX) == XCR0_SSE_AVX) {
			if (cpu_has(cf, F_AVX)) {
				COPY_LIST(cf, avx_features);
				if (cpu_has(cf, F_AVX2))
					cf->preferred |= CPU_PREF_AVX_FAST_UNALIGNED_LOAD;
			}
			if ((xcr0 & XCR0_AVX512) == XCR0_AVX512 &&
			    cpu_has(cf, F_AVX512F))
				COPY_LIST(cf, avx512_features);
		}
		if ((xcr0 & XCR0_AMX) == XCR0_AMX)
			COPY_LIST(cf, amx_features);
		set_active(cf, F_XSAVE);
		COPY_LIST(cf, xsave_features);
		compute_xsave_sizes(cf);
	}
	if (cpu_has(cf, F_OSPKE))
		set_active(cf, F_PKU);
	if (cpu_has(cf, F_AESKLE)) {
		set_active(cf, F_AESKLE);
		copy_active(cf, F_KL);
		copy_active(cf, F_WIDE_KL);
	}
	cf->isa_1 = isa_level(cf);
}

/* Intel family 6 model quirks: string-function preferences and TSX. */
static void
tune_intel_family6(struct glibc_cpu_features *cf)
{
	const uint32_t fast_strings = CPU_PREF_FAST_UNALIGNED_LOAD |
		CPU_PREF_FAST_UNALIGNED_COPY | CPU_PREF_PREFER_PMINUB_FOR_STRINGOP;
	uint32_t m = cf->model, step = cf->stepping;

	switch (m) {
	case 0x1c: case 0x26:			/* Atom: slow BSF */
		cf->preferred |= CPU_PREF_SLOW_BSF;
		break;
	case 0x57: case 0x7a: case 0x5c: case 0x5f: case 0x4c: case 0x5a:
	case 0x75: case 0x37: case 0x4a: case 0x4d: case 0x5d:
		/* Knights Landing, Goldmont (Plus), Airmont, Silvermont */
		cf->preferred |= fast_strings | CPU_PREF_SLOW_SSE4_2;
		break;
	case 0x86: case 0x96: case 0x9c:	/* Tremont */
		cf->preferred |= CPU_PREF_FAST_REP_STRING | fast_strings |
				 CPU_PREF_SLOW_SSE4_2;
		break;
	case 0x1a: case 0x1e: case 0x1f: case 0x25: case 0x2c: case 0x2e:
	case 0x2f:				/* Nehalem, Westmere */
		cf->preferred |= CPU_PREF_FAST_REP_STRING | fast_strings;
		break;
	default:	/* unknown: a Core i3/i5/i7 if it has AVX */
		if (cpu_has(cf, F_AVX))
			cf->preferred |= CPU_PREF_FAST_REP_STRING | fast_strings;
		break;
	}

	/* Models whose TSX microcode fix may be missing: glibc turns RTM off
	 * (and HLE, marking RTM_ALWAYS_ABORT, for the errata list). */
	if ((m == 0x55 && step <= 5) || ((m == 0x8e || m == 0x9e) && step <= 0xc) ||
	    m == 0x4e || m == 0x5e) {
		clear_active(cf, F_HLE);
		clear_active(cf, F_RTM);
		set_active(cf, F_RTM_ALWAYS_ABORT);
	} else if ((m == 0x3f && step < 4) || m == 0x3c || m == 0x45 || m == 0x46) {
		clear_active(cf, F_RTM);
	}
}

/* Verified on valgrind's Haswell only (model 0x3c: the RTM quirk). */
static void
tune_intel(struct glibc_cpu_features *cf, uint32_t ext_model)
{
	if (cf->family == 6) {
		cf->model += ext_model;
		tune_intel_family6(cf);
	}
	if (cpu_has(cf, F_AVX512ER)) {
		cf->preferred |= CPU_PREF_PREFER_NO_VZEROUPPER;	/* Xeon Phi */
	} else {
		/* AVX-512 lowers the clock unless the CPU also has AVX-VNNI. */
		if (!cpu_has(cf, F_AVX_VNNI))
			cf->preferred |= CPU_PREF_PREFER_NO_AVX512;
		if (cpu_usable(cf, F_RTM))
			cf->preferred |= CPU_PREF_PREFER_NO_VZEROUPPER;
	}
	if (cpu_has(cf, F_FSRM))
		cf->preferred |= CPU_PREF_AVOID_SHORT_DISTANCE_REP_MOVSB;
}

/* Verified on Zen 5 (the Excavator branch is not). */
static void
tune_amd(struct glibc_cpu_features *cf)
{
	if (cpu_usable(cf, F_AVX))
		copy_active(cf, F_FMA4);
	if (cf->family == 0x15 && cf->model >= 0x60 && cf->model <= 0x7f) {
		cf->preferred |= CPU_PREF_FAST_UNALIGNED_LOAD |
				 CPU_PREF_FAST_COPY_BACKWARD;
		cf->preferred &= ~CPU_PREF_AVX_FAST_UNALIGNED_LOAD;
	}
}

/* Not verified on hardware. glibc declares a second "stepping" inside its
 * Zhaoxin branch, so basic.stepping stays 0 there; we keep that. */
static void
tune_zhaoxin(struct glibc_cpu_features *cf, uint32_t ext_model)
{
	bool slow_sse42, no_avx;

	cf->model += ext_model;
	cf->stepping = 0;
	slow_sse42 = (cf->family == 6 &&
		      (cf->model == 0xf || cf->model == 0x19)) ||
		     (cf->family == 7 && cf->model == 0x1b);
	no_avx = slow_sse42 || (cf->family == 7 && cf->model == 0x3b);
	if (no_avx) {
		clear_active(cf, F_AVX);
		clear_active(cf, F_AVX2);
		cf->preferred &= ~CPU_PREF_AVX_FAST_UNALIGNED_LOAD;
	}
	if (slow_sse42)
		cf->preferred |= CPU_PREF_SLOW_SSE4_2;
}

static void
compute(struct glibc_cpu_features *cf)
{
	struct regs v0 = cpuid(0, 0);
	uint32_t b = v0.r[CPU_EBX], c = v0.r[CPU_ECX], d = v0.r[CPU_EDX];
	uint32_t ext_model = 0;

	memset(cf, 0, sizeof(*cf));
	cf->max_cpuid = (int32_t)v0.r[CPU_EAX];
	/* Vendor strings in ebx, edx, ecx order. */
	if (b == 0x756e6547 && d == 0x49656e69 && c == 0x6c65746e)
		cf->kind = CPU_KIND_INTEL;		/* GenuineIntel */
	else if ((b == 0x68747541 && d == 0x69746e65 && c == 0x444d4163) ||
		 (b == 0x6f677948 && d == 0x6e65476e && c == 0x656e6975))
		cf->kind = CPU_KIND_AMD;		/* AuthenticAMD, HygonGenuine */
	else if ((b == 0x746e6543 && d == 0x48727561 && c == 0x736c7561) ||
		 (b == 0x68532020 && d == 0x68676e61 && c == 0x20206961))
		cf->kind = CPU_KIND_ZHAOXIN;		/* CentaurHauls, "  Shanghai  " */
	else
		cf->kind = CPU_KIND_OTHER;

	load_leaves(cf, cf->kind != CPU_KIND_OTHER, &ext_model);
	compute_active(cf);
	if (cf->kind == CPU_KIND_INTEL)
		tune_intel(cf, ext_model);
	else if (cf->kind == CPU_KIND_AMD)
		tune_amd(cf);
	else if (cf->kind == CPU_KIND_ZHAOXIN)
		tune_zhaoxin(cf, ext_model);
	if (cpu_has(cf, F_CX8))
		cf->preferred |= CPU_PREF_I586;
	if (cpu_has(cf, F_CMOV))
		cf->preferred |= CPU_PREF_I686;
	glibc_cpu_cache_init(cf);
	/* glibc's tunables pass next clears the AVX family and the XSAVE
	 * size when neither XSAVE nor XSAVEC is usable, i.e. without OSXSAVE;
	 * compute_active never set them then, so there is nothing to undo. */
}

/* The CPUID answers asked so far, in an open-addressed table on
 * (leaf, subleaf); when it is full (more distinct queries than glibc's
 * algorithm makes), a new query is asked of the CPU every time. Every
 * query comes from x86_cpu's probe (below), which runs once, at start-up
 * before any thread exists: no lock. */
#define CPUID_SLOTS 64                  /* a power of two */
#define CPUID_KEEP (CPUID_SLOTS / 2)    /* at most half full */

static struct {
	unsigned n, executed;
	struct { bool used; uint32_t leaf, subleaf; struct regs v; } e[CPUID_SLOTS];
} cpuid_memo;

static struct regs
cpuid_insn(uint32_t leaf, uint32_t subleaf)
{
	struct regs v;

	__asm__ volatile("cpuid"
			 : "=a"(v.r[CPU_EAX]), "=b"(v.r[CPU_EBX]),
			   "=c"(v.r[CPU_ECX]), "=d"(v.r[CPU_EDX])
			 : "a"(leaf), "c"(subleaf));
	return v;
}

struct regs
cpuid(uint32_t leaf, uint32_t subleaf)
{
	/* Standard leaves are small numbers, extended ones 0x8000xxxx. */
	unsigned i = (leaf ^ leaf >> 26 ^ subleaf * 13) & (CPUID_SLOTS - 1);
	struct regs v;

	for (; cpuid_memo.e[i].used; i = (i + 1) & (CPUID_SLOTS - 1))
		if (cpuid_memo.e[i].leaf == leaf && cpuid_memo.e[i].subleaf == subleaf)
			return cpuid_memo.e[i].v;
	v = cpuid_insn(leaf, subleaf);
	cpuid_memo.executed++;
	if (cpuid_memo.n < CPUID_KEEP) {
		cpuid_memo.e[i].used = true;
		cpuid_memo.e[i].leaf = leaf;
		cpuid_memo.e[i].subleaf = subleaf;
		cpuid_memo.e[i].v = v;
		cpuid_memo.n++;
	}
	return v;
}

unsigned
cpuid_executions(void)
{
	return cpuid_memo.executed;
}

/* The running CPU, probed by the first caller (start-up, stage 2, before
 * any thread exists) and only read afterwards. */
static struct x86_cpu probed_cpu;
static bool probed;

const struct x86_cpu *
x86_cpu(void)
{
	struct x86_cpu *c = &probed_cpu;
	uint32_t leaf1_ecx;

	if (probed)
		return c;
	compute(&c->glibc);
	/* The leaves compute read, asked again only where glibc skips them:
	 * leaf 1 of unknown vendors (the trampoline must save what the OS
	 * enabled on any CPU). Leaf 0xd.1 is read whatever the vendor. */
	leaf1_ecx = c->glibc.kind != CPU_KIND_OTHER ?
		    c->glibc.leaf[CPU_LEAF_1].cpuid[CPU_ECX] : cpuid(1, 0).r[CPU_ECX];
	if (leaf1_ecx >> (F_OSXSAVE & 31) & 1) {
		c->xcr0 = xgetbv0();
		if (c->glibc.max_cpuid >= 0xd) {
			c->xsave_size = cpuid(0xd, 0).r[CPU_EBX];
			c->xsavec = cpu_has(&c->glibc, F_XSAVEC);
		}
	}
	probed = true;
	return c;
}

void
arch_cpu_features_copy(void *out, size_t size)
{
	const struct glibc_cpu_features *cf = &x86_cpu()->glibc;

	if (size > sizeof(*cf)) {
		memset((char *)out + sizeof(*cf), 0, size - sizeof(*cf));
		size = sizeof(*cf);
	}
	memcpy(out, cf, size);
}

uint32_t
arch_isa_levels(void)
{
	return x86_cpu()->glibc.isa_1;
}

uint64_t
arch_hwcap(void)
{
	const struct glibc_cpu_features *cf = &x86_cpu()->glibc;
	uint64_t hwcap = ARCH_HWCAP_X86_64;

	if (cf->kind == CPU_KIND_INTEL && cpu_usable(cf, F_AVX512CD) &&
	    !cpu_usable(cf, F_AVX512ER) && cpu_usable(cf, F_AVX512BW) &&
	    cpu_usable(cf, F_AVX512DQ) && cpu_usable(cf, F_AVX512VL))
		hwcap |= ARCH_HWCAP_AVX512_1;
	return hwcap;
}

const char *
arch_hwcap_name(unsigned bit)
{
	static const char *const names[] = { "sse2", "x86_64", "avx512_1" };

	return bit < sizeof(names) / sizeof(names[0]) ? names[bit] : NULL;
}

const char *
arch_platform(void)
{
	static const uint16_t haswell[] = { F_AVX2, F_FMA, F_BMI1, F_BMI2,
					    F_LZCNT, F_MOVBE, F_POPCNT };
	const struct glibc_cpu_features *cf = &x86_cpu()->glibc;

	if (cf->kind != CPU_KIND_INTEL)
		return NULL;
	if (cpu_usable(cf, F_AVX512CD) && cpu_usable(cf, F_AVX512ER) &&
	    cpu_usable(cf, F_AVX512PF))
		return "xeon_phi";
	for (size_t i = 0; i < sizeof(haswell) / sizeof(haswell[0]); i++)
		if (!cpu_usable(cf, haswell[i]))
			return NULL;
	return "haswell";
}

uint64_t
arch_minsigstacksize(void)
{
	const struct x86_cpu *c = x86_cpu();

	if (c->glibc.max_cpuid < 0xd || !cpu_has(&c->glibc, F_OSXSAVE))
		return 2048;	/* MINSIGSTKSZ */
	/* Kernel rt_sigframe + return address (448), 16-byte alignment slack,
	 * 64-byte alignment of the XSAVE buffer, the buffer itself and the
	 * FP_XSTATE_MAGIC2 word after it. */
	return ALIGN_UP(448u + 15u, 16u) + (64u - 16u) + c->xsave_size + 4u;
}

void
arch_cpu_tunable(unsigned which, uint64_t *value, uint64_t *min, uint64_t *max)
{
	const struct glibc_cpu_features *cf = &x86_cpu()->glibc;

	switch (which) {
	case ARCH_TUNABLE_DATA_CACHE:
		*value = cf->data_cache_size;
		break;
	case ARCH_TUNABLE_SHARED_CACHE:
		*value = cf->shared_cache_size;
		break;
	case ARCH_TUNABLE_NON_TEMPORAL:
		/* The clamp memmove's 4x loop and shift need. */
		*value = cf->non_temporal_threshold;
		*min = 0x4040;
		*max = SIZE_MAX >> 4;
		break;
	case ARCH_TUNABLE_REP_MOVSB:
		*value = cf->rep_movsb_threshold;
		*min = glibc_cpu_rep_movsb_minimum(cf);
		break;
	case ARCH_TUNABLE_REP_STOSB:
		*value = cf->rep_stosb_threshold;
		*min = 1;
		break;
	}
}
