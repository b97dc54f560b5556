/* SPDX-License-Identifier: MIT */
/*
 * dl_churn_dso_dep.c: the dependency dl_churn's PLT libraries call
 * through a lazily bound PLT slot; loaded and unloaded with them.
 */
#include "dl_churn.h"

long
dl_churn_dep_mix(long x, int n)
{
	return DL_CHURN_DEP_MIX(x, n);
}
