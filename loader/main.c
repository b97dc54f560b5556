/* SPDX-License-Identifier: MIT */
/*
 * Stage 2: the start-up driver. Called by stage 1 once myld.so is relocated,
 * it decodes the initial stack, finds or maps the program, loads its
 * dependencies, checks versions, relocates everything, runs initialisers
 * and tells the entry stub where to jump. It is the only place where a
 * start-up failure becomes exit status 127 (after every missing library,
 * symbol and version has been reported). Each step hands a finished thing
 * to the next; see design.md for the data flow.
 */
#include "loader/boot.h"

#include <elf.h>
#include <fcntl.h>
#include <time.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/debug.h"
#include "loader/deps.h"
#include "loader/env.h"
#include "loader/glibc/glibc.h"
#include "loader/error.h"
#include "loader/hwcaps.h"
#include "loader/init.h"
#include "loader/launch.h"
#include "loader/ldd.h"
#include "loader/map.h"
#include "loader/object.h"
#include "loader/reloc.h"
#include "loader/search.h"
#include "loader/startup.h"
#include "loader/stack.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/stats.h"
#include "loader/tls.h"
#include "loader/trace.h"
#include "loader/version.h"
#include "machdep.h"

#define MYLD_VERSION "0.1.0"

/* The entry point, to tell explicit invocation (the kernel ran us as the
 * program: AT_ENTRY is our _start) from PT_INTERP. */
extern char _start[] __attribute__((visibility("hidden")));
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static uint64_t
now_ns(void)
{
	struct timespec ts;

	if (sys_clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "<prog>: error while loading shared libraries: <message>", exit 127. */
__attribute__((noreturn)) static void
fail_loading(void)
{
	ld_report_loading_error();
	sys_exit_group(127);
}

/* obj's first program header of this type, or NULL. */
static const Elf64_Phdr *
find_phdr(const struct elf_object *obj, uint32_t type)
{
	for (size_t i = 0; i < obj->phnum; i++)
		if (obj->phdr[i].p_type == type)
			return &obj->phdr[i];
	return NULL;
}

/* myld.so's own object: relocated by stage 1, never relocated again. */
static struct elf_object *
make_self(uintptr_t base, const char *path)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	struct elf_object *self = object_new(path);

	if (!self)
		ld_oom();
	self->base = base;
	self->phdr = (const Elf64_Phdr *)(base + eh->e_phoff);
	self->phnum = eh->e_phnum;
	self->is_self = true;
	self->relocated = true;
	self->init_done = true;
	object_scan_phdrs(self);
	if (object_parse_dynamic(self) < 0)
		ld_fatal("myld.so: cannot read its own dynamic section: %s",
			 ld_error_message());
	return self;
}

/* The vDSO the kernel mapped into every process (AT_SYSINFO_EHDR): an
 * already relocated object, listed after the program as glibc does, but
 * not part of any search scope. NULL when the kernel gave none or it is
 * unusable. */
static struct elf_object *
make_vdso(uintptr_t ehdr_addr)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)ehdr_addr;
	const Elf64_Phdr *load;
	struct elf_object *vdso;

	if (!ehdr_addr || map_check_ident(eh, sizeof(*eh), "linux-vdso.so.1"))
		return NULL;
	vdso = object_new("linux-vdso.so.1");
	if (!vdso)
		ld_oom();
	vdso->phdr = (const Elf64_Phdr *)(ehdr_addr + eh->e_phoff);
	vdso->phnum = eh->e_phnum;
	load = find_phdr(vdso, PT_LOAD);
	if (load)
		vdso->base = ehdr_addr - load->p_vaddr;
	vdso->is_vdso = true;
	vdso->relocated = true;
	object_scan_phdrs(vdso);
	if (object_parse_dynamic(vdso) < 0 || version_setup(vdso) < 0) {
		object_free(vdso);
		ld_error_clear();
		return NULL;
	}
	return vdso;
}

/* The file the kernel ran (/proc/self/exe: myld.so itself in explicit
 * mode, the program under PT_INTERP), or NULL when it cannot be read. */
