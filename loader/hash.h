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

#endif
