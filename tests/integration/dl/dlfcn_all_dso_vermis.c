/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_vermis.c: linked against the V3 stub of
 * libdlfcn_all_dso_ver.so, so it needs version V3, which the real library
 * lacks: dlopen must fail with glibc's "version `V3' not found (required
 * by ...)" and leave neither object loaded.
 */
int dlfcn_all_ver_new(void);

int
dlfcn_all_vermis(void)
{
	return dlfcn_all_ver_new();
}
