/* SPDX-License-Identifier: MIT */
/*
 * secure_dso.c: libenv_secure_dso.so, built twice with the same soname:
 * SECURE_DSO_WHO "origin" is copied beside the secure program (found
 * through its DT_RUNPATH $ORIGIN), "llp" into a directory named only by
 * LD_LIBRARY_PATH. secure_dso_who() tells the program which one its
 * dlopen found.
 */
const char *
secure_dso_who(void)
{
	return SECURE_DSO_WHO;
}
