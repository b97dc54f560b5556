/* SPDX-License-Identifier: MIT */
/*
 * lazy_float.c: lazy binding of calls that carry floating-point and vector
 * arguments across a library boundary (program and library built with
 * -z lazy). Each function's first call goes through the lazy-binding
 * trampoline, with arguments in every integer and vector argument
 * register, on the stack, and %al for varargs; the second call goes
 * straight to the bound target. The library echoes its arguments, and the
 * program checks every one bit for bit, so a trampoline that clobbers any
 * of %rdi..%r9, %rax, %xmm0-7, the upper halves of %ymm0-7 (-mavx) or
 * %zmm0-7 (-mavx512f), or the x87 state, fails here. The 256- and 512-bit
 * cases run only when the CPU has AVX / AVX-512F (checked at run time,
 * reported on stdout when skipped). Run also under LD_BIND_NOT=1, where
 * every call goes through the trampoline.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lazy_float.h"
#include "t.h"

static void
check_floats(int round)
{
	float base = 1.25f + (float)round * 16;
	float out[10], want = 0;
	float got;

	memset(out, 0xff, sizeof(out));
	got = lazy_float_floats(out, base, base + 1, base + 2, base + 3,
				base + 4, base + 5, base + 6, base + 7,
				base + 8, base + 9);
	for (int i = 0; i < 10; i++) {
		T_CHECK(out[i] == base + (float)i,
			"round %d: float argument %d arrived as %a, want %a",
			round, i, (double)out[i], (double)(base + (float)i));
		want += base + (float)i;
	}
	T_CHECK(got == want, "round %d: lazy_float_floats returned %a, want %a",
		round, (double)got, (double)want);
}

static void
check_doubles(int round)
{
	double base = 0.5 + round * 64;
	double out[16], want = 0;
	double got;

	memset(out, 0xff, sizeof(out));
	got = lazy_float_doubles(out, base, base + 1, base + 2, base + 3,
				 base + 4, base + 5, base + 6, base + 7,
				 base + 8, base + 9, base + 10, base + 11,
				 base + 12, base + 13, base + 14, base + 15);
	for (int i = 0; i < 16; i++) {
		T_CHECK(out[i] == base + i,
			"round %d: double argument %d arrived as %a, want %a",
			round, i, out[i], base + i);
		want += base + i;
	}
	T_CHECK(got == want, "round %d: lazy_float_doubles returned %a, want %a",
		round, got, want);
}

static void
check_mixed(int round)
{
	long ibase = 0x1000 * (round + 1);
	double dbase = 0.75 + round * 32;
	long iout[4];
	double dout[8], want = 0;
	double got;

	memset(iout, 0xff, sizeof(iout));
	memset(dout, 0xff, sizeof(dout));
	got = lazy_float_mixed(iout, dout, ibase, dbase, ibase + 1, dbase + 1,
			       ibase + 2, dbase + 2, ibase + 3, dbase + 3,
			       dbase + 4, dbase + 5, dbase + 6, dbase + 7);
	for (int i = 0; i < 4; i++) {
		T_CHECK(iout[i] == ibase + i,
			"round %d: integer argument %d arrived as %#lx, want %#lx",
			round, i, iout[i], ibase + i);
		want += (double)(ibase + i);
	}
	for (int i = 0; i < 8; i++) {
		T_CHECK(dout[i] == dbase + i,
			"round %d: mixed double %d arrived as %a, want %a",
			round, i, dout[i], dbase + i);
		want += dbase + i;
	}
	T_CHECK(got == want, "round %d: lazy_float_mixed returned %a, want %a",
		round, got, want);
}

static void
check_varargs(int round)
{
	double base = 0.125 + round * 128;
	double out[12], want = 0;
	double got;

	memset(out, 0xff, sizeof(out));
	got = lazy_float_varargs(out, 12, base, base + 1, base + 2, base + 3,
				 base + 4, base + 5, base + 6, base + 7,
				 base + 8, base + 9, base + 10, base + 11);
	for (int i = 0; i < 12; i++) {
		T_CHECK(out[i] == base + i,
			"round %d: variadic double %d arrived as %a, want %a",
			round, i, out[i], base + i);
		want += base + i;
	}
	T_CHECK(got == want, "round %d: lazy_float_varargs returned %a, want %a",
		round, got, want);
}

static void
check_m128(int round)
{
	union {
		__m128 v;
		float f[4];
	} a[10], out[10], sum;
	float want[4] = {0, 0, 0, 0};

	for (int i = 0; i < 10; i++)
		for (int j = 0; j < 4; j++)
			a[i].f[j] = (float)(100 * i + j) + 0.5f + (float)round * 4096;
	memset(out, 0xff, sizeof(out));
	sum.v = lazy_float_m128(&out[0].v, a[0].v, a[1].v, a[2].v, a[3].v,
				a[4].v, a[5].v, a[6].v, a[7].v, a[8].v, a[9].v);
	for (int i = 0; i < 10; i++) {
		for (int j = 0; j < 4; j++) {
			T_CHECK(out[i].f[j] == a[i].f[j],
				"round %d: __m128 argument %d lane %d arrived as %a, want %a",
				round, i, j, (double)out[i].f[j], (double)a[i].f[j]);
			want[j] += a[i].f[j];
		}
	}
	for (int j = 0; j < 4; j++)
		T_CHECK(sum.f[j] == want[j],
			"round %d: lazy_float_m128 lane %d returned %a, want %a",
			round, j, (double)sum.f[j], (double)want[j]);
}

static void
check_pair_and_ld(int round)
{
	struct lazy_float_pair p = {1.5 + round, 2.5}, q = {3.25, 4.75 + round};
	struct lazy_float_pair r = lazy_float_pair(p, q);
	long double ld = lazy_float_ld(1.5L + round, 2.25L, 0.125);

	T_CHECK(r.x == p.x + q.y && r.y == p.y - q.x,
		"round %d: lazy_float_pair returned {%a, %a}, want {%a, %a}",
		round, r.x, r.y, p.x + q.y, p.y - q.x);
	T_CHECK(ld == (1.5L + round) * 2.25L + 0.125L,
		"round %d: lazy_float_ld returned %La", round, ld);
}

int
main(void)
{
	t_check_loader();
	/* Round 0 is each function's first call, through the trampoline. */
	for (int round = 0; round < 2; round++) {
		check_floats(round);
		check_doubles(round);
		check_mixed(round);
		check_varargs(round);
		check_m128(round);
		check_pair_and_ld(round);
	}
	printf("lazy_float: scalar, SSE, mixed, varargs, pair, long double: %s\n",
	       t_status() ? "FAILED" : "ok");

	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx")) {
		int bad = lazy_float_check_m256d();

		T_CHECK(bad == 0, "%d wrong 256-bit values", bad);
		printf("lazy_float: __m256d: %s\n", bad ? "FAILED" : "ok");
	} else {
		printf("lazy_float: __m256d: skipped, the CPU has no AVX\n");
	}
	if (__builtin_cpu_supports("avx512f")) {
		int bad = lazy_float_check_m512d();

		T_CHECK(bad == 0, "%d wrong 512-bit values", bad);
		printf("lazy_float: __m512d: %s\n", bad ? "FAILED" : "ok");
	} else {
		printf("lazy_float: __m512d: skipped, the CPU has no AVX-512F\n");
	}
	return t_status();
}
