/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/init.c on fabricated objects (only the fields
 * init.c reads: deps, nneeded, is_main, initfini, reldeps, the init/fini
 * pointers and progress flags, the load list in ld_state). Three parts:
 * init_sort and the init order of dependency graphs written as text
 * ("prog>a" is a DT_NEEDED edge), cycles included; whole scenarios in the
 * description language of glibc's dso-sort tests (elf/dso-sort-tests-1.def),
 * where a simulated program loads, dlopens, dlcloses and calls objects
 * whose constructors and destructors print as glibc's generated ones do,
 * and the printout must be what glibc 2.36 expects of its default
 * glibc.rtld.dynamic_sort=2; and the calls of initialisers and finalisers.
 */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/init.h"
#include "loader/scope.h"
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

/* ---- Scenarios in glibc's dso-sort description language ---- */

/* What glibc's scripts/dso-ordering-test.py reads, the parts its
 * tests of sorting use: "a->b" a DT_NEEDED entry, "a=>b" a call from a's
 * fn_a to b's fn_b (bound lazily, on the first call), "[bc]" and "(b c)"
 * several objects, "{}" the program, "{+a;%a;-a}" the program's actions
 * (dlopen with RTLD_LAZY|RTLD_GLOBAL, dlsym and call fn_a, dlclose),
 * "soname({})=c" the program answering to c's name. "!" (try every
 * order of the DT_NEEDED entries) is ignored: a test gives each order it
 * checks. Without "{...}" the program needs every object that no other
 * one needs. */

#define SIM_MAX 24

struct sim {
	struct elf_object objs[SIM_MAX];         /* [0]: the program */
	struct elf_object *deps[SIM_MAX][SIM_MAX];
	char names[SIM_MAX][8];
	size_t n;
	size_t dep[SIM_MAX][SIM_MAX], ndep[SIM_MAX];     /* parsed -> */
	size_t call[SIM_MAX][SIM_MAX], ncall[SIM_MAX];   /* parsed => */
	bool bound[SIM_MAX][SIM_MAX];
	bool loaded[SIM_MAX];
	bool root[SIM_MAX][SIM_MAX];            /* scope roots (scope.c) */
	bool is_prog[SIM_MAX];                   /* soname({})=c */
	bool explicit_main;
	char actions[256];
};

static struct sim *sim;
static char sim_out[2048];      /* what the program and its objects print */

static void
sim_print(const char *a, const char *b)
{
	size_t len = strlen(sim_out);

	snprintf(sim_out + len, sizeof(sim_out) - len, "%s%s", a, b);
}

/* Constructors and destructors, one pair per object slot. */
#define SIM_FNS(i)                                                      \
	static void sim_init_##i(int c, char **v, char **e)             \
	{                                                               \
		(void)c;                                                \
		(void)v;                                                \
		(void)e;                                                \
		sim_print(sim->names[i], ">");                          \
	}                                                               \
	static void sim_fini_##i(void) { sim_print("<", sim->names[i]); }
SIM_FNS(1) SIM_FNS(2) SIM_FNS(3) SIM_FNS(4) SIM_FNS(5) SIM_FNS(6)
SIM_FNS(7) SIM_FNS(8) SIM_FNS(9) SIM_FNS(10) SIM_FNS(11) SIM_FNS(12)
SIM_FNS(13) SIM_FNS(14) SIM_FNS(15) SIM_FNS(16) SIM_FNS(17) SIM_FNS(18)
SIM_FNS(19) SIM_FNS(20) SIM_FNS(21) SIM_FNS(22) SIM_FNS(23)
#define SIM_FN(i) { sim_init_##i, sim_fini_##i }
static struct {
	void (*init)(int, char **, char **);
	void (*fini)(void);
} sim_fns[SIM_MAX] = {
	{ NULL, NULL }, SIM_FN(1), SIM_FN(2), SIM_FN(3), SIM_FN(4), SIM_FN(5),
	SIM_FN(6), SIM_FN(7), SIM_FN(8), SIM_FN(9), SIM_FN(10), SIM_FN(11),
	SIM_FN(12), SIM_FN(13), SIM_FN(14), SIM_FN(15), SIM_FN(16), SIM_FN(17),
	SIM_FN(18), SIM_FN(19), SIM_FN(20), SIM_FN(21), SIM_FN(22), SIM_FN(23),
};

