/* SPDX-License-Identifier: MIT */
/*
 * launch_sys.c: a program that needs only the system's libraries (libc,
 * libm, found through /etc/ld.so.cache), for the launch cache's secure
 * mode test: run_launch.py makes a set-user-ID copy, which ignores
 * LD_LIBRARY_PATH. With the argument "ids" it prints its real and
 * effective user ids first, so the runner sees the bit took effect.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../t.h"

static int
cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int
main(int argc, char **argv)
{
	int v[] = {5, 3, 9, 1};

	t_check_loader();
	if (argc > 1 && strcmp(argv[1], "ids") == 0)
		printf("launch_sys: uid=%u euid=%u\n", (unsigned)getuid(),
		       (unsigned)geteuid());
	qsort(v, 4, sizeof(v[0]), cmp);
	printf("launch_sys: sorted %d %d %d %d, cos(1) %.6f, strtod %.2f\n",
	       v[0], v[1], v[2], v[3], cos(argc > 0 ? 1.0 : 0.0),
	       strtod("2.5e1", NULL));
	return t_status();
}
