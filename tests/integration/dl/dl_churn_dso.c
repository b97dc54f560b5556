/* SPDX-License-Identifier: MIT */
/*
 * dl_churn_dso.c: one of dl_churn's helper libraries, built with
 * -DDSO_ID=n and a TLS model: general dynamic (libdl_churn_gd*.so,
 * libdl_churn_plt*.so) or initial exec (libdl_churn_ie.so, whose TLS
 * comes from the static surplus, so it stays one small variable). With
 * -DDL_CHURN_DEP, dl_churn_work() calls libdl_churn_dso_dep.so through a
 * lazily bound PLT slot (the library is linked -z lazy), so the first call
 * after each load goes through the loader's lazy-binding trampoline; with
 * -DDL_CHURN_LIBC it also calls libc through lazy slots. DL_CHURN_PAD
 * adds a 64-byte aligned .tbss buffer, so blocks differ in layout.
 */
#include <stdio.h>
#include <string.h>

#include "dl_churn.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define VAR CAT(dl_churn_tls_, DSO_ID)

long dl_churn_dep_mix(long x, int n);

int dl_churn_id = DSO_ID;
__thread long VAR = DL_CHURN_INIT(DSO_ID);
#ifdef DL_CHURN_PAD
__thread char dl_churn_pad[DL_CHURN_PAD] __attribute__((aligned(64)));
#endif

long *
dl_churn_tls(void)
{
	return &VAR;
}

long
dl_churn_work(long x)
{
#ifdef DL_CHURN_LIBC
	char buf[32];

	/* Lazy slots into libc too; the result does not change. */
	snprintf(buf, sizeof(buf), "%ld", x);
	if (strlen(buf) == 0)
		return -1;
#endif
#ifdef DL_CHURN_PAD
	dl_churn_pad[x % DL_CHURN_PAD] = 1;
	dl_churn_pad[x % DL_CHURN_PAD] = 0;
#endif
#ifdef DL_CHURN_DEP
	return dl_churn_dep_mix(x, DSO_ID) + 1000 * (long)DSO_ID;
#else
	return DL_CHURN_WORK_PLAIN(x, DSO_ID);
#endif
}
