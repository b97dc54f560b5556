/* SPDX-License-Identifier: MIT */
/*
 * Cache geometry and copy thresholds of glibc 2.36's struct cpu_features as
 * glibc's dl_init_cacheinfo computes them (Debian 12's release/2.36 branch):
 * L1-L4 from CPUID leaves 2 and 4 (Intel), 4 (Zhaoxin) or 0x80000005/6
 * (AMD), the last-level cache share per thread, and from those the
 * non-temporal and rep movsb/stosb thresholds of libc's memcpy/memset (a
 * zero non-temporal threshold makes memmove corrupt memory, fact sheet 8.2).
 *
 * Runs in stage 2 while libc.so.6 is not yet relocated: calls nothing but
 * memset, touches no global data. Verified field by field against glibc's
 * `ld.so --list-diagnostics`: AMD Zen 5 (in a VM) and the Intel leaf-4 path
 * on valgrind's synthetic Haswell. Not verified against glibc: the Intel
 * leaf-2 descriptors (checked by hand), Zhaoxin, AMD before Zen.
 */
#include "cpu_cache.h"

#include <stdbool.h>

#include "crt/string.h"

/* What is asked of a cache: groups of three, in sysconf's _SC_LEVEL* order. */
enum cache_query {
	Q_L1I_SIZE, Q_L1I_ASSOC, Q_L1I_LINE,
	Q_L1D_SIZE, Q_L1D_ASSOC, Q_L1D_LINE,
	Q_L2_SIZE, Q_L2_ASSOC, Q_L2_LINE,
	Q_L3_SIZE, Q_L3_ASSOC, Q_L3_LINE,
	Q_L4_SIZE,
};

enum cache_group { G_L1I, G_L1D, G_L2, G_L3, G_L4 };

/* Leaf 4 (deterministic cache parameters, Intel and Zhaoxin): the answer
 * for q from the first subleaf describing that cache; none if none does.
 * Sizes multiply in 32 bits, as glibc's do. */
static int64_t
leaf4_query(unsigned q, bool with_l4, int64_t none)
{
	unsigned group = q / 3;

	for (uint32_t sub = 0;; sub++) {
		struct regs v = cpuid(4, sub);
		uint32_t type = v.r[CPU_EAX] & 0x1f, level = (v.r[CPU_EAX] >> 5) & 7;
		uint32_t ebx = v.r[CPU_EBX];
		bool match;

		if (type == 0)
			break;
		match = (level == 1 && type == 1 && group == G_L1D) ||
			(level == 1 && type == 2 && group == G_L1I) ||
			(level == 2 && group == G_L2) ||
			(level == 3 && group == G_L3) ||
			(level == 4 && with_l4 && group == G_L4);
		if (!match)
			continue;
		if (q % 3 == 1)
			return (ebx >> 22) + 1;
		if (q % 3 == 2)
			return (ebx & 0xfff) + 1;
		return (int64_t)(((ebx >> 22) + 1) * (((ebx >> 12) & 0x3ff) + 1) *
				 ((ebx & 0xfff) + 1) * (v.r[CPU_ECX] + 1));
	}
	return none;
}

/* Leaf 2 descriptor bytes glibc knows (Intel SDM vol. 2, table 3-12),
 * indexed by the descriptor: its cache group + 1 (0: not a cache
 * descriptor glibc knows), associativity, line size, size in KiB. One
 * load per descriptor byte: every byte of every query comes here. */
