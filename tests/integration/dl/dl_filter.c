/* SPDX-License-Identifier: MIT */
/*
 * dl_filter.c: filter objects, as glibc's ld.so implements them. A filter
 * (ld --filter=FILTEE: DT_FILTER; --auxiliary=FILTEE: DT_AUXILIARY) has its
 * filtees loaded with it, searched before it: a symbol both define is the
 * filtee's, for every object (the filter's own references too); one only
 * the filter defines is the filter's. A missing DT_FILTER filtee is an
 * error; a missing DT_AUXILIARY one is ignored, and the filter's own
 * definitions are used. The filtee is initialised before its filter and
 * comes before it on the list of loaded objects.
 *
 * Usage: dl_filter DIR. Linked with (start-up):
 *   libdl_filter_std.so      --filter=libdl_filter_filtee.so
 *   libdl_filter_aux.so      --auxiliary=libdl_filter_filtee.so
 *   libdl_filter_auxmiss.so  --auxiliary=libdl_filter_absent.so (no file)
 * and opens from DIR (dlopen) the same filters of other filtees:
 * libdl_filter_dstd.so (--filter=libdl_filter_dfiltee.so, opened
 * RTLD_GLOBAL: the program's dlsym(RTLD_DEFAULT) finds the filtee, which
 * keeps it loaded for good), libdl_filter_daux.so
 * (--auxiliary=libdl_filter_afiltee.so, unloaded with it),
 * libdl_filter_dauxmiss.so, and libdl_filter_dstdmiss.so
 * (--filter=libdl_filter_absent.so), which dlopen must refuse with glibc's
 * message. dl_filter.h names the functions.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>

#include "dl_filter.h"
#include "t.h"

DL_FILTER_DECLARE(std)
DL_FILTER_DECLARE(aux)
DL_FILTER_DECLARE(auxmiss)

#define FILTEE "filtee"

/* Where name comes on the list of loaded objects (dl_iterate_phdr's
 * order, the link-map chain), or -1. */
struct find_pos {
	const char *name;
	int at, n;
};

static int
find_one(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct find_pos *f = arg;
	const char *slash = strrchr(info->dlpi_name, '/');

	(void)size;
	if (f->at < 0 && strcmp(slash ? slash + 1 : info->dlpi_name, f->name) == 0)
		f->at = f->n;
	f->n++;
	return 0;
}

static int
position(const char *name)
{
	struct find_pos f = { name, -1, 0 };

	dl_iterate_phdr(find_one, &f);
	return f.at;
}

static void
check_before(const char *filtee, const char *filter)
{
	int a = position(filtee), b = position(filter);

	T_CHECK(a >= 0 && b >= 0 && a < b, "loaded objects: %s at %d, %s at %d; "
		"the filtee must come before its filter", filtee, a, filter, b);
}

static void
check_str(const char *got, const char *want, const char *what)
{
	T_CHECK(got && strcmp(got, want) == 0, "%s: \"%s\", want \"%s\"", what,
		T_STR(got), want);
}

static void
startup(void)
{
	const char *(*get)(void);

	check_str(std_get(), FILTEE, "DT_FILTER: std_get");
	check_str(std_own(), "std own", "DT_FILTER: std_own (only the filter's)");
	check_str(std_call(), FILTEE, "DT_FILTER: std_call (the filter's own call)");
	T_CHECK(std_init_saw() == 1, "DT_FILTER: the filter's constructor got %d "
		"from std_ready, want 1 (the filtee initialised first)",
		std_init_saw());
	check_str(aux_get(), FILTEE, "DT_AUXILIARY: aux_get");
	check_str(aux_own(), "aux own", "DT_AUXILIARY: aux_own");
	check_str(aux_call(), FILTEE, "DT_AUXILIARY: aux_call");
	T_CHECK(aux_init_saw() == 1, "DT_AUXILIARY: the filter's constructor got "
		"%d, want 1", aux_init_saw());
	check_str(auxmiss_get(), "auxmiss filter",
		  "DT_AUXILIARY, no filtee: auxmiss_get");
	check_str(auxmiss_call(), "auxmiss filter",
		  "DT_AUXILIARY, no filtee: auxmiss_call");
	T_CHECK(auxmiss_init_saw() == 0, "DT_AUXILIARY, no filtee: the "
		"constructor got %d, want 0", auxmiss_init_saw());

	get = (const char *(*)(void))dlsym(RTLD_DEFAULT, "std_get");
	T_CHECK(get != NULL, "dlsym(RTLD_DEFAULT, std_get): %s", T_STR(dlerror()));
	if (get)
		check_str(get(), FILTEE, "dlsym(RTLD_DEFAULT, std_get)");
	T_CHECK(dlsym(RTLD_DEFAULT, "filtee_only") != NULL,
		"the filtee is not in the global scope: %s", T_STR(dlerror()));
	check_before("libdl_filter_filtee.so", "libdl_filter_std.so");
	T_CHECK(!t_mapped("libdl_filter_absent.so"), "an absent filtee is mapped?");
}

