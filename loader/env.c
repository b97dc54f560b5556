/* SPDX-License-Identifier: MIT */
/*
 * The LD_* environment variables the loader honours. In secure mode
 * (AT_SECURE: set-user-ID and similar programs) every one of them is
 * ignored, as glibc does for the variables it considers unsafe.
 */
#include "loader/env.h"

#include "crt/string.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

/* The value in entry when it sets variable name ("NAME=value"), else
 * NULL. */
static const char *
env_value(const char *entry, const char *name)
{
	size_t len = crt_strlen(name);

	if (crt_strncmp(entry, name, len) == 0 && entry[len] == '=')
		return entry + len + 1;
	return NULL;
}

const char *
env_get(char **envp, const char *name)
{
	const char *v;

	for (; envp && *envp; envp++)
		if ((v = env_value(*envp, name)))
			return v;
	return NULL;
}

/* glibc 2.36's UNSECURE_ENVVARS (sysdeps/generic/unsecvars.h, facts),
 * plus MALLOC_CHECK_, the environment name of a malloc tunable glibc
 * also erases for set-user-ID programs (measured). */
static const char *const unsafe_vars[] = {
	"GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES",
	"LD_AUDIT", "LD_DEBUG", "LD_DEBUG_OUTPUT", "LD_DYNAMIC_WEAK",
	"LD_HWCAP_MASK", "LD_LIBRARY_PATH", "LD_ORIGIN_PATH", "LD_PRELOAD",
	"LD_PROFILE", "LD_SHOW_AUXV", "LD_USE_LOAD_BIAS", "LOCALDOMAIN",
	"LOCPATH", "MALLOC_CHECK_", "MALLOC_TRACE", "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF",
	"RES_OPTIONS", "TMPDIR", "TZDIR",
};

static bool
is_unsafe(const char *entry)
{
	size_t i;

	for (i = 0; i < sizeof(unsafe_vars) / sizeof(unsafe_vars[0]); i++)
		if (env_value(entry, unsafe_vars[i]))
			return true;
	return false;
}

void
env_scrub_unsafe(char **envp)
{
	char **in, **out = envp;

	for (in = envp; *in; in++)
		if (!is_unsafe(*in))
			*out++ = *in;
	/* Slots freed at the end become NULL, as glibc's unsetenv leaves
	 * them. */
	while (out <= in)
		*out++ = NULL;
}

/* The variables env_apply reads, without their "LD_" prefix. */
enum ld_var {
	V_LIBRARY_PATH, V_PRELOAD, V_DEBUG, V_DEBUG_OUTPUT, V_BIND_NOW,
	V_SHOW_AUXV, V_TRACE_LOADED_OBJECTS, V_VERBOSE, V_WARN, V_BIND_NOT,
	V_COUNT
};

static const char *const ld_var_names[V_COUNT] = {
	"LIBRARY_PATH", "PRELOAD", "DEBUG", "DEBUG_OUTPUT", "BIND_NOW",
	"SHOW_AUXV", "TRACE_LOADED_OBJECTS", "VERBOSE", "WARN", "BIND_NOT",
};

/* True when variable v was set, not empty, by its last setting. */
static bool
on(const char *const *values, enum ld_var v)
{
	return values[v] && *values[v];
}

/* One pass over envp, as glibc's: a variable set twice takes its last
 * value, except LD_DEBUG, whose settings all count. */
bool
env_apply(char **envp)
{
	const char *values[V_COUNT] = { 0 };
	unsigned mask = 0;
	bool help = false;

	ld_state.trace_fd = 2;
	if (ld_state.secure) {
		env_scrub_unsafe(envp);
		return false;
	}
	for (; *envp; envp++) {
		const char *e = *envp, *val;
		int v;

		if (e[0] == 'M' && (val = env_value(e, "MYLD_CACHE")))
			ld_state.launch_dir = val;
		if (e[0] == 'G' && (val = env_value(e, "GLIBC_TUNABLES")))
			ld_state.tunables_env = val;
		if (e[0] != 'L' || e[1] != 'D' || e[2] != '_')
			continue;
		for (v = 0; v < V_COUNT; v++)
			if ((val = env_value(e + 3, ld_var_names[v])))
				break;
		if (v == V_COUNT)
			continue;
		values[v] = val;
		if (v == V_DEBUG)
			mask |= trace_parse(val, &help);
	}
	if (on(values, V_LIBRARY_PATH) && !ld_state.search.library_path)
		ld_state.search.library_path = xstrdup(values[V_LIBRARY_PATH]);
	if (on(values, V_PRELOAD))
		ld_state.preload_env = values[V_PRELOAD];
	/* Switches: on when set and not empty; --list may have set one. */
	ld_state.bind_now |= on(values, V_BIND_NOW);
	ld_state.show_auxv |= on(values, V_SHOW_AUXV);
	ld_state.trace_loaded |= on(values, V_TRACE_LOADED_OBJECTS);
	ld_state.trace_verbose |= on(values, V_VERBOSE);
	ld_state.trace_warn |= on(values, V_WARN);
	ld_state.bind_not |= on(values, V_BIND_NOT);
	if (help)
		return true;
	trace_configure(mask, values[V_DEBUG_OUTPUT]);
	return false;
}
