/* SPDX-License-Identifier: MIT */
/*
 * Loading and unloading objects at run time (dlopen, dlclose, dlsym),
 * libc-agnostic: the glibc adapter's _dl_open/_dl_close/_dl_lookup_symbol_x
 * hooks call these and turn failures into libc's error raising. A failed
 * dlopen leaves nothing behind: no mapping, no load-list entry, no TLS
 * module id, nothing in any scope.
 */
#ifndef LOADER_DLOPEN_H
#define LOADER_DLOPEN_H

#include <stdbool.h>
#include <stddef.h>

#include "loader/object.h"

/* dlopen mode bits (<dlfcn.h>). */
#define DLOPEN_LAZY 0x00001
#define DLOPEN_NOW 0x00002
#define DLOPEN_NOLOAD 0x00004
#define DLOPEN_DEEPBIND 0x00008
#define DLOPEN_GLOBAL 0x00100
#define DLOPEN_NODELETE 0x01000

/* Opens name (NULL or "": the program) for the code at caller, which
 * decides $ORIGIN and DT_RPATH. Returns the object with one more
 * reference, or NULL: with the error message set, except for NOLOAD of
 * a file that exists and is not loaded (no error, as glibc). Callers hold
 * the load lock. */
struct elf_object *dlopen_object(const char *name, int mode, const void *caller);

/* Drops one reference taken by dlopen_object; unloads what nothing needs
 * any more (finalisers first, dependents before dependencies). Returns 0
 * or -EINVAL with the message set for a bad handle. */
int dlopen_close(struct elf_object *obj);

/* The loaded object whose mapped span contains addr, or NULL. */
struct elf_object *dlopen_object_at(const void *addr);

/* Called by the glibc adapter whenever objects are added or removed, to
 * keep its mirror current (set at start-up; NULL without libc). */
struct link_map;

struct dlopen_observer {
	int (*added)(struct elf_object *obj);
	void (*removed)(struct elf_object *obj);
	/* The global scope is about to become scope[0..len): 0, or
	 * -ENOMEM with the message set and nothing changed. */
	int (*scope_changed)(struct elf_object *const *scope, size_t len);
	/* obj's scope (scope.h) is about to have nroots roots: make room
	 * for them in the mirror. 0, or -ENOMEM with nothing visible
	 * changed; the room may stay unused. */
	int (*scope_reserve)(struct elf_object *obj, size_t nroots);
	/* obj->scope changed: mirror it (room was reserved). */
	void (*scope_sync)(struct elf_object *obj);
	/* The load lock that callers of dlopen_object hold (recursive);
	 * lazy binding takes it to record a relocation dependency. */
	void (*lock)(void);
	void (*unlock)(void);
	/* The link maps a debugger is to read (the adapter's own, which
	 * begin as struct link_map does), brought up to date; without it,
	 * debug.c's. */
	struct link_map *(*debug_maps)(void);
	/* Calls fn with the thread pointer of every thread of the process
	 * (only the libc knows them); without it, the calling thread. */
	void (*each_thread)(void (*fn)(void *tp, void *arg), void *arg);
	/* The main thread's stack has become executable (stack.c): make
	 * the other threads' stacks executable too, and those libc creates
	 * from now on. 0, or -errno. */
	int (*stacks_executable)(void);
};

#endif
