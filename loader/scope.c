/* SPDX-License-Identifier: MIT */
/*
 * Lookup scopes of objects loaded by dlopen, and relocation dependencies.
 * Stage 2 and later; reachable from dlopen, dlclose and lazy binding, so
 * nothing here ends the process: out of memory is an error or, where
 * glibc does so, keeps an object loaded for good.
 *
 * Example: dlopen("a.so") loads a.so and its dependency s.so; both get
 * the scope roots [a.so]: they look up in the global scope, then in a.so's
 * search list (a.so, s.so). dlopen("b.so"), which also needs s.so, gives
 * s.so the roots [a.so, b.so]. When s.so's lazy binding of `hook' finds it
 * in b.so, b.so becomes a relocation dependency of s.so: dlclose of b.so
 * leaves it loaded while s.so is. dlclose of a.so then purges a.so from
 * the roots of s.so: [b.so].
 *
 * Concurrency: lazy binding walks scopes without a lock, while holding
 * ld_state.scope_readers up; every writer holds the load lock, publishes
 * new arrays whole, and frees the replaced ones only when no reader is
 * counted (scope_quiesce waits for that before dlclose unmaps anything).
 */
#include "loader/scope.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/deps.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

struct scope_roots *
scope_roots_with(const struct scope_roots *base, struct elf_object *add)
{
	return scope_roots_filter(base, NULL, add);
}

size_t
scope_roots_count_in(const struct scope_roots *s, const struct object_set *keep)
{
	size_t i, n = 0;

	for (i = 0; s && i < s->len; i++)
		n += object_set_has(keep, s->roots[i]);
	return n;
}

struct scope_roots *
scope_roots_filter(const struct scope_roots *base, const struct object_set *keep,
		   struct elf_object *instead)
{
	size_t n = base ? base->len : 0, i;
	struct scope_roots *s;

	if (scope_roots_has(base, instead))
		instead = NULL;
	s = crt_malloc(sizeof(*s) + (n + 1) * sizeof(s->roots[0]));
	if (!s)
		return NULL;
	s->retired.next = NULL;
	s->len = 0;
	for (i = 0; i < n; i++) {
		if (!keep || object_set_has(keep, base->roots[i])) {
			s->roots[s->len++] = base->roots[i];
		} else if (instead) {
			s->roots[s->len++] = instead;
			instead = NULL;
		}
	}
	/* No root went: the new one comes last. */
	if (instead)
		s->roots[s->len++] = instead;
	return s;
}

bool
scope_roots_has(const struct scope_roots *s, const struct elf_object *root)
{
	return s && scope_list_index(s->roots, s->len, root) < s->len;
}

struct scope_reldeps *
scope_reldeps_append(struct scope_reldeps *r, struct elf_object *obj)
{
	struct scope_reldeps *bigger;
	size_t cap;

	if (r && r->len < r->cap) {
		/* The entry first, then the count: a lock-free reader that
		 * sees the new count sees the entry. */
		r->objs[r->len] = obj;
		__atomic_store_n(&r->len, r->len + 1, __ATOMIC_RELEASE);
		return r;
	}
	cap = r ? r->cap * 2 : 4;
	bigger = crt_malloc(sizeof(*bigger) + cap * sizeof(bigger->objs[0]));
	if (!bigger)
		return NULL;
	bigger->retired.next = NULL;
	bigger->cap = cap;
	bigger->len = r ? r->len : 0;
	if (r)
		memcpy(bigger->objs, r->objs, r->len * sizeof(r->objs[0]));
	bigger->objs[bigger->len++] = obj;
	return bigger;
}

bool
scope_reldeps_has(const struct scope_reldeps *r, const struct elf_object *obj)
{
	size_t n = r ? __atomic_load_n(&r->len, __ATOMIC_ACQUIRE) : 0;

	return n && scope_list_index(r->objs, n, obj) < n;
}

bool
scope_unloadable(const struct elf_object *obj)
{
	return !(obj->at_startup || obj->is_main || obj->is_self || obj->is_vdso);
}

void
scope_load_lock(bool take)
{
	const struct dlopen_observer *ob = ld_state.observer;
	void (*fn)(void) = !ob ? NULL : take ? ob->lock : ob->unlock;

	if (fn)
		fn();
}

/* Puts a replaced array on the list freed by free_retired. */
static void
retire(struct scope_retired *r)
{
	if (!r)
		return;
	r->next = ld_state.scope_retired;
	ld_state.scope_retired = r;
}

/* Frees the retired arrays when no lock-free lookup is counted. A lookup
 * counted later loads the pointers after they were replaced (both sides
 * are sequentially consistent), so it cannot see a retired array. */
