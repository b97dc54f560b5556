/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_nodel.c: a library opened RTLD_NODELETE; dlclose must
 * leave it mapped, its data intact and RTLD_NOLOAD able to find it.
 */
int dlfcn_all_nodel_sym = 11;
