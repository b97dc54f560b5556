/* SPDX-License-Identifier: MIT */
/*
 * A library linked for 2 MiB pages: its base must be 2 MiB aligned (and it must work).
 */
#include "rt.h"

unsigned long align_base(void);
int align_value(void);

int
main(int argc, char **argv, char **envp)
{
	rt_check(align_value() == 42, "aligned library works");
	rt_check((align_base() & 0x1fffff) == 0, "library base is 2 MiB aligned");
	rt_print("aligned ok\n");
	return 0;
}