static void
free_retired(bool wait)
{
	struct scope_retired *r, *next;

	while (__atomic_load_n(&ld_state.scope_readers, __ATOMIC_SEQ_CST)) {
		if (!wait)
			return;
		sys_sched_yield();
	}
	for (r = ld_state.scope_retired; r; r = next) {
		next = r->next;
		crt_free(r);
	}
	ld_state.scope_retired = NULL;
}

void
scope_reader_enter(void)
{
	__atomic_add_fetch(&ld_state.scope_readers, 1, __ATOMIC_SEQ_CST);
}

void
scope_reader_leave(void)
{
	__atomic_sub_fetch(&ld_state.scope_readers, 1, __ATOMIC_RELEASE);
}

void
scope_quiesce(void)
{
	free_retired(true);
}

int
scope_setup_new(struct elf_object *mark, struct elf_object *root, bool deepbind)
{
	struct elf_object *o;

	if (!root->searchlist &&
	    deps_search_list(root, &root->searchlist, &root->nsearchlist) < 0)
		return -ENOMEM;
	for (o = mark->next; o; o = o->next) {
		o->scope = scope_roots_with(NULL, root);
		if (!o->scope) {
			ld_error("%s: cannot create scope list: out of memory",
				 o->path);
			return -ENOMEM;
		}
		o->deepbind = deepbind;
	}
	return 0;
}

struct scope_global *
scope_global_new(size_t cap)
{
	struct scope_global *g = crt_malloc(sizeof(*g) + cap * sizeof(g->objs[0]));

	if (!g) {
		ld_error("cannot create the global scope: out of memory");
		return NULL;
	}
	g->retired.next = NULL;
	g->len = 0;
	return g;
}

void
scope_global_publish(struct scope_global *g)
{
	struct scope_global *old = ld_state.global_scope;

	__atomic_store_n(&ld_state.global_scope, g, __ATOMIC_SEQ_CST);
	retire(old ? &old->retired : NULL);
}

struct elf_object *const *
scope_global(size_t *len)
{
	const struct scope_global *g =
		__atomic_load_n(&ld_state.global_scope, __ATOMIC_SEQ_CST);

	*len = g ? g->len : 0;
	return g ? g->objs : NULL;
}

/* A root's search list is set once (NULL to a list) and never changed:
 * the length is published after the list, so read it first. */
static size_t
searchlist_of(const struct elf_object *obj, struct elf_object *const **list)
{
	size_t n = __atomic_load_n(&obj->nsearchlist, __ATOMIC_ACQUIRE);

	*list = obj->searchlist;
	return *list ? n : 0;
}

static bool
lookup_root(const struct elf_object *root, struct symbol_request *req,
	    struct symbol_ref *out)
{
	struct elf_object *const *list;
	size_t n = searchlist_of(root, &list);

	return n && symbol_lookup_list(list, n, req, out);
}

/* The lookup itself, in glibc's order: the global scope, then each
 * root's search list; with RTLD_DEEPBIND the first root before the
 * global scope. An object in several lists is only found at its first. */
static bool
lookup_all(struct elf_object *obj, struct symbol_request *req,
	   struct symbol_ref *out)
{
	const struct scope_roots *s = __atomic_load_n(&obj->scope, __ATOMIC_SEQ_CST);
	struct elf_object *const *global;
	size_t nglobal, i = 0;

	ld_state.stats.lookups++;
	if (s && obj->deepbind && s->len && lookup_root(s->roots[i++], req, out))
		return true;
	global = scope_global(&nglobal);
	if (symbol_lookup_list(global, nglobal, req, out))
		return true;
	for (; s && i < s->len; i++)
		if (lookup_root(s->roots[i], req, out))
			return true;
	return false;
}

/* Whether from already keeps to loaded (or nothing can unload to): then a
 * binding of from to to needs no record. Safe without the lock: it reads
 * what is fixed while both are loaded, and reldeps only ever grow. */
static bool
already_kept(const struct elf_object *from, const struct elf_object *to)
{
	struct elf_object *const *list;
	size_t n = searchlist_of(from, &list);

	if (from == to || !scope_unloadable(to) ||
	    __atomic_load_n(&to->nodelete, __ATOMIC_RELAXED) ||
	    __atomic_load_n(&to->pinned, __ATOMIC_RELAXED) ||
	    scope_list_index(from->deps, from->nneeded, to) < from->nneeded ||
	    scope_list_index(list, n, to) < n)
		return true;
	return scope_reldeps_has(__atomic_load_n(&from->reldeps, __ATOMIC_ACQUIRE),
				 to);
}

