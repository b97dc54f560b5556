/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_dso_ie.c: built with -ftls-model=initial-exec, so it reaches its
 * variables at fixed offsets from the thread pointer (R_X86_64_TPOFF64,
 * DF_STATIC_TLS). dlopen must place its block in the static TLS surplus
 * of every thread, including threads that already exist, and copy the
 * initial image there.
 */
__thread int dl_tls_ie = 9;
__thread long dl_tls_ie_zero;

int *
dl_tls_ie_addr(void)
{
	return &dl_tls_ie;
}

long *
dl_tls_ie_zero_addr(void)
{
	return &dl_tls_ie_zero;
}
