/* SPDX-License-Identifier: MIT */
/*
 * static_args.c: a static program (linked -static -no-pie) that prints its
 * arguments and T_STATIC. Run as `ld.so [--argv0 NAME] static_args ...`,
 * glibc's loader hands it to the kernel with the arguments (argv[0] from
 * --argv0) and environment it was given: run_env.py's command scenario
 * compares myld with that. Would catch a loader that tries to load a
 * program with no dynamic section (an error, or a crash) instead.
 */
#include <stdio.h>
#include <stdlib.h>

int
main(int argc, char **argv)
{
	const char *v = getenv("T_STATIC");

	for (int i = 0; i < argc; i++)
		printf("static_args: argv[%d] %s\n", i, argv[i]);
	printf("static_args: T_STATIC %s\n", v ? v : "(unset)");
	return 3;
}
