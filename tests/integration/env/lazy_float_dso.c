/* SPDX-License-Identifier: MIT */
/*
 * lazy_float_dso.c: the callee side of lazy_float (scalar and SSE
 * arguments). Built with -z lazy, and called only through the program's
 * PLT: each function stores every argument it received in the caller's
 * buffer, so lazy_float.c can tell exactly which register the lazy-binding
 * trampoline clobbered on the way. Sums of small binary fractions are
 * exact, so the program can recompute the return values bit for bit.
 */
#include <stdarg.h>

#include "lazy_float.h"

float
lazy_float_floats(float *out, float a0, float a1, float a2, float a3, float a4,
		  float a5, float a6, float a7, float a8, float a9)
{
	float a[10] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9};
	float sum = 0;

	for (int i = 0; i < 10; i++) {
		out[i] = a[i];
		sum += a[i];
	}
	return sum;
}

double
lazy_float_doubles(double *out, double a0, double a1, double a2, double a3,
		   double a4, double a5, double a6, double a7, double a8,
		   double a9, double a10, double a11, double a12, double a13,
		   double a14, double a15)
{
	double a[16] = {a0, a1, a2,  a3,  a4,  a5,  a6,  a7,
			a8, a9, a10, a11, a12, a13, a14, a15};
	double sum = 0;

	for (int i = 0; i < 16; i++) {
		out[i] = a[i];
		sum += a[i];
	}
	return sum;
}

double
lazy_float_mixed(long *iout, double *dout, long i0, double d0, long i1,
		 double d1, long i2, double d2, long i3, double d3, double d4,
		 double d5, double d6, double d7)
{
	double d[8] = {d0, d1, d2, d3, d4, d5, d6, d7};
	double sum = (double)(i0 + i1 + i2 + i3);

	iout[0] = i0;
	iout[1] = i1;
	iout[2] = i2;
	iout[3] = i3;
	for (int i = 0; i < 8; i++) {
		dout[i] = d[i];
		sum += d[i];
	}
	return sum;
}

double
lazy_float_varargs(double *out, int n, ...)
{
	va_list ap;
	double sum = 0;

	va_start(ap, n);
	for (int i = 0; i < n; i++) {
		out[i] = va_arg(ap, double);
		sum += out[i];
	}
	va_end(ap);
	return sum;
}

__m128
lazy_float_m128(__m128 *out, __m128 a0, __m128 a1, __m128 a2, __m128 a3,
		__m128 a4, __m128 a5, __m128 a6, __m128 a7, __m128 a8,
		__m128 a9)
{
	__m128 a[10] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9};
	__m128 sum = _mm_setzero_ps();

	for (int i = 0; i < 10; i++) {
		out[i] = a[i];
		sum = _mm_add_ps(sum, a[i]);
	}
	return sum;
}

struct lazy_float_pair
lazy_float_pair(struct lazy_float_pair p, struct lazy_float_pair q)
{
	struct lazy_float_pair r = {p.x + q.y, p.y - q.x};

	return r;
}

long double
lazy_float_ld(long double a, long double b, double c)
{
	return a * b + c;
}
