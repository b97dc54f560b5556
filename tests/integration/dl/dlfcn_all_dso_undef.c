/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_undef.c: calls dlfcn_all_nowhere, which nothing defines,
 * through a PLT slot only. RTLD_NOW must fail ("undefined symbol") and
 * unload its dependency libdlfcn_all_dso_undefdep.so again, even with
 * RTLD_GLOBAL; RTLD_LAZY must succeed, as the slot is never called.
 */
int dlfcn_all_nowhere(void);
int dlfcn_all_undefdep_sym(void);

int
dlfcn_all_undef_call(void)
{
	return dlfcn_all_nowhere() + dlfcn_all_undefdep_sym();
}
