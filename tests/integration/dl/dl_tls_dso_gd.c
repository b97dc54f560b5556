/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_dso_gd.c: general-dynamic TLS in a dlopen'ed library: an
 * initialised int, a zero-initialised one and a 64-byte aligned buffer,
 * so a thread's block must be allocated on first use (also in threads
 * that existed before the dlopen), copied from .tdata, zeroed, aligned.
 */
__thread int dl_tls_gd = 5;
__thread int dl_tls_gd_zero;
__thread char dl_tls_gd_buf[256] __attribute__((aligned(64)));

int *
dl_tls_gd_addr(void)
{
	return &dl_tls_gd;
}

int *
dl_tls_gd_zero_addr(void)
{
	return &dl_tls_gd_zero;
}

char *
dl_tls_gd_buf_addr(void)
{
	return dl_tls_gd_buf;
}
