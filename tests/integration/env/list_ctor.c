/* SPDX-License-Identifier: MIT */
/*
 * list_ctor.c: the program of the list test. Its constructor creates
 * list_ctor.prog_ctor in the current directory, and it refers to its
 * library's IFUNC from initialised data (resolved at start-up relocation).
 * Under --list or LD_TRACE_LOADED_OBJECTS=1 no code of the program or its
 * libraries may run, so run_env.py checks that none of the list_ctor.*
 * files appears; a normal run creates all three. Would catch a loader that
 * relocates (running IFUNC resolvers) or initialises in list mode.
 */
#include <stdio.h>

#include "list_ctor.h"
#include "t.h"

int (*list_ctor_fp)(void) = list_ctor_ifunc;

__attribute__((constructor)) static void
list_ctor_prog_init(void)
{
	list_ctor_touch("list_ctor.prog_ctor");
}

int
main(void)
{
	t_check_loader();
	T_CHECK(list_ctor_fp() + list_ctor_dso_value() == 42,
		"list_ctor_ifunc or list_ctor_dso_value returned a wrong value");
	printf("list_ctor: ran\n");
	return t_status();
}
