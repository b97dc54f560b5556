/* SPDX-License-Identifier: MIT */
/*
 * Initialisation and finalisation order, glibc 2.36's (its default
 * glibc.rtld.dynamic_sort=2). One sort serves both: a depth-first walk
 * over the objects' dependencies that lists dependents before what they
 * depend on. Initialisers run in the reverse of a root's sorted search
 * list (the program's at start-up, a dlopen'ed object's at dlopen), the
 * program's DT_PREINIT_ARRAY first of all, per object DT_INIT then
 * DT_INIT_ARRAY, each called with (argc, argv, envp). Finalisers run in
 * the order of a sort of every loaded object made when they are due (at
 * exit, at dlclose), relocation dependencies included: per object
 * DT_FINI_ARRAY backwards, then DT_FINI, each object once.
 */
#ifndef LOADER_INIT_H
#define LOADER_INIT_H

#include <stdbool.h>
#include <stddef.h>

#include "loader/object.h"

/* How init_sort treats its input. */
enum init_sort_flags {
	/* maps[0] stays first (the program, or the root of a dlopen). */
	INIT_SORT_FORCE_FIRST = 1u << 0,
	/* For finalisers: relocation dependencies count as dependencies,
	 * and where they met, a second pass lets DT_NEEDED win. */
	INIT_SORT_RELDEPS = 1u << 1,
	/* maps[0] is the root a dlopen has just loaded: its own list does
	 * not exist yet, so no edge leaves it. */
	INIT_SORT_NEW_ROOT = 1u << 2,
};

/* Sorts maps[0..n) (in load order) so that an object comes before the
 * objects it depends on, as glibc's _dl_sort_maps with its default
 * algorithm does: a walk from the last to the first, each object followed
 * by its sorted search list if it is a root (obj->initfini), else by its
 * DT_NEEDED dependencies, then (INIT_SORT_RELDEPS) by its relocation
 * dependencies newest first; the program is never entered through an
 * edge. Every edge must stay inside maps. Returns 0, -ENOMEM, or -EINVAL
 * when an edge left maps (a bug); then maps is unchanged. No message. */
int init_sort(struct elf_object **maps, size_t n, unsigned flags);

/* ld_state.init_order (the initialisers in the order they were planned
 * to run; the finalisers' order only when memory to sort is lacking at
 * exit) belongs to init.c: it is changed only here, under the load
 * lock. So is obj->initfini. */

/* The start-up init order: that of list[0..n), the global scope (the
 * program first). Returns 0 or -ENOMEM. */
int init_plan_startup(struct elf_object *const *list, size_t n);

/* The initialisers a dlopen will run, planned before the dlopen commits:
 * its root's search list sorted (glibc's l_initfini), which the root
 * keeps once it runs. */
struct init_plan {
	struct elf_object *root;
	struct elf_object **sorted;     /* dependents first */
	size_t len;
	bool owned;                     /* sorted is the plan's */
	bool keep;                      /* ... and becomes root->initfini */
};

/* Plans the initialisers of a dlopen of root: its search list (itself,
 * then its dependencies breadth-first), sorted. fresh: root was loaded by
 * this dlopen (else its own DT_NEEDED entries take part in the sort, as
 * in glibc's). A root that has its sorted list already keeps it; one
 * that a dlclose made a root (it has a searchlist, scope.h) is not
 * sorted: itself and its DT_NEEDED entries, as glibc. Makes
 * room in ld_state.init_order, so that init_plan_run cannot fail. Returns
 * 0, or -ENOMEM (-EINVAL: init_sort's) with the message set (the plan is
 * empty). */
int init_plan_open(struct init_plan *plan, struct elf_object *root, bool fresh);

/* Commits the plan: root keeps its sorted list, the objects' initialisers
 * that have not started run, dependencies first. The plan is empty
 * again. */
void init_plan_run(struct init_plan *plan);

/* Drops a plan that will not run. */
void init_plan_abandon(struct init_plan *plan);

/* Forgets the objects not in alive (dlclose, before they are unmapped). */
void init_forget(const struct object_set *alive);

/* Every loaded object in the order glibc finalises them (init_sort of
 * the load list, the program first, relocation dependencies included):
 * a crt_malloc'd array in *out, its length in *n. Call with the load
 * lock held. Returns 0, or -ENOMEM (no message; *out NULL). */
int init_fini_order(struct elf_object ***out, size_t *n);

/* Runs the program's preinit array and every initialiser, in init order.
 * Records the order in ld_state.init_order. */
void init_run_all(void);

/* Runs obj's finalisers if its initialisers ran and its finalisers have
 * not. For dlclose. */
void init_run_fini(struct elf_object *obj);

/* The function the program's entry receives in rdx (psABI 3.4.1): runs
 * every finaliser once, in init_fini_order (when it cannot get memory,
 * in reverse init order). Safe to call twice. From then on dlclose
 * unloads nothing (ld_state.exiting). */
void init_fini_all(void);

#endif
