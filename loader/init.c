/* SPDX-License-Identifier: MIT */
/*
 * Initialisers and finalisers, in glibc's order. The init order is a
 * depth-first post-order: starting from each object of the load list, last
 * to first, visit its DT_NEEDED dependencies in order, and emit an object
 * when all its dependencies are emitted. A cycle is cut where the walk
 * meets an object it is still visiting. For prog -> a, b; a -> c; b -> c
 * this gives c, b, a, prog — the order glibc 2.36's default sort gives.
 * The first object of the list (the program, or the object a dlopen
 * loaded) is a leaf to the walk and comes last: glibc sorts its l_initfini
 * before that first object's own dependencies are filled in, so a cycle
 * back to it does not pull it forward (dlopen(a), a -> a1, a2, a2 -> a:
 * a2, a1, a).
 * Finalisers run in the reverse of the order in which initialisers ran.
 */
#include "loader/init.h"

#include <errno.h>

#include "crt/alloc.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

struct order_builder {
	struct elf_object **out;
	size_t len;
	struct object_set seen;         /* entered, being visited or done */
	bool failed;                    /* the set could not grow */
	const struct elf_object *root;  /* list[0]: comes last, see below */
};

/* Recursion depth is bounded by the number of objects (each is visited
 * once); dependency chains of a few hundred are fine on the main stack.
 * An object met again while it is still being visited closes a cycle:
 * being in the set already, it is not entered twice. */
static void
visit(struct order_builder *b, struct elf_object *obj)
{
	size_t i;
	int added = object_set_add(&b->seen, obj);

	if (added <= 0) {
		b->failed |= added < 0;
		return;
	}
	for (i = 0; i < obj->nneeded; i++) {
		struct elf_object *dep = obj->deps[i];

		if (dep && !dep->is_main && dep != b->root)
			visit(b, dep);
	}
	b->out[b->len++] = obj;
}

size_t
init_order(struct elf_object **list, size_t n, struct elf_object ***out)
{
	struct order_builder b = { crt_calloc(n + 1, sizeof(*b.out)), 0,
				   { NULL, 0, 0 }, false, n ? list[0] : NULL };
	size_t i;

	*out = NULL;
	if (!b.out)
		return 0;
	for (i = n; i-- > 0 && !b.failed;)
		visit(&b, list[i]);
	object_set_free(&b.seen);
	if (b.failed) {
		crt_free(b.out);
		return 0;
	}
	*out = b.out;
	return b.len;
}

int
init_plan_startup(struct elf_object **list, size_t n)
{
	LD_ASSERT(ld_state.init_order == NULL);
	ld_state.init_order_len = init_order(list, n, &ld_state.init_order);
	ld_state.init_order_cap = ld_state.init_order_len;
	return ld_state.init_order ? 0 : -ENOMEM;
}

int
init_reserve(size_t n)
{
	size_t need = ld_state.init_order_len + n;
	struct elf_object **all;

	if (need <= ld_state.init_order_cap)
		return 0;
	all = crt_realloc(ld_state.init_order, (need + 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	ld_state.init_order = all;
	ld_state.init_order_cap = need;
	return 0;
}

void
init_record(struct elf_object *const *order, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (order[i]->init_started)
			continue;
		LD_ASSERT(ld_state.init_order_len < ld_state.init_order_cap);
		ld_state.init_order[ld_state.init_order_len++] = order[i];
	}
}

void
init_forget(const struct object_set *alive)
{
	size_t i, kept = 0;

	for (i = 0; i < ld_state.init_order_len; i++)
		if (object_set_has(alive, ld_state.init_order[i]))
			ld_state.init_order[kept++] = ld_state.init_order[i];
	ld_state.init_order_len = kept;
}

static void
run_init(struct elf_object *obj)
{
	size_t i;

	if (obj->init_started)
		return;
	obj->init_started = true;
	if (obj->is_main && ld_state.main_init_by_libc) {
		obj->init_done = true;
		return;
	}
	if (!obj->init && !obj->init_arraysz) {
		obj->init_done = true;
		return;
	}
	if (obj->is_main)
		TRACE(IMPCALLS, "\ninitialize program: %s\n", object_name(obj));
	else
		TRACE(IMPCALLS, "\ncalling init: %s\n", object_name(obj));
	if (obj->init)
		obj->init(ld_state.argc, ld_state.argv, ld_state.envp);
	for (i = 0; i < obj->init_arraysz; i++) {
		void (*fn)(int, char **, char **) = obj->init_array[i];

		/* 0 and -1 are placeholders some linkers leave. */
		if (fn && fn != (void (*)(int, char **, char **))-1)
			fn(ld_state.argc, ld_state.argv, ld_state.envp);
	}
	obj->init_done = true;
}

void
init_run_all(void)
{
	struct elf_object *main_obj = ld_state.main_obj;
	size_t i;

	/* The program's DT_PREINIT_ARRAY runs before any initialiser, and
	 * always here: even when libc runs the program's own DT_INIT and
	 * DT_INIT_ARRAY (glibc 2.34 and later), the preinit array is the
	 * loader's job. */
	if (main_obj) {
		if (main_obj->preinit_arraysz)
			TRACE(IMPCALLS, "\ncalling preinit: %s\n",
			      object_name(main_obj));
		for (i = 0; i < main_obj->preinit_arraysz; i++) {
			void (*fn)(int, char **, char **) = main_obj->preinit_array[i];

			if (fn && fn != (void (*)(int, char **, char **))-1)
				fn(ld_state.argc, ld_state.argv, ld_state.envp);
		}
	}
	for (i = 0; i < ld_state.init_order_len; i++) {
		struct elf_object *obj = ld_state.init_order[i];

		if (!obj->is_self && !obj->is_vdso)
			run_init(obj);
	}
}

void
init_run_list(struct elf_object **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!list[i]->is_self && !list[i]->is_vdso)
			run_init(list[i]);
}

void
init_run_fini(struct elf_object *obj)
{
	size_t i;

	if (!obj->init_done || obj->fini_done)
		return;
	obj->fini_done = true;
	if (!obj->fini && !obj->fini_arraysz)
		return;
	TRACE(IMPCALLS, "\ncalling fini: %s [0]\n", object_name(obj));
	for (i = obj->fini_arraysz; i-- > 0;) {
		void (*fn)(void) = obj->fini_array[i];

		if (fn && fn != (void (*)(void))-1)
			fn();
	}
	if (obj->fini)
		obj->fini();
}

void
init_fini_all(void)
{
	size_t i;

	ld_state.exiting = true;
	for (i = ld_state.init_order_len; i-- > 0;)
		init_run_fini(ld_state.init_order[i]);
}
