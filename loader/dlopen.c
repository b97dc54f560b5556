/* SPDX-License-Identifier: MIT */
/*
 * Run-time loading (dlopen/dlclose), on the same core as start-up: the
 * search, mapping, versions, TLS and relocation modules. What differs from
 * start-up: errors are not printed but recorded (the first one wins) and
 * everything the failed call added is undone; a new object is relocated in
 * its own scope (scope.c: the global scope, then the search list of the
 * object the dlopen named, or the other way round with RTLD_DEEPBIND), and
 * objects already loaded that the new one needs gain its search list;
 * RTLD_GLOBAL adds its search list to the global scope; unloading is
 * decided by reachability: an object stays while it was loaded at
 * start-up, is NODELETE or pinned, still has dlopen references, or is a
 * dependency or relocation dependency of something that stays.
 */
#include "loader/dlopen.h"

#include <errno.h>
#include <link.h>

#include "crt/alloc.h"
#include "machdep.h"
#include "loader/debug.h"
#include "loader/deps.h"
#include "loader/error.h"
#include "loader/init.h"
#include "loader/map.h"
#include "loader/reloc.h"
#include "loader/scope.h"
#include "loader/stack.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "loader/tls.h"
#include "loader/trace.h"
#include "loader/version.h"

struct elf_object *
dlopen_object_at(const void *addr)
{
	struct elf_object *obj;
	uintptr_t a = (uintptr_t)addr;

	/* Lock-free (see deps_list_append); callers without the load lock
	 * hold a scope reader count while they use the result. */
	for (obj = __atomic_load_n(&ld_state.head, __ATOMIC_ACQUIRE); obj;
	     obj = __atomic_load_n(&obj->next, __ATOMIC_ACQUIRE))
		if (a >= obj->map_start && a < obj->map_end)
			return obj;
	return NULL;
}

/* Unloads the objects after mark (NULL: from the head) that alive does
 * not hold (alive NULL: all of them). They leave the load list first,
 * then the lock-free readers that may still stand on them (a lazy
 * binding, _dl_find_object) are waited for, which also frees the scope
 * arrays retired meanwhile, then they are freed. Newest first: static TLS
 * blocks go back to the surplus only from its top, and the newest objects
 * hold the topmost blocks. */
static void
unload_after(struct elf_object *mark, const struct object_set *alive)
{
	struct elf_object *o, *prev, *doomed = NULL, **last = &doomed;

	for (o = ld_state.tail; o && o != mark; o = prev) {
		prev = o->prev;
		if (alive && object_set_has(alive, o))
			continue;
		if (ld_state.observer && ld_state.observer->removed && o->adapter)
			ld_state.observer->removed(o);
		deps_list_remove(o);
		o->unload_next = NULL;
		*last = o;
		last = &o->unload_next;
	}
	scope_quiesce();
	for (o = doomed; o; o = prev) {
		prev = o->unload_next;
		symbol_forget_object(o);
		tls_release(o);
		map_unmap(o);
		object_free(o);
	}
}

static void
init_block_in(void *tp, void *arg)
{
	tls_init_static_block(arg, tp);
}

static int
prepare_new(struct elf_object *mark, int mode)
{
	struct elf_object *obj;

	for (obj = mark->next; obj; obj = obj->next)
		if (version_setup(obj) < 0)
			return -ENOEXEC;
	for (obj = mark->next; obj; obj = obj->next)
		if (version_check(obj))
			return -ENOEXEC;
	for (obj = mark->next; obj; obj = obj->next) {
		if (mode & DLOPEN_NOW)
			obj->bind_now = true;
		/* DF_STATIC_TLS objects use initial-exec TLS: they need a
		 * block in the static area, from the surplus. */
		if (obj->tls_memsz &&
		    tls_assign(obj, (obj->flags & DF_STATIC_TLS) != 0) < 0)
			return -ENOMEM;
		if (obj->flags_1 & DF_1_NODELETE)
			obj->nodelete = true;
		if (stack_apply_flags(obj) < 0)
			return -EPERM;
	}
	tls_publish();
	if (ld_state.observer && ld_state.observer->added)
		for (obj = mark->next; obj; obj = obj->next)
			if (ld_state.observer->added(obj) < 0)
				return -ENOMEM;
	return 0;
}

/* Relocates the new objects, dependencies first, each in its own scope
 * (scope_setup_new gave it one). */
