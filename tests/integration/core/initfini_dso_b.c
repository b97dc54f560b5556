/* SPDX-License-Identifier: MIT */
/*
 * Library b of the init/fini test: DT_INIT, a constructor, a destructor, DT_FINI.
 */
#include "rt.h"


void
initfini_b_dt_init(void)
{
	rt_print("b: DT_INIT\n");
}

void
initfini_b_dt_fini(void)
{
	rt_print("b: DT_FINI\n");
}

__attribute__((constructor)) static void
ctor(void)
{
	rt_print("b: constructor\n");
}

__attribute__((destructor)) static void
dtor(void)
{
	rt_print("b: destructor\n");
}

void
initfini_b(void)
{
	
}
