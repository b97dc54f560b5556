/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for loader/launch.c: a cold start records and writes one
 * entry, the next start with the same key replays it, and an entry that
 * is damaged, unsafe or out of date is never replayed.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "crt/alloc.h"
#include "loader/launch.h"
#include "loader/state.h"
#include "unit.h"

static char dir[64];
static char *envp[] = { NULL };
static uint64_t auxv[4];
static struct elf_object prog, lib;

static void
setup(void)
{
	memset(&ld_state, 0, sizeof(ld_state));
	auxv[0] = AT_EUID;
	auxv[1] = geteuid();
	auxv[2] = AT_NULL;
	ld_state.auxv = auxv;
	ld_state.envp = envp;
	strcpy(dir, "/tmp/myld-unit-launch-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&prog, 0, sizeof(prog));
	memset(&lib, 0, sizeof(lib));
	prog.serial = 1;
	lib.serial = 2;
	prog.next = &lib;
	lib.prev = &prog;
	ld_state.head = &prog;
	ld_state.tail = &lib;
	ld_state.object_serial = 2;
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The one entry in dir, into path; its count returned. */
static int
entry(char *path, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, len, "%s/%s", dir, e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

/* A cold start that finds "libc.so.6" at /bin/true, and one binding. */
static void
record(void)
{
	struct search_result res;

	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_RECORDING);
	ck_assert(!launch_search("libc.so.6", NULL, &res));
	res.fd = open("/bin/true", O_RDONLY);
	res.path = "/bin/true";
	ck_assert_int_ge(res.fd, 0);
	launch_note_probe("/nonexistent-myld-dir/libc.so.6");
	launch_note_search("libc.so.6", NULL, &res);
	close(res.fd);
	launch_note_relocs(&prog, 10, true);
	launch_note_binding(&prog, 3, 0, &lib, 7);
	launch_finish();
}

START_TEST(launch_cold_then_warm)
{
	struct launch_relocs facts;
	struct search_result res;
	char path[512];
	struct stat st;

	record();
	ck_assert_int_eq(entry(path, sizeof(path)), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_REPLAYING);
	ck_assert(launch_search("libc.so.6", NULL, &res));
	ck_assert_str_eq(res.path, "/bin/true");
	ck_assert_int_ge(res.fd, 0);
	close(res.fd);
	crt_free(res.path);
	ck_assert(launch_relocs_of(&prog, &facts));
	ck_assert_uint_eq(facts.relative_checked, 10);
	ck_assert(facts.relr_checked);
	ck_assert_uint_eq(facts.nbindings, 1);
	ck_assert_uint_eq(facts.bindings[0].symidx, 3);
	ck_assert_uint_eq(facts.bindings[0].def_serial, 2);
	ck_assert_uint_eq(facts.bindings[0].defsym, 7);
	ck_assert_ptr_eq(launch_object(2), &lib);
	ck_assert_ptr_null(launch_object(99));
	ck_assert(!launch_relocs_of(&lib, &facts));
	launch_finish();
}
END_TEST

/* Every flipped byte and every truncation makes a cold start. */
START_TEST(launch_damaged_entry_is_cold)
{
	char path[512];
	unsigned char buf[8192];
	struct stat st;
	ssize_t n;
	int fd;

	record();
	ck_assert_int_eq(entry(path, sizeof(path)), 1);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	ck_assert_int_gt(n, 32);
	for (ssize_t off = 0; off < n; off += n / 37 + 1) {
		for (int truncate_it = 0; truncate_it < 2; truncate_it++) {
			fd = open(path, O_WRONLY | O_TRUNC);
			ck_assert_int_ge(fd, 0);
			buf[off] ^= truncate_it ? 0 : 0x40;
			ck_assert_int_eq(write(fd, buf, truncate_it ? off : n),
					 truncate_it ? off : n);
			buf[off] ^= truncate_it ? 0 : 0x40;
			close(fd);
			launch_start(dir, "/bin/true", NULL);
			ck_assert_int_ne(launch_role(), LAUNCH_REPLAYING);
			launch_finish();
			/* The cold start rewrote it: restore ours. */
			ck_assert_int_eq(stat(path, &st), 0);
		}
	}
}
END_TEST

START_TEST(launch_unsafe_or_secure)
{
	char path[512];

	record();
	ck_assert_int_eq(entry(path, sizeof(path)), 1);
	ck_assert_int_eq(chmod(path, 0620), 0);
	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_NONE);
	launch_finish();
	ck_assert_int_eq(chmod(path, 0600), 0);
	ld_state.secure = true;
	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_NONE);
	launch_finish();
	ld_state.secure = false;
	ld_state.bind_now = true;     /* another key: no entry */
	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_RECORDING);
	launch_finish();
	ck_assert_int_eq(entry(path, sizeof(path)), 2);
}
END_TEST

START_TEST(launch_diverging_search_drops_entry)
{
	struct search_result res;
	char path[512];

	record();
	launch_start(dir, "/bin/true", NULL);
	ck_assert_int_eq(launch_role(), LAUNCH_REPLAYING);
	ck_assert(!launch_search("libother.so", NULL, &res));
	ck_assert_int_eq(launch_role(), LAUNCH_NONE);
	launch_finish();
	ck_assert_int_eq(entry(path, sizeof(path)), 0);
}
END_TEST

static Suite *
launch_suite(void)
{
	Suite *s = suite_create("launch");
	TCase *tc = tcase_create("launch");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, launch_cold_then_warm);
	tcase_add_test(tc, launch_damaged_entry_is_cold);
	tcase_add_test(tc, launch_unsafe_or_secure);
	tcase_add_test(tc, launch_diverging_search_drops_entry);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(launch_suite());
}
