/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/dlopen.c on fabricated objects that are already on
 * the load list (object_new, DT_NEEDED links set by hand, nothing mapped):
 * what dlopen_object decides for an object that is loaded (references,
 * RTLD_NOLOAD, RTLD_GLOBAL promotion into the global scope, RTLD_NODELETE,
 * the program for a NULL name) and which objects dlopen_close unloads
 * (reachability through references, DT_NEEDED and relocation
 * dependencies; what start-up loaded stays). Loading a new file needs a
 * real file and mmap: the integration tests cover that.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/scope.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "tests/unit/unit.h"

static struct elf_object *prog;

/* A library on the load list, loaded by a dlopen (or at start-up), with
 * room for four DT_NEEDED entries. */
static struct elf_object *
lib(const char *name, bool at_startup)
{
	struct elf_object *o = object_new(name);

	ck_assert_ptr_nonnull(o);
	o->deps = crt_calloc(4, sizeof(*o->deps));
	o->at_startup = at_startup;
	deps_list_append(o);
	return o;
}

static void
need(struct elf_object *from, struct elf_object *to)
{
	from->deps[from->nneeded++] = to;
}

static void
setup(void)
{
	struct scope_global *g;

	memset(&ld_state, 0, sizeof(ld_state));
	ld_state.page_size = 4096;
	ld_state.startup_done = true;
	symbol_reset();
	prog = lib("prog", true);
	prog->is_main = true;
	ld_state.main_obj = prog;
	g = scope_global_new(1);
	ck_assert_ptr_nonnull(g);
	g->objs[g->len++] = prog;
	scope_global_publish(g);
}

static bool
loaded(const char *name)
{
	return deps_find_loaded(name) != NULL;
}

static size_t
global_len(void)
{
	size_t n;

	scope_global(&n);
	return n;
}

START_TEST(dlopen_object_counts_references)
{
	struct elf_object *a = lib("a.so", false);

	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW, NULL), a);
	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_LAZY, NULL), a);
	ck_assert_uint_eq(a->open_count, 2);
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert_uint_eq(a->open_count, 1);
	ck_assert(loaded("a.so"));
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert(!loaded("a.so"));
	ck_assert_uint_eq(ld_state.nobjects, 1);
}
END_TEST

START_TEST(dlopen_object_null_is_program)
{
	ck_assert_ptr_eq(dlopen_object(NULL, DLOPEN_NOW, NULL), prog);
	ck_assert_ptr_eq(dlopen_object("", DLOPEN_NOW, NULL), prog);
	ck_assert_uint_eq(prog->open_count, 2);
	ck_assert_int_eq(dlopen_close(prog), 0);
	ck_assert_int_eq(dlopen_close(prog), 0);
	ck_assert(ld_state.head == prog);
}
END_TEST

START_TEST(dlopen_object_noload_finds_loaded)
{
	struct elf_object *a = lib("a.so", false);

	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOLOAD | DLOPEN_NOW, NULL), a);
	ck_assert_uint_eq(a->open_count, 1);
	/* A file that does not exist: an error, nothing loaded. */
	ck_assert_ptr_null(dlopen_object("/nonexistent/dir/x.so",
					 DLOPEN_NOLOAD | DLOPEN_NOW, NULL));
	ck_assert_str_ne(ld_error_message(), "");
	ck_assert_uint_eq(ld_state.nobjects, 2);
}
END_TEST

START_TEST(dlopen_object_global_promotes)
{
	struct elf_object *a = lib("a.so", false), *b = lib("b.so", false);
	struct elf_object *const *global;
	size_t n;

	need(a, b);
	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW, NULL), a);
	ck_assert_uint_eq(global_len(), 1);
	/* Opened again with RTLD_GLOBAL: its search list joins the scope. */
	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW | DLOPEN_GLOBAL, NULL), a);
	global = scope_global(&n);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_eq(global[0], prog);
	ck_assert_ptr_eq(global[1], a);
	ck_assert_ptr_eq(global[2], b);
	/* Once only. */
	ck_assert_ptr_eq(dlopen_object("b.so", DLOPEN_NOW | DLOPEN_GLOBAL, NULL), b);
	ck_assert_uint_eq(global_len(), 3);
	ck_assert_int_eq(dlopen_close(b), 0);
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert_uint_eq(global_len(), 3);
	/* The last reference: both leave the global scope and the list. */
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert_uint_eq(global_len(), 1);
	ck_assert(!loaded("a.so") && !loaded("b.so"));
}
END_TEST

