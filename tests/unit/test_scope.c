/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/scope.c: the pure list operations (scope roots
 * with one more, filtered with a replacement; relocation dependencies
 * appended in place until full, then copied), and on objects built by
 * elf_builder.c the lookup order (global scope, then roots; the first root
 * first with RTLD_DEEPBIND), relocation dependencies and pins recorded
 * for what may be unloaded, and the plans that extend and purge scopes.
 */
#include <check.h>
#include <elf.h>
#include <stdarg.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

static struct elf_object objs[6];
#define A (&objs[0])
#define B (&objs[1])
#define C (&objs[2])
#define X (&objs[3])

static void
setup(void)
{
	memset(objs, 0, sizeof(objs));
	ld_state.page_size = 4096;
	ld_state.startup_done = true;
	ld_state.observer = NULL;
	symbol_reset();
}

static void
teardown(void)
{
	scope_quiesce();
	symbol_reset();
}

static void
assert_roots(const struct scope_roots *s, size_t n, ...)
{
	va_list ap;
	size_t i;

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->len, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		ck_assert_ptr_eq(s->roots[i], va_arg(ap, struct elf_object *));
	va_end(ap);
}

/* The roots a, b, c (c may be NULL) in one list of their own. */
static struct scope_roots *
roots(struct elf_object *a, struct elf_object *b, struct elf_object *c)
{
	struct scope_roots *one = scope_roots_with(NULL, a), *two, *three;

	two = scope_roots_with(one, b);
	crt_free(one);
	if (!c)
		return two;
	three = scope_roots_with(two, c);
	crt_free(two);
	return three;
}

START_TEST(scope_roots_with_appends_once)
{
	struct scope_roots *one = scope_roots_with(NULL, A), *two, *same;

	assert_roots(one, 1, A);
	two = scope_roots_with(one, B);
	assert_roots(two, 2, A, B);
	assert_roots(one, 1, A);
	same = scope_roots_with(two, A);
	assert_roots(same, 2, A, B);
	ck_assert_ptr_ne(same, two);
	ck_assert(scope_roots_has(two, B) && !scope_roots_has(one, B));
	ck_assert(!scope_roots_has(NULL, A));
	crt_free(one);
	crt_free(two);
	crt_free(same);
}
END_TEST

START_TEST(scope_roots_filter_keeps_order_and_replaces)
{
	struct object_set keep = { NULL, 0, 0 };
	struct scope_roots *abc = roots(A, B, C), *f;

	ck_assert_int_eq(object_set_add(&keep, A), 1);
	ck_assert_int_eq(object_set_add(&keep, C), 1);
	ck_assert_uint_eq(scope_roots_count_in(abc, &keep), 2);
	ck_assert_uint_eq(scope_roots_count_in(NULL, &keep), 0);
	f = scope_roots_filter(abc, &keep, NULL);
	assert_roots(f, 2, A, C);
	crt_free(f);
	/* The replacement takes the place of the first root that goes. */
	f = scope_roots_filter(abc, &keep, X);
	assert_roots(f, 3, A, X, C);
	crt_free(f);
	/* ... unless it is there already. */
	f = scope_roots_filter(abc, &keep, C);
	assert_roots(f, 2, A, C);
	crt_free(f);
	object_set_free(&keep);
	f = scope_roots_filter(abc, &keep, X);
	assert_roots(f, 1, X);
	crt_free(f);
	crt_free(abc);
}
END_TEST

START_TEST(scope_reldeps_append_in_place_then_copies)
{
	struct scope_reldeps *r = scope_reldeps_append(NULL, A), *next;
	size_t i, cap;

	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->len, 1);
	cap = r->cap;
	ck_assert_uint_ge(cap, 2);
	for (i = 1; i < cap; i++)
		ck_assert_ptr_eq(scope_reldeps_append(r, i % 2 ? B : C), r);
	ck_assert_uint_eq(r->len, cap);
	next = scope_reldeps_append(r, X);
	ck_assert_ptr_nonnull(next);
	ck_assert_ptr_ne(next, r);
	ck_assert_uint_eq(r->len, cap);
	ck_assert_uint_eq(next->len, cap + 1);
	ck_assert_uint_gt(next->cap, cap);
	ck_assert(scope_reldeps_has(next, X) && !scope_reldeps_has(r, X));
	ck_assert(scope_reldeps_has(next, A) && scope_reldeps_has(r, A));
	ck_assert(!scope_reldeps_has(NULL, A));
	crt_free(r);
	crt_free(next);
}
END_TEST

