/* SPDX-License-Identifier: MIT */
/*
 * The two ELF symbol hash functions: SysV (gABI, DT_HASH) and GNU
 * (DT_GNU_HASH, djb2 with h = h*33 + c starting at 5381).
 */
#ifndef LOADER_HASH_H
#define LOADER_HASH_H

#include <stddef.h>
#include <stdint.h>

uint32_t hash_sysv(const char *name);
/* The GNU hash of name, and its length in *len (the same walk). */
uint32_t hash_gnu_len(const char *name, size_t *len);
/* The GNU hash of name when its top 31 bits are known already: chain is
 * the name's entry in a DT_GNU_HASH chain (the hash with bit 0 replaced
 * by the end-of-chain marker). Bit 0 is the parity of 1 plus the sum of
 * the name's bytes (h * 33 + c keeps h + c's parity), which a word at a
 * time walk finds with the length in *len, at a fraction of a full
 * hash's cost. */
uint32_t hash_gnu_from_chain(uint32_t chain, const char *name, size_t *len);

#endif
