/* SPDX-License-Identifier: MIT */
/*
 * lazy_float_vec.c: lazy_float's 256- or 512-bit vector call, built once
 * with -mavx -DLAZY_FLOAT_VEC=256 and once with -mavx512f
 * -DLAZY_FLOAT_VEC=512, so only this code needs the extension and
 * lazy_float.c can check the CPU before calling it. Every lane of every
 * argument is distinct, so an upper half the trampoline zeroed or did not
 * restore is caught. Returns the number of wrong values.
 */
#include <stdio.h>
#include <string.h>

#include "lazy_float.h"

int
LAZY_FLOAT_CHECK_FN(void)
{
	int bad = 0;

	/* Round 0 is the first call, through the trampoline. */
	for (int round = 0; round < 2; round++) {
		union {
			lazy_float_vec v;
			double d[LAZY_FLOAT_LANES];
		} a[10], out[10], sum;
		double want[LAZY_FLOAT_LANES] = {0};

		for (int i = 0; i < 10; i++)
			for (int j = 0; j < LAZY_FLOAT_LANES; j++)
				a[i].d[j] = 1000 * i + j + 0.5 + round * 65536;
		memset(out, 0xff, sizeof(out));
		sum.v = LAZY_FLOAT_VEC_FN(&out[0].v, a[0].v, a[1].v, a[2].v,
					  a[3].v, a[4].v, a[5].v, a[6].v,
					  a[7].v, a[8].v, a[9].v);
		for (int i = 0; i < 10; i++) {
			for (int j = 0; j < LAZY_FLOAT_LANES; j++) {
				want[j] += a[i].d[j];
				if (out[i].d[j] == a[i].d[j])
					continue;
				fprintf(stderr,
					"FAIL: %d-bit round %d: argument %d lane %d arrived as %a, want %a\n",
					LAZY_FLOAT_VEC, round, i, j,
					out[i].d[j], a[i].d[j]);
				bad++;
			}
		}
		for (int j = 0; j < LAZY_FLOAT_LANES; j++) {
			if (sum.d[j] == want[j])
				continue;
			fprintf(stderr,
				"FAIL: %d-bit round %d: result lane %d is %a, want %a\n",
				LAZY_FLOAT_VEC, round, j, sum.d[j], want[j]);
			bad++;
		}
	}
	return bad;
}
