/* SPDX-License-Identifier: MIT */
/*
 * dl_refuse.c: what glibc's ld.so refuses to dlopen, refused with its
 * words, and nothing left behind.
 *
 * Usage: dl_refuse DIR, where DIR holds libdl_refuse_dso.so and
 * libdl_refuse_noopen.so (both linked with -z nodlopen; the first is a
 * DT_NEEDED of this program: loading it at start-up is allowed, and a
 * dlopen of it finds it loaded), dl_refuse_pie (a PIE) and
 * dl_refuse_fixed (ET_EXEC).
 *
 * Each dlopen must return NULL with dlerror() naming the file and saying
 * "cannot dynamically load position-independent executable", "cannot
 * dynamically load executable" or "shared object cannot be dlopen()ed";
 * the program's own file (by argv[0], its path in both start modes) is
 * refused as an executable too, not handed back as the program (glibc
 * maps the file anew). A loader that maps a fixed-address executable over
 * the running program would crash here instead.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>

#include "t.h"

int dl_refuse_noopen(void);

static void
refused(const char *path, const char *why)
{
	void *h = dlopen(path, RTLD_NOW);
	const char *msg = dlerror();

	T_CHECK(h == NULL, "dlopen %s succeeded, want \"%s\"", path, why);
	if (h)
		dlclose(h);
	T_CHECK(msg && strstr(msg, why) && strstr(msg, path),
		"dlopen %s: dlerror \"%s\", want the path and \"%s\"", path,
		T_STR(msg), why);
}

static int
count_objects(struct dl_phdr_info *info, size_t size, void *n)
{
	(void)info; (void)size;
	++*(int *)n;
	return 0;
}

int
main(int argc, char **argv)
{
	void *h;
	int before = 0, after = 0;
	char *p;

	T_REQUIRE(argc == 2, "usage: dl_refuse DIR");
	t_check_loader();
	T_CHECK(dl_refuse_noopen() == 7, "the nodlopen library did not load "
		"as a DT_NEEDED");
	dl_iterate_phdr(count_objects, &before);

	p = t_path(argv[1], "libdl_refuse_dso.so");
	h = dlopen(p, RTLD_NOW);
	T_CHECK(h != NULL, "dlopen of the loaded nodlopen library %s: %s", p,
		T_STR(dlerror()));
	if (h)
		dlclose(h);
	free(p);
	p = t_path(argv[1], "libdl_refuse_noopen.so");
	refused(p, "shared object cannot be dlopen()ed");
	free(p);
	p = t_path(argv[1], "dl_refuse_pie");
	refused(p, "cannot dynamically load position-independent executable");
	free(p);
	p = t_path(argv[1], "dl_refuse_fixed");
	refused(p, "cannot dynamically load executable");
	free(p);

	refused(argv[0], "cannot dynamically load position-independent executable");

	dl_iterate_phdr(count_objects, &after);
	T_CHECK(before == after, "%d objects before the refused dlopens, %d after",
		before, after);
	if (!t_status())
		printf("dl_refuse: passed\n");
	return t_status();
}
