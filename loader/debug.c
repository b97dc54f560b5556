/* SPDX-License-Identifier: MIT */
/*
 * The debugger interface (see debug.h). myld's own list nodes live in the
 * objects (obj->debug_map) and are rebuilt from the load list whenever it
 * is consistent again; a debugger only reads them while r_state is
 * RT_CONSISTENT.
 */
#include "loader/debug.h"
#include "loader/export.h"

#include <elf.h>
#include <link.h>

#include "loader/dlopen.h"
#include "loader/state.h"


EXPORT struct r_debug _r_debug;

/* noinline and with a side effect the compiler cannot drop, so the
 * breakpoint address is a real, unique instruction. */
EXPORT __attribute__((noinline)) void
_dl_debug_state(void)
{
	__asm__ volatile("" ::: "memory");
}

/* myld's list: one node per object, in load order, named as glibc names
 * them (the program "", the vDSO by its soname). */
static struct link_map *
own_maps(void)
{
	struct elf_object *obj;
	struct link_map *prev = NULL;

	for (obj = ld_state.head; obj; obj = obj->next) {
		struct link_map *m = &obj->debug_map;

		m->l_addr = obj->base;
		m->l_name = (char *)(obj->is_main ? "" :
				     obj->is_vdso && obj->soname ? obj->soname :
				     obj->path ? obj->path : "");
		m->l_ld = obj->dynamic;
		m->l_prev = prev;
		m->l_next = NULL;
		if (prev)
			prev->l_next = m;
		prev = m;
	}
	return ld_state.head ? &ld_state.head->debug_map : NULL;
}

static struct link_map *
current_maps(void)
{
	if (ld_state.observer && ld_state.observer->debug_maps)
		return ld_state.observer->debug_maps();
	return own_maps();
}

void
debug_init(void)
{
	Elf64_Dyn *d;

	_r_debug.r_version = 1;
	_r_debug.r_map = current_maps();
	_r_debug.r_brk = (uintptr_t)_dl_debug_state;
	_r_debug.r_state = RT_CONSISTENT;
	_r_debug.r_ldbase = ld_state.self_obj ? ld_state.self_obj->base : 0;
	for (d = ld_state.main_obj->dynamic; d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			d->d_un.d_ptr = (uintptr_t)&_r_debug;
	/* A debugger that started the program has a breakpoint here: the
	 * initial list is complete, read it now. */
	_dl_debug_state();
}

void
debug_state(int r_state)
{
	if (r_state == RT_CONSISTENT)
		_r_debug.r_map = current_maps();
	_r_debug.r_state = r_state;
	_dl_debug_state();
}
