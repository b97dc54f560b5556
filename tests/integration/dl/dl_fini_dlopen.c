/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen.c: dlopen and dlclose from a destructor that dlclose
 * runs must not unload what is still in use.
 *
 * Usage: dl_fini_dlopen DIR, where DIR holds libdl_fini_dlopen_*.so.
 *
 * The libraries (each constructor and destructor logs to this program,
 * linked with --export-dynamic):
 *   A needs AX and D; its destructor opens B and C, calls both, closes C,
 *     closes its handle of B (dl_fini_dlopen_a.c)
 *   B needs D; main keeps it open throughout
 *   C needs CX and D; loaded for the first time by A's destructor
 * Main opens B, then A, then closes A. Then B and D (still in use through
 * main's handle of B) must not have been finalised or unmapped, B's
 * function must work and remember its earlier calls (not a fresh copy),
 * A, AX, C and CX must be gone; closing B at last finalises B and D. The
 * whole log must equal the order glibc 2.36 gives: it defers the dlclose
 * of C made inside A's destructor until the outer dlclose is done (C and
 * CX are finalised after AX). It guards against a dlclose whose
 * liveness marks (what is still reachable from what stays loaded) are
 * cleared or recomputed by the nested dlopen/dlclose in a destructor,
 * after which the outer dlclose unloads B or D, or frees C twice.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

#include "dl_fini_dlopen.h"
#include "t.h"

/* What glibc 2.36 logs, checked under the system loader. */
static const char expected_log[] =
	"+D +B b=1042 +AX +A "
	"-A{ A:dlopen(B)=main's A:b=2042 +CX +C A:c=140 A:dlclose(C)=0 "
	"A:dlclose(B)=0 A:ax+d=140 -A} -AX -C -CX "
	"b=3042 "
	"-B -D ";

static char log_buf[4096];
static size_t log_len;

const char *dl_fini_dlopen_dir;
void *dl_fini_dlopen_hb;

void
dl_fini_dlopen_event(const char *ev)
{
	size_t n;

	if (!ev)
		ev = "(null)";
	n = strlen(ev);
	if (log_len + n + 2 > sizeof(log_buf)) {
		fprintf(stderr, "FAIL: dl_fini_dlopen: event log full\n");
		_exit(1);
	}
	memcpy(log_buf + log_len, ev, n);
	log_buf[log_len + n] = ' ';
	log_len += n + 1;
	log_buf[log_len] = '\0';
}

static bool
logged(const char *ev)
{
	char word[32];

	snprintf(word, sizeof(word), " %s ", ev);
	/* Every event is followed by a space; the first lacks one before. */
	return strstr(log_buf, word) != NULL ||
	       strncmp(log_buf, word + 1, strlen(word + 1)) == 0;
}

static void
log_b(int (*b_value)(void))
{
	char buf[32];

	snprintf(buf, sizeof(buf), "b=%d", b_value());
	dl_fini_dlopen_event(buf);
}

int
main(int argc, char **argv)
{
	static const char *gone[] = {
		"libdl_fini_dlopen_a.so", "libdl_fini_dlopen_ax.so",
		"libdl_fini_dlopen_c.so", "libdl_fini_dlopen_cx.so",
	};
	char *path_a, *path_b;
	int (*b_value)(void);
	void *ha, *hb, *again;

	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_fini_dlopen DIR");
	dl_fini_dlopen_dir = argv[1];
	path_a = t_path(argv[1], "libdl_fini_dlopen_a.so");
	path_b = t_path(argv[1], "libdl_fini_dlopen_b.so");

	hb = dlopen(path_b, RTLD_NOW);
	T_REQUIRE(hb != NULL, "dlopen B: %s", T_STR(dlerror()));
	dl_fini_dlopen_hb = hb;
	b_value = (int (*)(void))dlsym(hb, "dl_fini_dlopen_b_value");
	T_REQUIRE(b_value != NULL, "dlsym B: %s", T_STR(dlerror()));
	log_b(b_value);
	ha = dlopen(path_a, RTLD_NOW);
	T_REQUIRE(ha != NULL, "dlopen A: %s", T_STR(dlerror()));

	T_CHECK(dlclose(ha) == 0, "dlclose A: %s", T_STR(dlerror()));
	/* B and D are in use: nothing of theirs may have run or gone. */
	T_CHECK(!logged("-B"), "B's destructor ran while main holds B "
			       "(log: %s)", log_buf);
	T_CHECK(!logged("-D"), "D's destructor ran while B, which needs it, "
			       "is loaded (log: %s)", log_buf);
	T_REQUIRE(t_mapped("libdl_fini_dlopen_b.so"),
		  "B unmapped while main holds it (log: %s)", log_buf);
	T_REQUIRE(t_mapped("libdl_fini_dlopen_d.so"),
		  "D unmapped while B, which needs it, is loaded (log: %s)",
		  log_buf);
	T_CHECK(logged("-A}") && logged("-AX"), "A or AX not finalised by "
						"dlclose of A (log: %s)",
		log_buf);
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		T_CHECK(!t_mapped(gone[i]), "%s still mapped after dlclose of A",
			gone[i]);
	/* Main's handle still works, on the same copy of B. */
	T_CHECK(dlsym(hb, "dl_fini_dlopen_b_value") == (void *)b_value,
		"dlsym through main's handle of B: %p, was %p",
		dlsym(hb, "dl_fini_dlopen_b_value"), (void *)b_value);
	again = dlopen(path_b, RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(again == hb, "RTLD_NOLOAD of B: %p, want main's handle %p",
		again, hb);
	if (again)
		T_CHECK(dlclose(again) == 0, "dlclose B (NOLOAD handle): %s",
			T_STR(dlerror()));
	log_b(b_value);

	T_CHECK(dlclose(hb) == 0, "dlclose B: %s", T_STR(dlerror()));
	T_CHECK(!t_mapped("libdl_fini_dlopen_b.so") &&
			!t_mapped("libdl_fini_dlopen_d.so"),
		"B or D still mapped after the last dlclose");
	T_CHECK(strcmp(log_buf, expected_log) == 0,
		"constructor/destructor log differs from glibc's:\n"
		"  got:  %s\n  want: %s", log_buf, expected_log);
	printf("dl_fini_dlopen: log: %s\n", log_buf);
	return t_status();
}
