/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_big.c: a library with a 1 GiB .bss, which cannot be mapped
 * under a small RLIMIT_AS (ulimit -v): dl_fault opens it under one, and
 * dl_fault_ulimit.sh starts a program that needs it under one.
 */
static char big[1u << 30];

char *
dl_fault_big_addr(void)
{
	return big;
}
