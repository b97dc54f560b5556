/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_dso_huge.c: initial-exec TLS of 1 MiB, far beyond the static TLS
 * surplus, so dlopen must fail with glibc's "cannot allocate memory in
 * static TLS block" (and not crash, or corrupt other threads' TLS).
 */
__thread char dl_tls_huge[1 << 20];

char *
dl_tls_huge_addr(void)
{
	return dl_tls_huge;
}
