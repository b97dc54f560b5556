/* SPDX-License-Identifier: MIT */
/* dl_refuse_dso.c: a library linked with -z nodlopen (DF_1_NOOPEN): it
 * may be a program's DT_NEEDED, never a dlopen's. */
int
dl_refuse_noopen(void)
{
	return 7;
}
