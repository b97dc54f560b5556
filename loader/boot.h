/* SPDX-License-Identifier: MIT */
/*
 * The hand-off between the entry stub, stage 1 (boot.c, self-relocation)
 * and stage 2 (main.c).
 */
#ifndef LOADER_BOOT_H
#define LOADER_BOOT_H

#include <stdint.h>

/* Filled by stage 2; read by crt/arch/x86_64/entry.S, which depends on
 * this exact layout: entry at 0, sp at 8, fini at 16. */
struct boot_handoff {
	uintptr_t entry;       /* the program's entry point */
	uintptr_t *sp;         /* stack pointer the program starts with */
	void (*fini)(void);    /* passed in rdx */
};

/* Stage 1, called by _start with the initial stack pointer. */
void boot_start(uintptr_t *sp, struct boot_handoff *out);

/* Stage 2 (main.c), called by stage 1 once myld.so is relocated. base is
 * myld.so's load address. */
void main_start(uintptr_t *sp, uintptr_t self_base, struct boot_handoff *out);

#endif
