/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_stress.h: what dl_tls_stress and its 120 helper libraries
 * (dl_tls_stress_dso.c, built once per index) agree on: each library's
 * initial TLS value and the size and alignment of its .tbss pad.
 */
#ifndef DL_TLS_STRESS_H
#define DL_TLS_STRESS_H

#define DL_TLS_STRESS_NLIBS 120

/* Library n's initial value: distinct for each n, never a thread's mark. */
#define DL_TLS_STRESS_INIT(n) (0x51AB000000L + (long)(n) * 0x10001L)
/* A zero-initialised pad, 8 to 152 bytes, aligned 8 to 64: blocks differ. */
#define DL_TLS_STRESS_PAD(n) (8 + ((n) % 7) * 24)
#define DL_TLS_STRESS_ALIGN(n) (8 << ((n) % 4))

#endif /* DL_TLS_STRESS_H */
