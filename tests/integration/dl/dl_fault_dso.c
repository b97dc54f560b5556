/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_dso.c: the library dl_fault opens while allocations fail. It
 * needs two libraries (found through DT_RUNPATH=$ORIGIN), has
 * general-dynamic TLS, a constructor, and binds to a versioned symbol of
 * its dependency, so a dlopen of it walks deps, search, versions, TLS,
 * relocation (IFUNC included) and initialisers.
 */
int dl_fault_dep_value(void);   /* @FAULT_2, in dl_fault_dso_dep */
int dl_fault_dep_ifunc(void);   /* an IFUNC, in dl_fault_dso_dep */
int *dl_fault_ie_addr(void);    /* initial-exec TLS, in dl_fault_dso_ie */

__thread int dl_fault_tls = 42;
__thread char dl_fault_tls_zero[64];
static int constructed;

__attribute__((constructor)) static void
init(void)
{
	constructed++;
}

int
dl_fault_constructed(void)
{
	return constructed;
}

int *
dl_fault_tls_addr(void)
{
	return &dl_fault_tls;
}

char *
dl_fault_tls_zero_addr(void)
{
	return dl_fault_tls_zero;
}

/* 7 + 100 + 1000 when everything is bound and initialised. */
int
dl_fault_sum(void)
{
	return dl_fault_dep_value() + dl_fault_dep_ifunc() + *dl_fault_ie_addr();
}
