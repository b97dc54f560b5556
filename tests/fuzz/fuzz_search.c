/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: search paths and their dynamic string tokens
 * (loader/search.c): $ORIGIN, ${ORIGIN}, $LIB, $PLATFORM expansion
 * (search_expand), the directory lists a search walks, built from a
 * requester's DT_RPATH/DT_RUNPATH, its loader's and the program's, and
 * LD_LIBRARY_PATH, with --inhibit-rpath and secure mode
 * (search_foreach_dir, which opens no file), and search_origin_of.
 * Input: a flags byte, then NUL-separated strings: origin, requester
 * RPATH, requester RUNPATH, LD_LIBRARY_PATH, --inhibit-rpath, program
 * RPATH, then more path elements.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "loader/object.h"
#include "loader/search.h"
#include "loader/state.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_NSTRINGS 8

/* Flag bits of the first byte: which strings are present. */
enum {
	F_SECURE = 1 << 0, F_ORIGIN = 1 << 1, F_RPATH = 1 << 2,
	F_RUNPATH = 1 << 3, F_LIBPATH = 1 << 4, F_INHIBIT = 1 << 5,
	F_MAIN_RPATH = 1 << 6, F_NO_REQUESTER = 1 << 7,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_dir(const char *dir, unsigned rule, void *arg)
{
	(void)rule;
	++*(size_t *)arg;
	if (crt_strlen(dir) != strlen(dir))
		abort();
}

static void
expand_all(const char *s, const char *origin, bool secure)
{
	char *out;
	const char *p = s;

	out = search_expand(s, strlen(s), origin, secure);
	crt_free(out);
	/* Element by element, as the path lists are split. */
	for (;;) {
		size_t len = strcspn(p, ":");

		out = search_expand(p, len, origin, secure);
		crt_free(out);
		if (!p[len])
			break;
		p += len + 1;
	}
	if (search_origin_of(s, &out) == 0)
		crt_free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s[FUZZ_NSTRINGS] = { 0 };
	struct elf_object *main_obj, *lib;
	unsigned flags;
	char *copy, *p, *end;
	size_t n = 0, i, dirs = 0;

	if (size < 1)
		return 0;
	fuzz_reset_state();
	flags = data[0];
	copy = fuzz_strndup(data + 1, size - 1);
	end = copy + size - 1;
	for (p = copy; p <= end && n < FUZZ_NSTRINGS; p += strlen(p) + 1)
		s[n++] = p;
	for (i = n; i < FUZZ_NSTRINGS; i++)
		s[i] = "";

	main_obj = object_new("prog");
	lib = object_new("libfuzz.so");
	if (!main_obj || !lib)
		abort();
	main_obj->is_main = true;
	main_obj->origin = (flags & F_ORIGIN) ? (char *)s[0] : NULL;
	main_obj->rpath = (flags & F_MAIN_RPATH) ? s[5] : NULL;
	lib->origin = (flags & F_ORIGIN) ? (char *)s[0] : NULL;
	lib->rpath = (flags & F_RPATH) ? s[1] : NULL;
	lib->runpath = (flags & F_RUNPATH) ? s[2] : NULL;
	lib->loader = main_obj;
	ld_state.main_obj = main_obj;
	ld_state.secure = flags & F_SECURE;
	ld_state.search.library_path = (flags & F_LIBPATH) ? (char *)s[3] : NULL;
	ld_state.search.inhibit_rpath = (flags & F_INHIBIT) ? (char *)s[4] : NULL;

	search_foreach_dir((flags & F_NO_REQUESTER) ? NULL : lib, check_dir, &dirs);
	for (i = 0; i < FUZZ_NSTRINGS; i++)
		expand_all(s[i], (flags & F_ORIGIN) ? s[0] : NULL,
			   flags & F_SECURE);

	/* The strings belong to copy, not to the objects. */
	main_obj->origin = lib->origin = NULL;
	object_free(main_obj);
	object_free(lib);
	ld_state.main_obj = NULL;
	ld_state.search.library_path = ld_state.search.inhibit_rpath = NULL;
	free(copy);
	return 0;
}
