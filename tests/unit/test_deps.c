/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/deps.c's own rules, without files: the load list
 * (append keeps load order and the count, remove from the head, middle and
 * tail relinks its neighbours) and which loaded object a name finds
 * (soname, the name it was loaded by, its path; the program only by its
 * soname, never by the path it was started by, as glibc).
 */
#include <check.h>
#include <string.h>

#include "loader/deps.h"
#include "loader/state.h"
#include "tests/unit/unit.h"

static struct elf_object objs[4];

static void
setup(void)
{
	memset(&ld_state, 0, sizeof(ld_state));
	memset(objs, 0, sizeof(objs));
}

static const char *
order(void)
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
		objs[i].path = (char *)names[i];
		deps_list_append(&objs[i]);
	}
	ck_assert_str_eq(order(), "pabc");
	ck_assert_uint_eq(ld_state.nobjects, 4);
	deps_list_remove(&objs[2]);
	ck_assert_str_eq(order(), "pac");
	deps_list_remove(&objs[3]);
	ck_assert_str_eq(order(), "pa");
	ck_assert_ptr_eq(ld_state.tail, &objs[1]);
	deps_list_remove(&objs[0]);
	ck_assert_str_eq(order(), "a");
	ck_assert_ptr_eq(ld_state.head, &objs[1]);
	deps_list_remove(&objs[1]);
	ck_assert_ptr_null(ld_state.head);
	ck_assert_ptr_null(ld_state.tail);
	ck_assert_uint_eq(ld_state.nobjects, 0);
}
END_TEST

START_TEST(find_loaded_by_name)
{
	objs[0].path = (char *)"./prog";
	objs[0].soname = (char *)"libprog.so";
	objs[0].is_main = true;
	objs[1].path = (char *)"/lib/liba.so.1";
	objs[1].libname = (char *)"liba.so";
	objs[1].soname = (char *)"liba.so.1";
	deps_list_append(&objs[0]);
	deps_list_append(&objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("liba.so.1"), &objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("liba.so"), &objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("/lib/liba.so.1"), &objs[1]);
	ck_assert_ptr_eq(deps_find_loaded("libprog.so"), &objs[0]);
	ck_assert_ptr_null(deps_find_loaded("./prog"));
	ck_assert_ptr_null(deps_find_loaded("libnone.so"));
}
END_TEST

static Suite *
deps_suite(void)
{
	Suite *s = suite_create("deps");
	TCase *tc = tcase_create("deps");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, list_append_and_remove);
	tcase_add_test(tc, find_loaded_by_name);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(deps_suite());
}
