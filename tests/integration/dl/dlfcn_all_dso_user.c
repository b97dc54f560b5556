/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_user.c: uses dlfcn_all_scope_sym, which only
 * libdlfcn_all_dso_scope.so defines, through a GOT slot (resolved at load
 * time even under RTLD_LAZY). So it loads only while that library is in
 * the global scope: a probe of RTLD_LOCAL versus RTLD_GLOBAL that, unlike
 * dlsym(RTLD_DEFAULT) from the program, does not make glibc mark the
 * library undeletable.
 */
extern int dlfcn_all_scope_sym;

int
dlfcn_all_user_get(void)
{
	return dlfcn_all_scope_sym;
}
