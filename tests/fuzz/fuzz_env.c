/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the strings the loader takes from its user. The input
 * is a flags byte then NUL-separated strings, used at once as the
 * environment (env_get, env_apply with LD_LIBRARY_PATH, LD_PRELOAD,
 * LD_DEBUG ..., secure mode scrubbing), as LD_DEBUG lists (trace_parse), as
 * the command line of explicit invocation (startup_parse_options) and as
 * preload lists (deps_preload_next, the splitting deps_preload does).
 * GLIBC_TUNABLES has no parser yet (README): it only passes through here.
 * LD_DEBUG_OUTPUT is dropped: it would create files named by the input.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crt/alloc.h"
#include "loader/deps.h"
#include "loader/env.h"
#include "loader/startup.h"
#include "loader/state.h"
#include "loader/trace.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX_STRINGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks a preload list to its end, checking each name is inside it. */
static void
split_preload(const char *list)
{
	const char *p = list, *name;
	size_t len, end = strlen(list);

	while ((name = deps_preload_next(&p, &len)))
		if (name < list || name + len > list + end || len == 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const vars[] = { "LD_LIBRARY_PATH", "LD_PRELOAD",
		"LD_DEBUG", "LD_BIND_NOW", "GLIBC_TUNABLES", "" };
	char *copy, *strings[FUZZ_MAX_STRINGS], *envp[FUZZ_MAX_STRINGS + 1];
	char *argv[FUZZ_MAX_STRINGS + 2];
	struct startup_options opts;
	size_t n = 0, ne = 0, i;
	char *p, *end;
	bool help;

	if (size < 1)
		return 0;
	fuzz_reset_state();
	copy = fuzz_strndup(data + 1, size - 1);
	end = copy + size - 1;
	for (p = copy; p <= end && n < FUZZ_MAX_STRINGS; p += strlen(p) + 1)
		strings[n++] = p;
	for (i = 0; i < n; i++)
		if (strncmp(strings[i], "LD_DEBUG_OUTPUT=", 16) != 0)
			envp[ne++] = strings[i];
	envp[ne] = NULL;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		env_get(envp, vars[i]);
	ld_state.secure = data[0] & 1;
	env_apply(envp);
	if (ld_state.preload_env)
		split_preload(ld_state.preload_env);
	crt_free(ld_state.search.library_path);
	ld_state.search.library_path = NULL;
	if (ld_state.trace_fd != 2)
		abort();     /* no LD_DEBUG_OUTPUT: no file opened */

	for (i = 0; i < n; i++) {
		trace_parse(strings[i], &help);
		split_preload(strings[i]);
	}

	argv[0] = "myld.so";
	for (i = 0; i < n; i++)
		argv[i + 1] = strings[i];
	argv[n + 1] = NULL;
	startup_parse_options((int)n + 1, argv, &opts);
	if (opts.action != STARTUP_USAGE_ERROR && opts.action != STARTUP_HELP &&
	    opts.action != STARTUP_VERSION &&
	    (opts.prog_index < 1 || opts.prog_index > (int)n))
		abort();     /* the program must be one of the arguments */
	if (opts.preload)
		split_preload(opts.preload);
	free(copy);
	return 0;
}
