/* SPDX-License-Identifier: MIT */
/*
 * list_missing_dso.c: only linked against. Its soname names
 * libenv_list_absent.so, a file that never exists at run time, so
 * list_missing's listing must show "libenv_list_absent.so => not found".
 */
int
list_missing_fn(void)
{
	return 0;
}