static const struct {
	uint8_t group1, assoc, line;
	uint16_t kib;
} leaf2_table[256] = {
	[0x06] = { G_L1I + 1, 4, 32, 8 },
	[0x08] = { G_L1I + 1, 4, 32, 16 },
	[0x09] = { G_L1I + 1, 4, 32, 32 },
	[0x0a] = { G_L1D + 1, 2, 32, 8 },
	[0x0c] = { G_L1D + 1, 4, 32, 16 },
	[0x0d] = { G_L1D + 1, 4, 64, 16 },
	[0x0e] = { G_L1D + 1, 6, 64, 24 },
	[0x21] = { G_L2 + 1, 8, 64, 256 },
	[0x22] = { G_L3 + 1, 4, 64, 512 },
	[0x23] = { G_L3 + 1, 8, 64, 1024 },
	[0x25] = { G_L3 + 1, 8, 64, 2048 },
	[0x29] = { G_L3 + 1, 8, 64, 4096 },
	[0x2c] = { G_L1D + 1, 8, 64, 32 },
	[0x30] = { G_L1I + 1, 8, 64, 32 },
	[0x39] = { G_L2 + 1, 4, 64, 128 },
	[0x3a] = { G_L2 + 1, 6, 64, 192 },
	[0x3b] = { G_L2 + 1, 2, 64, 128 },
	[0x3c] = { G_L2 + 1, 4, 64, 256 },
	[0x3d] = { G_L2 + 1, 6, 64, 384 },
	[0x3e] = { G_L2 + 1, 4, 64, 512 },
	[0x3f] = { G_L2 + 1, 2, 64, 256 },
	[0x41] = { G_L2 + 1, 4, 32, 128 },
	[0x42] = { G_L2 + 1, 4, 32, 256 },
	[0x43] = { G_L2 + 1, 4, 32, 512 },
	[0x44] = { G_L2 + 1, 4, 32, 1024 },
	[0x45] = { G_L2 + 1, 4, 32, 2048 },
	[0x46] = { G_L3 + 1, 4, 64, 4096 },
	[0x47] = { G_L3 + 1, 8, 64, 8192 },
	[0x48] = { G_L2 + 1, 12, 64, 3072 },
	[0x49] = { G_L2 + 1, 16, 64, 4096 },
	[0x4a] = { G_L3 + 1, 12, 64, 6144 },
	[0x4b] = { G_L3 + 1, 16, 64, 8192 },
	[0x4c] = { G_L3 + 1, 12, 64, 12288 },
	[0x4d] = { G_L3 + 1, 16, 64, 16384 },
	[0x4e] = { G_L2 + 1, 24, 64, 6144 },
	[0x60] = { G_L1D + 1, 8, 64, 16 },
	[0x66] = { G_L1D + 1, 4, 64, 8 },
	[0x67] = { G_L1D + 1, 4, 64, 16 },
	[0x68] = { G_L1D + 1, 4, 64, 32 },
	[0x78] = { G_L2 + 1, 8, 64, 1024 },
	[0x79] = { G_L2 + 1, 8, 64, 128 },
	[0x7a] = { G_L2 + 1, 8, 64, 256 },
	[0x7b] = { G_L2 + 1, 8, 64, 512 },
	[0x7c] = { G_L2 + 1, 8, 64, 1024 },
	[0x7d] = { G_L2 + 1, 8, 64, 2048 },
	[0x7f] = { G_L2 + 1, 2, 64, 512 },
	[0x80] = { G_L2 + 1, 8, 64, 512 },
	[0x82] = { G_L2 + 1, 8, 32, 256 },
	[0x83] = { G_L2 + 1, 8, 32, 512 },
	[0x84] = { G_L2 + 1, 8, 32, 1024 },
	[0x85] = { G_L2 + 1, 8, 32, 2048 },
	[0x86] = { G_L2 + 1, 4, 64, 512 },
	[0x87] = { G_L2 + 1, 8, 64, 1024 },
	[0xd0] = { G_L3 + 1, 4, 64, 512 },
	[0xd1] = { G_L3 + 1, 4, 64, 1024 },
	[0xd2] = { G_L3 + 1, 4, 64, 2048 },
	[0xd6] = { G_L3 + 1, 8, 64, 1024 },
	[0xd7] = { G_L3 + 1, 8, 64, 2048 },
	[0xd8] = { G_L3 + 1, 8, 64, 4096 },
	[0xdc] = { G_L3 + 1, 12, 64, 2048 },
	[0xdd] = { G_L3 + 1, 12, 64, 4096 },
	[0xde] = { G_L3 + 1, 12, 64, 8192 },
	[0xe2] = { G_L3 + 1, 16, 64, 2048 },
	[0xe3] = { G_L3 + 1, 16, 64, 4096 },
	[0xe4] = { G_L3 + 1, 16, 64, 8192 },
	[0xea] = { G_L3 + 1, 24, 64, 12288 },
	[0xeb] = { G_L3 + 1, 24, 64, 18432 },
	[0xec] = { G_L3 + 1, 24, 64, 24576 },
};

