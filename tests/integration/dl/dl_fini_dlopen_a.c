/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen_a.c: libdl_fini_dlopen_a.so (needs AX and D). Its
 * destructor, run by main's dlclose of A, opens B (already loaded and
 * held by main), opens C (not loaded yet), calls into both, closes C,
 * then closes its own handle of B, and logs each step's result, so the
 * log shows what the nested calls saw.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "dl_fini_dlopen.h"

int dl_fini_dlopen_d_value(void);
int dl_fini_dlopen_value_AX(void);

__attribute__((constructor)) static void
a_init(void)
{
	dl_fini_dlopen_event("+A");
}

static void
logf_(const char *what, int v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s=%d", what, v);
	dl_fini_dlopen_event(buf);
}

static void *
open_in_dir(const char *file)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dl_fini_dlopen_dir, file);
	return dlopen(path, RTLD_NOW);
}

__attribute__((destructor)) static void
a_fini(void)
{
	void *hb, *hc;
	int (*b_value)(void), (*c_value)(void);

	dl_fini_dlopen_event("-A{");
	hb = open_in_dir("libdl_fini_dlopen_b.so");
	if (!hb) {
		dl_fini_dlopen_event("A:dlopen(B)-failed");
		dl_fini_dlopen_event(dlerror());
	} else {
		dl_fini_dlopen_event(hb == dl_fini_dlopen_hb ? "A:dlopen(B)=main's"
							     : "A:dlopen(B)=other");
		b_value = (int (*)(void))dlsym(hb, "dl_fini_dlopen_b_value");
		logf_("A:b", b_value ? b_value() : -1);
	}
	hc = open_in_dir("libdl_fini_dlopen_c.so");
	if (!hc) {
		dl_fini_dlopen_event("A:dlopen(C)-failed");
		dl_fini_dlopen_event(dlerror());
	} else {
		c_value = (int (*)(void))dlsym(hc, "dl_fini_dlopen_c_value");
		logf_("A:c", c_value ? c_value() : -1);
		logf_("A:dlclose(C)", dlclose(hc));
	}
	if (hb)
		logf_("A:dlclose(B)", dlclose(hb));
	/* A's own dependencies are still there while its destructor runs. */
	logf_("A:ax+d", dl_fini_dlopen_value_AX() + dl_fini_dlopen_d_value());
	dl_fini_dlopen_event("-A}");
}