static size_t
sim_obj(struct sim *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strlen(s->names[i]) == len && strncmp(s->names[i], name, len) == 0)
			return i;
	ck_assert_uint_lt(s->n, SIM_MAX);
	ck_assert_uint_lt(len, sizeof(s->names[0]));
	memcpy(s->names[s->n], name, len);
	s->names[s->n][len] = '\0';
	return s->n++;
}

static void
sim_add(size_t (*to)[SIM_MAX], size_t *count, size_t from, size_t obj)
{
	size_t i;

	for (i = 0; i < count[from]; i++)
		if (to[from][i] == obj)
			return;
	to[from][count[from]++] = obj;
}

/* Parses one description (see above). */
static void
sim_parse(struct sim *s, const char *d)
{
	size_t cur[SIM_MAX], ncur = 0, set[SIM_MAX], nset, i, j;
	int op = 0;                     /* 0, '-' (->) or '=' (=>) */

	memset(s, 0, sizeof(*s));
	sim_obj(s, "{}", 2);
	while (*d) {
		const char *p = d;

		nset = 0;
		if (strncmp(d, "->", 2) == 0 || strncmp(d, "=>", 2) == 0) {
			op = *d;
			d += 2;
			continue;
		}
		if (*d == ';' || *d == '!') {
			op = *d == ';' ? 0 : op;
			d++;
			continue;
		}
		if (strncmp(d, "soname({})=", 11) == 0) {
			d += 11;
			for (p = d; isalnum((unsigned char)*d); d++)
				;
			s->is_prog[sim_obj(s, p, (size_t)(d - p))] = true;
			continue;
		}
		if (*d == '{') {
			p = strchr(d, '}');
			ck_assert_ptr_nonnull(p);
			snprintf(s->actions, sizeof(s->actions), "%.*s",
				 (int)(p - d - 1), d + 1);
			s->explicit_main = true;
			set[nset++] = 0;
			d = p + 1;
		} else if (*d == '[') {
			for (d++; *d != ']'; d++)
				set[nset++] = sim_obj(s, d, 1);
			d++;
		} else if (*d == '(') {
			for (d++; *d != ')';) {
				for (p = d; isalnum((unsigned char)*d); d++)
					;
				set[nset++] = sim_obj(s, p, (size_t)(d - p));
				while (*d == ' ')
					d++;
			}
			d++;
		} else {
			ck_assert_msg(isalnum((unsigned char)*d), "bad description at %s", d);
			for (; isalnum((unsigned char)*d); d++)
				;
			set[nset++] = sim_obj(s, p, (size_t)(d - p));
		}
		for (i = 0; op && i < ncur; i++)
			for (j = 0; j < nset; j++)
				sim_add(op == '-' ? s->dep : s->call,
					op == '-' ? s->ndep : s->ncall, cur[i], set[j]);
		memcpy(cur, set, nset * sizeof(set[0]));
		ncur = nset;
		op = 0;
	}
	/* Objects the program's actions name exist too. */
	for (i = 0; s->actions[i]; i++)
		if (strchr("+-%", s->actions[i]) && isalnum((unsigned char)s->actions[i + 1])) {
			for (j = i + 1; isalnum((unsigned char)s->actions[j]); j++)
				;
			sim_obj(s, s->actions + i + 1, j - i - 1);
		}
	if (!s->explicit_main) {
		for (i = 1; i < s->n; i++) {
			bool needed = false;

			for (j = 1; j < s->n && !needed; j++)
				for (size_t k = 0; k < s->ndep[j]; k++)
					needed |= s->dep[j][k] == i;
			if (!needed)
				sim_add(s->dep, s->ndep, 0, i);
		}
	}
}

/* The objects as myld would have them after reading their files. */
static void
sim_build(struct sim *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct elf_object *o = &s->objs[i];

		o->path = s->names[i];
		o->deps = s->deps[i];
		for (j = 0; j < s->ndep[i]; j++) {
			size_t to = s->dep[i][j];

			o->deps[o->nneeded++] = &s->objs[s->is_prog[to] ? 0 : to];
		}
		if (i) {
			o->init_array = &sim_fns[i].init;
			o->init_arraysz = 1;
			o->fini_array = &sim_fns[i].fini;
			o->fini_arraysz = 1;
		}
	}
	s->objs[0].is_main = true;
}

/* Maps obj and what it needs that is not loaded yet, breadth-first: the
 * load order of glibc and of myld (deps.c, dlopen.c). */
