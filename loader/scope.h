/* SPDX-License-Identifier: MIT */
/*
 * Lookup scopes of objects loaded by dlopen, and what the bindings made
 * through them keep loaded. An object loaded at start-up looks its symbols
 * up in the global scope only. An object loaded by dlopen looks them up in
 * the current global scope, then in the search lists of its scope roots:
 * first the object whose dlopen loaded it, then every later dlopen'ed
 * object whose dependencies include it (glibc's l_scope). A reference
 * bound to an object that dlclose could unload and that is not among the
 * referencing object's dependencies becomes a relocation dependency
 * (glibc's l_reldeps): it stays loaded while the referencing object does.
 * Lazy binding reads scopes without a lock, so they are replaced whole and
 * the old arrays freed only once no such lookup can still be reading them.
 */
#ifndef LOADER_SCOPE_H
#define LOADER_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "loader/object.h"
#include "loader/symbol.h"

/* A replaced array waiting until no lock-free lookup can read it. */
struct scope_retired {
	struct scope_retired *next;
};

/* An object's scope roots: their search lists follow the global scope
 * (roots[0]'s precedes it with RTLD_DEEPBIND). Immutable once published. */
struct scope_roots {
	struct scope_retired retired;
	size_t len;
	struct elf_object *roots[];
};

/*
 * The global scope: the program, its preloads and their dependencies in
 * load order, then what RTLD_GLOBAL dlopens added. Replaced whole, never
 * changed in place, by scope_global_publish alone: at start-up (deps.c) and
 * under the load lock (dlopen.c). Lazy binding reads it without a lock,
 * as a counted reader (scope_reader_enter), so a replaced one is freed
 * only once no such reader is left.
 */
struct scope_global {
	struct scope_retired retired;
	size_t len;
	struct elf_object *objs[];
};

/* A new global scope with room for cap objects and len 0, for the caller
 * to fill; NULL (message set) when out of memory. Freed with crt_free
 * until published. */
struct scope_global *scope_global_new(size_t cap);
/* Makes g the global scope (cannot fail); the one it replaces is freed
 * once no lock-free lookup can read it. */
void scope_global_publish(struct scope_global *g);

/* The global scope's objects (NULL before start-up built it), *len how
 * many. A lock-free caller is a counted reader while it uses them. */
struct elf_object *const *scope_global(size_t *len);

/* An object's relocation dependencies. Only appended to (len grows,
 * published after the entry), or replaced by a larger copy. */
struct scope_reldeps {
	struct scope_retired retired;
	size_t len, cap;
	struct elf_object *objs[];
};

/* The pure list operations (no loader state; unit-tested). */

/* The index of obj in list[0..n), or n when it is not there. */
static inline size_t
scope_list_index(struct elf_object *const *list, size_t n,
		 const struct elf_object *obj)
{
	size_t i;

	for (i = 0; i < n && list[i] != obj; i++)
		;
	return i;
}

/* A new list: base's roots (base may be NULL) then add, unless base has
 * it already. NULL when out of memory (no message). */
struct scope_roots *scope_roots_with(const struct scope_roots *base,
				     struct elf_object *add);
/* A new list of base's roots (base may be NULL) that are in keep (keep
 * NULL: all of them), in order, with the first one that is not replaced
 * by instead, or instead last when every root stays (unless instead is
 * NULL or already there). NULL when out of memory (no message). */
struct scope_roots *scope_roots_filter(const struct scope_roots *base,
				       const struct object_set *keep,
				       struct elf_object *instead);
/* How many of s's roots (s may be NULL) are in keep. */
size_t scope_roots_count_in(const struct scope_roots *s,
			    const struct object_set *keep);
bool scope_roots_has(const struct scope_roots *s, const struct elf_object *root);
/* Appends obj to r (r may be NULL): returns r itself when it had room,
 * else a larger copy with obj added (r is unchanged and the caller retires
 * it), or NULL when out of memory (r unchanged, no message). */
struct scope_reldeps *scope_reldeps_append(struct scope_reldeps *r,
					   struct elf_object *obj);
bool scope_reldeps_has(const struct scope_reldeps *r, const struct elf_object *obj);

/* Whether dlclose could ever unload obj (glibc's lt_loaded): it was loaded
 * by dlopen. The program, myld, the vDSO and what start-up loaded stay. */
bool scope_unloadable(const struct elf_object *obj);

/* Gives the objects a dlopen of root just loaded (those after mark on the
 * load list, root first) their scope: root's search list, before the
 * global scope with deepbind. Returns 0, or -ENOMEM with the message set
 * (what was set is freed with the objects when the dlopen is undone). */
