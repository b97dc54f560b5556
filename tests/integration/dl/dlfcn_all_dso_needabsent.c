/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_needabsent.c: has DT_NEEDED libdlfcn_all_absent.so (the
 * soname of a link-time stub that is never installed where the loader
 * looks), so dlopen must fail with "cannot open shared object file".
 */
int dlfcn_all_absent_sym(void);

int
dlfcn_all_needabsent(void)
{
	return dlfcn_all_absent_sym();
}
