/* SPDX-License-Identifier: MIT */
/*
 * dl_scope_dso_shared.c: needed by both dl_scope_dso_a and dl_scope_dso_b;
 * calls dl_scope_hook, which only dl_scope_dso_b defines and which is
 * never in the global scope: it is found through the search list of b,
 * which joins this library's scope when b is opened after a loaded it.
 */
int dl_scope_hook(void);

int
dl_scope_shared(void)
{
	return dl_scope_hook() + 1;
}
