/* SPDX-License-Identifier: MIT */
/*
 * lazy_float_dso_vec.c: the callee side of lazy_float's 256- and 512-bit
 * vector calls, built once with -mavx (-DLAZY_FLOAT_VEC=256, arguments in
 * %ymm0-7) and once with -mavx512f (-DLAZY_FLOAT_VEC=512, in %zmm0-7).
 * Stores every argument in the caller's buffer, so a trampoline that saves
 * only the low 128 bits (fxsave, or a VEX move that zeroes the upper half)
 * shows up as wrong upper lanes in the program.
 */
#include "lazy_float.h"

lazy_float_vec
LAZY_FLOAT_VEC_FN(lazy_float_vec *out, lazy_float_vec a0, lazy_float_vec a1,
		  lazy_float_vec a2, lazy_float_vec a3, lazy_float_vec a4,
		  lazy_float_vec a5, lazy_float_vec a6, lazy_float_vec a7,
		  lazy_float_vec a8, lazy_float_vec a9)
{
	lazy_float_vec a[10] = {a0, a1, a2, a3, a4, a5, a6, a7, a8, a9};
	lazy_float_vec sum = a0;

	for (int i = 0; i < 10; i++) {
		out[i] = a[i];
		if (i > 0)
			sum += a[i];
	}
	return sum;
}