static char *
exe_path(void)
{
	char buf[4096];
	long n = sys_readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

/* The program the kernel mapped (PT_INTERP mode), from the auxv. */
static struct elf_object *
program_from_auxv(const struct startup_info *info)
{
	struct elf_object *obj = object_new("");
	const Elf64_Phdr *phdr;

	if (!obj)
		ld_oom();
	obj->phdr = (const Elf64_Phdr *)info->at_phdr;
	obj->phnum = info->at_phnum;
	obj->entry = info->at_entry;
	/* Without PT_PHDR the program is taken as loaded at its addresses. */
	phdr = find_phdr(obj, PT_PHDR);
	obj->base = phdr ? info->at_phdr - phdr->p_vaddr : 0;
	obj->e_type = obj->base ? ET_DYN : ET_EXEC;
	object_scan_phdrs(obj);
	return obj;
}

/* The program named on the command line (explicit mode): opened and mapped
 * by us. Failures use the program's path as the message prefix, as glibc
 * does. */
static struct elf_object *
program_from_file(const char *path)
{
	struct elf_object *obj;
	int fd = sys_open(path, O_RDONLY, 0);

	if (fd < 0) {
		ld_error("%s: cannot open shared object file: %s", path,
			 crt_strerror(-fd));
		fail_loading();
	}
	obj = map_object(fd, path);
	sys_close(fd);
	if (!obj)
		fail_loading();
	if (!obj->entry && !ld_state.trace_loaded) {
		ld_error("%s: not an executable: it has no entry point", path);
		fail_loading();
	}
	return obj;
}

/* The directory of the running program, for $ORIGIN: glibc uses the
 * directory of /proc/self/exe for a program the kernel started. */
static char *
program_origin(void)
{
	char *exe = exe_path(), *origin = NULL;

	if (exe && search_origin_of(exe, &origin) < 0)
		ld_oom();
	crt_free(exe);
	return origin;
}

/* LD_PRELOAD, then --preload (preload_arg, or NULL), then
 * /etc/ld.so.preload, as glibc. */
static void
load_preloads(const char *preload_arg, struct elf_object ***pre, size_t *npre)
{
	char buf[4096];
	long n;
	int fd;

	if (ld_state.preload_env)
		deps_preload(ld_state.preload_env, "LD_PRELOAD", pre, npre);
	if (preload_arg)
		deps_preload(preload_arg, "--preload", pre, npre);
	fd = sys_open("/etc/ld.so.preload", O_RDONLY, 0);
	if (fd < 0)
		return;
	n = sys_read(fd, buf, sizeof(buf) - 1);
	sys_close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	/* '#' starts a comment to the end of the line. */
	for (char *p = buf; *p; p++)
		if (*p == '#')
			while (*p && *p != '\n')
				*p++ = ' ';
	deps_preload(buf, "/etc/ld.so.preload", pre, npre);
}

/* The program loaded its preloads, as glibc records them (l_loader is the
 * main map): libc's dlsym(RTLD_NEXT) climbs the loader chain to the
 * program and searches on in its scope, so a preload finds the next
 * preload's definition, not only its own dependencies'. */
static void
adopt_preloads(struct elf_object **pre, size_t npre)
{
	for (size_t i = 0; i < npre; i++)
		if (!pre[i]->loader && !pre[i]->is_main && !pre[i]->is_self)
			pre[i]->loader = ld_state.main_obj;
}

static const char *
interp_path(const struct elf_object *prog)
{
	const Elf64_Phdr *interp = find_phdr(prog, PT_INTERP);

	return interp ? (const char *)(prog->base + interp->p_vaddr) : STARTUP_RTLD;
}

/* --verify, glibc's exit codes (its ldd script reads them): 0 for a
 * dynamically linked program with a PT_INTERP, 2 for a dynamic object
 * without one (a library, a static PIE), 1 for anything else. */
__attribute__((noreturn)) static void
verify_program(const char *path)
{
	struct elf_object *obj;
	int fd = sys_open(path, O_RDONLY, 0);

	if (fd < 0)
		sys_exit_group(1);
	obj = map_object(fd, path);
	sys_close(fd);
	if (!obj || !obj->dynamic)
		sys_exit_group(1);
	sys_exit_group(find_phdr(obj, PT_INTERP) ? 0 : 2);
}

/* Explicit mode, before anything is loaded (glibc's rtld_chain_load): the
 * loader given itself -- the same DT_SONAME -- stops with glibc's line; a
 * program that needs no loader (no DT_NEEDED, no PT_INTERP: a static
 * program or static PIE) is handed to the kernel, with the arguments and
 * environment it would have had under us (argv[0] from --argv0). */
static void
chain_load(const struct elf_object *prog, const char *path,
	   const struct startup_info *info)
{
	const char *self = ld_state.self_obj->soname;
	int err;

	if (!self)
		self = "ld.so";
	if (prog->soname && crt_strcmp(prog->soname, self) == 0)
		ld_fatal("%s: loader cannot load itself", self);
	if (prog->nneeded || find_phdr(prog, PT_INTERP))
		return;
	err = -sys_execve(path, info->argv, info->envp);
	if (crt_strerrorname(err))
		ld_fatal("%s: cannot execute %s: %s", self, path,
			 crt_strerrorname(err));
	ld_fatal("%s: cannot execute %s: %d", self, path, err);
}

/* Explicit invocation: options (into *opts: main_start reads the action,
 * --preload and the hwcaps options there), then drop our own argv entries
 * so the program sees argv[0] = its path, and point the auxv at it; the
 * stack pointer stays (see below). */
static void
explicit_start(struct startup_info *info, uintptr_t *sp, const char **path,
	       struct startup_options *opts)
{
	const char *self = info->argv[0];
	uint64_t *end = info->auxv;        /* the auxv's AT_NULL, below */
	int skip;

	startup_parse_options(info->argc, info->argv, opts);
	/* --help and --list-tunables print once the environment and options
	 * are in place. */
	if (opts->action == STARTUP_VERSION) {
		crt_dprintf(1, "myld %s, a dynamic loader for x86-64 Linux "
			       "(replaces ld-linux-x86-64.so.2; targets glibc "
			       "2.36)\n", MYLD_VERSION);
		sys_exit_group(0);
	}
	if (opts->action == STARTUP_USAGE_ERROR)
		ld_fatal("%s: %s\nTry '%s --help' for more information.", self,
			 ld_error_message(), self);
	if (opts->action == STARTUP_VERIFY)
		verify_program(info->argv[opts->prog_index]);
	ld_state.trace_loaded = opts->action == STARTUP_LIST;
	ld_state.list_missing_fatal = opts->action == STARTUP_LIST;
	if (opts->audit)
		crt_dprintf(2, "%s: warning: auditing (--audit) is not supported; "
			       "ignoring '%s'\n", self, opts->audit);
	if (opts->library_path) {
		ld_state.search.library_path = xstrdup(opts->library_path);
		ld_state.search.library_path_option = true;
	}
	if (opts->inhibit_rpath)
		ld_state.search.inhibit_rpath = xstrdup(opts->inhibit_rpath);
	ld_state.search.inhibit_cache = opts->inhibit_cache;
	if (opts->action == STARTUP_HELP || opts->action == STARTUP_LIST_TUNABLES) {
		*path = NULL;
		return;
	}

	/* Drop our own arguments by moving argv, envp and the auxv down over
	 * them, as glibc does: the stack pointer (argc's slot) must not move,
	 * or an odd count would break the psABI's 16-byte alignment. */
	skip = opts->prog_index;
	while (end[0] != AT_NULL)
		end += 2;
	memmove(sp + 1, sp + 1 + skip, (size_t)((char *)(end + 2) -
						(char *)(sp + 1 + skip)));
	sp[0] = (uintptr_t)(info->argc - skip);
	info->argc -= skip;
	info->argv = (char **)(sp + 1);
	info->envp = info->argv + info->argc + 1;
	info->auxv -= skip;
	*path = info->argv[0];
	if (opts->argv0)
		info->argv[0] = (char *)opts->argv0;
}

/* Explicit mode: the auxv entries that describe the program now describe
 * the one we mapped, as the kernel would have written them. */
static void
rewrite_auxv(const struct startup_info *info, const struct elf_object *prog,
	     const char *path)
{
	startup_auxv_set(info->auxv, AT_PHDR, (uintptr_t)prog->phdr);
	startup_auxv_set(info->auxv, AT_PHNUM, prog->phnum);
	startup_auxv_set(info->auxv, AT_ENTRY, prog->entry);
	startup_auxv_set(info->auxv, AT_EXECFN, (uintptr_t)path);
}

/* Version tables of every object, then every version need checked; all
 * failures are reported before exiting. */
static void
check_versions(void)
{
	struct elf_object *obj;
	int failures = 0;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (version_setup(obj) < 0) {
			ld_report_loading_error();
			failures++;
		}
	if (failures)
		sys_exit_group(127);
	for (obj = ld_state.head; obj; obj = obj->next)
		failures += version_check(obj);
	if (failures)
		sys_exit_group(127);
}

/* Module ids and static TLS for every object loaded at start-up, then the
 * main thread's TCB, with the stack and pointer guards from AT_RANDOM. */
static void *
setup_tls(const struct startup_info *info)
{
	struct elf_object *obj;
	unsigned char *tp;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (tls_assign(obj, true) < 0)
			fail_loading();
	tls_finish_layout();
	tp = tls_setup_main_thread();
	if (info->at_random) {
		uint64_t guard;

		memcpy(&guard, (const void *)info->at_random, 8);
		/* The low byte is zero so that string overflows hit it. */
		guard &= ~(uint64_t)0xff;
		memcpy(tp + ARCH_TCB_STACK_GUARD_OFFSET, &guard, 8);
		memcpy(tp + ARCH_TCB_POINTER_GUARD_OFFSET,
		       (const void *)(info->at_random + 8), 8);
	}
	return tp;
}

/* Relocation, dependencies first (the reverse of load order), then the
 * queued IFUNC relocations. */
static void
relocate_all(void)
{
	struct elf_object *const *global;
	struct elf_object *obj;
	size_t nglobal;
	int failures = 0;

	deps_build_global_scope();
	global = scope_global(&nglobal);
	for (obj = ld_state.tail; obj; obj = obj->prev) {
		int n = reloc_object(obj, global, nglobal);

		if (n < 0) {
			ld_report_loading_error();
			failures++;
		} else {
			failures += n;
		}
	}
	if (failures || reloc_finish())
		sys_exit_group(127);
}

/* Every object's RELRO made read-only; an object that asks for an
 * executable stack (PT_GNU_STACK with PF_X) gets one, as glibc's
 * _dl_make_stack_executable does. */
static void
protect_objects(void)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (map_protect_relro(obj) < 0 || stack_apply_flags(obj) < 0)
			fail_loading();
}

