/* SPDX-License-Identifier: MIT */
/*
 * Filters at start-up: libfilt_std.so (DT_FILTER) and libfilt_aux.so
 * (DT_AUXILIARY) name libfilt_filtee.so, which defines filt_std and
 * filt_aux too: the filtee's definitions win, for the program and for
 * the filters' own calls; filt_*_own, which only the filters define, are
 * the filters'. libfilt_auxmiss.so is an auxiliary filter of a file that
 * does not exist: ignored, its own definition is used.
 */
#include "rt.h"

const char *filt_std(void);
const char *filt_std_own(void);
const char *filt_std_via(void);
const char *filt_aux(void);
const char *filt_aux_own(void);
const char *filt_aux_via(void);
const char *filt_auxmiss(void);
const char *filt_auxmiss_via(void);

static void
show(const char *what, const char *got)
{
	rt_print(what);
	rt_print(": ");
	rt_print(got);
	rt_print("\n");
}

int
main(int argc, char **argv, char **envp)
{
	(void)argc; (void)argv; (void)envp;
	show("std", filt_std());
	show("std own", filt_std_own());
	show("std via", filt_std_via());
	show("aux", filt_aux());
	show("aux own", filt_aux_own());
	show("aux via", filt_aux_via());
	show("auxmiss", filt_auxmiss());
	show("auxmiss via", filt_auxmiss_via());
	rt_check(rt_streq(filt_std(), "filtee"), "DT_FILTER: the filtee's definition");
	rt_check(rt_streq(filt_std_via(), "filtee"), "DT_FILTER: the filter's own call");
	rt_check(rt_streq(filt_aux(), "filtee"), "DT_AUXILIARY: the filtee's definition");
	rt_check(rt_streq(filt_auxmiss(), "filter"), "DT_AUXILIARY, no filtee: the filter's");
	return 0;
}
