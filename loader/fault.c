/* SPDX-License-Identifier: MIT */
/*
 * Test-only entry points, linked into myld-fault.so and never into myld.so
 * (tests/checks compares both export lists). A test program finds them
 * with dlsym(RTLD_DEFAULT, ...) and uses them to make the crt allocator
 * fail a chosen allocation inside dlopen, and to compare the allocator's
 * blocks in use before and after a failed call (it must leak nothing).
 * They carry a myld_ prefix instead of the module's: they share the
 * process's symbol namespace with the program's own names.
 */
#include "crt/alloc.h"
#include "loader/export.h"

#ifndef MYLD_FAULT_INJECTION
#error "loader/fault.c is only built with -DMYLD_FAULT_INJECTION"
#endif


/* Declared here: no header, nothing in the loader calls them. */
EXPORT void myld_fault_fail_nth(unsigned long n, int every_after);
EXPORT void myld_fault_stats(struct crt_alloc_stats *out);

/* The nth allocation of myld's own allocator from now fails (and, with
 * every_after, every one after it); 0 disarms. */
void
myld_fault_fail_nth(unsigned long n, int every_after)
{
	crt_alloc_fail_nth(n, every_after);
}

/* Blocks and bytes in use, allocation calls, failures injected. */
void
myld_fault_stats(struct crt_alloc_stats *out)
{
	crt_alloc_stats(out);
}
