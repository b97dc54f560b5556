/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_dso_dep.c: dl_fault_dso's dependency. Defines
 * dl_fault_dep_value at versions FAULT_1 and FAULT_2 (default; see
 * dl_fault_dso_dep.map), an IFUNC, and TLS of its own.
 */
__thread long dl_fault_dep_tls = 5;

__asm__(".symver dl_fault_dep_value_1, dl_fault_dep_value@FAULT_1");
__asm__(".symver dl_fault_dep_value_2, dl_fault_dep_value@@FAULT_2");

int
dl_fault_dep_value_1(void)
{
	return -1;
}

int
dl_fault_dep_value_2(void)
{
	return (int)dl_fault_dep_tls + 2;
}

static int
ifunc_impl(void)
{
	return 100;
}

static int (*resolve_ifunc(void))(void)
{
	return ifunc_impl;
}

int dl_fault_dep_ifunc(void) __attribute__((ifunc("resolve_ifunc")));
