/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all_dso_next2.c: second library defining dlfcn_all_next (see
 * dlfcn_all_dso_next1.c); RTLD_NEXT from next1 must land here.
 */
int
dlfcn_all_next(void)
{
	return 2;
}

int
dlfcn_all_next2_id(void)
{
	return 2;
}
