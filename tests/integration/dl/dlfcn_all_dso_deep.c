/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_deep.c: built twice (libdlfcn_all_dso_deep.so and
 * libdlfcn_all_dso_shallow.so). It defines dlfcn_all_dup, which the
 * program also defines and exports, and calls it through its PLT. Opened
 * normally, the program's definition wins (global scope first); opened
 * RTLD_DEEPBIND, its own definition must win.
 */
int
dlfcn_all_dup(void)
{
	return 2;
}

int
dlfcn_all_which_dup(void)
{
	return dlfcn_all_dup();
}
