/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/deps.c's pure parts, on fabricated objects (only
 * the fields the walk reads: needed, deps, dep_kinds, nneeded): the search
 * lists of dependency graphs written as text, filters included, in
 * glibc's order (its _dl_map_object_deps); deps_init_list's shape;
 * deps_list_move_before on the load list; the load list's append and
 * remove (load order, count, neighbours relinked); and which loaded
 * object a name finds (soname, the name it was loaded by, its path; the
 * program only by its soname, never by the path it was started by, as
 * glibc); the warning for a preload that cannot be loaded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/init.h"
#include "loader/state.h"
#include "tests/unit/unit.h"

#define MAX_OBJS 8

struct graph {
	struct elf_object objs[MAX_OBJS];
	struct elf_object *deps[MAX_OBJS][MAX_OBJS];
	uint8_t kinds[MAX_OBJS][MAX_OBJS];
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

/* objs: the names, the first is the root. edges, in .dynamic order for
 * each object: "x>y" DT_NEEDED, "x=y" DT_FILTER, "x~y" DT_AUXILIARY; "-"
 * for y: not loaded (NULL). */
static void
build_graph(struct graph *g, const char *objs, const char *const *edges)
{
	char copy[128], *name, *save;

	memset(g, 0, sizeof(*g));
	snprintf(copy, sizeof(copy), "%s", objs);
	for (name = strtok_r(copy, " ", &save); name; name = strtok_r(NULL, " ", &save)) {
		ck_assert_uint_lt(g->n, MAX_OBJS);
		snprintf(g->names[g->n], sizeof(g->names[0]), "%s", name);
		g->objs[g->n].path = g->names[g->n];
		g->objs[g->n].deps = g->deps[g->n];
		g->n++;
	}
	for (; edges && *edges; edges++) {
		char from[16], op, to[16];
		struct elf_object *obj;

		ck_assert_int_eq(sscanf(*edges, "%15[^>=~]%c%15s", from, &op, to), 3);
		obj = by_name(g, from);
		ck_assert_uint_lt(obj->nneeded, MAX_OBJS);
		if (op != '>')
			obj->dep_kinds = g->kinds[obj - g->objs];
		g->kinds[obj - g->objs][obj->nneeded] =
			op == '=' ? DEP_FILTER : op == '~' ? DEP_AUXILIARY : DEP_NEEDED;
		obj->deps[obj->nneeded++] = strcmp(to, "-") == 0 ? NULL : by_name(g, to);
	}
}

/* The list as text: "p t f c". */
static const char *
list_text(struct elf_object **list, size_t n)
{
	static char buf[256];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? " " : "", list[i]->path);
	return buf;
}

/* ---- deps_search_list ---- */

struct list_case {
	const char *what;
	const char *objs;
	const char *edges[8];
	const char *expected;
};

static const struct list_case list_cases[] = {
	{ "breadth-first", "p a b c", { "p>a", "p>b", "a>c" }, "p a b c" },
	{ "each once", "p a", { "p>a", "p>a", "a>a", "a>p" }, "p a" },
	{ "missing", "p a", { "p>-", "p>a" }, "p a" },
	/* glibc's tst-filterobj: prog needs flt and libc, flt filters
	 * through filtee and needs libc. */
	{ "filtee before its filter", "p f c t", { "p>f", "p>c", "f=t", "f>c" },
	  "p t f c" },
	{ "auxiliary filtee too", "p f t", { "p>f", "f~t" }, "p t f" },
	{ "missing auxiliary filtee", "p f", { "p>f", "f~-" }, "p f" },
	{ "filtees in order", "p f t1 t2", { "p>f", "f=t1", "f~t2" }, "p t1 t2 f" },
	/* The filtee is processed right after its filter: its needs come
	 * after the filter's. */
	{ "filtee's needs", "p f t x y", { "p>f", "f=t", "f>x", "t>y" },
	  "p t f x y" },
	{ "filtee listed earlier stays", "p t f", { "p>t", "p>f", "f=t" },
	  "p t f" },
	{ "filtee listed later moves", "p f t", { "p>f", "p>t", "f=t" }, "p t f" },
	{ "later filtee moves after earlier", "p f a b",
	  { "p>f", "p>a", "p>b", "f=b", "f=a" }, "p b a f" },
	{ "one filtee, two filters", "p f1 f2 t",
	  { "p>f1", "p>f2", "f1=t", "f2~t" }, "p t f1 f2" },
	/* dlopen of a filter: its search list starts with its filtee. */
	{ "root is a filter", "f c t", { "f=t", "f>c" }, "t f c" },
	{ "filter of itself", "p f", { "p>f", "f=f" }, "p f" },
	/* Filters of each other: each object is processed once, so the walk
	 * ends (glibc's would not). */
	{ "filter cycle", "p f t", { "p>f", "f=t", "t=f" }, "p f t" },
};

