/* SPDX-License-Identifier: MIT */
/*
 * dl_scope_dso_late.c: what dl_scope opens RTLD_GLOBAL after the library
 * that calls it (dl_scope_dso_user) was loaded and relocated.
 */
int
dl_scope_late(void)
{
	return 42;
}
