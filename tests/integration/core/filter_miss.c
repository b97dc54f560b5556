/* SPDX-License-Identifier: MIT */
/* Needs libfilt_stdmiss.so, whose DT_FILTER filtee does not exist: the
 * program must not start. */
#include "rt.h"

const char *filt_stdmiss(void);

int
main(int argc, char **argv, char **envp)
{
	(void)argc; (void)argv; (void)envp;
	rt_print(filt_stdmiss());
	rt_print("\n");
	return 1;
}
