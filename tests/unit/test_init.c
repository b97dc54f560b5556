/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/init.c on fabricated objects (only the fields
 * init.c reads: deps, nneeded, is_main, initfini, the init/fini pointers
 * and progress flags, the load list in ld_state): init_sort and the init
 * order of dependency graphs written as text ("prog>a" is a DT_NEEDED
 * edge), cycles included, and the calls of initialisers and finalisers.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/init.h"
#include "loader/state.h"
#include "tests/unit/unit.h"

#define MAX_OBJS 8

struct graph {
	struct elf_object objs[MAX_OBJS];
	struct elf_object *list[MAX_OBJS];
	struct elf_object *deps[MAX_OBJS][MAX_OBJS];
	char names[MAX_OBJS][16];
	size_t n;
};

static struct elf_object *
by_name(struct graph *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->names[i], name) == 0)
			return &g->objs[i];
	ck_abort_msg("no object %s", name);
	return NULL;
}

/* objs: names in load order, the first is the program, or with a leading
 * '+' the object a dlopen loaded (a root that is not the program). edges: "x>y"
 * entries, in DT_NEEDED order for each x; "x>-" is a dependency that was
 * not found (NULL). */
static void
build_graph(struct graph *g, const char *objs, const char *const *edges)
{
	char copy[128], *name, *save;
	bool dlopened = objs[0] == '+';

	memset(g, 0, sizeof(*g));
	snprintf(copy, sizeof(copy), "%s", objs + dlopened);
	for (name = strtok_r(copy, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		ck_assert_uint_lt(g->n, MAX_OBJS);
		snprintf(g->names[g->n], sizeof(g->names[0]), "%s", name);
		g->objs[g->n].path = g->names[g->n];
		g->objs[g->n].deps = g->deps[g->n];
		g->list[g->n] = &g->objs[g->n];
		g->n++;
	}
	g->objs[0].is_main = !dlopened;
	for (; edges && *edges; edges++) {
		char from[16], to[16];
		struct elf_object *obj;

		ck_assert_int_eq(sscanf(*edges, "%15[^>]>%15s", from, to), 2);
		obj = by_name(g, from);
		obj->deps[obj->nneeded++] = strcmp(to, "-") == 0 ? NULL : by_name(g, to);
	}
}

/* The order as text: "c b a prog". */
static const char *
order_text(struct elf_object **order, size_t n)
{
	static char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? " " : "", order[i]->path);
	return buf;
}

/* ---- init_sort and the init order ---- */

/* The init order of list[0..n) as a start-up or a dlopen of a new root
 * plans it: the list sorted, backwards. NULL on failure. */
static size_t
init_order(struct elf_object **list, size_t n, struct elf_object ***out)
{
	struct elf_object **order = calloc(n + 1, sizeof(*order));
	size_t i;

	ck_assert_ptr_nonnull(order);
	memcpy(order, list, n * sizeof(*order));
	*out = NULL;
	if (init_sort(order, n, INIT_SORT_FORCE_FIRST | INIT_SORT_NEW_ROOT) < 0) {
		free(order);
		return 0;
	}
	for (i = 0; i < n / 2; i++) {
		struct elf_object *t = order[i];

		order[i] = order[n - 1 - i];
		order[n - 1 - i] = t;
	}
	*out = order;
	return n;
}

struct order_case {
	const char *what;
	const char *objs;
	const char *edges[8];
	const char *expected;     /* NULL: only "each once, program last" */
};

static const struct order_case order_cases[] = {
	{ "chain", "prog a b c", { "prog>a", "a>b", "b>c" }, "c b a prog" },
	{ "diamond", "prog a b c", { "prog>a", "prog>b", "a>c", "b>c" },
	  "c b a prog" },
	{ "siblings", "prog a b", { "prog>a", "prog>b" }, "b a prog" },
	/* A dependency loaded later but needed earlier comes first. */
	{ "late dependency", "prog a b", { "prog>a", "prog>b", "a>b" }, "b a prog" },
	{ "nothing needed", "prog", { NULL }, "prog" },
	{ "missing dependency", "prog a", { "prog>a", "a>-", "prog>-" }, "a prog" },
	/* A library that needs the program (e.g. through its soname): the
	 * program still comes last. */
	{ "needs the program", "prog a", { "prog>a", "a>prog" }, "a prog" },
	{ "self", "prog a", { "prog>a", "a>a" }, "a prog" },
	{ "cycle", "prog a b", { "prog>a", "a>b", "b>a" }, NULL },
	{ "cycle of three", "prog a b c", { "prog>a", "a>b", "b>c", "c>a" }, NULL },
	{ "cycle below", "prog a b c d", { "prog>a", "a>b", "b>c", "c>b", "c>d" },
	  NULL },
	/* dlopen(a) where a2 needs a back (glibc's tst-bz28937): the root is
	 * a leaf to the walk and comes last, as glibc sorts l_initfini. */
	{ "dlopen root in a cycle", "+a a1 a2", { "a>a1", "a>a2", "a2>a" },
	  "a2 a1 a" },
	{ "dlopen root, no cycle", "+a b c", { "a>b", "a>c", "b>c" }, "c b a" },
};

