/* SPDX-License-Identifier: MIT */
/*
 * dl_scope_dso_pin.c: opened RTLD_GLOBAL; the program then takes the
 * address of dl_scope_pin with dlsym(RTLD_DEFAULT), which keeps this
 * library loaded for good.
 */
int
dl_scope_pin(void)
{
	return 7;
}
