/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_absent.c: link-time stub with soname libdlfcn_all_absent.so
 * (see dlfcn_all_dso_needabsent.c); no file of that name exists at run time.
 */
int
dlfcn_all_absent_sym(void)
{
	return 1;
}