/* dlopen's the filter dir/libdl_filter_NAME.so and checks it as startup()
 * does, through its handle. want_get: what NAME_get must return. */
static void *
open_filter(const char *dir, const char *name, int mode, const char *want_get)
{
	char file[64], sym[64], own[64];
	const char *(*fn)(void);
	int (*saw)(void);
	char *path;
	void *h;

	snprintf(file, sizeof(file), "libdl_filter_%s.so", name);
	path = t_path(dir, file);
	h = dlopen(path, mode);
	T_CHECK(h != NULL, "dlopen %s: %s", path, T_STR(dlerror()));
	free(path);
	if (!h)
		return NULL;
	snprintf(sym, sizeof(sym), "%s_get", name);
	fn = (const char *(*)(void))dlsym(h, sym);
	T_CHECK(fn != NULL, "dlsym %s: %s", sym, T_STR(dlerror()));
	if (fn)
		check_str(fn(), want_get, sym);
	snprintf(sym, sizeof(sym), "%s_call", name);
	fn = (const char *(*)(void))dlsym(h, sym);
	T_CHECK(fn != NULL, "dlsym %s: %s", sym, T_STR(dlerror()));
	if (fn)
		check_str(fn(), want_get, sym);
	snprintf(sym, sizeof(sym), "%s_own", name);
	snprintf(own, sizeof(own), "%s own", name);
	fn = (const char *(*)(void))dlsym(h, sym);
	T_CHECK(fn != NULL, "dlsym %s: %s", sym, T_STR(dlerror()));
	if (fn)
		check_str(fn(), own, sym);
	snprintf(sym, sizeof(sym), "%s_init_saw", name);
	saw = (int (*)(void))dlsym(h, sym);
	T_CHECK(saw != NULL, "dlsym %s: %s", sym, T_STR(dlerror()));
	if (saw)
		T_CHECK(saw() == (strcmp(want_get, FILTEE) == 0), "%s: %d", sym,
			saw());
	return h;
}

static void
opened(const char *dir)
{
	const char *(*get)(void);
	int (*only)(void);
	void *std, *aux, *auxmiss, *h;
	char *path;
	const char *msg;

	std = open_filter(dir, "dstd", RTLD_NOW | RTLD_GLOBAL, FILTEE);
	T_CHECK(t_mapped("libdl_filter_dfiltee.so"), "dlopen of a filter did "
		"not load its filtee");
	if (std) {
		/* The filtee is in the filter's search list... */
		only = (int (*)(void))dlsym(std, "dfiltee_only");
		T_CHECK(only && only() == 42, "dlsym(filter, dfiltee_only): %s",
			T_STR(dlerror()));
		/* ... which RTLD_GLOBAL adds to the global scope, filtee first. */
		get = (const char *(*)(void))dlsym(RTLD_DEFAULT, "dstd_get");
		T_CHECK(get != NULL, "dlsym(RTLD_DEFAULT, dstd_get): %s",
			T_STR(dlerror()));
		if (get)
			check_str(get(), FILTEE, "dlsym(RTLD_DEFAULT, dstd_get)");
		check_before("libdl_filter_dfiltee.so", "libdl_filter_dstd.so");
	}
	aux = open_filter(dir, "daux", RTLD_LAZY, FILTEE);
	if (aux) {
		only = (int (*)(void))dlsym(aux, "afiltee_only");
		T_CHECK(only && only() == 42, "dlsym(auxiliary filter, "
			"afiltee_only): %s", T_STR(dlerror()));
	}
	auxmiss = open_filter(dir, "dauxmiss", RTLD_LAZY, "dauxmiss filter");

	path = t_path(dir, "libdl_filter_dstdmiss.so");
	h = dlopen(path, RTLD_NOW);
	msg = dlerror();
	T_CHECK(h == NULL, "dlopen of a filter whose filtee is missing succeeded");
	T_CHECK(msg && strcmp(msg, "libdl_filter_absent.so: cannot open shared "
			      "object file: No such file or directory") == 0,
		"dlopen %s: dlerror \"%s\"", path, T_STR(msg));
	T_CHECK(!t_mapped("libdl_filter_dstdmiss.so"), "the refused filter is "
		"still mapped");
	free(path);

	T_CHECK(t_mapped("libdl_filter_afiltee.so"), "dlopen of an auxiliary "
		"filter did not load its filtee");
	if (std)
		T_CHECK(dlclose(std) == 0, "dlclose dstd: %s", T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_filter_dstd.so"), "dstd stays mapped");
	if (aux)
		T_CHECK(dlclose(aux) == 0, "dlclose daux: %s", T_STR(dlerror()));
	if (auxmiss)
		T_CHECK(dlclose(auxmiss) == 0, "dlclose dauxmiss: %s",
			T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_filter_afiltee.so"), "the filtee stays mapped "
		"after its filter is closed");
	T_CHECK(!t_mapped("libdl_filter_daux.so"), "daux stays mapped");
}

int
main(int argc, char **argv)
{
	T_REQUIRE(argc == 2, "usage: dl_filter DIR");
	t_check_loader();
	startup();
	opened(argv[1]);
	return t_failures ? 1 : 0;
}
