/* SPDX-License-Identifier: MIT */
/*
 * Loading DT_NEEDED dependencies breadth-first, in glibc's order: the root's
 * needs in DT_NEEDED order, then theirs, and so on. An object is never
 * loaded twice: a needed name that matches a loaded object's soname or path,
 * or a file with the same device and inode, is the loaded object.
 */
#ifndef LOADER_DEPS_H
#define LOADER_DEPS_H

#include "loader/object.h"

/* The load list (ld_state.head ... tail, nobjects): deps.c is its only
 * writer, under the load lock. Lock-free readers (dl_iterate_phdr goes
 * through libc's own chain, not this list) do not exist. */
void deps_list_append(struct elf_object *obj);
void deps_list_remove(struct elf_object *obj);
/* Moves obj just before pos when it comes after pos (a filtee loaded for
 * its filter, as glibc reorders its link-map chain); else nothing. */
void deps_list_move_before(struct elf_object *obj, struct elf_object *pos);

/* Loads every dependency reachable from root and the preloaded objects
 * pre[0..npre) (which follow root in the search order, so they
 * interpose), filtees included, appending new objects to the load list.
 * Each missing or broken library (a DT_AUXILIARY filtee excepted, which
 * is left out) is reported on fd 2 in glibc's wording; returns how many
 * were (0: all found). The walk's order (deps_search_list's) is the
 * global scope. */
int deps_load_all(struct elf_object *root, struct elf_object **pre, size_t npre);

/* dlopen: loads what the objects after mark on the load list need (the
 * first of them, mark->next, is the object the dlopen named), filtees
 * included, in its search-list order; a DT_AUXILIARY filtee that cannot be
 * loaded is left out. Stops at the first failure: returns 0, or a negative
 * errno with the message set (the caller unloads what came after mark). */
int deps_load_new(struct elf_object *mark);

/* Loads the objects named in list (separated by spaces or colons) for
 * LD_PRELOAD, --preload or /etc/ld.so.preload (what), appending them to
 * *pre. An object that cannot be loaded is skipped with glibc's message
 * ("ERROR: ld.so: object 'x' from WHAT cannot be preloaded (...):
 * ignored."). */
void deps_preload(const char *list, const char *what, struct elf_object ***pre,
		  size_t *npre);

/* Splitting a preload list: the next name in *list (separated by
 * spaces, colons, tabs or newlines; empty names skipped) and its length
 * in *len, advancing *list past it. NULL at the end of the list. */
const char *deps_preload_next(const char **list, size_t *len);

/* Opens, validates, maps and parses one library for requester; dlopened:
 * for dlopen, which refuses DF_1_NOOPEN objects. Returns the loaded object
 * (new, or an already loaded one) or NULL with the message set. */
struct elf_object *deps_load_one(const char *name, struct elf_object *requester,
				 bool dlopened);

/* The already-loaded object known by name (soname or path), or NULL. */
struct elf_object *deps_find_loaded(const char *name);

/* The already-loaded object that loading name for requester would give,
 * found by searching for the file and comparing its identity (device and
 * inode), as deps_load_one does; nothing is mapped (RTLD_NOLOAD). NULL
 * with the message set when no file is found, without it when the file is
 * not loaded. */
struct elf_object *deps_find_file(const char *name, struct elf_object *requester);

/* obj's own search list, as glibc's l_searchlist: obj, then its
 * dependencies breadth-first, each once, every filter's filtees just
 * before it (so a filter's filtees come before obj itself): a crt_malloc'd
 * array in *out, its length in *len. Returns 0, or -ENOMEM with the
 * message set (*out NULL). */
int deps_search_list(struct elf_object *obj, struct elf_object ***out,
		     size_t *len);

/* The same objects for init_order: obj first, then the rest of its search
 * list in order (glibc's l_initfini before its sort). Returns as
 * deps_search_list. */
int deps_init_list(struct elf_object *obj, struct elf_object ***out,
		   size_t *len);

/* Builds ld_state.global_scope: the program, then the load list in order
 * (breadth-first). */
void deps_build_global_scope(void);

#endif
