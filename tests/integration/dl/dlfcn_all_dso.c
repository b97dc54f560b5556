/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso.c: the main library dlfcn_all opens. It needs
 * libdlfcn_all_dso_dep.so (so the loader must load, relocate and
 * initialise a dependency first), calls it through a lazily bound PLT
 * slot, and offers an IFUNC symbol and a general-dynamic TLS variable so
 * dlsym can be checked to return the resolved function and the calling
 * thread's TLS address.
 */
#include <stddef.h>

extern int dlfcn_all_dep_ready;
int dlfcn_all_dep_twice(int x);

int dlfcn_all_ctor_saw_dep = -1;
__thread int dlfcn_all_tls = 42;

__attribute__((constructor)) static void
dso_init(void)
{
	/* Dependencies are initialised before the objects that need them. */
	dlfcn_all_ctor_saw_dep = dlfcn_all_dep_ready;
}

int
dlfcn_all_value(int x)
{
	return dlfcn_all_dep_twice(x) + 1;
}

int *
dlfcn_all_tls_addr(void)
{
	return &dlfcn_all_tls;
}

/* IFUNC: the resolver picks impl_b; dlsym must return impl_b itself. */
static int
impl_a(void)
{
	return 'a';
}

static int
impl_b(void)
{
	return 'b';
}

typedef int (*impl_fn)(void);

static impl_fn chosen;

static impl_fn
ifunc_resolver(void)
{
	chosen = impl_b;
	return chosen;
}

int dlfcn_all_ifunc(void) __attribute__((ifunc("ifunc_resolver")));

void *
dlfcn_all_ifunc_target(void)
{
	/* Keep impl_a referenced so the choice is a real one. */
	return (void *)(chosen ? chosen : impl_a);
}
