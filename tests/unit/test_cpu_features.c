/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/arch/x86_64/cpu_features.c (and cpu_cache.c): glibc's own
 * ld.so computes the same struct cpu_features on this machine and prints it
 * with --list-diagnostics, so every x86.cpu_features.* line is compared with
 * our field, plus dl_hwcap, dl_platform and dl_hwcaps_subdirs_active. Both
 * sides run pinned to one CPU: leaf 1 ebx carries the APIC ID, and hybrid
 * CPUs describe different caches on different cores. Under valgrind (meson
 * test --setup=valgrind) CPUID answers for valgrind's synthetic Intel CPU,
 * so ld.so runs under valgrind too: that checks the Intel path. Also checks
 * that the active bits are a subset of the CPUID bits, the buffer
 * contract, and that loader/arch/x86_64/hwcaps.c's ISA levels agree.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <check.h>
#include <cpuid.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "cpu_cache.h"
#include "cpu_features.h"
#include "machdep.h"
#include "tests/unit/unit.h"

#define LDSO "/lib64/ld-linux-x86-64.so.2"
#define PREFIX "x86.cpu_features."
#define MAX_LINES 512

/* Number of x86.cpu_features.* lines glibc 2.36 prints: 5 basic, 9 leaves
 * of 8 words, 16 preferred bits, isa_1, 2 xsave sizes, 6 thresholds and
 * cache sizes, 12 level fields. */
#define FIELD_LINES (5 + 9 * 8 + 16 + 1 + 2 + 6 + 12)

struct diag_line {
	char key[128];
	char value[128];
};

struct diag {
	struct diag_line line[MAX_LINES];
	size_t n;
};

/* The field each scalar x86.cpu_features.<name> line shows. */
static const struct {
	const char *name;
	size_t offset, size;
} scalars[] = {
#define F(label, member) { label, offsetof(struct glibc_cpu_features, member), \
			   sizeof(((struct glibc_cpu_features *)0)->member) }
	F("basic.kind", kind), F("basic.max_cpuid", max_cpuid),
	F("basic.family", family), F("basic.model", model),
	F("basic.stepping", stepping), F("isa_1", isa_1),
	F("xsave_state_size", xsave_state_size),
	F("xsave_state_full_size", xsave_state_full_size),
	F("data_cache_size", data_cache_size),
	F("shared_cache_size", shared_cache_size),
	F("non_temporal_threshold", non_temporal_threshold),
	F("rep_movsb_threshold", rep_movsb_threshold),
	F("rep_movsb_stop_threshold", rep_movsb_stop_threshold),
	F("rep_stosb_threshold", rep_stosb_threshold),
	F("level1_icache_size", level1_icache_size),
	F("level1_icache_linesize", level1_icache_linesize),
	F("level1_dcache_size", level1_dcache_size),
	F("level1_dcache_assoc", level1_dcache_assoc),
	F("level1_dcache_linesize", level1_dcache_linesize),
	F("level2_cache_size", level2_cache_size),
	F("level2_cache_assoc", level2_cache_assoc),
	F("level2_cache_linesize", level2_cache_linesize),
	F("level3_cache_size", level3_cache_size),
	F("level3_cache_assoc", level3_cache_assoc),
	F("level3_cache_linesize", level3_cache_linesize),
	F("level4_cache_size", level4_cache_size),
#undef F
};

/* preferred.<name>, bit i (glibc's cpu-features-preferred_feature_index_1
 * order). */
static const char *const preferred_names[] = {
	"Fast_Rep_String", "Fast_Copy_Backward", "Slow_BSF",
	"Fast_Unaligned_Load", "Prefer_PMINUB_for_stringop",
	"Fast_Unaligned_Copy", "I586", "I686", "Slow_SSE4_2",
	"AVX_Fast_Unaligned_Load", "Prefer_No_VZEROUPPER", "Prefer_ERMS",
	"Prefer_No_AVX512", "MathVec_Prefer_No_AVX512", "Prefer_FSRM",
	"Avoid_Short_Distance_REP_MOVSB",
};

/* Pins this (forked) test process, and so the ld.so it starts, to the CPU
 * it runs on now. */
static void
pin_to_current_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	ck_assert_int_ge(cpu, 0);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(set), &set), 0);
}

/* Runs glibc's ld.so --list-diagnostics (no GLIBC_TUNABLES) into d, under
 * valgrind when we run under valgrind, so that both see the same CPUID. */
