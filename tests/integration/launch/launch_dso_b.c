/* SPDX-License-Identifier: MIT */
/*
 * launch_dso_b.c: liblaunch_dso_b.so of the launch test, which
 * run_launch.py puts only in LD_LIBRARY_PATH directories, in two variants
 * with the same soname (LAUNCH_B_VARIANT 1 or 2). It calls
 * liblaunch_dso_a.so (a binding from one library to another) and has an
 * initial-exec TLS variable the program reads.
 */
#ifndef LAUNCH_B_VARIANT
#define LAUNCH_B_VARIANT 1
#endif

#if LAUNCH_B_VARIANT == 2
#define NAME "b2"
#else
#define NAME "b1"
#endif

int launch_a_value(void);

const char launch_b_name[] = NAME;
__thread int launch_b_tls = 30 + LAUNCH_B_VARIANT;

int
launch_b_value(void)
{
	return launch_a_value() + 1000 * LAUNCH_B_VARIANT;
}