/* One leaf-2 register: 0 when it holds no answer for q, -1 when it says
 * "see leaf 4" and leaf 4 has none. 0x40 means "no L2 or L3". */
static int64_t
leaf2_word(const struct glibc_cpu_features *cf, unsigned q, uint32_t value,
	   bool *no_l2_or_l3)
{
	if (value & 0x80000000)
		return 0;	/* register content reserved */
	for (; value != 0; value >>= 8) {
		uint32_t desc = value & 0xff;

		if (desc == 0x40) {
			*no_l2_or_l3 = true;
			if (q / 3 == G_L3)
				break;
			continue;
		}
		if (desc == 0xff)
			return leaf4_query(q, true, -1);
		/* 0x49 is the L3 on family 15 model 6 only (Xeon MP). */
		if (desc == 0x49 && q / 3 == G_L3 && cf->family == 15 &&
		    cf->model == 6)
			q -= 3 * (G_L3 - G_L2);
		if (leaf2_table[desc].group1 != q / 3 + 1)
			continue;
		if (q % 3 == 1)
			return leaf2_table[desc].assoc;
		if (q % 3 == 2)
			return leaf2_table[desc].line;
		return (int64_t)leaf2_table[desc].kib * 1024;
	}
	return 0;
}

/* glibc's handle_intel. Leaf 4 verified on valgrind's Haswell; the leaf-2
 * descriptors only by hand. */
static int64_t
intel_cache(const struct glibc_cpu_features *cf, unsigned q)
{
	bool no_l2_or_l3 = false;
	struct regs v;

	if (cf->max_cpuid < 2)
		return -1;
	v = cpuid(2, 0);
	/* The low byte of eax must be 1 (one round); otherwise trust leaf 4. */
	if ((v.r[CPU_EAX] & 0xff) != 1)
		return leaf2_word(cf, q, 0xff, &no_l2_or_l3);
	v.r[CPU_EAX] &= 0xffffff00;
	for (int i = 0; i < 4; i++) {
		int64_t r = leaf2_word(cf, q, v.r[i], &no_l2_or_l3);

		if (r != 0)
			return r;
	}
	if (q >= Q_L2_SIZE && q <= Q_L3_LINE && no_l2_or_l3)
		return -1;
	return 0;
}

/* AMD associativity encoding of leaf 0x80000006 (AMD APM vol. 3, E.4.5);
 * 0xf means fully associative: size / line size. */
static int64_t
amd_assoc(uint32_t code, uint32_t size, uint32_t line)
{
	static const uint8_t ways[16] = { 0, 1, 2, 0, 4, 0, 8, 0, 16, 0, 32,
					  48, 64, 96, 128, 0 };

	if (code == 0xf)	/* glibc divides by zero here if line is 0 */
		return line ? size / line : 0;
	return ways[code];
}

/* glibc's handle_amd: leaves 0x80000005 (L1) and 0x80000006 (L2, L3).
 * Verified on Zen 5. */