static int
relocate_new(struct elf_object *mark)
{
	struct elf_object *o;
	int failures = 0;

	for (o = ld_state.tail; o != mark && failures == 0; o = o->prev)
		failures += reloc_object(o, NULL, 0);
	if (failures == 0)
		failures = reloc_finish();
	if (failures)
		return -ENOEXEC;
	for (o = mark->next; o; o = o->next) {
		/* An initial-exec TLS library opened late: its block must
		 * exist in every thread that runs now (new threads copy it
		 * from the images). */
		if (o->tls_offset && ld_state.observer &&
		    ld_state.observer->each_thread)
			ld_state.observer->each_thread(init_block_in, o);
		else if (o->tls_offset)
			tls_init_static_block(o, arch_thread_pointer());
		if (map_protect_relro(o) < 0)
			return -EPERM;
	}
	return 0;
}

/* Makes the global scope the objects of the current one that keep holds
 * (keep NULL: all of them), then those of add[0..nadd) it lacks, when that
 * changes it: the adapter's mirror first, which may fail. Returns 0, or
 * -ENOMEM with the message set and nothing changed. */
static int
change_scope(const struct object_set *keep, struct elf_object *const *add,
	     size_t nadd)
{
	size_t nglobal, kept = 0, i;
	struct elf_object *const *global = scope_global(&nglobal);
	struct scope_global *g;

	for (i = 0; i < nglobal; i++)
		kept += !keep || object_set_has(keep, global[i]);
	/* The program is never unloaded. */
	LD_ASSERT(!keep || kept > 0);
	if (kept == nglobal && !nadd)
		return 0;
	g = scope_global_new(kept + nadd);
	if (!g)
		return -ENOMEM;
	for (i = 0; i < nglobal; i++)
		if (!keep || object_set_has(keep, global[i]))
			g->objs[g->len++] = global[i];
	for (i = 0; i < nadd; i++) {
		if (scope_list_index(g->objs, g->len, add[i]) < g->len)
			continue;
		g->objs[g->len++] = add[i];
		TRACE(SCOPES, "\nadd %s [0] to global scope", object_name(add[i]));
	}
	if (g->len == nglobal) {
		crt_free(g);
		return 0;
	}
	if (ld_state.observer && ld_state.observer->scope_changed &&
	    ld_state.observer->scope_changed(g->objs, g->len) < 0) {
		crt_free(g);
		return -ENOMEM;
	}
	scope_global_publish(g);
	return 0;
}

/* RTLD_GLOBAL: obj's search list joins the global scope. */
static int
make_global(struct elf_object *obj)
{
	struct elf_object **list;
	size_t n;
	int err = deps_search_list(obj, &list, &n);

	if (!err)
		err = change_scope(NULL, list, n);
	crt_free(list);
	return err;
}

struct elf_object *
dlopen_object(const char *name, int mode, const void *caller)
{
	struct elf_object *mark = ld_state.tail, *obj, *requester;
	struct scope_plan plan = { NULL, 0, 0 };
	struct init_plan inits;
	int err;

	if (!name || !*name) {
		ld_state.main_obj->open_count++;
		return ld_state.main_obj;
	}
	requester = dlopen_object_at(caller);
	if (!requester)
		requester = ld_state.main_obj;
	obj = deps_find_loaded(name);
	/* NOLOAD: the file a search finds may be loaded under another name
	 * (a DT_NEEDED path, a symbolic link); a missing file is an error. */
	if (!obj && (mode & DLOPEN_NOLOAD)) {
		obj = deps_find_file(name, requester);
		if (!obj)
			return NULL;
	}
	if (!obj) {
		debug_state(RT_ADD);
		obj = deps_load_one(name, requester, true);
		if (!obj)
			goto fail;
		if (mark->next) {
			err = deps_load_new(mark);
			if (!err)
				err = scope_setup_new(mark, obj,
						      (mode & DLOPEN_DEEPBIND) != 0);
			if (!err)
				scope_trace(obj, 0);
			if (!err)
				err = prepare_new(mark, mode);
			if (!err)
				err = relocate_new(mark);
			if (err)
				goto fail;
		}
		debug_state(RT_CONSISTENT);
	}
	/* The last steps that can fail (out of memory): nothing of the new
	 * objects has run yet, so they can still be taken back. */
	if (init_plan_open(&inits, obj, mark->next == obj) < 0)
		goto fail_relocated;
	/* A new root: what it needs that earlier dlopens loaded sees its
	 * search list too (glibc does this for a new object only). */
	if ((mark->next && scope_plan_extend(&plan, obj) < 0) ||
	    ((mode & DLOPEN_GLOBAL) && make_global(obj) < 0)) {
		scope_plan_abandon(&plan);
		init_plan_abandon(&inits);
		goto fail_relocated;
	}
	scope_plan_commit(&plan);
	if (mode & DLOPEN_NODELETE)
		obj->nodelete = true;
	obj->open_count++;
	init_plan_run(&inits);
	TRACE(FILES, "opening file=%s [0]; direct_opencount=%u", object_name(obj),
	      obj->open_count);
	return obj;
fail_relocated:
	if (!mark->next)
		return NULL;
	debug_state(RT_DELETE);
fail:
	/* Also frees the arrays the new objects replaced while relocating
	 * (relocation dependencies): nothing of the call is left. */
	unload_after(mark, NULL);
	reloc_drop_pending();
	debug_state(RT_CONSISTENT);
	return NULL;
}