static void
read_diagnostics(struct diag *d)
{
	char buf[512];
	FILE *p;

	unsetenv("GLIBC_TUNABLES");
	if (RUNNING_ON_VALGRIND)
		p = popen("valgrind --quiet " LDSO " --list-diagnostics", "r");
	else
		p = popen(LDSO " --list-diagnostics", "r");
	ck_assert_ptr_nonnull(p);
	d->n = 0;
	while (fgets(buf, sizeof(buf), p) != NULL) {
		char *eq = strchr(buf, '=');
		struct diag_line *l;

		if (eq == NULL || d->n == MAX_LINES)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		*eq = '\0';
		l = &d->line[d->n++];
		snprintf(l->key, sizeof(l->key), "%.127s", buf);
		snprintf(l->value, sizeof(l->value), "%.127s", eq + 1);
	}
	ck_assert_int_eq(pclose(p), 0);
}

static const char *
diag_value(const struct diag *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->line[i].key, key) == 0)
			return d->line[i].value;
	ck_abort_msg("ld.so printed no %s line", key);
	return NULL;
}

static uint64_t
diag_number(const struct diag *d, const char *key)
{
	return strtoull(diag_value(d, key), NULL, 0);
}

/* Our value for the x86.cpu_features.<name> line; false if name is not a
 * field we know. */
static bool
our_value(const struct glibc_cpu_features *cf, const char *name, uint64_t *out)
{
	unsigned leaf, reg;
	int used = 0;
	char kind[8];

	for (size_t i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		if (strcmp(name, scalars[i].name) == 0) {
			uint64_t v = 0;

			memcpy(&v, (const char *)cf + scalars[i].offset, scalars[i].size);
			*out = scalars[i].size == 4 ? (uint32_t)v : v;
			return true;
		}
	}
	if (strncmp(name, "preferred.", 10) == 0) {
		for (unsigned b = 0; b < 16; b++) {
			if (strcmp(name + 10, preferred_names[b]) == 0) {
				*out = (cf->preferred >> b) & 1;
				return true;
			}
		}
		return false;
	}
	if (sscanf(name, "features[%x].%7[a-z][%x]%n", &leaf, kind, &reg, &used) == 3 &&
	    name[used] == '\0' && leaf < CPU_LEAF_COUNT && reg < 4) {
		if (strcmp(kind, "cpuid") == 0)
			*out = cf->leaf[leaf].cpuid[reg];
		else if (strcmp(kind, "active") == 0)
			*out = cf->leaf[leaf].active[reg];
		else
			return false;
		return true;
	}
	return false;
}

START_TEST(arch_cpu_features_copy_matches_ld_so)
{
	static struct diag d;
	struct glibc_cpu_features cf;
	char report[8192] = "";
	size_t len = 0, compared = 0, differ = 0;

	pin_to_current_cpu();
	read_diagnostics(&d);
	arch_cpu_features_copy(&cf, sizeof(cf));
	for (size_t i = 0; i < d.n; i++) {
		const char *name = d.line[i].key + strlen(PREFIX);
		uint64_t want, got;

		if (strncmp(d.line[i].key, PREFIX, strlen(PREFIX)) != 0)
			continue;
		want = strtoull(d.line[i].value, NULL, 0);
		ck_assert_msg(our_value(&cf, name, &got),
			      "ld.so prints a field we do not know: %s",
			      d.line[i].key);
		compared++;
		if (got != want) {
			differ++;
			len += (size_t)snprintf(report + len, sizeof(report) - len,
						"\n  %s: ld.so 0x%llx, ours 0x%llx", name,
						(unsigned long long)want,
						(unsigned long long)got);
			if (len >= sizeof(report))
				len = sizeof(report) - 1;
		}
	}
	ck_assert_msg(differ == 0, "%zu of %zu fields differ:%s", differ,
		      compared, report);
	ck_assert_uint_eq(compared, FIELD_LINES);
}
END_TEST

/* cpuid asks the CPU once per (leaf, subleaf): the same answer again
 * without a CPUID instruction, a new subleaf asked, and every answer the
 * CPU's own (the compiler's __cpuid_count). */
