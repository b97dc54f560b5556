/* SPDX-License-Identifier: MIT */
/*
 * dl_tls_stress_dso.c: one of dl_tls_stress's 120 helper libraries
 * (libdl_tls_stress_dso<n>.so, built with -DDSO_IDX=n and
 * -ftls-model=global-dynamic). Its TLS variable has a name of its own
 * and default visibility, so the compiler must reach it through
 * __tls_get_addr with a DTPMOD64/DTPOFF64 pair (general dynamic), and
 * starts at DL_TLS_STRESS_INIT(n): a thread reading another library's
 * block, or another thread's, reads a value that names the culprit.
 */
#include <stdint.h>

#include "dl_tls_stress.h"

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define VAR CAT(dl_tls_stress_v, DSO_IDX)

__thread long VAR = DL_TLS_STRESS_INIT(DSO_IDX);
__thread char CAT(dl_tls_stress_pad, DSO_IDX)[DL_TLS_STRESS_PAD(DSO_IDX)]
	__attribute__((aligned(DL_TLS_STRESS_ALIGN(DSO_IDX))));

int
dl_tls_stress_id(void)
{
	return DSO_IDX;
}

long *
dl_tls_stress_addr(void)
{
	return &VAR;
}

/* Sets this thread's variable to v and returns what it held. */
long
dl_tls_stress_swap(long v)
{
	long old = VAR;

	VAR = v;
	return old;
}

/*
 * 0 when this thread's pad (never written) is zero and aligned; else bit
 * 1 for a misaligned pad, bit 2 for a non-zero byte in it.
 */
int
dl_tls_stress_check(void)
{
	const char *pad = CAT(dl_tls_stress_pad, DSO_IDX);
	int bad = 0;

	if ((uintptr_t)pad % DL_TLS_STRESS_ALIGN(DSO_IDX) != 0)
		bad |= 1;
	for (int i = 0; i < DL_TLS_STRESS_PAD(DSO_IDX); i++)
		if (pad[i] != 0)
			bad |= 2;
	return bad;
}