static int64_t
amd_cache(unsigned q)
{
	uint32_t max = cpuid(0x80000000, 0).r[CPU_EAX];
	uint32_t fn = q >= Q_L2_SIZE ? 0x80000006 : 0x80000005;
	uint32_t c, d, l2size, l3size;
	struct regs v;

	if (q > Q_L3_LINE || max < fn)
		return 0;
	v = cpuid(fn, 0);
	c = v.r[CPU_ECX];
	d = v.r[CPU_EDX];
	if (q < Q_L1D_SIZE) {		/* L1 instruction cache: edx */
		q += 3;
		c = d;
	}
	l2size = (c >> 6) & 0x3fffc00;
	l3size = (d & 0x3ffc0000) << 1;
	switch (q) {
	case Q_L1D_SIZE:
		return (c >> 14) & 0x3fc00;
	case Q_L1D_ASSOC:
		if (((c >> 16) & 0xff) == 0xff)
			return (c >> 14) & 0x3fc00;
		return (c >> 16) & 0xff;
	case Q_L1D_LINE:
		return c & 0xff;
	case Q_L2_SIZE:
		return (c & 0xf000) ? l2size : 0;
	case Q_L2_ASSOC:
		return amd_assoc((c >> 12) & 0xf, l2size, c & 0xff);
	case Q_L2_LINE:
		return (c & 0xf000) ? c & 0xff : 0;
	case Q_L3_SIZE:
		return (d & 0xf000) ? l3size : 0;
	case Q_L3_ASSOC:
		return amd_assoc((d >> 12) & 0xf, l3size, d & 0xff);
	default:
		return (d & 0xf000) ? d & 0xff : 0;
	}
}

struct cache_info {
	int64_t core, shared, shared_per_thread;
	uint64_t level[Q_L4_SIZE + 1];	/* by enum cache_query */
};

/* Leaf 0xb: turns "addressable IDs sharing a cache" (leaf 4) into a
 * thread count by masking with the shipped SMT or core count. */
static void
apply_topology(int *threads_l2, int *threads_l3, int level)
{
	int want = (*threads_l2 > 0 && level == 3) |
		   ((*threads_l3 > 0 || (*threads_l2 > 0 && level == 2)) << 1);

	for (uint32_t sub = 0; want != 0; sub++) {
		struct regs v = cpuid(0xb, sub);
		int shipped = v.r[CPU_EBX] & 0xff;
		uint32_t type = v.r[CPU_ECX] & 0xff00, mask;
		int *t;

		if (shipped == 0 || type == 0)
			break;
		if (type == 0x100 && (want & 1)) {		/* SMT level */
			t = threads_l2;
			want &= ~1;
		} else if (type == 0x200 && (want & 2)) {	/* core level */
			t = level == 2 ? threads_l2 : threads_l3;
			want &= ~2;
		} else {
			continue;
		}
		/* Masked to the bits up to *t's highest one (one bsr). */
		mask = *t ? (2u << (31 - __builtin_clz((uint32_t)*t))) - 1 : 1;
		*t = (shipped - 1) & (int)mask;
	}
}

/*
 * How many threads share the highest cache (glibc's get_common_cache_info,
 * Intel and Zhaoxin): from leaf 4's sharing counts, refined with leaf 0xb;
 * shared_per_thread becomes that cache's size divided by the count, and a
 * non-inclusive L3 also counts the L2. Verified on valgrind's Haswell.
 */
