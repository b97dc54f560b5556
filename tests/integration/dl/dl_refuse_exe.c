/* SPDX-License-Identifier: MIT */
/* dl_refuse_exe.c: a program, built both as a PIE and as a fixed-address
 * executable, that dl_refuse tries to dlopen. */
int
main(void)
{
	return 0;
}
