/* SPDX-License-Identifier: MIT */
/*
 * dl_fault_dso_ie.c: built with -ftls-model=initial-exec (DF_STATIC_TLS),
 * so a dlopen of dl_fault_dso places its block in the static TLS surplus;
 * a failed dlopen must give the space back, or the loop in dl_fault would
 * use the surplus up.
 */
__thread int dl_fault_ie = 1000;

int *
dl_fault_ie_addr(void)
{
	return &dl_fault_ie;
}