START_TEST(scope_unloadable_only_dlopened)
{
	ck_assert(scope_unloadable(A));
	A->at_startup = true;
	B->is_main = true;
	C->is_self = true;
	X->is_vdso = true;
	ck_assert(!scope_unloadable(A) && !scope_unloadable(B) &&
		  !scope_unloadable(C) && !scope_unloadable(X));
}
END_TEST

/* ---- Lookups on built objects ---- */

static const struct eb_symbol g_syms[] = {
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1100, 8, 0, 0 },
	{ "only_g", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1108, 8, 0, 0 },
};
static const struct eb_symbol r_syms[] = {
	{ "common", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1200, 8, 0, 0 },
	{ "only_r", STB_GLOBAL, STT_FUNC, EB_DEFINED, 0x1208, 8, 0, 0 },
};
static const struct eb_symbol u_syms[] = {
	{ "uniq", STB_GNU_UNIQUE, STT_OBJECT, EB_DEFINED, 0x1300, 8, 0, 0 },
};

struct world {
	struct eb_image g, r, u, user;
	struct elf_object *global[2];
	struct elf_object *rlist[1];
};

/* g: in the global scope, loaded by dlopen RTLD_GLOBAL; r: a root of
 * user's scope; u: defines a unique symbol, also global; user: the
 * object whose references are looked up. */
/* Publishes a copy of objs[0..n) as the global scope. */
static void
set_global(struct elf_object *const *objs, size_t n)
{
	struct scope_global *g = scope_global_new(n);

	ck_assert_ptr_nonnull(g);
	if (n)
		memcpy(g->objs, objs, n * sizeof(*objs));
	g->len = n;
	scope_global_publish(g);
}

static void
build_world(struct world *w)
{
	struct eb_spec g = { .path = "g.so", .syms = g_syms, .nsyms = 2 };
	struct eb_spec r = { .path = "r.so", .syms = r_syms, .nsyms = 2 };
	struct eb_spec u = { .path = "u.so", .syms = u_syms, .nsyms = 1 };
	struct eb_spec user = { .path = "user.so" };

	eb_image_load(&w->g, &g);
	eb_image_load(&w->r, &r);
	eb_image_load(&w->u, &u);
	eb_image_load(&w->user, &user);
	w->global[0] = w->g.obj;
	w->global[1] = w->u.obj;
	set_global(w->global, 2);
	w->rlist[0] = w->r.obj;
	w->r.obj->searchlist = crt_malloc(sizeof(w->rlist));
	memcpy(w->r.obj->searchlist, w->rlist, sizeof(w->rlist));
	w->r.obj->nsearchlist = 1;
	w->user.obj->scope = scope_roots_with(NULL, w->r.obj);
}

static void
free_world(struct world *w)
{
	scope_global_publish(NULL);
	scope_quiesce();
	crt_free(w->user.obj->scope);
	w->user.obj->scope = NULL;
	crt_free(w->user.obj->reldeps);
	w->user.obj->reldeps = NULL;
	crt_free(w->r.obj->searchlist);
	w->r.obj->searchlist = NULL;
	eb_image_free(&w->g);
	eb_image_free(&w->r);
	eb_image_free(&w->u);
	eb_image_free(&w->user);
}

static struct elf_object *
find(struct world *w, const char *name, unsigned flags)
{
	struct symbol_request req;
	struct symbol_ref ref = { NULL, NULL };
	int r;

	symbol_request_init(&req, name, NULL, 0, w->user.obj);
	r = scope_lookup(w->user.obj, &req, &ref, flags);
	ck_assert_int_ge(r, 0);
	return r ? ref.obj : NULL;
}

/* A published global scope is replaced whole: a reader holding the old
 * array (a lock-free lookup) still sees it as it was until quiesce. */
