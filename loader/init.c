/* SPDX-License-Identifier: MIT */
/*
 * Initialisers and finalisers, in glibc 2.36's order (its default
 * glibc.rtld.dynamic_sort=2; GLIBC_TUNABLES is not parsed, so there is no
 * choosing its older algorithm). Stage 2 and later; reachable from dlopen
 * and dlclose, so nothing here ends the process: out of memory is a
 * status. Owns ld_state.init_order and every object's initfini list.
 *
 * Theory of operation. Both orders come out of one sort (init_sort):
 * walk the objects from the last to the first; from each, depth first,
 * enter every object it depends on that the walk has not entered yet, and
 * once those are placed, place the object in front of them. Dependents so
 * come before their dependencies, and a cycle is cut where the walk meets
 * an object it is still inside. What an object depends on: a root (an
 * object a dlopen named) has its search list as it was sorted at that
 * dlopen (obj->initfini); any other object, its DT_NEEDED entries. For
 * finalisers, also its relocation dependencies, newest first; when there
 * were any, the result is walked once more with DT_NEEDED links only, so
 * that those win where the two disagree. No edge enters the program.
 * Initialisers run in the reverse of a root's sorted list; finalisers in
 * the order of a sort of every loaded object, made when they are due.
 *
 * Example (glibc's tst-bz28937): dlopen(a), a -> a1, a2, a2 -> a. a is
 * new, so a leaf to its own sort: [a, a1, a2] (a kept first); its
 * initialisers run a2, a1, a. dlopen(c), c -> a1: [c, a1]. At exit the
 * load list prog, a, a1, a2, c sorts to prog, a2, a, c, a1 (c enters a1;
 * a2 enters a, which finds a1 placed and a2 in progress): finalisers run
 * a2, a, c, a1, which is not the reverse of the init order (c a a1 a2).
 *
 * The program's own sorted list is not kept: no walk enters the program,
 * and it is the last a walk starts from. glibc enters it only when ld.so
 * was started through PT_INTERP (its l_main_map is set only when ld.so
 * runs the program itself), and then only from a library that names the
 * program in DT_NEEDED by its soname; myld behaves as glibc's ld.so run
 * explicitly, which is how glibc's own tests run.
 */
#include "loader/init.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "loader/deps.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/trace.h"

/* ---- The sort ---- */

struct sort_walk {
	struct elf_object **base, **head;   /* placed so far: head..base+n */
	struct object_set seen;             /* entered: in progress or placed */
	const struct elf_object *new_root;  /* no edge leaves it */
	bool reldeps;                       /* follow relocation dependencies */
	bool met_reldeps;                   /* ... and some object had them */
	int err;
};

static void enter(struct sort_walk *w, struct elf_object *obj);

static void
follow(struct sort_walk *w, struct elf_object *dep)
{
	if (dep && !dep->is_main && !w->err)
		enter(w, dep);
}

/* Recursion depth is bounded by the number of objects (each is entered
 * once); chains of a few thousand are fine on the main stack. */
static void
enter(struct sort_walk *w, struct elf_object *obj)
{
	const struct scope_reldeps *rd = NULL;
	size_t i;
	int added = object_set_add(&w->seen, obj);

	if (added <= 0) {
		if (added < 0)
			w->err = added;
		return;
	}
	/* A root's list starts with itself, which is entered already. */
	if (obj->initfini) {
		for (i = 0; i < obj->ninitfini; i++)
			follow(w, obj->initfini[i]);
	} else if (obj != w->new_root) {
		for (i = 0; i < obj->nneeded; i++)
			follow(w, obj->deps[i]);
	}
	/* Lazy binding appends to the list with the count published last;
	 * a whole new list is published in obj->reldeps. */
	if (w->reldeps)
		rd = __atomic_load_n(&obj->reldeps, __ATOMIC_ACQUIRE);
	if (rd) {
		w->met_reldeps = true;
		for (i = __atomic_load_n(&rd->len, __ATOMIC_ACQUIRE); i-- > 0;)
			follow(w, rd->objs[i]);
	}
	if (w->err)
		return;
	/* One more object than the input holds: an edge left it. */
	if (w->head == w->base) {
		w->err = -EINVAL;
		return;
	}
	*--w->head = obj;
}

/* One walk over maps[0..n), from the last: the result fills out[0..n). */
static int
sort_pass(struct sort_walk *w, struct elf_object *const *maps, size_t n,
	  struct elf_object **out)
{
	size_t i;

	object_set_free(&w->seen);
	w->base = out;
	w->head = out + n;
	for (i = n; i-- > 0 && !w->err;)
		enter(w, maps[i]);
	if (!w->err && w->head != out)
		w->err = -EINVAL;       /* an object twice in maps */
	return w->err;
}

