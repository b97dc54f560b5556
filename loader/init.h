/* SPDX-License-Identifier: MIT */
/*
 * Initialisation and finalisation order. Dependencies are initialised
 * before the objects that need them (a depth-first post-order over
 * DT_NEEDED that survives cycles); the program's DT_PREINIT_ARRAY runs
 * first of all; per object DT_INIT then DT_INIT_ARRAY, each called with
 * (argc, argv, envp). Finalisers run in the reverse order: per object
 * DT_FINI_ARRAY backwards, then DT_FINI, each object once.
 */
#ifndef LOADER_INIT_H
#define LOADER_INIT_H

#include <stddef.h>

#include "loader/object.h"

/* Computes the order in which the objects of list[0..n) (a load list or
 * search list, in load order) are initialised; writes it to a crt_malloc'd
 * array. Returns the count, or 0 with *out NULL on OOM. */
size_t init_order(struct elf_object **list, size_t n, struct elf_object ***out);

/* ld_state.init_order (the initialisers in the order they ran, which
 * finalisers run backwards) belongs to init.c: it is changed only here,
 * under the load lock. */

/* The start-up init order: that of list[0..n), the global scope. Returns
 * 0 or -ENOMEM. */
int init_plan_startup(struct elf_object **list, size_t n);

/* Makes room for n more entries of ld_state.init_order, so that
 * init_record cannot fail once a dlopen has committed. 0 or -ENOMEM. */
int init_reserve(size_t n);

/* Records the objects of order[0..n) whose initialisers have not started
 * (room reserved by init_reserve). */
void init_record(struct elf_object *const *order, size_t n);

/* Forgets the objects not in alive (dlclose, before they are unmapped). */
void init_forget(const struct object_set *alive);

/* Runs the program's preinit array and every initialiser, in init order.
 * Records the order in ld_state.init_order for init_fini_all. */
void init_run_all(void);

/* Runs the initialisers of list[0..n) (an init order) that have not run.
 * For dlopen. */
void init_run_list(struct elf_object **list, size_t n);

/* Runs obj's finalisers if its initialisers ran and its finalisers have
 * not. For dlclose. */
void init_run_fini(struct elf_object *obj);

/* The function the program's entry receives in rdx (psABI 3.4.1): runs
 * every finaliser once, in reverse init order. Safe to call twice. From
 * then on dlclose unloads nothing (ld_state.exiting). */
void init_fini_all(void);

#endif