static void
sim_load(struct sim *s, size_t obj)
{
	size_t queue[SIM_MAX], len = 0, i, j;

	if (s->loaded[obj])
		return;
	s->loaded[obj] = true;
	deps_list_append(&s->objs[obj]);
	queue[len++] = obj;
	for (i = 0; i < len; i++) {
		struct elf_object *o = &s->objs[queue[i]];

		for (j = 0; j < o->nneeded; j++) {
			size_t d = (size_t)(o->deps[j] - s->objs);

			if (s->loaded[d])
				continue;
			s->loaded[d] = true;
			deps_list_append(o->deps[j]);
			queue[len++] = d;
		}
	}
}

/* A lazy binding of from's call to to's function, as glibc records it
 * (dl-lookup.c, add_dependency): a start-up object pins what it binds
 * to; a dlopen'ed one gains a relocation dependency unless to is among
 * its own list (its sorted search list if it is a root, else itself and
 * its DT_NEEDED entries) or is one already. */
static void
sim_bind(struct sim *s, size_t from_i, size_t to_i)
{
	struct elf_object *from = &s->objs[from_i], *to = &s->objs[to_i];
	struct scope_reldeps *r;
	size_t i;

	if (s->bound[from_i][to_i])
		return;
	s->bound[from_i][to_i] = true;
	if (from == to || !scope_unloadable(to) || to->pinned)
		return;
	if (!scope_unloadable(from)) {
		to->pinned = true;
		return;
	}
	for (i = 0; i < from->ninitfini; i++)
		if (from->initfini[i] == to)
			return;
	for (i = 0; !from->initfini && i < from->nneeded; i++)
		if (from->deps[i] == to)
			return;
	if (scope_reldeps_has(from->reldeps, to))
		return;
	r = scope_reldeps_append(from->reldeps, to);
	ck_assert_ptr_nonnull(r);
	if (r != from->reldeps)
		crt_free(from->reldeps);
	from->reldeps = r;
}

/* fn_obj: prints "obj(", calls what it calls, prints ")". */
static void
sim_call(struct sim *s, size_t obj)
{
	size_t i;

	sim_print(s->names[obj], "(");
	for (i = 0; i < s->ncall[obj]; i++) {
		sim_bind(s, obj, s->call[obj][i]);
		sim_call(s, s->call[obj][i]);
	}
	sim_print(")", "");
}

/* Only whether an object has a search list matters to init.c. */
static struct elf_object *sim_searchlist[1];

static void
sim_dlopen(struct sim *s, size_t obj)
{
	struct elf_object **list;
	struct init_plan plan;
	bool fresh = !s->loaded[obj];
	size_t n, i;

	sim_load(s, obj);
	/* Scope roots as scope.c gives them at a dlopen that loads
	 * something: what it loaded and the dlopen'ed objects it needs get
	 * the new root; the new root gets a search list. */
	if (fresh) {
		ck_assert_int_eq(deps_search_list(&s->objs[obj], &list, &n), 0);
		for (i = 0; i < n; i++)
			if (scope_unloadable(list[i]))
				s->root[list[i] - s->objs][obj] = true;
		crt_free(list);
		s->objs[obj].searchlist = sim_searchlist;
	}
	ck_assert_int_eq(init_plan_open(&plan, &s->objs[obj], fresh), 0);
	s->objs[obj].open_count++;
	init_plan_run(&plan);
}

/* What dlclose keeps (dlopen.c's mark_alive): what start-up loaded,
 * what is pinned or open, and what those need or bound to. */
static void
sim_alive(struct object_set *alive)
{
	struct elf_object *todo[SIM_MAX], *o;
	size_t ntodo = 0, i;

	for (o = ld_state.head; o; o = o->next)
		if ((!scope_unloadable(o) || o->pinned || o->open_count) &&
		    object_set_add(alive, o) > 0)
			todo[ntodo++] = o;
	while (ntodo) {
		size_t nrd;

		o = todo[--ntodo];
		nrd = o->reldeps ? o->reldeps->len : 0;
		for (i = 0; i < o->nneeded + nrd; i++) {
			struct elf_object *d = i < o->nneeded ? o->deps[i] :
					       o->reldeps->objs[i - o->nneeded];

			if (object_set_add(alive, d) > 0)
				todo[ntodo++] = d;
		}
	}
}