#define NORDER (sizeof(order_cases) / sizeof(order_cases[0]))

START_TEST(init_order_cases)
{
	const struct order_case *c = &order_cases[_i];
	struct graph g;
	struct elf_object **order = NULL;
	size_t n, i, j;

	build_graph(&g, c->objs, c->edges);
	n = init_order(g.list, g.n, &order);
	ck_assert_ptr_nonnull(order);
	ck_assert_msg(n == g.n, "%s: %zu objects: %s", c->what, n,
		      order_text(order, n));
	if (c->expected)
		ck_assert_msg(strcmp(order_text(order, n), c->expected) == 0,
			      "%s: \"%s\", expected \"%s\"", c->what,
			      order_text(order, n), c->expected);
	/* Each object once, the program last. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			ck_assert_ptr_ne(order[i], order[j]);
	ck_assert_ptr_eq(order[n - 1], &g.objs[0]);
	free(order);
}
END_TEST

/* In a cycle below d, d (needed by c, outside the cycle) still comes
 * before both members. */
START_TEST(init_order_cycle_keeps_outside_dependencies_first)
{
	static const char *const edges[] = {
		"prog>a", "a>b", "b>c", "c>b", "c>d", NULL,
	};
	struct graph g;
	struct elf_object **order;
	size_t n;

	build_graph(&g, "prog a b c d", edges);
	n = init_order(g.list, g.n, &order);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(order[0]->path, "d");
	ck_assert_str_eq(order[3]->path, "a");
	free(order);
}
END_TEST

/* A long chain: one object per level (recursion depth = length). */
START_TEST(init_order_long_chain)
{
	enum { N = 2000 };
	struct elf_object *objs = calloc(N, sizeof(*objs));
	struct elf_object **list = calloc(N, sizeof(*list));
	struct elf_object **deps = calloc(N, sizeof(*deps));
	struct elf_object **order;
	size_t i;

	ck_assert_ptr_nonnull(objs);
	for (i = 0; i < N; i++) {
		list[i] = &objs[i];
		objs[i].deps = &deps[i];
		objs[i].nneeded = i + 1 < N;
		deps[i] = i + 1 < N ? &objs[i + 1] : NULL;
	}
	objs[0].is_main = true;
	ck_assert_uint_eq(init_order(list, N, &order), N);
	for (i = 0; i < N; i++)
		ck_assert_ptr_eq(order[i], &objs[N - 1 - i]);
	free(order);
	free(objs);
	free(list);
	free(deps);
}
END_TEST

/* A dlopen root that was loaded before as a dependency keeps its own
 * DT_NEEDED edges in its sort (glibc sorts it with its old l_initfini):
 * b, needed by a and needing a, is then not a leaf. */
START_TEST(init_sort_old_root_keeps_its_edges)
{
	static const char *const edges[] = { "b>c", "b>a", "a>b", NULL };
	struct graph g;
	struct elf_object *maps[3];

	build_graph(&g, "+b c a", edges);
	memcpy(maps, g.list, sizeof(maps));
	ck_assert_int_eq(init_sort(maps, 3, INIT_SORT_FORCE_FIRST), 0);
	ck_assert_str_eq(order_text(maps, 3), "b a c");
	memcpy(maps, g.list, sizeof(maps));
	ck_assert_int_eq(init_sort(maps, 3, INIT_SORT_FORCE_FIRST |
				   INIT_SORT_NEW_ROOT), 0);
	ck_assert_str_eq(order_text(maps, 3), "b c a");
}
END_TEST

/* An edge to an object outside the input is refused, input unchanged. */
START_TEST(init_sort_edge_outside)
{
	static const char *const edges[] = { "a>b", "b>c", NULL };
	struct graph g;
	struct elf_object *maps[2];

	build_graph(&g, "prog a b c", edges);
	maps[0] = g.list[2];
	maps[1] = g.list[1];
	ck_assert_int_eq(init_sort(maps, 2, 0), -EINVAL);
	ck_assert_ptr_eq(maps[0], g.list[2]);
	ck_assert_ptr_eq(maps[1], g.list[1]);
}
END_TEST

/* ---- Running initialisers and finalisers ---- */

static char calls[256];

static void
record(const char *what)
{
	strncat(calls, what, sizeof(calls) - strlen(calls) - 1);
	strncat(calls, " ", sizeof(calls) - strlen(calls) - 1);
}

static int seen_argc;

static void
init_a(int argc, char **argv, char **envp)
{
	(void)argv;
	(void)envp;
	seen_argc = argc;
	record("init_a");
}

static void
init_a1(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	record("a[0]");
}

static void
init_a2(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	record("a[1]");
}

static void
init_b1(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	record("b[0]");
}

static void
fini_a(void)
{
	record("fini_a");
}

static void
fini_a1(void)
{
	record("~a[0]");
}

static void
fini_a2(void)
{
	record("~a[1]");
}

static void
fini_b1(void)
{
	record("~b[0]");
}

START_TEST(init_run_all_and_fini_all)
{
	static void (*a_init[])(int, char **, char **) = {
		init_a1, NULL, (void (*)(int, char **, char **))-1, init_a2,
	};
	static void (*b_init[])(int, char **, char **) = { init_b1 };
	static void (*a_fini[])(void) = { fini_a1, (void (*)(void))-1, fini_a2 };
	static void (*b_fini[])(void) = { fini_b1 };
	static const char *const edges[] = { "prog>a", "prog>b", "prog>none", NULL };
	struct graph g;
	struct elf_object *a, *b;
	size_t i;

	build_graph(&g, "prog a b none", edges);
	a = by_name(&g, "a");
	b = by_name(&g, "b");
	a->init = init_a;
	a->init_array = a_init;
	a->init_arraysz = 4;
	a->fini = fini_a;
	a->fini_array = a_fini;
	a->fini_arraysz = 3;
	b->init_array = b_init;
	b->init_arraysz = 1;
	b->fini_array = b_fini;
	b->fini_arraysz = 1;
	memset(&ld_state, 0, sizeof(ld_state));
	ld_state.argc = 3;
	ld_state.main_obj = g.list[0];
	for (i = 0; i < g.n; i++)
		deps_list_append(g.list[i]);

	calls[0] = '\0';
	ck_assert_int_eq(init_plan_startup(g.list, g.n), 0);
	init_run_all();
	/* Siblings backwards; DT_INIT, then DT_INIT_ARRAY in order; 0 and
	 * -1 skipped. */
	ck_assert_str_eq(calls, "b[0] init_a a[0] a[1] ");
	ck_assert_int_eq(seen_argc, 3);
	ck_assert(a->init_done && b->init_done && by_name(&g, "none")->init_done);
	/* Never twice. */
	init_run_all();
	ck_assert_str_eq(calls, "b[0] init_a a[0] a[1] ");

	calls[0] = '\0';
	/* Siblings in load order; DT_FINI_ARRAY backwards, then DT_FINI. */
	init_fini_all();
	ck_assert_str_eq(calls, "~a[1] ~a[0] fini_a ~b[0] ");
	init_fini_all();
	ck_assert_str_eq(calls, "~a[1] ~a[0] fini_a ~b[0] ");
	ck_assert(ld_state.exiting);
}
END_TEST

/* An object whose initialisers never ran is not finalised. */
START_TEST(init_run_fini_needs_init)
{
	static void (*b_fini[])(void) = { fini_b1 };
	struct elf_object b;

	memset(&b, 0, sizeof(b));
	b.fini_array = b_fini;
	b.fini_arraysz = 1;
	calls[0] = '\0';
	init_run_fini(&b);
	ck_assert_str_eq(calls, "");
	b.init_done = true;
	init_run_fini(&b);
	ck_assert_str_eq(calls, "~b[0] ");
}
END_TEST

static Suite *
init_suite(void)
{
	Suite *s = suite_create("init");
	TCase *tc;

	tc = tcase_create("init_sort");
	tcase_add_loop_test(tc, init_order_cases, 0, NORDER);
	tcase_add_test(tc, init_order_cycle_keeps_outside_dependencies_first);
	tcase_add_test(tc, init_order_long_chain);
	tcase_add_test(tc, init_sort_old_root_keeps_its_edges);
	tcase_add_test(tc, init_sort_edge_outside);
	suite_add_tcase(s, tc);

	tc = tcase_create("init_run");
	tcase_add_test(tc, init_run_all_and_fini_all);
	tcase_add_test(tc, init_run_fini_needs_init);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(init_suite());
}
