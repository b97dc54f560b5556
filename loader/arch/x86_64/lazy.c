/* SPDX-License-Identifier: MIT */
/*
 * Choosing how the lazy-binding trampoline saves vector registers, once,
 * from the CPU probe (cpu_features.c; Intel SDM vol. 1, 13.2 "Enumeration
 * of CPU support for XSAVE"): xsavec when available (compact), else
 * xsave, both over the state components the OS enabled in XCR0; fxsave
 * (SSE only) otherwise.
 */
#include "machdep.h"

#include "cpu_features.h"

#include <stdint.h>

#include "loader/state.h"

/* SSE, AVX, MPX bounds, AVX-512 opmask/ZMM_Hi256/Hi16_ZMM: the state
 * components that can hold function arguments or callee-visible values. */
#define SAVE_COMPONENTS 0xeeu
#define FXSAVE_SIZE 512

_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_size) == 0, "plt.S");
_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_mode) == 8, "plt.S");
_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_mask) == 12, "plt.S");

void
arch_lazy_init(void)
{
	const struct x86_cpu *c = x86_cpu();
	bool xsave = c->xsave_size != 0;

	/* The standard-layout size for the components XCR0 enables is an
	 * upper bound for the compacted layout too. */
	ld_state.lazy_save_size = xsave ? c->xsave_size : FXSAVE_SIZE;
	ld_state.lazy_save_mask = xsave ? SAVE_COMPONENTS & c->xcr0 : 0;
	ld_state.lazy_save_mode = !xsave ? ARCH_SAVE_FXSAVE :
				  c->xsavec ? ARCH_SAVE_XSAVEC : ARCH_SAVE_XSAVE;
}
