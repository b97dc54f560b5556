/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_scope.c: a library opened RTLD_LOCAL, then promoted with
 * RTLD_NOLOAD | RTLD_GLOBAL, and later opened RTLD_GLOBAL directly;
 * libdlfcn_all_dso_user.so loads only while this is in the global scope.
 */
int dlfcn_all_scope_sym = 7;
