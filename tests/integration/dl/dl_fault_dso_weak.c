/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_dso_weak.c: a library whose only reference, weak and defined
 * nowhere, makes its relocation walk the whole global scope (dl_fault.c
 * opens it right after a dlclose that ran out of memory: a scope that
 * still named unloaded objects would be read here).
 */
extern int dl_fault_nowhere(void) __attribute__((weak));

int
dl_fault_weak_probe(void)
{
	return dl_fault_nowhere ? dl_fault_nowhere() : 7;
}
