/* SPDX-License-Identifier: MIT */
/*
 * The loader's one mutable global: struct ld_state. Every piece of state that
 * outlives a function call lives here, so a reader can see all of it in one
 * place. It is zero-initialised (in .bss) and filled by stage 2; stage 1
 * never touches it.
 */
#ifndef LOADER_STATE_H
#define LOADER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"
#include "loader/tls.h"

/* How myld was started. */
enum start_mode {
	START_INTERP,     /* the kernel mapped the program; we are PT_INTERP */
	START_EXPLICIT,   /* ./myld.so [options] prog args */
};

struct search_config {
	char *library_path;      /* LD_LIBRARY_PATH or --library-path; NULL */
	bool library_path_option; /* ... and it came from --library-path */
	char *inhibit_rpath;     /* --inhibit-rpath list; NULL */
	bool inhibit_cache;      /* --inhibit-cache */
	/* glibc-hwcaps subdirectories (hwcaps.c, set once at start-up): the
	 * names a search tries in each directory, best first, each followed
	 * by a NUL; the CPU's ISA levels (arch_isa_levels) for ld.so.cache;
	 * the options they came from, for --help. */
	char *hwcaps;
	size_t hwcaps_count;
	uint32_t isa_levels;
	const char *hwcaps_prepend;   /* --glibc-hwcaps-prepend; NULL */
	const char *hwcaps_mask;      /* --glibc-hwcaps-mask; NULL: no mask */
	/* Also hwcaps.c's, set with the list: every subdirectory a search
	 * tries in each directory before the directory itself, best first,
	 * each followed by a NUL ("glibc-hwcaps/x86-64-v3", then the legacy
	 * "tls/x86_64", "x86_64" ... where the release searches them); the
	 * platform ($PLATFORM, glibc's _dl_platform) and _dl_hwcap. */
	char *subdirs;
	size_t subdirs_count;
	unsigned subdirs_serial;      /* new for each list built, never 0 */
	bool legacy_hwcaps;           /* the release searches tls/, x86_64/ ... */
	const char *platform;
	uint64_t hwcap;
};

/* Relocation types counted one by one for LD_DEBUG=statistics. */
#define STATS_RELOC_TYPES 64

struct ld_state {
	/* How the lazy-binding trampoline (arch/x86_64/plt.S) saves the
	 * vector registers: first in the struct, because assembly reads it
	 * at these fixed offsets. Set once at start-up from CPUID. */
	uint64_t lazy_save_size;     /* offset 0: bytes of the save area */
	uint32_t lazy_save_mode;     /* offset 8: ARCH_SAVE_* */
	uint32_t lazy_save_mask;     /* offset 12: XSAVE component mask */

	/* Start-up facts (startup.c). */
	enum start_mode mode;
	int argc;
	char **argv;
	char **envp;
	uint64_t *auxv;          /* the auxv pairs on the initial stack */
	uintptr_t *initial_sp;   /* where argc was when we were entered */
	bool stack_executable;   /* stack.c: stacks made executable */
	size_t page_size;
	bool secure;
	const char *progname;    /* argv[0] of the program, for messages */

	/* LD_DEBUG (trace.c). */
	unsigned trace_mask;
	int trace_fd;
	int pid;

	/* Library search (search.c, cache.c, env.c, hwcaps.c). */
	struct search_config search;

	/* Loaded objects, in load order: main, then breadth-first deps
	 * (a filtee moved before its filter). Written only through
	 * deps_list_append/remove/move_before (deps.c), under the load
	 * lock. */
	struct elf_object *head, *tail;
	size_t nobjects;
	struct elf_object *main_obj, *self_obj, *vdso_obj;

	/* The global scope (scope.h): written only by scope_global_publish,
	 * read through scope_global. */
	struct scope_global *global_scope;

	/* Initialisers in the order they were planned to run (finalisers
	 * follow a sort made when they are due, init.h; this order only
	 * backwards, when memory for that sort is lacking at exit).
	 * Written only by init.c (init.h), under the load lock. */
	struct elf_object **init_order;  /* init.c only */
	size_t init_order_len, init_order_cap;
	bool main_init_by_libc;  /* libc's __libc_start_main runs the
	                            program's own DT_INIT/INIT_ARRAY */

	/* LD_SHOW_AUXV: print the auxv the program will see. */
	bool show_auxv;

	/* Preloaded objects: the LD_PRELOAD list (env.c). */
	const char *preload_env;

