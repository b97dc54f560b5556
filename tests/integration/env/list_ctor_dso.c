/* SPDX-License-Identifier: MIT */
/*
 * list_ctor_dso.c: a library whose code leaves a file behind whenever it
 * runs: its constructor creates list_ctor.dso_ctor and the resolver of its
 * IFUNC list_ctor_ifunc creates list_ctor.dso_ifunc, in the current
 * directory. In list mode (--list, LD_TRACE_LOADED_OBJECTS) the loader must
 * run neither, so neither file may appear; a normal run creates both (the
 * program references the IFUNC from data, so its resolver runs at start-up
 * relocation).
 */
#include "list_ctor.h"

__attribute__((constructor)) static void
list_ctor_dso_init(void)
{
	list_ctor_touch("list_ctor.dso_ctor");
}

static int
list_ctor_impl(void)
{
	return 7;
}

static int (*list_ctor_resolve(void))(void)
{
	list_ctor_touch("list_ctor.dso_ifunc");
	return list_ctor_impl;
}

int list_ctor_ifunc(void) __attribute__((ifunc("list_ctor_resolve")));

int
list_ctor_dso_value(void)
{
	return 35;
}
