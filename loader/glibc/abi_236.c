/* SPDX-License-Identifier: MIT */
/*
 * glibc 2.36 (Debian 12, x86_64): the offsets of ../shared/glibc-abi/
 * glibc-2.36-x86_64.md sections 3 and 6, and the tunables, as one table.
 * Data only.
 */
#include <stdbool.h>
#include <stdint.h>

#include "loader/glibc/abi.h"
#include "loader/glibc/glibc.h"
#include "machdep.h"

#define I32(name, min, max, value) \
	{ name, GLIBC_TUNABLE_INT32, ARCH_TUNABLE_NONE, min, max, value }
#define SIZE(name, min, max, value) \
	{ name, GLIBC_TUNABLE_SIZE, ARCH_TUNABLE_NONE, min, max, value }
#define CPU(name, source) { name, GLIBC_TUNABLE_SIZE, source, 0, SIZE_MAX, 0 }
#define STR(name) { name, GLIBC_TUNABLE_STRING, ARCH_TUNABLE_NONE, 0, 0, 0 }

/* The tunables in the id order of Debian 12's glibc 2.36 (the order its
 * `ld.so --list-tunables` prints them in), with that list's bounds and
 * defaults. */
static const struct glibc_tunable tunables_236[] = {
	SIZE("glibc.rtld.nns", 1, 16, 4),
	I32("glibc.elision.skip_lock_after_retries", 0, INT32_MAX, 3),
	SIZE("glibc.malloc.trim_threshold", 0, SIZE_MAX, 0),
	I32("glibc.malloc.perturb", 0, 255, 0),
	CPU("glibc.cpu.x86_shared_cache_size", ARCH_TUNABLE_SHARED_CACHE),
	I32("glibc.pthread.rseq", 0, 1, 1),
	I32("glibc.mem.tagging", 0, 255, 0),
	I32("glibc.elision.tries", 0, INT32_MAX, 3),
	I32("glibc.elision.enable", 0, 1, 0),
	SIZE("glibc.malloc.hugetlb", 0, SIZE_MAX, 0),
	CPU("glibc.cpu.x86_rep_movsb_threshold", ARCH_TUNABLE_REP_MOVSB),
	SIZE("glibc.malloc.mxfast", 0, SIZE_MAX, 0),
	I32("glibc.rtld.dynamic_sort", 1, 2, 2),
	I32("glibc.elision.skip_lock_busy", 0, INT32_MAX, 3),
	SIZE("glibc.malloc.top_pad", 0, SIZE_MAX, 0),
	CPU("glibc.cpu.x86_rep_stosb_threshold", ARCH_TUNABLE_REP_STOSB),
	CPU("glibc.cpu.x86_non_temporal_threshold", ARCH_TUNABLE_NON_TEMPORAL),
	STR("glibc.cpu.x86_shstk"),
	SIZE("glibc.pthread.stack_cache_size", 0, SIZE_MAX, 40u << 20),
	I32("glibc.gmon.minarcs", 50, INT32_MAX, 50),
	/* HWCAP_IMPORTANT: x86_64 and avx512_1. */
	{ "glibc.cpu.hwcap_mask", GLIBC_TUNABLE_UINT64, ARCH_TUNABLE_NONE,
	  0, UINT64_MAX, 6 },
	I32("glibc.malloc.mmap_max", 0, INT32_MAX, 0),
	I32("glibc.elision.skip_trylock_internal_abort", 0, INT32_MAX, 3),
	SIZE("glibc.malloc.tcache_unsorted_limit", 0, SIZE_MAX, 0),
	STR("glibc.cpu.x86_ibt"),
	STR("glibc.cpu.hwcaps"),
	I32("glibc.elision.skip_lock_internal_abort", 0, INT32_MAX, 3),
	SIZE("glibc.malloc.arena_max", 1, SIZE_MAX, 0),
	SIZE("glibc.malloc.mmap_threshold", 0, SIZE_MAX, 0),
	CPU("glibc.cpu.x86_data_cache_size", ARCH_TUNABLE_DATA_CACHE),
	SIZE("glibc.malloc.tcache_count", 0, SIZE_MAX, 0),
	SIZE("glibc.malloc.arena_test", 1, SIZE_MAX, 0),
	I32("glibc.pthread.mutex_spin_count", 0, 32767, 100),
	I32("glibc.gmon.maxarcs", 50, INT32_MAX, 1048576),
	SIZE("glibc.rtld.optional_static_tls", 0, SIZE_MAX, 512),
	SIZE("glibc.malloc.tcache_max", 0, SIZE_MAX, 0),
	I32("glibc.malloc.check", 0, 3, 0),
};

