/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_dep.c: a dependency (DT_NEEDED) of libdlfcn_all_dso.so.
 * Its constructor must run before the one of the library that needs it,
 * and dlsym on the parent's handle must find its symbols too.
 */
int dlfcn_all_dep_ready;

__attribute__((constructor)) static void
dep_init(void)
{
	dlfcn_all_dep_ready = 1;
}

int
dlfcn_all_dep_twice(int x)
{
	return 2 * x;
}
