/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_scope.c: a library opened RTLD_LOCAL, then promoted with
 * RTLD_NOLOAD | RTLD_GLOBAL; its symbol must be invisible to RTLD_DEFAULT
 * before the promotion and visible after it.
 */
int dlfcn_all_scope_sym = 7;