int
init_sort(struct elf_object **maps, size_t n, unsigned flags)
{
	struct sort_walk w = { NULL, NULL, { NULL, 0, 0 }, NULL, false, false, 0 };
	struct elf_object **buf, **result, *first;
	size_t i;

	if (n < 2)
		return 0;
	first = maps[0];
	buf = crt_malloc(2 * n * sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	w.new_root = (flags & INIT_SORT_NEW_ROOT) ? first : NULL;
	w.reldeps = (flags & INIT_SORT_RELDEPS) != 0;
	result = buf;
	if (sort_pass(&w, maps, n, buf) < 0)
		goto out;
	if (w.met_reldeps) {
		/* The second walk starts from the first one's result, and
		 * does not put maps[0] back first: glibc's neither (the
		 * program, which no edge enters, stays first anyway). */
		w.reldeps = false;
		result = buf + n;
		if (sort_pass(&w, buf, n, result) < 0)
			goto out;
	} else if ((flags & INIT_SORT_FORCE_FIRST) && result[0] != first) {
		/* A cycle back to maps[0] placed it later: move it to the
		 * front, the others keep their order. */
		i = scope_list_index(result, n, first);
		memmove(result + 1, result, i * sizeof(*result));
		result[0] = first;
	}
	memcpy(maps, result, n * sizeof(*maps));
out:
	object_set_free(&w.seen);
	crt_free(buf);
	return w.err;
}

/* ---- The init order ---- */

/* Makes room for n more entries of ld_state.init_order, so that record
 * cannot fail once a dlopen has committed. 0 or -ENOMEM. */
static int
reserve(size_t n)
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

/* Records obj unless its initialisers have started (room reserved). */
static void
record(struct elf_object *obj)
{
	if (obj->init_started)
		return;
	LD_ASSERT(ld_state.init_order_len < ld_state.init_order_cap);
	ld_state.init_order[ld_state.init_order_len++] = obj;
}

int
init_plan_startup(struct elf_object *const *list, size_t n)
{
	struct elf_object **sorted;
	size_t i;

	LD_ASSERT(ld_state.init_order == NULL);
	sorted = crt_malloc((n + 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	memcpy(sorted, list, n * sizeof(*sorted));
	if (init_sort(sorted, n, INIT_SORT_FORCE_FIRST | INIT_SORT_NEW_ROOT) < 0) {
		crt_free(sorted);
		return -ENOMEM;
	}
	/* Dependencies first: the sorted list backwards, in place. */
	for (i = 0; i < n / 2; i++) {
		struct elf_object *t = sorted[i];

		sorted[i] = sorted[n - 1 - i];
		sorted[n - 1 - i] = t;
	}
	ld_state.init_order = sorted;
	ld_state.init_order_len = ld_state.init_order_cap = n;
	return 0;
}

/* root itself, then its DT_NEEDED entries, each once: the list glibc's
 * dlclose gives an object it makes a root. Returns 0 or -ENOMEM. */
static int
own_list(struct elf_object *root, struct elf_object ***out, size_t *len)
{
	struct elf_object **list = crt_malloc((root->nneeded + 1) * sizeof(*list));
	size_t i, n = 0;

	if (!list)
		return -ENOMEM;
	list[n++] = root;
	for (i = 0; i < root->nneeded; i++)
		if (root->deps[i] && scope_list_index(list, n, root->deps[i]) == n)
			list[n++] = root->deps[i];
	*out = list;
	*len = n;
	return 0;
}

int
init_plan_open(struct init_plan *plan, struct elf_object *root, bool fresh)
{
	int err;

	memset(plan, 0, sizeof(*plan));
	plan->root = root;
	if (root->initfini) {
		/* Opened as a root before: glibc sorts a root's list once. */
		plan->sorted = root->initfini;
		plan->len = root->ninitfini;
	} else if (!fresh && root->searchlist) {
		/* A dlclose made it a root (scope_plan_purge): glibc's gives
		 * it itself and its DT_NEEDED entries as its list then, and
		 * does not sort it when it is opened later. Its walks keep
		 * leaving it through those entries. */
		if (own_list(root, &plan->sorted, &plan->len) < 0)
			goto oom;
		plan->owned = true;
	} else {
		/* The root first, then its filtees, then the rest: the
		 * shape glibc gives l_initfini (deps_init_list). */
		if (deps_init_list(root, &plan->sorted, &plan->len) < 0) {
			memset(plan, 0, sizeof(*plan));
			return -ENOMEM;
		}
		plan->owned = plan->keep = true;
		err = init_sort(plan->sorted, plan->len, INIT_SORT_FORCE_FIRST |
				(fresh ? INIT_SORT_NEW_ROOT : 0));
		if (err == -EINVAL) {
			ld_error("%s: cannot create init order: a dependency "
				 "outside the search list", root->path);
			init_plan_abandon(plan);
			return err;
		}
		if (err < 0)
			goto oom;
	}
	if (reserve(plan->len) < 0)
		goto oom;
	return 0;
oom:
	ld_error("%s: cannot create init order: out of memory", root->path);
	init_plan_abandon(plan);
	return -ENOMEM;
}

/* Calls fn[0..n) with (argc, argv, envp); 0 and -1 are placeholders
 * some linkers leave. */
static void
call_inits(void (*const *fn)(int, char **, char **), size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (fn[i] && fn[i] != (void (*)(int, char **, char **))-1)
			fn[i](ld_state.argc, ld_state.argv, ld_state.envp);
}

/* myld and the vDSO have no initialisers of their own to run here. */
static void
run_init(struct elf_object *obj)
{
	if (obj->init_started || obj->is_self || obj->is_vdso)
		return;
	obj->init_started = true;
	if ((obj->is_main && ld_state.main_init_by_libc) ||
	    (!obj->init && !obj->init_arraysz)) {
		obj->init_done = true;
		return;
	}
	if (obj->is_main)
		TRACE(IMPCALLS, "\ninitialize program: %s\n", object_name(obj));
	else
		TRACE(IMPCALLS, "\ncalling init: %s\n", object_name(obj));
	if (obj->init)
		obj->init(ld_state.argc, ld_state.argv, ld_state.envp);
	call_inits(obj->init_array, obj->init_arraysz);
	obj->init_done = true;
}

void
init_plan_run(struct init_plan *plan)
{
	struct elf_object *root = plan->root, **sorted = plan->sorted;
	struct elf_object **spare = NULL;
	size_t i, n = plan->len;

	if (plan->keep && !root->initfini) {
		root->initfini = sorted;
		root->ninitfini = n;
	} else if (plan->owned) {
		spare = sorted;         /* freed once its initialisers ran */
	}
	memset(plan, 0, sizeof(*plan));
	/* The root stays loaded while they run (its dlopen holds it), and
	 * with it its list. */
	for (i = n; i-- > 0;)
		record(sorted[i]);
	for (i = n; i-- > 0;)
		run_init(sorted[i]);
	crt_free(spare);
}

void
init_plan_abandon(struct init_plan *plan)
{
	if (plan->owned)
		crt_free(plan->sorted);
	memset(plan, 0, sizeof(*plan));
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
		call_inits(main_obj->preinit_array, main_obj->preinit_arraysz);
	}
	for (i = 0; i < ld_state.init_order_len; i++)
		run_init(ld_state.init_order[i]);
}

void
init_run_fini(struct elf_object *obj)
{
	size_t i;

	if (!obj->init_done || obj->fini_done)
		return;
	obj->fini_done = true;
	/* As glibc: a line for every initialised object, destructors or
	 * not, with its link-map name ("" for the program). */
	TRACE(IMPCALLS, "\ncalling fini: %s [0]\n", obj->is_main ? "" : object_name(obj));
	if (!obj->fini && !obj->fini_arraysz)
		return;
	for (i = obj->fini_arraysz; i-- > 0;) {
		void (*fn)(void) = obj->fini_array[i];

		if (fn && fn != (void (*)(void))-1)
			fn();
	}
	if (obj->fini)
		obj->fini();
}

/* ---- The fini order ---- */

int
init_fini_order(struct elf_object ***out, size_t *n)
{
	struct elf_object **maps, *o, *self = ld_state.self_obj;
	size_t len = 0, cap = ld_state.nobjects + 1;
	bool self_listed = self == NULL;
	int err;

	*out = NULL;
	*n = 0;
	maps = crt_malloc(cap * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	for (o = ld_state.head; o && len < cap; o = o->next) {
		maps[len++] = o;
		self_listed |= o == self;
	}
	/* myld is on the load list only when a start-up object needs it;
	 * an object loaded later may need it all the same. */
	if (!self_listed && len < cap)
		maps[len++] = self;
	err = init_sort(maps, len, INIT_SORT_FORCE_FIRST | INIT_SORT_RELDEPS);
	if (err < 0) {
		crt_free(maps);
		return err;
	}
	*out = maps;
	*n = len;
	return 0;
}

void
init_fini_all(void)
{
	struct elf_object **order;
	size_t n, i;
	int err;

	/* From here on a dlclose (one that finalisers make included) only
	 * drops its reference: nothing sorted below goes away. A dlclose
	 * already under way holds the load lock until it is done. */
	ld_state.exiting = true;
	scope_load_lock(true);
	err = init_fini_order(&order, &n);
	scope_load_lock(false);
	if (err < 0) {
		/* No memory to sort: the reverse of the order initialisers
		 * ran in, which a finaliser's dlopen may extend. */
		for (i = ld_state.init_order_len; i-- > 0;)
			init_run_fini(ld_state.init_order[i]);
		return;
	}
	/* Unlocked, as glibc: a finaliser may dlopen or dlclose. What it
	 * opens now is not finalised (glibc's list is fixed too). */
	for (i = 0; i < n; i++)
		init_run_fini(order[i]);
	crt_free(order);
}
