/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_needbig.c: a program that needs libdl_fault_big.so (1 GiB of
 * .bss). dl_fault_ulimit.sh starts it under `ulimit -v` too small for that
 * library: the loader must stop with one message and status 127.
 */
#include <stdio.h>

char *dl_fault_big_addr(void);

int
main(void)
{
	printf("started: %p\n", (void *)dl_fault_big_addr());
	return 0;
}