#define NLIST (sizeof(list_cases) / sizeof(list_cases[0]))

START_TEST(deps_search_list_cases)
{
	const struct list_case *c = &list_cases[_i];
	struct elf_object **list = NULL;
	struct graph g;
	size_t n;

	build_graph(&g, c->objs, c->edges);
	ck_assert_int_eq(deps_search_list(&g.objs[0], &list, &n), 0);
	ck_assert_ptr_nonnull(list);
	ck_assert_msg(strcmp(list_text(list, n), c->expected) == 0,
		      "%s: \"%s\", expected \"%s\"", c->what, list_text(list, n),
		      c->expected);
	crt_free(list);
}
END_TEST

/* ---- deps_init_list ---- */

/* The root first, then its filtees, then the rest; sorted as a dlopen
 * sorts it (init_sort), the filter comes before its filtee, so the
 * filtee is initialised first (initialisers run the list backwards). */
START_TEST(deps_init_list_root_first)
{
	static const char *const edges[] = { "f=t", "f>c", "t>c", NULL };
	struct elf_object **list = NULL;
	struct graph g;
	size_t n;

	build_graph(&g, "f c t", edges);
	ck_assert_int_eq(deps_init_list(&g.objs[0], &list, &n), 0);
	ck_assert_str_eq(list_text(list, n), "f t c");
	ck_assert_int_eq(init_sort(list, n, INIT_SORT_FORCE_FIRST |
				   INIT_SORT_NEW_ROOT), 0);
	ck_assert_str_eq(list_text(list, n), "f t c");
	crt_free(list);
}
END_TEST

START_TEST(deps_init_list_plain)
{
	static const char *const edges[] = { "a>b", "a>c", NULL };
	struct elf_object **list = NULL;
	struct graph g;
	size_t n;

	build_graph(&g, "a b c", edges);
	ck_assert_int_eq(deps_init_list(&g.objs[0], &list, &n), 0);
	ck_assert_str_eq(list_text(list, n), "a b c");
	crt_free(list);
}
END_TEST

/* ---- deps_list_move_before ---- */

static const char *
load_list_text(void)
{
	static char buf[256];
	struct elf_object *o;
	size_t len = 0, n = 0;

	buf[0] = '\0';
	for (o = ld_state.head; o; o = o->next, n++) {
		ck_assert_ptr_eq(o->next ? o->next->prev : ld_state.tail, o);
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					n ? " " : "", o->path);
	}
	ck_assert_uint_eq(n, ld_state.nobjects);
	ck_assert_ptr_null(ld_state.head ? ld_state.head->prev : NULL);
	return buf;
}

START_TEST(deps_list_move_before_moves_later_only)
{
	struct graph g;
	size_t i;

	build_graph(&g, "p a f t", NULL);
	for (i = 0; i < g.n; i++)
		deps_list_append(&g.objs[i]);
	deps_list_move_before(by_name(&g, "t"), by_name(&g, "f"));
	ck_assert_str_eq(load_list_text(), "p a t f");
	/* Already before it: stays. */
	deps_list_move_before(by_name(&g, "a"), by_name(&g, "f"));
	ck_assert_str_eq(load_list_text(), "p a t f");
	/* To the head, and from the tail. */
	deps_list_move_before(by_name(&g, "f"), by_name(&g, "p"));
	ck_assert_str_eq(load_list_text(), "f p a t");
	ck_assert_ptr_eq(ld_state.tail, by_name(&g, "t"));
	deps_list_move_before(by_name(&g, "t"), by_name(&g, "a"));
	ck_assert_str_eq(load_list_text(), "f p t a");
	ck_assert_ptr_eq(ld_state.tail, by_name(&g, "a"));
}
END_TEST

static struct elf_object list_objs[4];

static void
list_setup(void)
{
	memset(&ld_state, 0, sizeof(ld_state));
	memset(list_objs, 0, sizeof(list_objs));
}