static void
share_cache(const struct glibc_cpu_features *cf, struct cache_info *ci)
{
	int level = 3, threads_l2 = 0, threads_l3 = 0;
	uint32_t threads = 0;
	bool inclusive = true;

	if (ci->shared <= 0) {
		level = 2;
		ci->shared = ci->shared_per_thread = ci->core;
		threads_l3 = -1;
	}
	if (cpu_has(cf, F_HTT)) {
		bool leaf4_ok = cf->max_cpuid >= 4;

		for (uint32_t sub = 0, want = 1 | (threads_l3 == 0) << 1;
		     leaf4_ok && want != 0; sub++) {
			struct regs v = cpuid(4, sub);
			uint32_t eax = v.r[CPU_EAX];

			if ((eax & 0x1f) == 0) {
				/* Some Pentium D never list L2/L3: glibc
				 * gives up on Intel and would loop forever
				 * elsewhere; we give up too. */
				leaf4_ok = false;
				break;
			}
			if (((eax >> 5) & 7) == 2 && (want & 1)) {
				threads_l2 = (eax >> 14) & 0x3ff;
				want &= ~1u;
			} else if (((eax >> 5) & 7) == 3 && (want & 2)) {
				threads_l3 = (eax >> 14) & 0x3ff;
				inclusive = (v.r[CPU_EDX] & 2) != 0;
				want &= ~2u;
			}
		}
		if (leaf4_ok) {
			/* Zhaoxin family 6 reports real counts already. */
			if (cf->max_cpuid >= 11 &&
			    !(cf->kind == CPU_KIND_ZHAOXIN && cf->family == 6))
				apply_topology(&threads_l2, &threads_l3, level);
			if (threads_l2 > 0)
				threads_l2++;
			if (threads_l3 > 0)
				threads_l3++;
			if (level == 2 && threads_l2 != 0) {
				threads = (uint32_t)threads_l2;
				/* Silvermont: L2 shared by 2 cores. */
				if (cf->kind == CPU_KIND_INTEL && threads > 2 &&
				    cf->family == 6 &&
				    (cf->model == 0x37 || cf->model == 0x4a ||
				     cf->model == 0x4d || cf->model == 0x5a ||
				     cf->model == 0x5d))
					threads = 2;
			} else if (level == 3 && threads_l3 != 0) {
				threads = (uint32_t)threads_l3;
			}
		} else {
			threads = (cf->leaf[CPU_LEAF_1].cpuid[CPU_EBX] >> 16) & 0xff;
		}
		if (ci->shared_per_thread > 0 && threads > 0)
			ci->shared_per_thread /= threads;
	}
	if (!inclusive) {
		ci->shared_per_thread += threads_l2 > 0 ? ci->core / threads_l2 : ci->core;
		ci->shared += ci->core;
	}
}

/* AMD: L3 share per thread from the APIC ID width or the logical processor
 * count, scaled to one CCX on Zen (leaf 0x8000001d subleaf 3); before Zen
 * the exclusive L2 adds to the L3. Verified on Zen 5. */
static void
share_cache_amd(const struct glibc_cpu_features *cf, struct cache_info *ci)
{
	uint32_t threads = 0;

	if (ci->shared <= 0) {
		ci->shared = ci->shared_per_thread = ci->core;
		return;
	}
	if (cpuid(0x80000000, 0).r[CPU_EAX] >= 0x80000008)
		threads = 1u << ((cpuid(0x80000008, 0).r[CPU_ECX] >> 12) & 0xf);
	if (threads == 0 || cf->family >= 0x17) {
		struct regs v = cpuid(1, 0);

		if (v.r[CPU_EDX] & (1u << 28))
			threads = (v.r[CPU_EBX] >> 16) & 0xff;
	}
	if (threads > 0)
		ci->shared_per_thread /= threads;
	if (cf->family >= 0x17) {
		ci->shared_per_thread *=
			((cpuid(0x8000001d, 3).r[CPU_EAX] >> 14) & 0xfff) + 1;
	} else {
		ci->shared += ci->core;
		ci->shared_per_thread += ci->core;
	}
}

static void
query_caches(const struct glibc_cpu_features *cf, struct cache_info *ci)
{
	for (unsigned q = Q_L1I_SIZE; q <= Q_L4_SIZE; q++) {
		int64_t v = -1;

		if (q == Q_L1I_ASSOC)
			continue;	/* glibc does not ask for it */
		if (cf->kind == CPU_KIND_INTEL)
			v = intel_cache(cf, q);
		else if (cf->kind == CPU_KIND_ZHAOXIN && q < Q_L4_SIZE)
			v = leaf4_query(q, false, 0);	/* handle_zhaoxin; not verified */
		else if (cf->kind == CPU_KIND_AMD && q < Q_L4_SIZE)
			v = amd_cache(q);
		ci->level[q] = (uint64_t)v;
	}
	ci->core = (int64_t)ci->level[Q_L2_SIZE];
	ci->shared = ci->shared_per_thread = (int64_t)ci->level[Q_L3_SIZE];
	if (cf->kind == CPU_KIND_INTEL || cf->kind == CPU_KIND_ZHAOXIN)
		share_cache(cf, ci);
	else if (cf->kind == CPU_KIND_AMD)
		share_cache_amd(cf, ci);
}