/* Collects into alive everything that must stay loaded: what start-up
 * loaded, what is NODELETE, pinned or still open, and what those depend
 * on, through DT_NEEDED or relocation dependencies. Returns 0, or -ENOMEM
 * (alive then holds part of the answer only). */
static int
mark_alive(struct object_set *alive)
{
	struct elf_object *obj, **todo;
	size_t ntodo = 0, i;
	int err = 0;

	object_set_free(alive);
	todo = crt_malloc((ld_state.nobjects + 1) * sizeof(*todo));
	if (!todo)
		return -ENOMEM;
	for (obj = ld_state.head; obj; obj = obj->next) {
		if (scope_unloadable(obj) && !obj->nodelete && !obj->pinned &&
		    !obj->open_count)
			continue;
		err = object_set_add(alive, obj);
		if (err < 0)
			goto out;
		if (err > 0)
			todo[ntodo++] = obj;
	}
	while (ntodo) {
		const struct scope_reldeps *rd;
		size_t nrd;

		obj = todo[--ntodo];
		rd = obj->reldeps;
		nrd = rd ? rd->len : 0;
		for (i = 0; i < obj->nneeded + nrd; i++) {
			struct elf_object *dep = i < obj->nneeded ? obj->deps[i] :
						 rd->objs[i - obj->nneeded];

			if (!dep)
				continue;
			err = object_set_add(alive, dep);
			if (err < 0)
				goto out;
			/* Each object enters todo once: nobjects is enough. */
			if (err > 0)
				todo[ntodo++] = dep;
		}
	}
	err = 0;
out:
	crt_free(todo);
	return err;
}

/* Runs the finalisers of everything no longer needed, in the order glibc
 * does (init_fini_order: every loaded object sorted, dependents first).
 * A finaliser may itself call dlopen or dlclose: a nested dlclose only
 * drops its reference and asks for another round here, with a new sort,
 * and after every finaliser the set of live objects is computed anew, so
 * that what the finaliser opened (or what it kept in use) is not
 * finalised. Nothing is unloaded meanwhile: the sorted list stays valid. */
static int
run_doomed_finis(struct object_set *alive)
{
	struct elf_object **order;
	size_t n, i;
	int err = 0;

	do {
		ld_state.close_again = false;
		if (mark_alive(alive) < 0 || init_fini_order(&order, &n) < 0)
			return -ENOMEM;
		for (i = 0; i < n && err == 0; i++) {
			struct elf_object *o = order[i];

			if (object_set_has(alive, o) || o->fini_done)
				continue;
			init_run_fini(o);
			err = mark_alive(alive);
		}
		crt_free(order);
	} while (err == 0 && ld_state.close_again);
	return err;
}

/* Unloads every object not in alive, if there is one: no scope reaches
 * them any more (unload_after says how they go). */
static void
discard_doomed(const struct object_set *alive)
{
	struct elf_object *o;

	for (o = ld_state.head; o && object_set_has(alive, o); o = o->next)
		;
	if (!o)
		return;
	debug_state(RT_DELETE);
	unload_after(NULL, alive);
	debug_state(RT_CONSISTENT);
}

int
dlopen_close(struct elf_object *obj)
{
	struct object_set alive = { NULL, 0, 0 };
	struct scope_plan plan = { NULL, 0, 0 };

	if (!obj || obj->open_count == 0) {
		ld_error("shared object not open");
		return -EINVAL;
	}
	obj->open_count--;
	if (obj->open_count || ld_state.exiting)
		return 0;
	if (ld_state.closing) {
		ld_state.close_again = true;
		return 0;
	}
	ld_state.closing = true;
	if (run_doomed_finis(&alive) < 0 || mark_alive(&alive) < 0)
		goto defer;
	init_forget(&alive);
	/* Survivors forget the scope roots that go (their search lists
	 * with them); their relocation dependencies are alive already. */
	if (scope_plan_purge(&plan, &alive) < 0 ||
	    change_scope(&alive, NULL, 0) < 0)
		goto defer;
	scope_plan_commit(&plan);
	discard_doomed(&alive);
	object_set_free(&alive);
	ld_state.closing = false;
	return 0;
defer:
	/* Out of memory: what is no longer needed stays mapped (its
	 * finalisers may have run) until a later dlclose can drop it. The
	 * reference is given back all the same: dlclose succeeded. */
	TRACE(FILES, "%s", "\nunloading deferred: out of memory");
	scope_plan_abandon(&plan);
	object_set_free(&alive);
	ld_state.closing = false;
	return 0;
}