static bool
needs_note(const struct elf_object *from, const struct symbol_request *req,
	   const struct symbol_ref *ref, unsigned flags)
{
	const struct elf_object *to = ref->obj;

	if (req->new_unique && scope_unloadable(to) && !to->nodelete &&
	    !to->pinned)
		return true;
	return (flags & SCOPE_ADD_DEPENDENCY) && from && !already_kept(from, to);
}

static void
pin(struct elf_object *obj, const char *why, const struct elf_object *from)
{
	if (from && from->is_main)
		TRACE(BINDINGS, "marking %s [0] as NODELETE due to reference "
		      "from main program", object_name(obj));
	else if (from)
		TRACE(BINDINGS, "marking %s [0] as NODELETE due to reference "
		      "from %s [0]", object_name(obj), object_name(from));
	else
		TRACE(BINDINGS, "marking %s [0] as NODELETE due to %s",
		      object_name(obj), why);
	__atomic_store_n(&obj->pinned, true, __ATOMIC_RELAXED);
}

int
scope_note_binding(struct elf_object *from, const struct symbol_request *req,
		   const struct symbol_ref *ref, unsigned flags)
{
	struct elf_object *to = ref->obj;
	struct scope_reldeps *old, *now;
	int err = 0;

	if (!needs_note(from, req, ref, flags))
		return 0;
	scope_load_lock(true);
	/* Looked at again: another thread may have noted it meanwhile. */
	if (req->new_unique && scope_unloadable(to) && !to->nodelete &&
	    !to->pinned)
		pin(to, "unique symbol", NULL);
	if (!(flags & SCOPE_ADD_DEPENDENCY) || !from || already_kept(from, to))
		goto out;
	if (!scope_unloadable(from)) {
		/* from never goes away: neither may to. */
		pin(to, NULL, from);
		goto out;
	}
	old = from->reldeps;
	now = scope_reldeps_append(old, to);
	if (!now && (flags & SCOPE_PIN_ON_FAILURE)) {
		pin(to, "memory allocation failure", NULL);
		goto out;
	}
	if (!now) {
		ld_error("%s: cannot record the relocation dependency on %s: "
			 "out of memory", object_name(from), object_name(to));
		err = -ENOMEM;
		goto out;
	}
	if (now != old) {
		__atomic_store_n(&from->reldeps, now, __ATOMIC_SEQ_CST);
		retire(old ? &old->retired : NULL);
	}
	TRACE(FILES, "\nfile=%s [0];  needed by %s [0] (relocation dependency)\n",
	      object_name(to), object_name(from));
out:
	scope_load_lock(false);
	return err;
}

/* Whether obj, found by a lock-free lookup, is still the object of that
 * serial number on the load list (call with the load lock held). Only the
 * pointer is compared until it is known to be loaded. */
static bool
still_loaded(const struct elf_object *obj, uint64_t serial)
{
	const struct elf_object *o;

	for (o = ld_state.head; o; o = o->next)
		if (o == obj)
			return o->serial == serial;
	return false;
}

int
scope_lookup(struct elf_object *obj, struct symbol_request *req,
	     struct symbol_ref *out, unsigned flags)
{
	bool unlocked = (flags & SCOPE_UNLOCKED) != 0, found, note;
	uint64_t serial = 0;
	int err;

	for (;;) {
		req->new_unique = false;
		if (unlocked)
			scope_reader_enter();
		found = lookup_all(obj, req, out);
		note = found && needs_note(obj, req, out, flags);
		if (note)
			serial = out->obj->serial;
		if (unlocked)
			scope_reader_leave();
		if (!note)
			return found;
		if (!unlocked)
			break;
		/* Between the lookup and the lock the definition may have
		 * been unloaded by another thread: then look again. */
		scope_load_lock(true);
		if (still_loaded(out->obj, serial))
			break;
		scope_load_lock(false);
	}
	err = scope_note_binding(obj, req, out, flags);
	if (unlocked)
		scope_load_lock(false);
	return err < 0 ? err : 1;
}

void
scope_trace_list(int n, struct elf_object *const *objs, size_t len)
{
	char line[1024];
	size_t used, i;

	used = (size_t)crt_snprintf(line, sizeof(line), " scope %d:", n);
	for (i = 0; i < len && used < sizeof(line); i++)
		used += (size_t)crt_snprintf(line + used, sizeof(line) - used, " %s",
					     object_name(objs[i]));
	trace_printf("%s", line);
}