START_TEST(cpuid_asks_each_query_once)
{
	unsigned a, b, c, d, before;
	struct regs first, again, sub1;

	first = cpuid(0, 0);
	before = cpuid_executions();
	again = cpuid(0, 0);
	ck_assert_uint_eq(cpuid_executions(), before);
	ck_assert_mem_eq(first.r, again.r, sizeof(first.r));
	__cpuid_count(0, 0, a, b, c, d);
	ck_assert_uint_eq(first.r[CPU_EAX], a);
	ck_assert_uint_eq(first.r[CPU_EBX], b);
	ck_assert_uint_eq(first.r[CPU_ECX], c);
	ck_assert_uint_eq(first.r[CPU_EDX], d);
	if (a >= 7) {
		(void)cpuid(7, 0);
		before = cpuid_executions();
		sub1 = cpuid(7, 1);
		(void)cpuid(7, 1);
		ck_assert_uint_le(cpuid_executions(), before + 1);
		__cpuid_count(7, 1, a, b, c, d);
		ck_assert_uint_eq(sub1.r[CPU_EAX], a);
		ck_assert_uint_eq(sub1.r[CPU_EDX], d);
	}
}
END_TEST

START_TEST(arch_cpu_features_copy_active_subset_of_cpuid)
{
	struct glibc_cpu_features cf;

	arch_cpu_features_copy(&cf, sizeof(cf));
	for (unsigned l = 0; l < CPU_LEAF_COUNT; l++) {
		for (unsigned r = 0; r < 4; r++) {
			uint32_t extra = cf.leaf[l].active[r] & ~cf.leaf[l].cpuid[r];

			/* glibc marks RTM_ALWAYS_ABORT (leaf 7 edx bit 11)
			 * itself on Intel models with broken TSX. */
			if (cf.kind == CPU_KIND_INTEL && l == CPU_LEAF_7 &&
			    r == CPU_EDX)
				extra &= ~(1u << 11);
			ck_assert_msg(extra == 0,
				      "features[%u] reg %u: active bits 0x%x not in cpuid",
				      l, r, extra);
		}
	}
}
END_TEST

START_TEST(arch_cpu_features_copy_thresholds_usable)
{
	struct glibc_cpu_features cf;

	arch_cpu_features_copy(&cf, sizeof(cf));
	/* memmove's large-copy loop needs at least 0x4040 (fact sheet 8.2). */
	ck_assert_uint_ge(cf.non_temporal_threshold, 0x4040);
	ck_assert_uint_le(cf.non_temporal_threshold, SIZE_MAX >> 4);
	ck_assert_uint_ge(cf.rep_movsb_threshold, 16 * 8);
	ck_assert_uint_gt(cf.rep_movsb_stop_threshold, 0);
	ck_assert_uint_gt(cf.rep_stosb_threshold, 0);
	ck_assert_uint_ne(cf.kind, CPU_KIND_UNKNOWN);
}
END_TEST

START_TEST(arch_cpu_features_copy_pads_and_truncates)
{
	struct glibc_cpu_features cf;
	unsigned char big[GLIBC_CPU_FEATURES_SIZE + 32];
	unsigned char small[128];

	pin_to_current_cpu();
	arch_cpu_features_copy(&cf, sizeof(cf));

	memset(big, 0xaa, sizeof(big));
	arch_cpu_features_copy(big, sizeof(big));
	ck_assert_int_eq(memcmp(big, &cf, sizeof(cf)), 0);
	for (size_t i = sizeof(cf); i < sizeof(big); i++)
		ck_assert_uint_eq(big[i], 0);

	memset(small, 0xaa, sizeof(small));
	arch_cpu_features_copy(small, 100);
	ck_assert_int_eq(memcmp(small, &cf, 100), 0);
	for (size_t i = 100; i < sizeof(small); i++)
		ck_assert_uint_eq(small[i], 0xaa);
}
END_TEST

START_TEST(arch_hwcap_matches_ld_so)
{
	static struct diag d;
	struct glibc_cpu_features cf;

	pin_to_current_cpu();
	read_diagnostics(&d);
	arch_cpu_features_copy(&cf, sizeof(cf));
	ck_assert_uint_eq(arch_hwcap(), diag_number(&d, "dl_hwcap"));
}
END_TEST

