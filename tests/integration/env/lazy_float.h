/* SPDX-License-Identifier: MIT */
/*
 * lazy_float.h: the functions lazy_float.c calls across the library
 * boundary, each through a PLT slot that is still unresolved at its first
 * call. Every function copies its arguments to the caller's buffer, so a
 * register the lazy-binding trampoline clobbered shows up as one wrong
 * element, and returns a value that depends on all of them.
 */
#ifndef LAZY_FLOAT_H
#define LAZY_FLOAT_H

#include <immintrin.h>

struct lazy_float_pair {
	double x, y;
};

/* Eight arguments in %xmm0-7, the rest on the stack. */
float lazy_float_floats(float *out, float a0, float a1, float a2, float a3,
			float a4, float a5, float a6, float a7, float a8,
			float a9);
double lazy_float_doubles(double *out, double a0, double a1, double a2,
			  double a3, double a4, double a5, double a6,
			  double a7, double a8, double a9, double a10,
			  double a11, double a12, double a13, double a14,
			  double a15);
/* All six integer argument registers and %xmm0-7 at once. */
double lazy_float_mixed(long *iout, double *dout, long i0, double d0, long i1,
			double d1, long i2, double d2, long i3, double d3,
			double d4, double d5, double d6, double d7);
/* %al holds the number of vector registers used: clobbered, the callee's
 * prologue skips saving %xmm0-7 and va_arg reads garbage. */
double lazy_float_varargs(double *out, int n, ...);
__m128 lazy_float_m128(__m128 *out, __m128 a0, __m128 a1, __m128 a2,
		       __m128 a3, __m128 a4, __m128 a5, __m128 a6, __m128 a7,
		       __m128 a8, __m128 a9);
/* Two SSE-class eightbytes each: %xmm0/%xmm1 and %xmm2/%xmm3. */
struct lazy_float_pair lazy_float_pair(struct lazy_float_pair p,
				       struct lazy_float_pair q);
/* x87 arguments live in memory, but the trampoline must not disturb the
 * x87 stack or control word either. */
long double lazy_float_ld(long double a, long double b, double c);

#if defined(LAZY_FLOAT_VEC) && LAZY_FLOAT_VEC == 256
typedef __m256d lazy_float_vec;
#define LAZY_FLOAT_LANES 4
#define LAZY_FLOAT_VEC_FN lazy_float_m256d
#define LAZY_FLOAT_CHECK_FN lazy_float_check_m256d
#elif defined(LAZY_FLOAT_VEC) && LAZY_FLOAT_VEC == 512
typedef __m512d lazy_float_vec;
#define LAZY_FLOAT_LANES 8
#define LAZY_FLOAT_VEC_FN lazy_float_m512d
#define LAZY_FLOAT_CHECK_FN lazy_float_check_m512d
#endif

#ifdef LAZY_FLOAT_VEC
/* Eight arguments in %ymm0-7 (%zmm0-7), two on the stack. */
lazy_float_vec LAZY_FLOAT_VEC_FN(lazy_float_vec *out, lazy_float_vec a0,
				 lazy_float_vec a1, lazy_float_vec a2,
				 lazy_float_vec a3, lazy_float_vec a4,
				 lazy_float_vec a5, lazy_float_vec a6,
				 lazy_float_vec a7, lazy_float_vec a8,
				 lazy_float_vec a9);
#endif

/* In the program, lazy_float_vec.c built with -mavx and with -mavx512f:
 * call the vector function twice and return the number of failures. Only
 * called when the CPU has the extension. */
int lazy_float_check_m256d(void);
int lazy_float_check_m512d(void);

#endif /* LAZY_FLOAT_H */
