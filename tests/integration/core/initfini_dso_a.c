/* SPDX-License-Identifier: MIT */
/*
 * Library a of the init/fini test: DT_INIT, a constructor, a destructor, DT_FINI.
 */
#include "rt.h"

void initfini_b(void);
void
initfini_a_dt_init(void)
{
	rt_print("a: DT_INIT\n");
}

void
initfini_a_dt_fini(void)
{
	rt_print("a: DT_FINI\n");
}

__attribute__((constructor)) static void
ctor(void)
{
	rt_print("a: constructor\n");
}

__attribute__((destructor)) static void
dtor(void)
{
	rt_print("a: destructor\n");
}

void
initfini_a(void)
{
	initfini_b();
}
