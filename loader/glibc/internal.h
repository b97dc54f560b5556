/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of the glibc adapter only.
 */
#ifndef LOADER_GLIBC_INTERNAL_H
#define LOADER_GLIBC_INTERNAL_H

#include <stdint.h>

#include "loader/glibc/abi.h"
#include "loader/object.h"

/* A field of type T at byte offset OFF of the glibc structure at BASE. */
#define GLIBC_FIELD(base, off, T) (*(T *)((unsigned char *)(base) + (off)))

extern unsigned char _rtld_global[];
extern unsigned char _rtld_global_ro[];

/* linkmap.c: one glibc link map per loaded object, chained in load
 * order. */
void glibc_build_link_maps(void);
/* Refreshes the fields that change after relocation/initialisation. */
void glibc_link_map_update(struct elf_object *obj);

/* thread.c: the main thread's struct pthread. */
void glibc_init_main_thread(void *tp);
/* Copies the TLS bookkeeping of ld_state.tls into _rtld_global. */
void glibc_tls_sync(void);

/* hooks.c: the function pointers of _rtld_global_ro, and the libc
 * functions the adapter calls back (malloc, free, _dl_signal_error,
 * _dl_catch_error), bound once libc is relocated. */
void glibc_fill_hooks(unsigned char *glro);
void glibc_bind_libc_hooks(void);

/* debug.c: _r_debug and DT_DEBUG for debuggers. */
void glibc_debug_init(void);

#endif
