/* SPDX-License-Identifier: MIT */
/*
 * ldd mode (--list, --verify's listing, LD_TRACE_LOADED_OBJECTS and its
 * companions LD_VERBOSE, LD_WARN, LD_DEBUG=unused): what glibc's ld.so
 * prints for `ldd PROG`, after loading and before anything runs. The
 * driver (main.c) calls ldd_run once every object is loaded.
 */
#include "loader/ldd.h"

#include <stdbool.h>

#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/error.h"
#include "loader/reloc.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/tls.h"
#include "loader/trace.h"
#include "loader/version.h"

/* The program's PT_INTERP: how ldd names the loader. */
static const char *interp;

/* How ldd names an object: the loader by the program's PT_INTERP. */
static const char *
listed_path(const struct elf_object *obj)
{
	return obj->is_self ? interp : obj->path;
}

/* ldd mode: every object but the program, in load order, in glibc's
 * format; nothing of the program or its libraries has run. */
static void
list_objects(void)
{
	struct elf_object *obj;

	/* glibc's ldd line for an object that needs nothing. */
	if (ld_state.main_obj->nneeded == 0) {
		crt_dprintf(1, "\tstatically linked\n");
		return;
	}
	for (obj = ld_state.head; obj; obj = obj->next) {
		if (obj->is_main)
			continue;
		if (obj->missing)
			crt_dprintf(1, "\t%s => not found\n", obj->libname);
		else if (obj->is_vdso || obj->is_self || !obj->libname ||
			 crt_strcmp(obj->libname, obj->path) == 0)
			crt_dprintf(1, "\t%s (0x%016lx)\n", listed_path(obj),
				    (unsigned long)obj->map_start);
		else
			crt_dprintf(1, "\t%s => %s (0x%016lx)\n", obj->libname,
				    obj->path, (unsigned long)obj->map_start);
	}
}

static void
print_need(const char *file, const char *version, struct elf_object *dep,
	   void *arg)
{
	(void)arg;
	crt_dprintf(1, "\t\t%s (%s) => %s\n", file, version,
		    dep ? listed_path(dep) : "not found");
}

/* ldd -v (LD_VERBOSE): every version each object needs, and who has it. */
static void
list_versions(void)
{
	struct elf_object *obj;

	crt_dprintf(1, "\n\tVersion information:\n");
	for (obj = ld_state.head; obj; obj = obj->next) {
		if (obj->missing || !obj->verneed)
			continue;
		crt_dprintf(1, "\t%s:\n", object_name(obj));
		version_foreach_need(obj, print_need, NULL);
	}
}

/* ldd -d/-r (LD_WARN) and -u (LD_DEBUG=unused): relocate without running
 * anything -- no IFUNC resolver, no initialiser -- reporting undefined
 * symbols as ldd does. For -u only the program is relocated, eagerly, to
 * see which of its direct dependencies it binds to. */
static void
trace_relocate(bool unused)
{
	size_t nglobal;
	struct elf_object *const *global = scope_global(&nglobal);
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (!obj->missing)
			tls_assign(obj, true);
	ld_error_clear();
	ld_state.reloc_warn = true;
	ld_state.reloc_warn_print = !unused;
	if (unused) {
		ld_state.main_obj->bind_now = true;
		reloc_object(ld_state.main_obj, global, nglobal);
	} else {
		for (obj = ld_state.tail; obj; obj = obj->prev)
			if (!obj->missing)
				reloc_object(obj, global, nglobal);
	}
	reloc_drop_pending();
}

/* ldd mode from start to end: the list (or, for -u, the unused direct
 * dependencies), version problems, LD_WARN's undefined symbols. */
void
ldd_run(const char *interp_path)
{
	bool unused = TRACE_ON(UNUSED);
	struct elf_object *obj, *main_obj = ld_state.main_obj;
	int status = 0;
	size_t i;

	interp = interp_path;
	if (!unused)
		list_objects();
	for (obj = ld_state.head; obj; obj = obj->next)
		if (!obj->missing && version_setup(obj) == 0)
			version_check(obj);
	if (!unused && ld_state.trace_verbose)
		list_versions();
	if (unused || ld_state.trace_warn)
		trace_relocate(unused);
	for (i = 0; unused && i < main_obj->nneeded; i++) {
		obj = main_obj->deps[i];
		if (!obj || obj->used || obj->is_self)
			continue;
		if (status == 0)
			crt_dprintf(1, "Unused direct dependencies:\n");
		crt_dprintf(1, "\t%s\n", obj->path);
		status = 1;
	}
	sys_exit_group(status);
}