static void
sim_dlclose(struct sim *s, size_t obj)
{
	struct object_set alive = { NULL, 0, 0 };
	struct elf_object **order, *o, *next;
	size_t n, i;

	ck_assert_uint_gt(s->objs[obj].open_count, 0);
	if (--s->objs[obj].open_count)
		return;
	sim_alive(&alive);
	ck_assert_int_eq(init_fini_order(&order, &n), 0);
	ck_assert_uint_eq(n, ld_state.nobjects);
	for (i = 0; i < n; i++)
		if (!object_set_has(&alive, order[i]))
			init_run_fini(order[i]);
	crt_free(order);
	init_forget(&alive);
	for (o = ld_state.head; o; o = next) {
		size_t k = (size_t)(o - s->objs), r;

		next = o->next;
		if (object_set_has(&alive, o)) {
			/* scope_plan_purge: a survivor that loses a root and
			 * is not one gets a search list of its own. */
			for (r = 0; r < s->n; r++) {
				if (!s->root[k][r] || object_set_has(&alive, &s->objs[r]))
					continue;
				s->root[k][r] = false;
				if (!o->searchlist)
					o->searchlist = sim_searchlist;
			}
			continue;
		}
		/* Unloaded: as new if it is loaded again. */
		deps_list_remove(o);
		crt_free(o->initfini);
		crt_free(o->reldeps);
		o->initfini = NULL;
		o->ninitfini = 0;
		o->reldeps = NULL;
		o->init_started = o->init_done = o->fini_done = false;
		o->searchlist = NULL;
		s->loaded[k] = false;
		memset(s->bound[k], 0, sizeof(s->bound[k]));
		memset(s->root[k], 0, sizeof(s->root[k]));
	}
	object_set_free(&alive);
}

/* Runs the program of description d; returns what it printed. */
static const char *
sim_run(const char *d)
{
	static struct sim s;
	struct elf_object **list, *o;
	const char *a;
	size_t n;

	sim_parse(&s, d);
	sim_build(&s);
	sim = &s;
	sim_out[0] = '\0';
	memset(&ld_state, 0, sizeof(ld_state));
	ld_state.main_obj = &s.objs[0];
	sim_load(&s, 0);
	for (o = ld_state.head; o; o = o->next)
		o->at_startup = true;
	ck_assert_int_eq(deps_search_list(&s.objs[0], &list, &n), 0);
	ck_assert_int_eq(init_plan_startup(list, n), 0);
	crt_free(list);
	init_run_all();
	sim_print("{", "");
	for (a = s.actions; *a;) {
		char what = *a++;
		size_t len = strcspn(a, ";"), obj = sim_obj(&s, a, len);

		sim_print(what == '%' ? "%" : what == '+' ? "+" : "-", "");
		if (what != '%')
			sim_print(s.names[obj], "[");
		if (what == '+')
			sim_dlopen(&s, obj);
		else if (what == '-')
			sim_dlclose(&s, obj);
		else if (what == '%')
			sim_call(&s, obj);
		else
			ck_abort_msg("action %c not simulated", what);
		sim_print(what == '%' ? ";" : "];", "");
		a += len + (a[len] == ';');
	}
	sim_print("}", "");
	init_fini_all();
	return sim_out;
}

struct sim_case {
	const char *name;        /* glibc's test */
	const char *description;
	const char *expected;    /* its output with dynamic_sort=2 */
};

