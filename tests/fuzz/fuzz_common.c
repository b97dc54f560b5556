/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the libFuzzer harnesses (see fuzz.h). The object built
 * here has its whole mapping inside the fuzzer's heap copy of the input, so
 * AddressSanitizer reports any read the loader's bounds checks let past the
 * end. Symbol names to look up come from the object's own string table,
 * read only through what object_parse_dynamic validated.
 */
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "loader/version.h"

/* Lookups per input, at most: enough to walk a few chains, bounded so a
 * huge symbol count does not make one input slow. */
#define FUZZ_MAX_LOOKUPS 64

void
fuzz_reset_state(void)
{
	memset(&ld_state, 0, sizeof(ld_state));
	ld_state.page_size = 4096;
	ld_state.startup_done = true;
	ld_state.trace_fd = 2;
	ld_state.progname = "fuzz";
	ld_error_clear();
}

struct elf_object *
fuzz_object_over(unsigned char *image, size_t len)
{
	struct elf_object *obj = object_new("fuzz.so");

	if (!obj)
		return NULL;
	obj->base = (uintptr_t)image;
	obj->map_start = (uintptr_t)image;
	obj->map_end = (uintptr_t)image + len;
	return obj;
}

static void
count_need(const char *file, const char *version, struct elf_object *dep,
	   void *arg)
{
	(void)file;
	(void)version;
	(void)dep;
	++*(size_t *)arg;
}

/* Looks up symbol idx's own name (and version) in obj. */
static void
lookup_own(struct elf_object *obj, size_t idx)
{
	static const unsigned flag_sets[] = { 0, LOOKUP_PLT, LOOKUP_NEWEST };
	const Elf64_Sym *sym = &obj->symtab[idx];
	const struct version_entry *ver = version_of(obj, idx);
	struct symbol_request req;
	struct symbol_ref ref;
	struct elf_object *scope[1] = { obj };
	const char *name;
	size_t k;

	if (sym->st_name >= obj->strsz)
		return;
	name = obj->strtab + sym->st_name;
	for (k = 0; k < sizeof(flag_sets) / sizeof(flag_sets[0]); k++) {
		symbol_request_init(&req, name, k == 0 ? ver : NULL,
				    flag_sets[k], obj);
		symbol_lookup_object(obj, &req);
	}
	/* The scope lookup also resolves STB_GNU_UNIQUE definitions. */
	symbol_request_init(&req, name, ver, 0, NULL);
	if (symbol_lookup_scope(scope, 1, &req, &ref) && ref.sym->st_name >= obj->strsz)
		abort();   /* a definition whose name was never checked */
}

void
fuzz_object_exercise(struct elf_object *obj)
{
	static const char *const names[] = { "", "puts", "malloc", "_init",
					     "__libc_start_main", "GLIBC_2.2.5" };
	struct symbol_request req;
	size_t i, n, needs = 0;

	if (object_parse_dynamic(obj) != 0)
		return;
	/* deps_load_all would have filled deps: let every DT_NEEDED
	 * resolve to the object itself, so version_check compares its
	 * needs with its own definitions. */
	for (i = 0; i < obj->nneeded; i++)
		obj->deps[i] = obj;
	if (version_setup(obj) != 0)
		return;
	version_check(obj);
	version_foreach_need(obj, count_need, &needs);
	n = obj->nsyms < FUZZ_MAX_LOOKUPS ? obj->nsyms : FUZZ_MAX_LOOKUPS;
	for (i = 0; i < n; i++)
		lookup_own(obj, i);
	/* The last symbols too: chains end there. */
	for (i = n; i < obj->nsyms && i < n + FUZZ_MAX_LOOKUPS / 4; i++)
		lookup_own(obj, obj->nsyms - 1 - (i - n));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		symbol_request_init(&req, names[i], NULL, 0, NULL);
		symbol_lookup_object(obj, &req);
	}
	symbol_reset();
}

void
fuzz_object_free(struct elf_object *obj)
{
	object_free(obj);
}

char *
fuzz_strndup(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, data, len);
	s[len] = '\0';
	return s;
}
