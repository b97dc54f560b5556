/* SPDX-License-Identifier: MIT */
/*
 * The glibc adapter: what glibc's libc.so.6 expects of its loader, on top of
 * the libc-agnostic core. main.c calls these in order:
 *   glibc_activate      after the dependencies are loaded, before TLS
 *   glibc_prepare       after the main thread's TLS exists, before relocation
 *   glibc_relocated     after relocation, before RELRO protection
 *   glibc_start         before the initialisers: __libc_early_init(true)
 * When the program does not load libc.so.6 none of this runs.
 */
#ifndef LOADER_GLIBC_GLIBC_H
#define LOADER_GLIBC_GLIBC_H

#include <stdbool.h>
#include <stdint.h>

#include "loader/object.h"

/* Finds libc.so.6 among the loaded objects and checks its version against
 * the ABI tables (an unsupported version is fatal: one line, exit 127).
 * Sets the TCB size for tls.c and makes libc run the program's own
 * constructors. Returns true when libc is present. */
bool glibc_activate(void);

/* Fills _rtld_global, _rtld_global_ro, a glibc-layout link map for each
 * loaded object, the exported variables and the main thread's struct
 * pthread (tp is its thread pointer; sp the initial stack pointer). */
void glibc_prepare(uintptr_t *sp, void *tp);

/* After every relocation, before RELRO is protected: binds the hooks that
 * live in libc (they are stored in _rtld_global_ro) and marks the link
 * maps relocated. */
void glibc_relocated(void);

/* Last step before the initialisers: libc's __libc_early_init(true). */
void glibc_start(void);

/* --list-tunables: every tunable of the newest supported glibc with the
 * value libc would get, in glibc's format, on fd. */
void glibc_tunables_print(int fd);

/* Whether the library search tries the legacy HWCAP subdirectories, by
 * the rule of the release whose libc the program will get. Asked before
 * any library is found, so today the newest supported release answers
 * (2.36: yes); issue 11 picks the release before the search. */
bool glibc_legacy_hwcaps(void);

/* The glibc link map mirroring obj (NULL if none), and back. */
void *glibc_link_map(const struct elf_object *obj);
struct elf_object *glibc_object_of(const void *link_map);

#endif
