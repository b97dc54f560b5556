/* SPDX-License-Identifier: MIT */
/*
 * The data glibc's libc.so.6 shares with its loader: the exported objects
 * _rtld_global (mutable loader state), _rtld_global_ro (configuration and
 * hooks, read-only after start-up), __libc_stack_end, _dl_argv and the
 * rest of the fact sheet's section 1, and the code that fills them before
 * libc is relocated. These exported variables are the one exception to the
 * "all mutable state in state.h" rule: their names, sizes and places are
 * fixed by libc's relocations. Offsets come from the ABI table (abi.h).
 */
#include "loader/export.h"
#include "loader/glibc/glibc.h"

#include <elf.h>
#include <link.h>

#include "crt/string.h"
#include "machdep.h"
#include "loader/error.h"
#include "loader/hash.h"
#include "loader/glibc/abi.h"
#include "loader/glibc/internal.h"
#include "loader/startup.h"
#include "loader/state.h"
#include "loader/tls.h"
#include "loader/trace.h"
#include "loader/version.h"


/* Sized for glibc 2.36 (the largest table); see abi_236.c. */
EXPORT __attribute__((aligned(32))) unsigned char _rtld_global[4336];
EXPORT __attribute__((aligned(32), section(".data.rel.ro")))
unsigned char _rtld_global_ro[896];
EXPORT __attribute__((section(".data.rel.ro"))) void *__libc_stack_end;
EXPORT __attribute__((section(".data.rel.ro"))) char **_dl_argv;
EXPORT __attribute__((section(".data.rel.ro"))) int __libc_enable_secure;
EXPORT __attribute__((section(".data.rel.ro"))) ptrdiff_t __rseq_offset;
EXPORT __attribute__((section(".data.rel.ro"))) unsigned int __rseq_size;
EXPORT const unsigned int __rseq_flags = 0;
EXPORT _Bool __nptl_initial_report_events;

_Static_assert(sizeof(_rtld_global) >= 4336, "rtld_global too small");
_Static_assert(sizeof(struct r_debug) == 40, "r_debug layout");

/* Something non-NULL for GLRO(_dl_init_all_dirs): libc only tests it to
 * know that a dynamic loader is active (_IO_vtable_check). GL(dl_all_dirs)
 * points there too: libc's __libc_freeres (run at exit under mtrace or
 * valgrind) frees the list from GL(dl_all_dirs) up to that one, so it
 * finds nothing to free instead of following a NULL pointer. */
static const uintptr_t no_search_dirs[4];

static bool
libc_defines(const char *node, void *arg)
{
	struct elf_object *libc = arg;
	uint32_t hash = hash_sysv(node);
	size_t i;

	for (i = 1; i < libc->nversions; i++)
		if (libc->versions[i].name && !libc->versions[i].file &&
		    libc->versions[i].hash == hash &&
		    crt_strcmp(libc->versions[i].name, node) == 0)
			return true;
	return false;
}

bool
glibc_activate(void)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (obj->soname && crt_strcmp(obj->soname, "libc.so.6") == 0)
			break;
	if (!obj)
		return false;
	if (!obj->versions && version_setup(obj) < 0)
		ld_fatal("%s: error while loading shared libraries: %s",
			 ld_state.progname, ld_error_message());
	ld_state.glibc.abi = glibc_abi_find(libc_defines, obj);
	if (!ld_state.glibc.abi)
		ld_fatal("%s: %s: this glibc version is not supported by myld "
			 "(it supports glibc %s; re-measure with "
			 "shared/glibc-abi/measure.sh)", ld_state.progname,
			 obj->path, glibc_abi_supported());
	ld_state.glibc.libc = obj;
	ld_state.main_init_by_libc = true;
	tls_set_tcb(ld_state.glibc.abi->pd_size, ld_state.glibc.abi->pd_align);
	TRACE(FILES, "glibc adapter: %s is glibc %s", obj->path,
	      ld_state.glibc.abi->version);
	return true;
}

/* A recursive, unlocked pthread_mutex_t: all zero but __kind. */
static void
init_recursive_mutex(unsigned char *m)
{
	memset(m, 0, 40);
	GLIBC_FIELD(m, ld_state.glibc.abi->mutex_kind, int) = 1;
}

/* An empty circular list_t {next, prev}. */
static void
init_list(unsigned char *head)
{
	GLIBC_FIELD(head, 0, void *) = head;
	GLIBC_FIELD(head, 8, void *) = head;
}

static uint64_t
auxv(uint64_t type, uint64_t def)
{
	return startup_auxv_get(ld_state.auxv, type, def);
}

/* The vDSO's time functions, found as glibc finds them (version
 * LINUX_2.6), or NULL so libc uses the system calls. */
static void *
vdso_function(const char *name)
{
	return glibc_object_function(ld_state.vdso_obj, name, &glibc_version_linux_2_6);
}