START_TEST(scope_global_publish_replaces_whole)
{
	struct elf_object a, b, *both[] = { &a, &b }, *one[] = { &b };
	struct elf_object *const *old, *const *now;
	size_t n;

	set_global(both, 2);
	old = scope_global(&n);
	ck_assert_uint_eq(n, 2);
	set_global(one, 1);
	now = scope_global(&n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_ne(now, old);
	ck_assert_ptr_eq(now[0], &b);
	ck_assert_ptr_eq(old[0], &a);
	ck_assert_ptr_eq(old[1], &b);
	scope_quiesce();
	scope_global_publish(NULL);
	ck_assert_ptr_null(scope_global(&n));
	ck_assert_uint_eq(n, 0);
	scope_quiesce();
}
END_TEST

START_TEST(scope_lookup_global_then_roots)
{
	struct world w;

	build_world(&w);
	ck_assert_ptr_eq(find(&w, "common", 0), w.g.obj);
	ck_assert_ptr_eq(find(&w, "only_r", 0), w.r.obj);
	ck_assert_ptr_null(find(&w, "absent", 0));
	/* RTLD_DEEPBIND: the first root before the global scope. */
	w.user.obj->deepbind = true;
	ck_assert_ptr_eq(find(&w, "common", 0), w.r.obj);
	ck_assert_ptr_eq(find(&w, "only_g", 0), w.g.obj);
	/* The global scope of now, not of when the scope was made. */
	w.user.obj->deepbind = false;
	set_global(NULL, 0);
	ck_assert_ptr_eq(find(&w, "common", 0), w.r.obj);
	ck_assert_ptr_null(find(&w, "only_g", 0));
	free_world(&w);
}
END_TEST

START_TEST(scope_lookup_records_relocation_dependency)
{
	struct world w;

	build_world(&w);
	/* Without SCOPE_ADD_DEPENDENCY (dlsym with a handle): nothing. */
	ck_assert_ptr_eq(find(&w, "only_g", 0), w.g.obj);
	ck_assert_ptr_null(w.user.obj->reldeps);
	ck_assert_ptr_eq(find(&w, "only_g", SCOPE_ADD_DEPENDENCY), w.g.obj);
	ck_assert_ptr_nonnull(w.user.obj->reldeps);
	ck_assert_uint_eq(w.user.obj->reldeps->len, 1);
	ck_assert_ptr_eq(w.user.obj->reldeps->objs[0], w.g.obj);
	/* Once only. */
	ck_assert_ptr_eq(find(&w, "common", SCOPE_ADD_DEPENDENCY), w.g.obj);
	ck_assert_uint_eq(w.user.obj->reldeps->len, 1);
	/* Not for a dependency, nor for what start-up loaded. */
	ck_assert_ptr_eq(find(&w, "only_r", SCOPE_ADD_DEPENDENCY), w.r.obj);
	ck_assert_uint_eq(w.user.obj->reldeps->len, 2);
	w.user.obj->deps = w.rlist;
	w.user.obj->nneeded = 1;
	w.user.obj->reldeps->len = 1;
	ck_assert_ptr_eq(find(&w, "only_r", SCOPE_ADD_DEPENDENCY), w.r.obj);
	ck_assert_uint_eq(w.user.obj->reldeps->len, 1);
	w.user.obj->deps = NULL;
	w.user.obj->nneeded = 0;
	w.r.obj->at_startup = true;
	ck_assert_ptr_eq(find(&w, "only_r", SCOPE_ADD_DEPENDENCY), w.r.obj);
	ck_assert_uint_eq(w.user.obj->reldeps->len, 1);
	ck_assert(!w.r.obj->pinned && !w.g.obj->pinned);
	free_world(&w);
}
END_TEST

START_TEST(scope_lookup_pins_for_startup_object_and_unique)
{
	struct world w;

	build_world(&w);
	/* The referencing object never goes: the definition stays too. */
	w.user.obj->at_startup = true;
	ck_assert_ptr_eq(find(&w, "only_g", SCOPE_ADD_DEPENDENCY), w.g.obj);
	ck_assert(w.g.obj->pinned);
	ck_assert_ptr_null(w.user.obj->reldeps);
	/* The first definition of a unique symbol stays, whoever asks. */
	w.user.obj->at_startup = false;
	ck_assert_ptr_eq(find(&w, "uniq", 0), w.u.obj);
	ck_assert(w.u.obj->pinned);
	ck_assert(!w.r.obj->pinned);
	free_world(&w);
}
END_TEST

/* ---- Plans ---- */

START_TEST(scope_plan_extend_adds_new_root_to_older_objects)
{
	struct elf_object *list[3] = { A, B, C };
	struct scope_plan plan = { NULL, 0, 0 };

	/* A is the new root; B was loaded by an earlier dlopen of X and
	 * initialised; C was loaded with A (no initialiser run yet). */
	A->searchlist = list;
	A->nsearchlist = 3;
	A->scope = scope_roots_with(NULL, A);
	B->scope = scope_roots_with(NULL, X);
	B->init_started = true;
	C->scope = scope_roots_with(NULL, A);
	ck_assert_int_eq(scope_plan_extend(&plan, A), 0);
	ck_assert_uint_eq(plan.len, 1);
	assert_roots(B->scope, 1, X);
	scope_plan_commit(&plan);
	assert_roots(B->scope, 2, X, A);
	assert_roots(C->scope, 1, A);
	ck_assert_uint_eq(plan.len, 0);
	/* Twice changes nothing. */
	ck_assert_int_eq(scope_plan_extend(&plan, A), 0);
	ck_assert_uint_eq(plan.len, 0);
	scope_plan_abandon(&plan);
	crt_free(A->scope);
	crt_free(B->scope);
	crt_free(C->scope);
}
END_TEST

START_TEST(scope_plan_purge_drops_dead_roots)
{
	struct object_set alive = { NULL, 0, 0 };
	struct scope_plan plan = { NULL, 0, 0 };
	struct elf_object *xlist[2] = { X, B }, *alist[2] = { A, B };

	/* Load list X, B, A: X (root) loaded B; A (root) needs B too. */
	ld_state.head = X;
	X->next = B;
	B->next = A;
	X->searchlist = xlist;
	X->nsearchlist = 2;
	X->scope = scope_roots_with(NULL, X);
	B->scope = roots(X, A, NULL);
	A->scope = scope_roots_with(NULL, A);
	A->searchlist = alist;
	A->nsearchlist = 2;
	ck_assert_int_eq(object_set_add(&alive, A), 1);
	ck_assert_int_eq(object_set_add(&alive, B), 1);
	ck_assert_int_eq(scope_plan_purge(&plan, &alive), 0);
	ck_assert_uint_eq(plan.len, 1);
	scope_plan_commit(&plan);
	/* B, no root itself, becomes one where X was. */
	assert_roots(B->scope, 2, B, A);
	ck_assert_ptr_nonnull(B->searchlist);
	ck_assert_uint_eq(B->nsearchlist, 1);
	ck_assert_ptr_eq(B->searchlist[0], B);
	assert_roots(A->scope, 1, A);
	object_set_free(&alive);
	crt_free(B->searchlist);
	crt_free(X->scope);
	crt_free(B->scope);
	crt_free(A->scope);
	ld_state.head = NULL;
}
END_TEST

static Suite *
scope_suite(void)
{
	Suite *s = suite_create("scope");
	TCase *tc;

	tc = tcase_create("scope_lists");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scope_roots_with_appends_once);
	tcase_add_test(tc, scope_roots_filter_keeps_order_and_replaces);
	tcase_add_test(tc, scope_reldeps_append_in_place_then_copies);
	tcase_add_test(tc, scope_unloadable_only_dlopened);
	suite_add_tcase(s, tc);

	tc = tcase_create("scope_lookup");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scope_lookup_global_then_roots);
	tcase_add_test(tc, scope_global_publish_replaces_whole);
	tcase_add_test(tc, scope_lookup_records_relocation_dependency);
	tcase_add_test(tc, scope_lookup_pins_for_startup_object_and_unique);
	suite_add_tcase(s, tc);

	tc = tcase_create("scope_plan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, scope_plan_extend_adds_new_root_to_older_objects);
	tcase_add_test(tc, scope_plan_purge_drops_dead_roots);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(scope_suite());
}
