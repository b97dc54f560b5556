/* SPDX-License-Identifier: MIT */
/*
 * dl_scope.c: which scope a library loaded by dlopen binds in, and what
 * those bindings keep loaded.
 *
 * Usage: dl_scope DIR, where DIR holds libdl_scope_dso_*.so.
 *
 * - A library opened RTLD_GLOBAL after another was relocated satisfies
 *   the other's lazy reference (the lazy lookup sees the global scope of
 *   now, not the one of its dlopen), and that binding is a relocation
 *   dependency: dlclose of the late library leaves it loaded while the
 *   caller is, and both go with the caller's dlclose (RTLD_NOLOAD and
 *   /proc/self/maps tell). dlsym(RTLD_DEFAULT) from a library binds the
 *   same way; dlsym with a handle does not.
 * - A library needed by two dlopen'ed ones (a, then b) finds a symbol of
 *   b through b's search list, which joined its scope when b was opened;
 *   and after dlclose of a, which loaded it, it still binds lazily (its
 *   scope no longer leads into the unmapped a).
 * - A definition the program itself takes with dlsym(RTLD_DEFAULT) from a
 *   dlopen'ed library keeps that library for good (glibc marks it
 *   NODELETE). Last, since nothing undoes it.
 * The same under the system loader, which is how this test is checked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "t.h"

static const char *dir;

/* DIR/libdl_scope_dso_NAME.so */
static char *
lib(const char *name)
{
	char file[128];

	snprintf(file, sizeof(file), "libdl_scope_dso_%s.so", name);
	return t_path(dir, file);
}

static void *
open_lib(const char *name, int mode)
{
	void *h = dlopen(lib(name), mode);

	T_REQUIRE(h != NULL, "dlopen %s: %s", name, T_STR(dlerror()));
	return h;
}

static void *
sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	T_REQUIRE(p != NULL, "dlsym %s: %s", name, T_STR(dlerror()));
	return p;
}

/* Whether the library is loaded: RTLD_NOLOAD finds it. The mapping is
 * checked to agree. */
static bool
loaded(const char *name)
{
	char file[128];
	void *h = dlopen(lib(name), RTLD_LAZY | RTLD_NOLOAD);

	snprintf(file, sizeof(file), "libdl_scope_dso_%s.so", name);
	dlerror();
	if (h)
		dlclose(h);
	T_CHECK((h != NULL) == t_mapped(file),
		"%s: RTLD_NOLOAD says %s loaded, /proc/self/maps disagrees",
		name, h ? "" : "not");
	return h != NULL;
}

static void
handle_lookup_keeps_nothing(void)
{
	void *late = open_lib("late", RTLD_LAZY | RTLD_GLOBAL);
	int (*f)(void) = (int (*)(void))sym(late, "dl_scope_late");

	T_CHECK(f() == 42, "dl_scope_late() = %d", f());
	T_CHECK(dlclose(late) == 0, "dlclose late: %s", T_STR(dlerror()));
	T_CHECK(!loaded("late"), "dlsym with a handle kept the library loaded");
}

static void
late_global_satisfies_lazy_reference(void)
{
	void *user = open_lib("user", RTLD_LAZY), *late;
	int (*call)(void) = (int (*)(void))sym(user, "dl_scope_call_late");

	late = open_lib("late", RTLD_LAZY | RTLD_GLOBAL);
	T_CHECK(call() == 42, "lazy call through the library opened RTLD_GLOBAL "
		"later gave %d", call());
	T_CHECK(dlclose(late) == 0, "dlclose late: %s", T_STR(dlerror()));
	T_CHECK(loaded("late"), "dlclose unloaded a library that an open one "
		"binds to (relocation dependency)");
	T_CHECK(call() == 42, "second call after dlclose of the late library");
	T_CHECK(dlclose(user) == 0, "dlclose user: %s", T_STR(dlerror()));
	T_CHECK(!loaded("user"), "user still loaded after its dlclose");
	T_CHECK(!loaded("late"), "late still loaded after the library that "
		"bound to it went");
}

