/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_undefdep.c: dependency of libdlfcn_all_dso_undef.so. It
 * loads fine, so a failed RTLD_GLOBAL dlopen of its parent must still
 * remove it from the link map and keep its symbol out of RTLD_DEFAULT.
 */
int
dlfcn_all_undefdep_sym(void)
{
	return 5;
}
