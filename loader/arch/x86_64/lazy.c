/* SPDX-License-Identifier: MIT */
/*
 * Choosing how the lazy-binding trampoline saves vector registers, once,
 * from CPUID (Intel SDM vol. 1, 13.2 "Enumeration of CPU support for
 * XSAVE"): xsavec when available (compact), else xsave, both over the
 * state components the OS enabled in XCR0; fxsave (SSE only) otherwise.
 */
#include "machdep.h"

#include <cpuid.h>
#include <stdint.h>

#include "loader/state.h"

/* SSE, AVX, MPX bounds, AVX-512 opmask/ZMM_Hi256/Hi16_ZMM: the state
 * components that can hold function arguments or callee-visible values. */
#define SAVE_COMPONENTS 0xeeu
#define FXSAVE_SIZE 512

_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_size) == 0, "plt.S");
_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_mode) == 8, "plt.S");
_Static_assert(__builtin_offsetof(struct ld_state, lazy_save_mask) == 12, "plt.S");

static uint64_t
read_xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

void
arch_lazy_init(void)
{
	unsigned a, b, c, d;

	ld_state.lazy_save_mode = ARCH_SAVE_FXSAVE;
	ld_state.lazy_save_size = FXSAVE_SIZE;
	ld_state.lazy_save_mask = 0;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return;
	if (__get_cpuid_max(0, NULL) < 0xd)
		return;
	ld_state.lazy_save_mask = SAVE_COMPONENTS & (uint32_t)read_xcr0();
	/* EBX of leaf 0xd/0: bytes for the components XCR0 enables, in the
	 * standard layout; an upper bound for the compacted one too. */
	__cpuid_count(0xd, 0, a, b, c, d);
	ld_state.lazy_save_size = b;
	ld_state.lazy_save_mode = ARCH_SAVE_XSAVE;
	__cpuid_count(0xd, 1, a, b, c, d);
	if (a & (1u << 1))
		ld_state.lazy_save_mode = ARCH_SAVE_XSAVEC;
}