static void
default_lookup_from_library_is_a_dependency(void)
{
	void *user = open_lib("user", RTLD_LAZY), *late;
	void *(*find)(void) = (void *(*)(void))sym(user, "dl_scope_find_late");
	int (*f)(void);

	late = open_lib("late", RTLD_LAZY | RTLD_GLOBAL);
	f = (int (*)(void))find();
	T_REQUIRE(f != NULL, "dlsym(RTLD_DEFAULT) from user: %s", T_STR(dlerror()));
	T_CHECK(f() == 42, "dl_scope_late() = %d", f());
	T_CHECK(dlclose(late) == 0, "dlclose late: %s", T_STR(dlerror()));
	T_CHECK(loaded("late"), "dlsym(RTLD_DEFAULT) from an open library did "
		"not keep the definition's library");
	T_CHECK(f() == 42, "dl_scope_late() after dlclose of late");
	T_CHECK(dlclose(user) == 0, "dlclose user: %s", T_STR(dlerror()));
	T_CHECK(!loaded("user") && !loaded("late"),
		"user or late still loaded after both were closed");
}

static void
shared_dependency_sees_later_library(void)
{
	void *a = open_lib("a", RTLD_LAZY), *b = open_lib("b", RTLD_LAZY);
	int (*fa)(void) = (int (*)(void))sym(a, "dl_scope_a");

	T_CHECK(fa() == 11, "dl_scope_a() = %d: the hook not found through b",
		fa());
	T_CHECK(dlclose(b) == 0, "dlclose b: %s", T_STR(dlerror()));
	T_CHECK(loaded("b"), "dlclose unloaded b while shared binds to it");
	T_CHECK(fa() == 11, "dl_scope_a() after dlclose of b");
	T_CHECK(dlclose(a) == 0, "dlclose a: %s", T_STR(dlerror()));
	T_CHECK(!loaded("a") && !loaded("b") && !loaded("shared"),
		"a, b or shared still loaded after both were closed");
}

static void
scope_purged_of_unloaded_library(void)
{
	void *a = open_lib("a", RTLD_LAZY), *b = open_lib("b", RTLD_LAZY);
	int (*fb)(void) = (int (*)(void))sym(b, "dl_scope_b");

	T_CHECK(dlclose(a) == 0, "dlclose a: %s", T_STR(dlerror()));
	T_CHECK(!loaded("a"), "a still loaded: nothing needs it");
	T_CHECK(loaded("shared"), "shared unloaded while b needs it");
	T_CHECK(fb() == 11, "dl_scope_b() = %d after dlclose of a", fb());
	T_CHECK(dlclose(b) == 0, "dlclose b: %s", T_STR(dlerror()));
	T_CHECK(!loaded("b") && !loaded("shared"),
		"b or shared still loaded after b was closed");
}

static void
program_reference_pins(void)
{
	void *pin = open_lib("pin", RTLD_LAZY | RTLD_GLOBAL);
	int (*f)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "dl_scope_pin");

	T_REQUIRE(f != NULL, "dlsym(RTLD_DEFAULT): %s", T_STR(dlerror()));
	T_CHECK(f() == 7, "dl_scope_pin() = %d", f());
	T_CHECK(dlclose(pin) == 0, "dlclose pin: %s", T_STR(dlerror()));
	T_CHECK(loaded("pin"), "a library the program took a definition from "
		"with dlsym(RTLD_DEFAULT) was unloaded");
	T_CHECK(f() == 7, "dl_scope_pin() after dlclose");
}

int
main(int argc, char **argv)
{
	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_scope DIR");
	dir = argv[1];
	handle_lookup_keeps_nothing();
	late_global_satisfies_lazy_reference();
	default_lookup_from_library_is_a_dependency();
	shared_dependency_sees_later_library();
	scope_purged_of_unloaded_library();
	/* Twice: the second round starts from a clean slate too. */
	late_global_satisfies_lazy_reference();
	shared_dependency_sees_later_library();
	program_reference_pins();
	return t_status();
}
