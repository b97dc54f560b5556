/* SPDX-License-Identifier: MIT */
/*
 * Library c of the init/fini test: DT_INIT, a constructor, a destructor, DT_FINI.
 */
#include "rt.h"


void
initfini_c_dt_init(void)
{
	rt_print("c: DT_INIT\n");
}

void
initfini_c_dt_fini(void)
{
	rt_print("c: DT_FINI\n");
}

__attribute__((constructor)) static void
ctor(void)
{
	rt_print("c: constructor\n");
}

__attribute__((destructor)) static void
dtor(void)
{
	rt_print("c: destructor\n");
}

void
initfini_c(void)
{
	
}
