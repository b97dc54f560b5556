/* SPDX-License-Identifier: MIT */
/*
 * Relocation processing: DT_RELR, DT_RELA and DT_JMPREL of one object,
 * against the global scope. Architecture facts (which R_* means what) come
 * from arch/<arch>/machdep.h as generic REL_* kinds. Theory of operation:
 * see reloc.c.
 */
#ifndef LOADER_RELOC_H
#define LOADER_RELOC_H

#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"

/* Relocates obj. Symbol references are looked up in scope[0..n) (for
 * DT_SYMBOLIC objects, obj itself first), or with scope NULL in obj's own
 * scope (scope_lookup: the current global scope and obj's scope roots,
 * recording relocation dependencies; dlopen, with the load lock). Every unresolved symbol is
 * reported on fd 2 in glibc's wording; the return value is how many
 * relocations failed (0: success), or -errno for a malformed object with
 * the message set. Relocations that must call an IFUNC resolver are
 * queued and applied by reloc_finish(). */
int reloc_object(struct elf_object *obj, struct elf_object *const *scope,
		 size_t n);

/* Applies the queued IFUNC relocations (every object is relocated by now,
 * so resolvers may call anything). Returns the number of failures. */
int reloc_finish(void);

/* Drops the pending IFUNC relocations without applying them (a failed
 * dlopen, ldd mode). ld_state.pending belongs to reloc.c. */
void reloc_drop_pending(void);

/* The lazy-binding fixup, called by arch_plt_trampoline with GOT[1] and
 * the index of the JUMP_SLOT relocation: resolves it, writes the GOT slot
 * (unless LD_BIND_NOT) and returns the function's address. A missing
 * symbol is fatal, as in glibc: "symbol lookup error", exit 127. */
uintptr_t reloc_lazy_fixup(struct elf_object *obj, size_t index);

#endif
