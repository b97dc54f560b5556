/* SPDX-License-Identifier: MIT */
/*
 * Symbol versioning (gABI "Symbol Versioning", DT_VERSYM/VERDEF/VERNEED).
 * version_setup builds obj->versions from the object's own definitions and
 * needs; version_check verifies that every version an object needs exists
 * in the dependency that should provide it.
 */
#ifndef LOADER_VERSION_H
#define LOADER_VERSION_H

#include <stdbool.h>

#include "loader/object.h"

/* Builds obj->versions/nversions. Validates the VERDEF/VERNEED chains
 * (offsets inside the mapping, bounded counts). Returns 0 or -ENOEXEC with
 * the message set. An object without versions gets nversions == 0. */
int version_setup(struct elf_object *obj);

/* For each DT_VERNEED entry of obj, finds the dependency with that file
 * name among obj->deps and checks it defines each required version.
 * Reports every failure on fd 2 in glibc's wording
 * ("<prog>: <lib>: version `V' not found (required by <obj>)") and
 * returns how many there were. A weak need that is missing is not an
 * error. */
int version_check(struct elf_object *obj);

enum version_verdict {
	VERSION_NO,         /* not this symbol */
	VERSION_YES,        /* the symbol wanted */
	VERSION_DEFAULT,    /* an unversioned reference meeting a versioned
			       default definition: use it if it is the
			       only one in the object */
};

/* Whether the symbol at index symidx of def (a defined symbol) satisfies
 * the wanted version (NULL: unversioned reference). newest: dlsym
 * semantics for unversioned lookups. */
enum version_verdict version_match(const struct elf_object *def, size_t symidx,
				   const struct version_entry *want, bool newest);

/* Calls fn for every version obj needs, in file order: the file named
 * in DT_VERNEED, the version, and the dependency providing it when that
 * dependency defines the version (else NULL). For ldd -v. */
void version_foreach_need(struct elf_object *obj,
			  void (*fn)(const char *file, const char *version,
				     struct elf_object *dep, void *arg),
			  void *arg);

/* The version entry for symbol index symidx of obj (its DT_VERSYM value),
 * or NULL when it has none (index 0/1 or no versym table). */
const struct version_entry *version_of(const struct elf_object *obj,
				       size_t symidx);

#endif
