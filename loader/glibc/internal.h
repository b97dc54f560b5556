/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of the glibc adapter only.
 */
#ifndef LOADER_GLIBC_INTERNAL_H
#define LOADER_GLIBC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/glibc/abi.h"
#include "loader/object.h"

/* A field of type T at byte offset OFF of the glibc structure at BASE. */
#define GLIBC_FIELD(base, off, T) (*(T *)((unsigned char *)(base) + (off)))

extern unsigned char _rtld_global[];
extern unsigned char _rtld_global_ro[];

/* exports.c: the exported LD_PROFILE entry (a no-op: not supported). */
void _dl_mcount(uintptr_t from, uintptr_t to);

/* linkmap.c: one glibc link map per loaded object, chained in load
 * order. */
void glibc_build_link_maps(void);
/* Refreshes the fields that change after relocation/initialisation. */
void glibc_link_map_update(struct elf_object *obj);

/* thread.c: the main thread's struct pthread. */
void glibc_init_main_thread(void *tp);
/* Copies the TLS bookkeeping of ld_state.tls into _rtld_global. Returns
 * 0, or -ENOMEM with the message set (only when the slot list must grow:
 * removing modules never fails). */
int glibc_tls_sync(void);

/* hooks.c: the function pointers of _rtld_global_ro, and the libc
 * functions the adapter calls back (malloc, free, _dl_signal_error,
 * _dl_catch_error), bound once libc is relocated. */
void glibc_fill_hooks(unsigned char *glro);
void glibc_bind_libc_hooks(void);
/* The version nodes the adapter looks functions up by (hooks.c), with
 * their ELF hashes written out (test_hash checks them). */
#define GLIBC_HASH_2_2_5 0x09691a75u
#define GLIBC_HASH_PRIVATE 0x0963cf85u
#define GLIBC_HASH_LINUX_2_6 0x03ae75f6u
extern const struct version_entry glibc_version_2_2_5, glibc_version_private,
	glibc_version_linux_2_6;
/* The address of obj's function name of the given version (obj may be
 * NULL), or NULL when it has none. */
void *glibc_object_function(struct elf_object *obj, const char *name,
			    const struct version_entry *version);
/* dlopen observer: other threads' stacks become executable (thread.c). */
int glibc_stacks_executable(void);

/* Raises a loader error the way libc expects (its _dl_signal_error, which
 * unwinds to the enclosing _dl_catch_error); fatal before libc is ready. */
__attribute__((noreturn)) void glibc_raise(const char *objname,
					   const char *occasion, const char *msg);

/* dl.c: GLRO _dl_open and _dl_close, and the observer of dlopen.c. */
void *glibc_dl_open(const char *file, int mode, const void *caller, long nsid,
		    int argc, char **argv, char **env);
void glibc_dl_close(void *map);
void glibc_observe(void);

/* linkmap.c: the dlopen observer's debug_maps: every link map brought up
 * to date, and the first one, for the debugger interface (loader/debug.c). */
struct link_map *glibc_debug_maps(void);

/* linkmap.c: takes (take true) or releases the recursive libc mutex at
 * offset off of _rtld_global; does nothing until libc's hooks are bound. */
void glibc_mutex(size_t off, bool take);

/* linkmap.c: a link map for an object loaded by dlopen, chained at the end
 * of the namespace list; and its removal. */
int glibc_map_added(struct elf_object *obj);
void glibc_map_removed(struct elf_object *obj);
/* Makes the main map's l_searchlist list scope[0..len), the global scope
 * about to be published. 0, or -ENOMEM with nothing changed. */
int glibc_global_scope_changed(struct elf_object *const *scope, size_t len);
/* Room in obj's l_scope for nroots scope roots: 0, or -ENOMEM with the
 * message set and nothing changed. */
int glibc_scope_reserve(struct elf_object *obj, size_t nroots);
/* Rewrites obj's l_scope from obj->scope (room reserved). */
void glibc_scope_sync(struct elf_object *obj);

#endif
