/* SPDX-License-Identifier: MIT */
/*
 * The private loader ABI of one glibc version, as data: sizes and offsets of
 * the structures libc.so.6 shares with its loader (struct rtld_global,
 * struct rtld_global_ro, the internal struct link_map, struct pthread).
 * Values come from ../shared/glibc-abi/ (measured with pahole and gdb); a
 * new glibc version is a new table in abi_<version>.c, re-measured with
 * measure.sh, never a guess.
 */
#ifndef LOADER_GLIBC_ABI_H
#define LOADER_GLIBC_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One tunable of a glibc release, as its ld.so's --list-tunables prints
 * it: the tables list them in the release's id order, the index libc.so.6
 * passes to __tunable_get_val. */
enum glibc_tunable_type {
	GLIBC_TUNABLE_INT32,     /* printed "%d" */
	GLIBC_TUNABLE_UINT64,    /* printed "0x%lx" */
	GLIBC_TUNABLE_SIZE,      /* size_t, printed "0x%zx" */
	GLIBC_TUNABLE_STRING,    /* const char *, NULL by default */
};

struct glibc_tunable {
	const char *name;                /* "glibc.malloc.check" */
	unsigned char type;              /* enum glibc_tunable_type */
	unsigned char source;            /* enum arch_tunable: set from the CPU */
	uint64_t min, max, value;        /* as the type's bits */
};

struct glibc_abi {
	const char *version;             /* "2.36" */
	const char *version_node;        /* newest GLIBC_x.y libc defines */
	const char *next_version_node;   /* a node it must NOT define */

	/* struct rtld_global (_rtld_global) */
	size_t gl_ns;                    /* _dl_ns[16] */
	size_t ns_loaded, ns_nloaded, ns_main_searchlist, ns_libc_map;
	size_t gl_nns;
	size_t gl_load_lock, gl_load_write_lock, gl_load_tls_lock;
	size_t gl_load_adds;
	size_t gl_all_dirs;              /* read by libc's free_mem only */
	size_t gl_stack_flags;
	size_t gl_tls_max_dtv_idx, gl_tls_dtv_slotinfo_list;
	size_t gl_tls_static_nelem, gl_tls_static_used, gl_tls_static_optional;
	size_t gl_initial_dtv, gl_tls_generation;
	size_t gl_stack_used, gl_stack_user, gl_stack_cache;
	size_t gl_stack_cache_lock;      /* int, a low-level lock */
	size_t mutex_kind;               /* __kind inside a pthread_mutex_t */

	/* struct rtld_global_ro (_rtld_global_ro) */
	size_t glro_debug_mask, glro_platform, glro_platformlen, glro_pagesize;
	size_t glro_minsigstacksize, glro_inhibit_cache;
	size_t glro_initial_searchlist, glro_clktck, glro_debug_fd, glro_lazy;
	size_t glro_fpu_control, glro_hwcap, glro_auxv, glro_cpu_features;
	size_t glro_cpu_features_size;
	size_t glro_tls_static_size, glro_tls_static_align, glro_tls_static_surplus;
	size_t glro_profile_output, glro_init_all_dirs;
	size_t glro_sysinfo_dso, glro_sysinfo_map;
	size_t glro_vdso_clock_gettime, glro_vdso_gettimeofday, glro_vdso_time;
	size_t glro_vdso_getcpu, glro_vdso_clock_getres;
	size_t glro_hwcap2, glro_dso_sort_algo;
	size_t glro_debug_printf, glro_mcount, glro_lookup_symbol_x;
	size_t glro_open, glro_close, glro_catch_error, glro_error_free;
	size_t glro_tls_get_addr_soft, glro_libc_freeres, glro_find_object;

	/* internal struct link_map */
	size_t lm_size;
	size_t lm_addr, lm_name, lm_ld, lm_next, lm_prev, lm_real;
	size_t lm_libname, lm_info, lm_info_count;
	size_t lm_phdr, lm_entry, lm_phnum, lm_ldnum;
	size_t lm_searchlist, lm_loader;
	size_t lm_versions, lm_nversions, lm_found_version_size;
	size_t lm_nbuckets, lm_gnu_bitmask_idxbits, lm_gnu_shift, lm_gnu_bitmask;
	size_t lm_gnu_buckets, lm_gnu_chain_zero;
	size_t lm_direct_opencount, lm_flags_word;
	unsigned lm_bit_relocated, lm_bit_init_called, lm_bit_global;
	unsigned lm_bit_main_map, lm_bit_contiguous, lm_bit_ld_readonly;
	size_t lm_versyms, lm_origin, lm_map_start, lm_map_end, lm_text_end;
	size_t lm_scope_mem, lm_scope_max, lm_scope, lm_local_scope;
	size_t lm_file_id, lm_flags_1, lm_flags;
	size_t lm_tls_initimage, lm_tls_initimage_size, lm_tls_blocksize;
	size_t lm_tls_align, lm_tls_firstbyte_offset, lm_tls_offset, lm_tls_modid;
	size_t lm_relro_addr, lm_relro_size;

	/* struct pthread (the thread control block) */
	size_t pd_size, pd_align;
	size_t pd_list, pd_tid, pd_robust_prev, pd_robust_head;
	size_t pd_specific_1stblock, pd_specific, pd_report_events;
	size_t pd_user_stack, pd_stackblock_size, pd_rseq_area;
	int pd_robust_futex_offset;
	size_t slotinfo_entries;         /* slots in the first slotinfo list */
	size_t tls_static_optional;      /* glibc.rtld.optional_static_tls */

	/* The release's tunables, in id order. */
	const struct glibc_tunable *tunables;
	size_t ntunables;

	/* Behaviour, not layout: the library search tries the legacy HWCAP
	 * subdirectories (tls/, x86_64/ ...; gone in 2.37). */
	bool legacy_hwcaps;
};

/* The table for the libc version whose version definitions include
 * `node` and not the next one, or NULL. */
const struct glibc_abi *glibc_abi_find(bool (*defines)(const char *node, void *arg),
				       void *arg);
/* The newest table: what myld describes when no libc is loaded
 * (--list-tunables). */
const struct glibc_abi *glibc_abi_newest(void);
/* "2.36, ..." for --version and messages. */
const char *glibc_abi_supported(void);

#endif
