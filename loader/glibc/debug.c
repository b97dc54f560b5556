/* SPDX-License-Identifier: MIT */
/*
 * The debugger interface (<link.h>, "r_debug"): _r_debug describes the link
 * map list; the program's DT_DEBUG entry points at it; _dl_debug_state is
 * the function a debugger puts a breakpoint on, called around every change
 * of the list with r_state saying which.
 */
#include "loader/glibc/internal.h"

#include <elf.h>
#include <link.h>

#include "loader/glibc/glibc.h"
#include "loader/state.h"

#define EXPORT __attribute__((visibility("default")))

extern struct r_debug _r_debug;

/* noinline and with a side effect the compiler cannot drop, so the
 * breakpoint address is a real, unique instruction. */
EXPORT __attribute__((noinline)) void
_dl_debug_state(void)
{
	__asm__ volatile("" ::: "memory");
}

void
glibc_debug_init(void)
{
	Elf64_Dyn *d;

	_r_debug.r_version = 1;
	_r_debug.r_map = glibc_link_map(ld_state.head);
	_r_debug.r_brk = (uintptr_t)_dl_debug_state;
	_r_debug.r_state = RT_CONSISTENT;
	_r_debug.r_ldbase = ld_state.self_obj->base;
	for (d = ld_state.main_obj->dynamic; d && d->d_tag != DT_NULL; d++)
		if (d->d_tag == DT_DEBUG)
			d->d_un.d_ptr = (uintptr_t)&_r_debug;
	/* A debugger that started the program has a breakpoint here: the
	 * initial list is complete, read it now. */
	_dl_debug_state();
}

void
glibc_debug_state(int r_state)
{
	struct elf_object *obj;

	if (r_state == RT_CONSISTENT)
		for (obj = ld_state.head; obj; obj = obj->next)
			glibc_link_map_update(obj);
	_r_debug.r_state = r_state;
	_r_debug.r_map = glibc_link_map(ld_state.head);
	_dl_debug_state();
}