static const struct glibc_abi abi_236 = {
	.version = "2.36",
	.version_node = "GLIBC_2.36",
	.next_version_node = "GLIBC_2.37",

	.gl_ns = 0,
	.ns_loaded = 0, .ns_nloaded = 8, .ns_main_searchlist = 16, .ns_libc_map = 32,
	.gl_nns = 2560,
	.gl_load_lock = 2568, .gl_load_write_lock = 2608, .gl_load_tls_lock = 2648,
	.gl_load_adds = 2688, .gl_all_dirs = 2728,
	.gl_stack_flags = 4192,
	.gl_tls_max_dtv_idx = 4200, .gl_tls_dtv_slotinfo_list = 4208,
	.gl_tls_static_nelem = 4216, .gl_tls_static_used = 4224,
	.gl_tls_static_optional = 4232,
	.gl_initial_dtv = 4240, .gl_tls_generation = 4248,
	.gl_stack_used = 4264, .gl_stack_user = 4280, .gl_stack_cache = 4296,
	.gl_stack_cache_lock = 4328,
	.mutex_kind = 16,

	.glro_debug_mask = 0, .glro_platform = 8, .glro_platformlen = 16,
	.glro_pagesize = 24, .glro_minsigstacksize = 32, .glro_inhibit_cache = 40,
	.glro_initial_searchlist = 48, .glro_clktck = 64, .glro_debug_fd = 72,
	.glro_lazy = 76, .glro_fpu_control = 88, .glro_hwcap = 96, .glro_auxv = 104,
	.glro_cpu_features = 112, .glro_cpu_features_size = 480,
	.glro_tls_static_size = 672, .glro_tls_static_align = 680,
	.glro_tls_static_surplus = 688,
	.glro_profile_output = 704, .glro_init_all_dirs = 712,
	.glro_sysinfo_dso = 720, .glro_sysinfo_map = 728,
	.glro_vdso_clock_gettime = 736, .glro_vdso_gettimeofday = 744,
	.glro_vdso_time = 752, .glro_vdso_getcpu = 760, .glro_vdso_clock_getres = 768,
	.glro_hwcap2 = 776, .glro_dso_sort_algo = 784,
	.glro_debug_printf = 792, .glro_mcount = 800, .glro_lookup_symbol_x = 808,
	.glro_open = 816, .glro_close = 824, .glro_catch_error = 832,
	.glro_error_free = 840, .glro_tls_get_addr_soft = 848,
	.glro_libc_freeres = 856, .glro_find_object = 864,

	.lm_size = 1192,
	.lm_addr = 0, .lm_name = 8, .lm_ld = 16, .lm_next = 24, .lm_prev = 32,
	.lm_real = 40, .lm_libname = 56, .lm_info = 64,
	.lm_info_count = 80,
	.lm_phdr = 704, .lm_entry = 712, .lm_phnum = 720, .lm_ldnum = 722,
	.lm_searchlist = 728, .lm_loader = 760,
	.lm_versions = 768, .lm_nversions = 776, .lm_found_version_size = 24,
	.lm_nbuckets = 780, .lm_gnu_bitmask_idxbits = 784, .lm_gnu_shift = 788,
	.lm_gnu_bitmask = 792, .lm_gnu_buckets = 800, .lm_gnu_chain_zero = 808,
	.lm_direct_opencount = 816, .lm_flags_word = 820,
	.lm_bit_relocated = 3, .lm_bit_init_called = 4, .lm_bit_global = 5,
	.lm_bit_main_map = 8, .lm_bit_contiguous = 19, .lm_bit_ld_readonly = 21,
	.lm_versyms = 864, .lm_origin = 872, .lm_map_start = 880,
	.lm_map_end = 888, .lm_text_end = 896,
	.lm_scope_mem = 904, .lm_scope_max = 936, .lm_scope = 944,
	.lm_local_scope = 952, .lm_file_id = 968,
	.lm_flags_1 = 1036, .lm_flags = 1040,
	.lm_tls_initimage = 1104, .lm_tls_initimage_size = 1112,
	.lm_tls_blocksize = 1120, .lm_tls_align = 1128,
	.lm_tls_firstbyte_offset = 1136, .lm_tls_offset = 1144,
	.lm_tls_modid = 1152, .lm_relro_addr = 1168, .lm_relro_size = 1176,

	.pd_size = 2368, .pd_align = 64,
	.pd_list = 704, .pd_tid = 720, .pd_robust_prev = 728, .pd_robust_head = 736,
	.pd_specific_1stblock = 784, .pd_specific = 1296,
	.pd_report_events = 1553, .pd_user_stack = 1554,
	.pd_stackblock_size = 1688, .pd_rseq_area = 2336,
	.pd_robust_futex_offset = -32,
	.slotinfo_entries = 64,
	.tls_static_optional = 512,

	.tunables = tunables_236,
	.ntunables = sizeof(tunables_236) / sizeof(tunables_236[0]),
	.legacy_hwcaps = true,
};

static const struct glibc_abi *const tables[] = { &abi_236 };

const struct glibc_abi *
glibc_abi_find(bool (*defines)(const char *node, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (defines(tables[i]->version_node, arg) &&
		    !defines(tables[i]->next_version_node, arg))
			return tables[i];
	return NULL;
}

const struct glibc_abi *
glibc_abi_newest(void)
{
	return tables[sizeof(tables) / sizeof(tables[0]) - 1];
}

bool
glibc_legacy_hwcaps(void)
{
	return glibc_abi_newest()->legacy_hwcaps;
}

const char *
glibc_abi_supported(void)
{
	return "2.36";
}
