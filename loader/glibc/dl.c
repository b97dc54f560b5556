/* SPDX-License-Identifier: MIT */
/*
 * dlopen and dlclose as libc.so.6 reaches them: through GLRO(_dl_open) and
 * GLRO(_dl_close), under libc's _dl_catch_error. We take glibc's recursive
 * load lock (so a constructor may call dlopen), call the libc-agnostic core
 * (loader/dlopen.c), and turn a failure into libc's error raising. The
 * observer keeps the glibc mirror (link maps, namespace counters, TLS
 * slotinfo, r_debug) in step with the core's load list.
 */
#include "loader/glibc/internal.h"


#include "crt/string.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/glibc/glibc.h"
#include "loader/search.h"
#include "loader/state.h"

/* glibc's private mode bits: __RTLD_DLOPEN and friends live above the
 * public ones; RTLD_BINDING_MASK selects LAZY/NOW. */
#define MODE_PUBLIC_MASK 0x0000ffff
#define MODE_BINDING_MASK 0x3
#define LM_ID_BASE 0
#define LM_ID_CALLER (-2)

static void
lock(void)
{
	glibc_mutex(ld_state.glibc.abi->gl_load_lock, true);
}

static void
unlock(void)
{
	glibc_mutex(ld_state.glibc.abi->gl_load_lock, false);
}

/* Unlocks, then raises the recorded error (does not return). */
__attribute__((noreturn)) static void
fail(const char *occasion)
{
	char msg[1024];

	crt_strlcpy(msg, ld_error_message(), sizeof(msg));
	unlock();
	glibc_raise("", occasion, msg);
}

void *
glibc_dl_open(const char *file, int mode, const void *caller, long nsid,
	      int argc, char **argv, char **env)
{
	struct elf_object *obj;

	(void)argc; (void)argv; (void)env;
	if ((mode & MODE_BINDING_MASK) == 0)
		glibc_raise("", NULL, "invalid mode for dlopen()");
	if (nsid != LM_ID_BASE && nsid != LM_ID_CALLER)
		glibc_raise("", NULL, "dlmopen into a new namespace is not "
			    "supported by myld");
	lock();
	ld_error_clear();
	obj = dlopen_object(file, mode & MODE_PUBLIC_MASK, caller);
	/* As glibc's _dl_open: the next dlopen reads /etc/ld.so.cache anew
	 * (ldconfig may have rewritten it). */
	search_release_cache();
	if (!obj && ld_state.error_set)
		fail(NULL);
	unlock();
	return obj ? obj->adapter : NULL;
}

void
glibc_dl_close(void *map)
{
	struct elf_object *obj = glibc_object_of(map);

	lock();
	/* dlopen_close records "shared object not open" for NULL too. */
	if (dlopen_close(obj) < 0)
		fail(NULL);
	unlock();
}

/* Every thread libc knows: the entries of _dl_stack_user (the main thread
 * and threads on user stacks) and _dl_stack_used, each the `list' member
 * of a struct pthread, whose address is the thread pointer. */
static void
each_thread(void (*fn)(void *tp, void *arg), void *arg)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	size_t heads[2] = { abi->gl_stack_user, abi->gl_stack_used };
	int i;

	for (i = 0; i < 2; i++) {
		unsigned char *head = _rtld_global + heads[i];
		unsigned char *e;

		for (e = GLIBC_FIELD(head, 0, unsigned char *); e && e != head;
		     e = GLIBC_FIELD(e, 0, unsigned char *))
			fn(e - abi->pd_list, arg);
	}
}

static const struct dlopen_observer observer = {
	.each_thread = each_thread,
	.stacks_executable = glibc_stacks_executable,
	.added = glibc_map_added,
	.removed = glibc_map_removed,
	.scope_changed = glibc_global_scope_changed,
	.scope_reserve = glibc_scope_reserve,
	.scope_sync = glibc_scope_sync,
	.lock = lock,
	.unlock = unlock,
	.debug_maps = glibc_debug_maps,
};

void
glibc_observe(void)
{
	ld_state.observer = &observer;
}