START_TEST(dlopen_close_keeps_dependencies_in_use)
{
	struct elf_object *a = lib("a.so", false), *b = lib("b.so", false);
	struct elf_object *c = lib("c.so", false);

	need(a, b);
	need(c, b);
	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW, NULL), a);
	ck_assert_ptr_eq(dlopen_object("c.so", DLOPEN_NOW, NULL), c);
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert(!loaded("a.so"));
	ck_assert(loaded("b.so") && loaded("c.so"));
	ck_assert_int_eq(dlopen_close(c), 0);
	ck_assert(!loaded("b.so") && !loaded("c.so"));
}
END_TEST

START_TEST(dlopen_close_keeps_relocation_dependencies)
{
	struct elf_object *a = lib("a.so", false), *b = lib("b.so", false);

	a->reldeps = scope_reldeps_append(NULL, b);
	ck_assert_ptr_nonnull(a->reldeps);
	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW, NULL), a);
	ck_assert_ptr_eq(dlopen_object("b.so", DLOPEN_NOW, NULL), b);
	ck_assert_int_eq(dlopen_close(b), 0);
	ck_assert(loaded("b.so"));
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert(!loaded("a.so") && !loaded("b.so"));
}
END_TEST

START_TEST(dlopen_close_keeps_nodelete_and_startup)
{
	struct elf_object *a = lib("a.so", false), *s = lib("s.so", true);

	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW | DLOPEN_NODELETE, NULL), a);
	ck_assert(a->nodelete);
	ck_assert_ptr_eq(dlopen_object("s.so", DLOPEN_NOW, NULL), s);
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert_int_eq(dlopen_close(s), 0);
	ck_assert(loaded("a.so") && loaded("s.so"));
	ck_assert_uint_eq(a->open_count, 0);
}
END_TEST

START_TEST(dlopen_close_refuses_unopened)
{
	struct elf_object *a = lib("a.so", false);

	ck_assert_int_eq(dlopen_close(NULL), -EINVAL);
	ck_assert_int_eq(dlopen_close(a), -EINVAL);
	ck_assert_str_eq(ld_error_message(), "shared object not open");
	ck_assert(loaded("a.so"));
}
END_TEST

START_TEST(dlopen_close_defers_while_exiting)
{
	struct elf_object *a = lib("a.so", false);

	ck_assert_ptr_eq(dlopen_object("a.so", DLOPEN_NOW, NULL), a);
	ld_state.exiting = true;
	ck_assert_int_eq(dlopen_close(a), 0);
	ck_assert_uint_eq(a->open_count, 0);
	ck_assert(loaded("a.so"));
}
END_TEST

static Suite *
dlopen_suite(void)
{
	Suite *s = suite_create("dlopen");
	TCase *open = tcase_create("dlopen_object");
	TCase *close = tcase_create("dlopen_close");

	tcase_add_checked_fixture(open, setup, NULL);
	tcase_add_checked_fixture(close, setup, NULL);
	tcase_add_test(open, dlopen_object_counts_references);
	tcase_add_test(open, dlopen_object_null_is_program);
	tcase_add_test(open, dlopen_object_noload_finds_loaded);
	tcase_add_test(open, dlopen_object_global_promotes);
	tcase_add_test(close, dlopen_close_keeps_dependencies_in_use);
	tcase_add_test(close, dlopen_close_keeps_relocation_dependencies);
	tcase_add_test(close, dlopen_close_keeps_nodelete_and_startup);
	tcase_add_test(close, dlopen_close_refuses_unopened);
	tcase_add_test(close, dlopen_close_defers_while_exiting);
	suite_add_tcase(s, open);
	suite_add_tcase(s, close);
	return s;
}

int
main(void)
{
	return unit_run(dlopen_suite());
}
