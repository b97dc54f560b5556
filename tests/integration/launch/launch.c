/* SPDX-License-Identifier: MIT */
/*
 * launch.c: the program run_launch.py starts cold and warm with the launch
 * cache (issue 10). It links two libraries: liblaunch_dso_a.so, found
 * beside it (DT_RUNPATH $ORIGIN/), and liblaunch_dso_b.so, found only
 * through LD_LIBRARY_PATH; both come in variants with the same soname
 * that print other values. Every line depends on a start-up or lazy
 * binding of another kind: functions through the PLT, a copy-relocated
 * object, a pointer to a function initialised in a library, a library
 * calling the other, an initial-exec TLS variable, a weak undefined
 * function, and a function of the program that interposes the library's.
 * A warm start that applied a stale or wrong binding prints other values
 * (or crashes); run_launch.py compares the lines with glibc's.
 */
#include <stdio.h>

#include "../t.h"

int launch_a_value(void);
const char *launch_a_who(void);
int launch_a_calls_interposed(void);
extern int launch_a_data;
extern int (*launch_a_fnptr)(int);
int launch_b_value(void);
extern const char launch_b_name[];
extern __thread int launch_b_tls;
int launch_nowhere(void) __attribute__((weak));

/* Interposes liblaunch_dso_a.so's definition (exported by the link). */
int
launch_interposed(void)
{
	return 7;
}

int
main(int argc, char **argv)
{
	t_check_loader();
	printf("launch: a says %s, value %d, data %d, fnptr(5) %d\n",
	       launch_a_who(), launch_a_value(), launch_a_data,
	       launch_a_fnptr(5));
	printf("launch: b says %s, value %d, tls %d\n", launch_b_name,
	       launch_b_value(), launch_b_tls);
	printf("launch: interposed %d, weak undefined %s\n",
	       launch_a_calls_interposed(), launch_nowhere ? "defined" : "null");
	for (int i = 1; i < argc; i++)
		printf("launch: argv[%d] %s\n", i, argv[i]);
	return t_status();
}