/* The vector size memmove works with, as the rep movsb threshold counts
 * it: 64 bytes with AVX-512 preferred, 32 with fast unaligned AVX loads,
 * else 16. */
static uint64_t
movsb_vector_size(const struct glibc_cpu_features *cf)
{
	if (cpu_usable(cf, F_AVX512F) &&
	    !(cf->preferred & CPU_PREF_PREFER_NO_AVX512))
		return 64;
	if (cf->preferred & CPU_PREF_AVX_FAST_UNALIGNED_LOAD)
		return 32;
	return 16;
}

uint64_t
glibc_cpu_rep_movsb_minimum(const struct glibc_cpu_features *cf)
{
	return movsb_vector_size(cf) * 8;
}

/*
 * Cache fields and copy thresholds (glibc's dl_init_cacheinfo, with the
 * 2.36 branch backports: non-temporal stores above a quarter of the L3 but
 * never below 3/4 of a thread's share, clamped to [0x4040, SIZE_MAX >> 4]).
 */
void
glibc_cpu_cache_init(struct glibc_cpu_features *cf)
{
	struct cache_info ci = { 0 };
	uint64_t nt, nt_low;

	query_caches(cf, &ci);
	cf->level1_icache_size = ci.level[Q_L1I_SIZE];
	cf->level1_icache_linesize = ci.level[Q_L1I_LINE];
	cf->level1_dcache_size = ci.level[Q_L1D_SIZE];
	cf->level1_dcache_assoc = ci.level[Q_L1D_ASSOC];
	cf->level1_dcache_linesize = ci.level[Q_L1D_LINE];
	cf->level2_cache_size = ci.level[Q_L2_SIZE];
	cf->level2_cache_assoc = ci.level[Q_L2_ASSOC];
	cf->level2_cache_linesize = ci.level[Q_L2_LINE];
	cf->level3_cache_size = ci.level[Q_L3_SIZE];
	cf->level3_cache_assoc = ci.level[Q_L3_ASSOC];
	cf->level3_cache_linesize = ci.level[Q_L3_LINE];
	cf->level4_cache_size = ci.level[Q_L4_SIZE];

	/* Signed divisions, as in glibc: an unknown size (-1) gives 0. */
	nt = (uint64_t)(ci.shared / 4);
	nt_low = (uint64_t)(ci.shared_per_thread * 3 / 4);
	if (nt < nt_low || !cpu_usable(cf, F_ERMS))
		nt = nt_low;
	if (nt < 0x4040)
		nt = 0x4040;	/* one unrolled 4-page loop of memmove */
	else if (nt > (SIZE_MAX >> 4))
		nt = SIZE_MAX >> 4;
	cf->non_temporal_threshold = nt;

	/* rep movsb pays off above 2 KiB per 16 bytes of vector, or 2112
	 * bytes with fast short rep movsb. */
	if (movsb_vector_size(cf) > 16)
		cf->rep_movsb_threshold = 4096 * (movsb_vector_size(cf) / 16);
	else
		cf->rep_movsb_threshold = 2048;
	if (cpu_usable(cf, F_FSRM))
		cf->rep_movsb_threshold = 2112;
	cf->rep_stosb_threshold = 2048;
	/* AMD's ERMS is slow beyond the L2. */
	cf->rep_movsb_stop_threshold =
		cf->kind == CPU_KIND_AMD ? (uint64_t)ci.core : nt;
	cf->data_cache_size = ci.level[Q_L1D_SIZE];
	cf->shared_cache_size = (uint64_t)ci.shared;
}