void
scope_trace(const struct elf_object *obj, size_t from)
{
	const struct scope_roots *s = obj->scope;
	size_t nroots = s ? s->len : 0, deep = nroots && obj->deepbind, n, len;
	struct elf_object *const *list;

	if (!TRACE_ON(SCOPES))
		return;
	trace_printf("object=%s [0]", object_name(obj));
	/* Scope n is the global scope when n is deep, else a root's list. */
	for (n = from; n <= nroots; n++) {
		if (n == deep)
			list = scope_global(&len);
		else
			len = searchlist_of(s->roots[n - (n > deep)], &list);
		scope_trace_list((int)n, list, len);
	}
	trace_printf("%s", "");
}

/* Adds a change to the plan (obj's new roots, and its search list if it
 * becomes a root). Returns 0, or -ENOMEM when roots is NULL or the plan
 * cannot grow (roots and list freed). */
static int
plan_add(struct scope_plan *plan, struct elf_object *obj,
	 struct scope_roots *roots, struct elf_object **list, size_t nlist)
{
	struct scope_change *c;

	if (roots && plan->len == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 8;

		c = crt_realloc(plan->changes, cap * sizeof(*c));
		if (c) {
			plan->changes = c;
			plan->cap = cap;
		}
	}
	if (!roots || plan->len == plan->cap) {
		crt_free(roots);
		crt_free(list);
		return -ENOMEM;
	}
	c = &plan->changes[plan->len++];
	c->obj = obj;
	c->roots = roots;
	c->searchlist = list;
	c->nsearchlist = nlist;
	c->extends = false;
	return 0;
}

int
scope_plan_extend(struct scope_plan *plan, struct elf_object *root)
{
	const struct dlopen_observer *ob = ld_state.observer;
	size_t i;

	for (i = 0; i < root->nsearchlist; i++) {
		struct elf_object *o = root->searchlist[i];
		struct scope_roots *s;

		/* Objects loaded with root already have it; start-up ones
		 * use the global scope only (glibc: l_init_called and
		 * lt_loaded). */
		if (o == root || !o->scope || !o->init_started ||
		    scope_roots_has(o->scope, root))
			continue;
		s = scope_roots_with(o->scope, root);
		if (!s || plan_add(plan, o, s, NULL, 0) < 0 ||
		    (ob && ob->scope_reserve && ob->scope_reserve(o, s->len) < 0)) {
			ld_error("%s: cannot create scope list: out of memory",
				 o->path);
			return -ENOMEM;
		}
		plan->changes[plan->len - 1].extends = true;
	}
	return 0;
}

int
scope_plan_purge(struct scope_plan *plan, const struct object_set *alive)
{
	struct elf_object *o;

	for (o = ld_state.head; o; o = o->next) {
		struct elf_object **list = NULL;
		struct scope_roots *s;
		size_t nlist = 0;

		if (!o->scope || !object_set_has(alive, o) ||
		    scope_roots_count_in(o->scope, alive) == o->scope->len)
			continue;
		if (!o->searchlist && deps_search_list(o, &list, &nlist) < 0)
			return -ENOMEM;
		s = scope_roots_filter(o->scope, alive, o->searchlist ? NULL : o);
		if (plan_add(plan, o, s, list, nlist) < 0)
			return -ENOMEM;
	}
	return 0;
}

void
scope_plan_commit(struct scope_plan *plan)
{
	const struct dlopen_observer *ob = ld_state.observer;
	size_t i;

	for (i = 0; i < plan->len; i++) {
		struct elf_object *o = plan->changes[i].obj;
		struct scope_roots *old = o->scope;

		/* No published scope has o as a root yet: its search list
		 * can be set before the scope that makes it one. */
		if (plan->changes[i].searchlist) {
			o->searchlist = plan->changes[i].searchlist;
			__atomic_store_n(&o->nsearchlist,
					 plan->changes[i].nsearchlist, __ATOMIC_RELEASE);
		}
		__atomic_store_n(&o->scope, plan->changes[i].roots, __ATOMIC_SEQ_CST);
		retire(&old->retired);
		if (ob && ob->scope_sync)
			ob->scope_sync(o);
		/* The new root is its last: glibc's scope number len. */
		if (plan->changes[i].extends)
			scope_trace(o, o->scope->len);
	}
	/* The arrays are in use now: only the list of changes goes. */
	plan->len = 0;
	scope_plan_abandon(plan);
	free_retired(false);
}

void
scope_plan_abandon(struct scope_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->len; i++) {
		crt_free(plan->changes[i].roots);
		crt_free(plan->changes[i].searchlist);
	}
	crt_free(plan->changes);
	plan->changes = NULL;
	plan->len = plan->cap = 0;
}