/* elf/dso-sort-tests-1.def; "!" cases in each order glibc tries. */
static const struct sim_case sim_cases[] = {
	{ "tst-dso-ordering1", "a->b->c", "c>b>a>{}<a<b<c" },
	{ "tst-dso-ordering2", "a->b->[cd]->e", "e>d>c>b>a>{}<a<b<c<d<e" },
	{ "tst-dso-ordering3", "a->[bc]->[def]->[gh]->i",
	  "i>h>g>f>e>d>c>b>a>{}<a<b<c<d<e<f<g<h<i" },
	{ "tst-dso-ordering4", "a->b->[de];a->c->d->e", "e>d>c>b>a>{}<a<b<c<d<e" },
	{ "tst-dso-ordering5", "a->[bc]->d;b->c", "d>c>b>a>{}<a<b<c<d" },
	{ "tst-dso-ordering5", "a->[cb]->d;b->c", "d>c>b>a>{}<a<b<c<d" },
	{ "tst-dso-ordering6", "a->[bcde]->f", "f>e>d>c>b>a>{}<a<b<c<d<e<f" },
	{ "tst-dso-ordering7", "a->[bc];b->[cde];e->f",
	  "f>e>d>c>b>a>{}<a<b<c<d<e<f" },
	{ "tst-dso-ordering8", "a->b->c=>a;{}->[ba]", "c>b>a>{}<a<b<c" },
	{ "tst-dso-ordering10", "{}->a->b->c;soname({})=c", "b>a>{}<a<b" },
	{ "tst-bz15311",
	  "{+a;+e;+f;+g;+d;%d;-d;-g;-f;-e;-a};a->b->c->d;d=>[ba];c=>a;"
	  "b=>e=>a;c=>f=>b;d=>g=>c",
	  "{+a[d>c>b>a>];+e[e>];+f[f>];+g[g>];+d[];"
	  "%d(b(e(a()))a()g(c(a()f(b(e(a()))))));"
	  "-d[];-g[];-f[];-e[];-a[<g<f<a<b<c<d<e];}" },
	{ "tst-bz28937", "{+a;+b;-b;+c;%c};a->a1;a->a2;a2->a;b->b1;c->a1;c=>a1",
	  "{+a[a2>a1>a>];+b[b1>b>];-b[<b<b1];+c[c>];%c(a1());}<a2<a<c<a1" },
	/* Not glibc's tests; the outputs are glibc 2.36's (Debian 12), of
	 * libraries built to these descriptions. A root's sorted list is
	 * what a walk that enters the root follows (R's [R b a], not its
	 * DT_NEEDED a, b): */
	{ "root list", "{+R;+T;+S};R->a->b->a;T->b;S->R",
	  "{+R[a>b>R>];+T[T>];+S[S>];}<T<S<R<b<a" },
	{ "root list", "{+T;+R;+S};R->a->b->a;T->b;S->R",
	  "{+T[b>a>T>];+R[R>];+S[S>];}<T<S<R<b<a" },
	/* b, loaded as T's dependency, then opened itself: its list is
	 * sorted with its own DT_NEEDED edges (r -> b -> p, q, r), not as
	 * a new root's; without the second dlopen, q comes first. */
	{ "old root", "{+T;+b;+S};T->b;b->(p q r);r->b;S->b",
	  "{+T[p>q>b>r>T>];+b[];+S[S>];}<T<S<r<b<p<q" },
	{ "old root", "{+T;+S};T->b;b->(p q r);r->b;S->b",
	  "{+T[p>q>b>r>T>];+S[S>];}<T<S<r<b<q<p" },
	/* ... but not when a dlclose has made it a root first (it lost T
	 * and lives on through U): then its list is itself and its
	 * DT_NEEDED entries, unsorted. */
	{ "dlclose root", "{+T;+U;-T;+b;+S};T->b;b->(p q r);r->b;U->b;S->b",
	  "{+T[p>q>b>r>T>];+U[U>];-T[<T];+b[];+S[S>];}<U<S<r<b<q<p" },
	/* dl_fini_dlopen's libraries, without the nested calls: B (needs
	 * D) open, A (needs AX and D) opened and closed, then B closed. */
	{ "dl_fini_dlopen", "{+B;+A;-A;-B};A->(AX D);B->D",
	  "{+B[D>B>];+A[AX>A>];-A[<A<AX];-B[<B<D];}" },
};

#define NSIM (sizeof(sim_cases) / sizeof(sim_cases[0]))

START_TEST(init_order_glibc_cases)
{
	const struct sim_case *c = &sim_cases[_i];
	const char *got = sim_run(c->description);

	ck_assert_msg(strcmp(got, c->expected) == 0, "%s: %s\n  got:  %s\n  want: %s",
		      c->name, c->description, got, c->expected);
}
END_TEST

/* tst-dso-ordering9: "a->b->c->d->e;{}!->[abcde]", every order of the
 * program's five DT_NEEDED entries gives the same init and fini order. */
START_TEST(init_order_glibc_permutations)
{
	char order[] = "abcde", d[64];
	size_t k = (size_t)_i, i;

	/* The _i-th permutation (factorial number system). */
	for (i = 0; i < 5; i++) {
		size_t f = 1, j, pick;
		char c;

		for (j = 1; j < 5 - i; j++)
			f *= j + 1;
		f = f / (5 - i);
		pick = i + k / f;
		k %= f;
		c = order[pick];
		memmove(order + i + 1, order + i, pick - i);
		order[i] = c;
	}
	snprintf(d, sizeof(d), "a->b->c->d->e;{}->[%s]", order);
	ck_assert_str_eq(sim_run(d), "e>d>c>b>a>{}<a<b<c<d<e");
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

	tc = tcase_create("init_fini_order");
	tcase_add_loop_test(tc, init_order_glibc_cases, 0, NSIM);
	tcase_add_loop_test(tc, init_order_glibc_permutations, 0, 120);
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
