/* SPDX-License-Identifier: MIT */
/*
 * dl_scope_dso_b.c: opened after dl_scope_dso_a, needs the same
 * dl_scope_dso_shared, and defines the hook that one calls.
 */
int dl_scope_shared(void);

int
dl_scope_hook(void)
{
	return 10;
}

int
dl_scope_b(void)
{
	return dl_scope_shared();
}