void
main_start(uintptr_t *sp, uintptr_t self_base, struct boot_handoff *out)
{
	struct startup_info info;
	struct elf_object *prog;
	struct elf_object **pre = NULL;
	size_t npre = 0;
	bool explicit_mode, glibc;
	struct startup_options opts = { .action = STARTUP_RUN };
	const char *prog_path = NULL;
	struct elf_object *const *global;
	size_t nglobal;
	char *self_name;
	void *tp;

	startup_parse_stack(sp, &info);
	ld_state.initial_sp = sp;
	ld_state.page_size = info.at_pagesz;
	ld_state.secure = info.at_secure || !info.have_ids ||
			  info.at_uid != info.at_euid || info.at_gid != info.at_egid;
	ld_state.stats.t_start = now_ns();
	arch_lazy_init();
	ld_state.progname = info.argv[0] ? info.argv[0] : "myld.so";
	explicit_mode = info.at_entry == (uintptr_t)_start;

	if (explicit_mode) {
		ld_state.mode = START_EXPLICIT;
		explicit_start(&info, sp, &prog_path, &opts);
		ld_state.progname = info.argv[0];
	}
	ld_state.argc = info.argc;
	ld_state.argv = info.argv;
	ld_state.envp = info.envp;
	ld_state.auxv = info.auxv;
	if (env_apply(info.envp)) {
		trace_print_help();
		sys_exit_group(0);
	}
	ld_state.search.legacy_hwcaps = glibc_legacy_hwcaps();
	hwcaps_init(opts.hwcaps_prepend, opts.hwcaps_mask);
	/* --help: glibc's text, then where libraries would be searched. */
	if (opts.action == STARTUP_HELP) {
		startup_print_usage(1, info.argv[0]);
		search_print_help(1);
		hwcaps_print_help(1);
		sys_exit_group(0);
	}
	if (opts.action == STARTUP_LIST_TUNABLES) {
		glibc_tunables_print(1);
		sys_exit_group(0);
	}
	/* glibc shows the vector as the kernel gave it, before explicit
	 * invocation rewrites AT_PHDR, AT_ENTRY and AT_EXECFN. */
	if (ld_state.show_auxv)
		startup_show_auxv(1, info.auxv);

	launch_start(opts.cache ? opts.cache : ld_state.launch_dir,
		     explicit_mode ? prog_path : NULL, &opts);
	if (explicit_mode) {
		prog = program_from_file(prog_path);
		rewrite_auxv(&info, prog, prog_path);
		if (search_origin_of(prog_path, &prog->origin) < 0)
			ld_oom();
	} else {
		prog = program_from_auxv(&info);
		prog->origin = program_origin();
	}
	/* Messages name the program by argv[0]; its link map by "". */
	crt_free(prog->path);
	prog->path = xstrdup(ld_state.progname);
	prog->is_main = true;
	ld_state.main_obj = prog;
	/* ldd mode runs nothing of the program: only a run needs a sane
	 * entry point (explicit mode mapped and checked the rest). */
	if ((!explicit_mode && object_check_layout(prog)) ||
	    (!ld_state.trace_loaded && object_check_entry(prog)))
		fail_loading();
	/* myld's own name: the program's PT_INTERP when the kernel loaded
	 * us through it; in explicit mode our real path (a debugger reads
	 * the file by this name), though ldd output shows PT_INTERP. */
	self_name = explicit_mode ? exe_path() : NULL;
	ld_state.self_obj = make_self(self_base, self_name ? self_name :
				      interp_path(prog));
	crt_free(self_name);
	/* A program without PT_DYNAMIC is not ours to load: chain_load
	 * hands it to the kernel (or it fails below). */
	if (explicit_mode && !ld_state.trace_loaded && !prog->dynamic)
		chain_load(prog, prog_path, &info);
	if (object_parse_dynamic(prog) < 0)
		fail_loading();
	if (explicit_mode && !ld_state.trace_loaded)
		chain_load(prog, prog_path, &info);
	deps_list_append(prog);

	ld_state.vdso_obj = make_vdso(info.at_sysinfo_ehdr);
	if (ld_state.vdso_obj)
		deps_list_append(ld_state.vdso_obj);

	load_preloads(opts.preload, &pre, &npre);
	adopt_preloads(pre, npre);
	if (deps_load_all(prog, pre, npre))
		sys_exit_group(127);
	crt_free(pre);
	if (ld_state.trace_loaded)
		ldd_run(interp_path(ld_state.main_obj));
	ld_state.stats.t_mapped = now_ns();
	check_versions();
	glibc = glibc_activate();
	tp = setup_tls(&info);
	if (glibc)
		glibc_prepare(sp, tp);
	debug_init();
	relocate_all();
	tls_init_static_blocks(tp);
	if (glibc)
		glibc_relocated();
	protect_objects();
	launch_finish();
	ld_state.stats.t_relocated = now_ns();
	global = scope_global(&nglobal);
	if (init_plan_startup(global, nglobal) < 0)
		ld_oom();
	for (struct elf_object *obj = ld_state.head; obj; obj = obj->next)
		obj->at_startup = true;
	search_release_cache();
	ld_state.startup_done = true;
	if (glibc)
		glibc_start();
	init_run_all();
	ld_state.stats.t_initialised = now_ns();
	stats_report();
	if (!glibc)
		TRACE(IMPCALLS, "\ntransferring control: %s\n", ld_state.progname);

	out->entry = prog->entry;
	out->sp = sp;
	out->fini = init_fini_all;
}