START_TEST(arch_platform_matches_ld_so)
{
	static struct diag d;
	struct glibc_cpu_features cf;
	const char *ours;
	char want[64];

	pin_to_current_cpu();
	read_diagnostics(&d);
	arch_cpu_features_copy(&cf, sizeof(cf));
	/* NULL means "keep the kernel's AT_PLATFORM". */
	ours = arch_platform();
	if (ours == NULL)
		ours = (const char *)getauxval(AT_PLATFORM);
	ck_assert_ptr_nonnull(ours);
	snprintf(want, sizeof(want), "\"%s\"", ours);
	ck_assert_str_eq(diag_value(&d, "dl_platform"), want);
}
END_TEST

/* The arch's own ISA-level probe (library search runs before any
 * cpu_features exist) must agree with glibc's computation and with what
 * glibc's ld.so reports. */
START_TEST(arch_isa_levels_match_ld_so)
{
	static struct diag d;
	struct glibc_cpu_features cf;
	uint32_t active;

	pin_to_current_cpu();
	read_diagnostics(&d);
	arch_cpu_features_copy(&cf, sizeof(cf));
	ck_assert_uint_eq(arch_isa_levels(), cf.isa_1);
	ck_assert_str_eq(arch_hwcaps_subdirs(arch_isa_levels(), &active),
			 "x86-64-v4:x86-64-v3:x86-64-v2");
	ck_assert_uint_eq(active, diag_number(&d, "dl_hwcaps_subdirs_active"));
}
END_TEST

/* What the lazy-binding trampoline and the signal stack size read, from
 * the probe, against the CPU's own answers. */
START_TEST(x86_cpu_xsave_matches_cpuid)
{
	const struct x86_cpu *c = x86_cpu();
	unsigned a, b, cx, d;

	ck_assert(__get_cpuid(1, &a, &b, &cx, &d));
	if (!(cx & bit_OSXSAVE)) {
		ck_assert_uint_eq(c->xcr0, 0);
		ck_assert_uint_eq(c->xsave_size, 0);
		return;
	}
	ck_assert_uint_eq(c->xcr0 & 3, 3);	/* x87 and SSE always on */
	__cpuid_count(0xd, 0, a, b, cx, d);
	ck_assert_uint_eq(c->xsave_size, b);
	ck_assert_uint_ge(c->xsave_size, 576);
	__cpuid_count(0xd, 1, a, b, cx, d);
	ck_assert_uint_eq(c->xsavec, (a >> 1) & 1);
	/* The same record every time. */
	ck_assert_ptr_eq(x86_cpu(), c);
}
END_TEST

START_TEST(arch_minsigstacksize_covers_xsave_area)
{
	struct glibc_cpu_features cf;
	uint64_t size;

	arch_cpu_features_copy(&cf, sizeof(cf));
	size = arch_minsigstacksize();
	/* The emulated frame holds the whole XSAVE area plus 516 bytes; the
	 * size reserved for _dl_runtime_resolve adds 64 to 127 to it. Without
	 * XSAVE glibc uses the constant MINSIGSTKSZ. */
	if (cf.xsave_state_full_size != 0) {
		ck_assert_uint_gt(size, cf.xsave_state_full_size);
		ck_assert_uint_lt(size, cf.xsave_state_full_size + 516);
	} else {
		ck_assert_uint_eq(size, 2048);
	}
}
END_TEST

static Suite *
cpu_features_suite(void)
{
	Suite *s = suite_create("cpu_features");
	TCase *tc;

	tc = tcase_create("arch_cpu_features_copy");
	tcase_add_test(tc, arch_cpu_features_copy_matches_ld_so);
	tcase_add_test(tc, arch_cpu_features_copy_active_subset_of_cpuid);
	tcase_add_test(tc, cpuid_asks_each_query_once);
	tcase_add_test(tc, arch_cpu_features_copy_thresholds_usable);
	tcase_add_test(tc, arch_cpu_features_copy_pads_and_truncates);
	suite_add_tcase(s, tc);

	tc = tcase_create("arch_hwcap");
	tcase_add_test(tc, arch_hwcap_matches_ld_so);
	suite_add_tcase(s, tc);

	tc = tcase_create("arch_platform");
	tcase_add_test(tc, arch_platform_matches_ld_so);
	suite_add_tcase(s, tc);

	tc = tcase_create("arch_isa_levels");
	tcase_add_test(tc, arch_isa_levels_match_ld_so);
	tcase_add_test(tc, x86_cpu_xsave_matches_cpuid);
	suite_add_tcase(s, tc);

	tc = tcase_create("arch_minsigstacksize");
	tcase_add_test(tc, arch_minsigstacksize_covers_xsave_area);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(cpu_features_suite());
}