static const char *
list_order(void)
{
	static char buf[64];
	struct elf_object *o;

	buf[0] = '\0';
	for (o = ld_state.head; o; o = o->next) {
		strcat(buf, o->path);
		ck_assert_ptr_eq(o->next ? o->next->prev : ld_state.tail, o);
	}
	return buf;
}

START_TEST(list_append_and_remove)
{
	const char *names[] = { "p", "a", "b", "c" };
	size_t i;

	for (i = 0; i < 4; i++) {
		list_objs[i].path = (char *)names[i];
		deps_list_append(&list_objs[i]);
	}
	ck_assert_str_eq(list_order(), "pabc");
	ck_assert_uint_eq(ld_state.nobjects, 4);
	deps_list_remove(&list_objs[2]);
	ck_assert_str_eq(list_order(), "pac");
	deps_list_remove(&list_objs[3]);
	ck_assert_str_eq(list_order(), "pa");
	ck_assert_ptr_eq(ld_state.tail, &list_objs[1]);
	deps_list_remove(&list_objs[0]);
	ck_assert_str_eq(list_order(), "a");
	ck_assert_ptr_eq(ld_state.head, &list_objs[1]);
	deps_list_remove(&list_objs[1]);
	ck_assert_ptr_null(ld_state.head);
	ck_assert_ptr_null(ld_state.tail);
	ck_assert_uint_eq(ld_state.nobjects, 0);
}
END_TEST

START_TEST(find_loaded_by_name)
{
	list_objs[0].path = (char *)"./prog";
	list_objs[0].soname = (char *)"libprog.so";
	list_objs[0].is_main = true;
	list_objs[1].path = (char *)"/lib/liba.so.1";
	list_objs[1].libname = (char *)"liba.so";
	list_objs[1].soname = (char *)"liba.so.1";
	deps_list_append(&list_objs[0]);
	deps_list_append(&list_objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("liba.so.1"), &list_objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("liba.so"), &list_objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("/lib/liba.so.1"), &list_objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("libprog.so"), &list_objs[0]);
	ck_assert_ptr_null(deps_find_loaded("./prog"));
	ck_assert_ptr_null(deps_find_loaded("libnone.so"));
}
END_TEST

/* A preload that cannot be loaded is glibc's one-line warning with the
 * reason alone (no file name, no errno text), and is left out. */
START_TEST(preload_failure_shows_the_reason)
{
	struct elf_object **pre = NULL;
	size_t npre = 0;
	char out[512];
	int fds[2], saved = dup(2);
	ssize_t n;

	ck_assert_int_eq(pipe(fds), 0);
	dup2(fds[1], 2);
	close(fds[1]);
	deps_preload("/nonexistent-unit/libx.so:/", "LD_PRELOAD", &pre, &npre);
	dup2(saved, 2);
	close(saved);
	n = read(fds[0], out, sizeof(out) - 1);
	close(fds[0]);
	ck_assert_int_ge(n, 0);
	out[n] = '\0';
	ck_assert_str_eq(out, "ERROR: ld.so: object '/nonexistent-unit/libx.so' "
			 "from LD_PRELOAD cannot be preloaded (cannot open "
			 "shared object file): ignored.\n"
			 "ERROR: ld.so: object '/' from LD_PRELOAD cannot be "
			 "preloaded (cannot read file data): ignored.\n");
	ck_assert_uint_eq(npre, 0);
}
END_TEST

static Suite *
deps_suite(void)
{
	Suite *s = suite_create("deps");
	TCase *tc;

	tc = tcase_create("deps_search_list");
	tcase_add_loop_test(tc, deps_search_list_cases, 0, NLIST);
	suite_add_tcase(s, tc);

	tc = tcase_create("deps_init_list");
	tcase_add_test(tc, deps_init_list_root_first);
	tcase_add_test(tc, deps_init_list_plain);
	suite_add_tcase(s, tc);

	tc = tcase_create("deps_list_move_before");
	tcase_add_test(tc, deps_list_move_before_moves_later_only);
	suite_add_tcase(s, tc);

	tc = tcase_create("load list and names");
	tcase_add_checked_fixture(tc, list_setup, NULL);
	tcase_add_test(tc, list_append_and_remove);
	tcase_add_test(tc, find_loaded_by_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("deps_preload");
	tcase_add_test(tc, preload_failure_shows_the_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(deps_suite());
}
