/* SPDX-License-Identifier: MIT */
/*
 * dl_threads_dso_util.c: the dependency all four libdl_threads_dso*.so
 * share, so concurrent loads and unloads also race on one shared object's
 * reference count.
 */
int
dl_threads_util_mix(int a, int b)
{
	return a * 31 + b;
}

int
dl_threads_util_id(void)
{
	return 500000;
}
