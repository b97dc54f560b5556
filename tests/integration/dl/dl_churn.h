/* SPDX-License-Identifier: MIT */
/*
 * dl_churn.h: what dl_churn and its helper libraries (dl_churn_dso.c,
 * dl_churn_dso_dep.c) agree on: each library's initial TLS value and
 * what its dl_churn_work(x) returns.
 */
#ifndef DL_CHURN_H
#define DL_CHURN_H

/* Library n's initial TLS value; never a thread's mark. */
#define DL_CHURN_INIT(n) (0x3C0000000L + (long)(n) * 0x101L)

/* libdl_churn_dso_dep.so's function, reached through a lazy PLT slot. */
#define DL_CHURN_DEP_MIX(x, n) ((x) * 131 + (long)(n) * 7 + 3)

/* What dl_churn_work(x) of library n returns, with and without the dep. */
#define DL_CHURN_WORK_DEP(x, n) (DL_CHURN_DEP_MIX(x, n) + 1000 * (long)(n))
#define DL_CHURN_WORK_PLAIN(x, n) ((x) * 31 + 1000 * (long)(n))

#endif /* DL_CHURN_H */
