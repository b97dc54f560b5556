/* SPDX-License-Identifier: MIT */
/*
 * list_missing.c: a program that needs a library absent at run time
 * (libenv_list_absent.so) besides one that is present (list_ctor_dso).
 * run_env.py lists it: LD_TRACE_LOADED_OBJECTS=1 prints the "=> not found"
 * line and the others as glibc's ldd does, --list fails as glibc's does.
 */
#include "list_ctor.h"

int list_missing_fn(void);

int
main(void)
{
	return list_missing_fn() + list_ctor_dso_value() == 35 ? 0 : 1;
}
