/* SPDX-License-Identifier: MIT */
/*
 * Stage 1: myld.so relocates itself.
 *
 * IMPORTANT: this runs before myld.so is relocated. Until the last line of
 * boot_start, code here may use local variables only: no external-linkage
 * globals, no initialised data that holds pointers (it would hold link-time
 * values), no string literals passed anywhere, and no calls outside this
 * file (not even memcpy: the compiler must not emit one; the build compiles
 * this file with -ffreestanding -fno-builtin and scripts/check-boot.sh
 * fails if anything but main_start is referenced). There are no messages:
 * a failure exits with a distinct status:
 *   126  myld.so contains a relocation other than RELATIVE (broken build).
 * The linker makes every reference to our own symbols PC-relative
 * (-fPIC -fvisibility=hidden -Bsymbolic), so after applying the RELATIVE
 * and RELR relocations the whole image is valid.
 */
#include "loader/boot.h"

#include <elf.h>
#include <sys/syscall.h>
#include <stddef.h>

#include "machdep.h"
#include "syscall_arch.h"

/* Provided by the linker: our own ELF header (so its address is our load
 * base, the first PT_LOAD having p_vaddr 0) and our .dynamic. */
extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern Elf64_Dyn _DYNAMIC[] __attribute__((visibility("hidden")));

#define BOOT_EXIT_BAD_RELOC 126

__attribute__((noreturn)) static void
boot_fail(int status)
{
	for (;;)
		arch_syscall1(SYS_exit_group, status);
}

/* DT_RELR (gABI proposal adopted by binutils 2.38): an even entry is the
 * address of a word to relocate and sets the cursor after it; an odd entry
 * is a bitmap whose bit i (from 1) relocates cursor + (i-1) words, after
 * which the cursor advances 63 words. */
static void
boot_apply_relr(uintptr_t base, const uint64_t *relr, size_t size)
{
	const uint64_t *end = (const uint64_t *)((uintptr_t)relr + size);
	uintptr_t *where = NULL;

	for (; relr < end; relr++) {
		uint64_t entry = *relr;

		if ((entry & 1) == 0) {
			where = (uintptr_t *)(base + entry);
			*where++ += base;
			continue;
		}
		/* Set bits only: each step clears the lowest one. */
		for (uint64_t bits = entry >> 1; bits; bits &= bits - 1)
			where[__builtin_ctzll(bits)] += base;
		where += 63;
	}
}

void
boot_start(uintptr_t *sp, struct boot_handoff *out)
{
	uintptr_t base = (uintptr_t)&__ehdr_start;
	const Elf64_Rela *rela = NULL, *r, *rend;
	const uint64_t *relr = NULL;
	size_t relasz = 0, relrsz = 0;

	for (const Elf64_Dyn *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_RELA)
			rela = (const Elf64_Rela *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELASZ)
			relasz = d->d_un.d_val;
		else if (d->d_tag == DT_RELR)
			relr = (const uint64_t *)(base + d->d_un.d_ptr);
		else if (d->d_tag == DT_RELRSZ)
			relrsz = d->d_un.d_val;
	}
	rend = (const Elf64_Rela *)((uintptr_t)rela + relasz);
	for (r = rela; rela && r < rend; r++) {
		unsigned type = ARCH_R_TYPE(r->r_info);

		if (type == REL_RELATIVE)
			*(uintptr_t *)(base + r->r_offset) = base + r->r_addend;
		else if (type != REL_NONE)
			boot_fail(BOOT_EXIT_BAD_RELOC);
	}
	if (relr)
		boot_apply_relr(base, relr, relrsz);

	/* Relocated: stage 2 may use everything. */
	main_start(sp, base, out);
}
