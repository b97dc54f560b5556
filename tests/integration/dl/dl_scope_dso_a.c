/* SPDX-License-Identifier: MIT */
/* dl_scope_dso_a.c: the first library to load dl_scope_dso_shared. */
int dl_scope_shared(void);

int
dl_scope_a(void)
{
	return dl_scope_shared();
}
