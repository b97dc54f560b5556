/* SPDX-License-Identifier: MIT */
/*
 * debug_bind.c: the program run_env.py traces with LD_DEBUG. It writes a
 * marker to stderr (one write(2), unbuffered, so it lands in order with the
 * loader's trace lines), calls debug_bind_foo() twice through a lazy PLT
 * slot, writes a second marker, then prints its pid on stdout (to find
 * LD_DEBUG_OUTPUT's FILE.PID). run_env.py checks that the binding lines for
 * debug_bind_foo and the library's getpid appear between the markers (lazy:
 * at the call, once; twice under LD_BIND_NOT; before the first marker
 * under LD_BIND_NOW), which would catch a loader that traces bindings at
 * start-up only or not at all, or in another shape than glibc's.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "t.h"

int debug_bind_foo(int x);

static void
marker(const char *text)
{
	/* Ignoring a short write: the runner reports a missing marker. */
	if (write(2, text, strlen(text)) < 0)
		return;
}

int
main(void)
{
	int r;

	t_check_loader();
	marker("debug_bind: before the first call\n");
	r = debug_bind_foo(1);
	r += debug_bind_foo(2);
	marker("debug_bind: after the calls\n");
	T_CHECK(r == 5, "debug_bind_foo returned %d in all, want 5", r);
	printf("debug_bind: pid %d\n", (int)getpid());
	return t_status();
}