	/* MYLD_CACHE's value (env.c): the launch cache's directory, NULL
	 * when unset (launch.h). */
	const char *launch_dir;
	const char *tunables_env;    /* GLIBC_TUNABLES (env.c), for its key */

	/* ldd mode (LD_TRACE_LOADED_OBJECTS, --list): list, run nothing. */
	bool trace_loaded;
	bool list_missing_fatal;     /* --list: a missing library is fatal */
	bool trace_warn;             /* LD_WARN: relocate, report undefined */
	bool trace_verbose;          /* LD_VERBOSE: ldd -v version lines */
	bool reloc_warn;             /* undefined symbols do not fail (ldd) */
	bool reloc_warn_print;       /* ... and are printed (ldd -d/-r) */

	/* Binding behaviour. */
	bool bind_now;           /* LD_BIND_NOW: no lazy binding */
	bool bind_not;           /* LD_BIND_NOT: resolve, never write GOT */
	bool startup_done;       /* false: report every failure on fd 2 */

	/* Relocations that call an IFUNC resolver, applied once every object
	 * is relocated (reloc.c). */
	struct reloc_pending *pending;
	size_t npending, pending_cap;

	/* STB_GNU_UNIQUE definitions seen so far (symbol.c): an open-
	 * addressing table keyed by GNU hash; unique_used counts the slots
	 * taken, the live entries and those of unloaded objects. */
	struct unique_entry *unique;
	size_t unique_count, unique_used, unique_cap;
	int unique_lock;

	/* Thread-local storage: written only by tls.c, under lock (see
	 * tls.h for the locking rule). modules: the first chunk of the
	 * module table. */
	struct {
		struct tls_chunk modules;
		size_t max_modid;
		size_t generation;
		size_t static_used;      /* bytes below tp given to modules */
		size_t static_limit;     /* static_used may grow up to this */
		size_t static_size;      /* whole area incl. surplus and TCB */
		size_t static_align;
		size_t tcb_size, tcb_align;
		void *initial_dtv;
		bool unpublished;        /* ids given out since tls_publish */
		int lock;                /* crt_spin_lock, see tls.h */
		/* Dynamic TLS blocks: libc frees them itself when it reuses a
		 * thread's stack, so with libc they come from its malloc. */
		void *(*block_malloc)(size_t);
		void (*block_free)(void *);
	} tls;

	/* Lookup scopes (scope.c, the only writer): how many lock-free
	 * lookups (lazy binding) are walking scopes right now, and the
	 * scope and relocation-dependency arrays replaced while such a
	 * lookup might still read them, freed once none runs. The list is
	 * changed under the load lock only. */
	unsigned long scope_readers;
	struct scope_retired *scope_retired;

	/* Serial numbers of loaded objects (object.c): never reused, so an
	 * object can be told from a later one at the same address. */
	uint64_t object_serial;

	/* dlclose in progress (a finaliser may call dlclose again). */
	bool closing, close_again;
	/* The exit finalisers have started (init.c): from then on dlclose
	 * only drops references, as glibc's _dl_fini makes sure, so that a
	 * finaliser's dlclose cannot unmap an object still finalising. */
	bool exiting;

	/* Told about every change of the loaded set (dlopen.c). */
	const struct dlopen_observer *observer;

	/* The glibc adapter (loader/glibc/): the ABI table of the libc in
	 * use (NULL: no libc.so.6), and libc functions it calls back. */
	struct {
		const struct glibc_abi *abi;
		struct elf_object *libc;
		void *(*malloc)(size_t);
		void (*free)(void *);
		void (*signal_error)(int, const char *, const char *, const char *);
		void *catch_error;
		int (*mutex_lock)(void *);
		int (*mutex_unlock)(void *);
		void **stack_user;       /* &_rtld_global._dl_stack_user */
	} glibc;

	/* LD_DEBUG=statistics counters. */
	struct {
		unsigned long relocations, relative, lookups, lookup_cache;
		unsigned long bloom_rejects, objects_probed;
		/* Relocations by R_* type; reloc.c counts a type beyond
		 * the table in its last entry ("other"). */
		unsigned long by_type[STATS_RELOC_TYPES];
		uint64_t t_start, t_mapped, t_relocated, t_initialised;
	} stats;

	/* The last error message (error.c). */
	char error_buf[1024];
	char error_detail[1024];   /* error.c: ld_error_detail */
	char error_reason[512];    /* error.c: ld_error_at's reason */
	bool error_set;
};

extern struct ld_state ld_state;

#endif