int scope_setup_new(struct elf_object *mark, struct elf_object *root,
		    bool deepbind);

enum scope_flags {
	/* Record a relocation dependency (relocation, lazy binding,
	 * dlsym(RTLD_DEFAULT); not dlsym with a handle). */
	SCOPE_ADD_DEPENDENCY = 1u << 0,
	/* When recording needs memory that is not there, keep the defining
	 * object for good instead of failing (glibc does the same). */
	SCOPE_PIN_ON_FAILURE = 1u << 1,
	/* The caller holds no lock (lazy binding): the lookup counts as a
	 * lock-free reader, and the definition is checked to be still
	 * loaded under the load lock before anything is recorded. */
	SCOPE_UNLOCKED = 1u << 2,
};

/* Looks req up in obj's scope: the current global scope and its roots'
 * search lists. Then notes the binding (scope_note_binding). Returns 1
 * (found, *out set), 0 (not found), or -ENOMEM with the message set
 * (recording failed; never with SCOPE_PIN_ON_FAILURE). Without
 * SCOPE_UNLOCKED the caller holds the load lock. */
int scope_lookup(struct elf_object *obj, struct symbol_request *req,
		 struct symbol_ref *out, unsigned flags);

/* What a binding of from to ref keeps loaded, with the load lock held:
 * with SCOPE_ADD_DEPENDENCY, ref->obj becomes a relocation dependency of
 * from when from might outlive it (or is pinned when from never goes
 * away); a lookup that made ref the process-wide definition of an
 * STB_GNU_UNIQUE symbol (req->new_unique) pins ref->obj, as glibc marks it
 * NODELETE. Returns 0, or -ENOMEM with the message set. */
int scope_note_binding(struct elf_object *from, const struct symbol_request *req,
		       const struct symbol_ref *ref, unsigned flags);

/* Scope changes that are prepared (allocated, may fail) before a dlopen
 * or dlclose commits, and made visible by scope_plan_commit (cannot
 * fail). Zero-initialised it is empty. */
struct scope_change {
	struct elf_object *obj;
	struct scope_roots *roots;
	bool extends;           /* gains a root (traced from it on) */
	/* A search list obj gets with roots (it becomes a root), or NULL. */
	struct elf_object **searchlist;
	size_t nsearchlist;
};
struct scope_plan {
	struct scope_change *changes;
	size_t len, cap;
};

/* dlopen of a newly loaded root: every object loaded by an earlier dlopen
 * whose initialisers have run and that root's search list includes gains
 * root as a scope root. Returns 0 or -ENOMEM with the message set. */
int scope_plan_extend(struct scope_plan *plan, struct elf_object *root);
/* dlclose: every object in alive loses the scope roots that are not; one
 * that is not a root itself becomes one in the place of the first it
 * loses, so that it keeps finding its own dependencies (glibc gives it
 * itself and its direct dependencies; here, as everywhere in myld, a
 * search list is the whole breadth-first closure). Returns 0 or -ENOMEM
 * (dlclose defers; the message may be set). */
int scope_plan_purge(struct scope_plan *plan, const struct object_set *alive);
/* Publishes the planned scopes (and tells the glibc mirror); the old ones
 * are retired. The plan is empty again. */
void scope_plan_commit(struct scope_plan *plan);
/* Drops a plan that will not be committed. */
void scope_plan_abandon(struct scope_plan *plan);

/* LD_DEBUG=scopes, in glibc's shapes: " scope N: name name ..." for one
 * list; and "object=NAME [0]" with obj's lookup scope numbered as glibc's
 * l_scope (the global scope, then its roots' search lists; with
 * RTLD_DEEPBIND the first root is scope 0), from scope number from on. */
void scope_trace_list(int n, struct elf_object *const *objs, size_t len);
void scope_trace(const struct elf_object *obj, size_t from);

/* Takes (take true) or releases the load lock, which dlopen's callers
 * hold (the dlopen observer's; there is none without one). */
void scope_load_lock(bool take);

/* Brackets a lock-free walk of scopes or of the load list (and the use of
 * what it found): dlclose frees nothing such a walk may reach until every
 * one that started has left. */
void scope_reader_enter(void);
void scope_reader_leave(void);

/* Waits until no lock-free lookup is walking a scope, then frees the
 * retired arrays. dlclose calls it with the load lock held, after no
 * scope reaches what it unmaps next. */
void scope_quiesce(void);

#endif