static void
fill_global_ro(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *ro = _rtld_global_ro;
	const char *platform = ld_state.search.platform;

	arch_cpu_features_copy(ro + abi->glro_cpu_features, abi->glro_cpu_features_size);
	/* glibc's DL_DEBUG_IMPCALLS (2): libc then prints "initialize
	 * program" and "transferring control" itself. */
	GLIBC_FIELD(ro, abi->glro_debug_mask, int) = TRACE_ON(IMPCALLS) ? 2 : 0;
	GLIBC_FIELD(ro, abi->glro_platform, const char *) = platform;
	GLIBC_FIELD(ro, abi->glro_platformlen, size_t) = platform ? crt_strlen(platform) : 0;
	GLIBC_FIELD(ro, abi->glro_pagesize, size_t) = ld_state.page_size;
	GLIBC_FIELD(ro, abi->glro_minsigstacksize, size_t) =
		auxv(AT_MINSIGSTKSZ, arch_minsigstacksize());
	GLIBC_FIELD(ro, abi->glro_inhibit_cache, int) = ld_state.search.inhibit_cache;
	GLIBC_FIELD(ro, abi->glro_clktck, int) = (int)auxv(AT_CLKTCK, 100);
	GLIBC_FIELD(ro, abi->glro_debug_fd, int) = 2;
	GLIBC_FIELD(ro, abi->glro_lazy, int) = !ld_state.bind_now;
	GLIBC_FIELD(ro, abi->glro_fpu_control, uint16_t) = (uint16_t)auxv(AT_FPUCW, 0x37f);
	GLIBC_FIELD(ro, abi->glro_hwcap, uint64_t) = ld_state.search.hwcap;
	GLIBC_FIELD(ro, abi->glro_hwcap2, uint64_t) = auxv(AT_HWCAP2, 0);
	GLIBC_FIELD(ro, abi->glro_auxv, void *) = ld_state.auxv;
	GLIBC_FIELD(ro, abi->glro_tls_static_size, size_t) = ld_state.tls.static_size;
	GLIBC_FIELD(ro, abi->glro_tls_static_align, size_t) = ld_state.tls.static_align;
	GLIBC_FIELD(ro, abi->glro_tls_static_surplus, size_t) = TLS_STATIC_SURPLUS;
	GLIBC_FIELD(ro, abi->glro_profile_output, const char *) = "/var/tmp";
	GLIBC_FIELD(ro, abi->glro_init_all_dirs, const void *) = no_search_dirs;
	GLIBC_FIELD(ro, abi->glro_sysinfo_dso, uintptr_t) = auxv(AT_SYSINFO_EHDR, 0);
	GLIBC_FIELD(ro, abi->glro_sysinfo_map, void *) =
		ld_state.vdso_obj ? glibc_link_map(ld_state.vdso_obj) : NULL;
	GLIBC_FIELD(ro, abi->glro_vdso_clock_gettime, void *) =
		vdso_function("__vdso_clock_gettime");
	GLIBC_FIELD(ro, abi->glro_vdso_gettimeofday, void *) =
		vdso_function("__vdso_gettimeofday");
	GLIBC_FIELD(ro, abi->glro_vdso_time, void *) = vdso_function("__vdso_time");
	GLIBC_FIELD(ro, abi->glro_vdso_getcpu, void *) = vdso_function("__vdso_getcpu");
	GLIBC_FIELD(ro, abi->glro_vdso_clock_getres, void *) =
		vdso_function("__vdso_clock_getres");
	GLIBC_FIELD(ro, abi->glro_dso_sort_algo, int) = 1;
	glibc_fill_hooks(ro);
}

static void
fill_global(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *gl = _rtld_global;
	unsigned char *ns0 = gl + abi->gl_ns;

	GLIBC_FIELD(ns0, abi->ns_loaded, void *) = glibc_link_map(ld_state.head);
	GLIBC_FIELD(ns0, abi->ns_nloaded, unsigned) = (unsigned)ld_state.nobjects;
	GLIBC_FIELD(ns0, abi->ns_main_searchlist, void *) =
		(char *)glibc_link_map(ld_state.main_obj) + abi->lm_searchlist;
	GLIBC_FIELD(ns0, abi->ns_libc_map, void *) = glibc_link_map(ld_state.glibc.libc);
	GLIBC_FIELD(gl, abi->gl_nns, size_t) = 1;
	init_recursive_mutex(gl + abi->gl_load_lock);
	init_recursive_mutex(gl + abi->gl_load_write_lock);
	init_recursive_mutex(gl + abi->gl_load_tls_lock);
	GLIBC_FIELD(gl, abi->gl_load_adds, unsigned long long) = ld_state.nobjects;
	GLIBC_FIELD(gl, abi->gl_all_dirs, const void *) = no_search_dirs;
	GLIBC_FIELD(gl, abi->gl_stack_flags, uint32_t) =
		ld_state.main_obj->stack_flags ? ld_state.main_obj->stack_flags :
		(PF_R | PF_W | PF_X);
	init_list(gl + abi->gl_stack_used);
	init_list(gl + abi->gl_stack_user);
	init_list(gl + abi->gl_stack_cache);
	ld_state.glibc.stack_user = (void **)(gl + abi->gl_stack_user);
	if (glibc_tls_sync() < 0)
		ld_oom();
}

void
glibc_prepare(uintptr_t *sp, void *tp)
{
	__libc_stack_end = sp;
	_dl_argv = ld_state.argv;
	__libc_enable_secure = ld_state.secure;
	glibc_build_link_maps();
	fill_global();
	fill_global_ro();
	glibc_init_main_thread(tp);
	glibc_observe();
}

void
glibc_relocated(void)
{
	glibc_bind_libc_hooks();
	/* Every link map brought up to date (the first is not needed). */
	glibc_debug_maps();
}

void
glibc_start(void)
{
	struct elf_object *libc = ld_state.glibc.libc;
	void (*early_init)(_Bool);

	if (!libc)
		return;
	early_init = (void (*)(_Bool))glibc_object_function(libc, "__libc_early_init",
							     &glibc_version_private);
	if (!early_init)
		ld_fatal("%s: %s: __libc_early_init is missing", ld_state.progname,
			 libc->path);
	early_init(1);
}
