/* SPDX-License-Identifier: MIT */
/*
 * dl_threads_dso_leaf.c: what libdl_threads_dso_rec.so's constructor
 * dlopen's.
 */
int
dl_threads_leaf_value(void)
{
	return 4242;
}
