/* SPDX-License-Identifier: MIT */
/*
 * The LD_* environment variables the loader honours. In secure mode
 * (AT_SECURE: set-user-ID and similar programs) every one of them is
 * ignored, as glibc does for the variables it considers unsafe.
 */
#include "loader/env.h"

#include "crt/string.h"
#include "loader/error.h"
#include "loader/startup.h"
#include "loader/state.h"
#include "loader/trace.h"

const char *
env_get(char **envp, const char *name)
{
	size_t len = crt_strlen(name);

	for (; envp && *envp; envp++)
		if (crt_strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
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

	for (i = 0; i < sizeof(unsafe_vars) / sizeof(unsafe_vars[0]); i++) {
		size_t n = crt_strlen(unsafe_vars[i]);

		if (crt_strncmp(entry, unsafe_vars[i], n) == 0 && entry[n] == '=')
			return true;
	}
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

/* True when name is set in envp and not empty. */
static bool
env_on(char **envp, const char *name)
{
	const char *v = env_get(envp, name);

	return v && *v;
}

bool
env_apply(char **envp)
{
	const char *v;

	ld_state.trace_fd = 2;
	if (ld_state.secure) {
		env_scrub_unsafe(envp);
		return false;
	}
	v = env_get(envp, "LD_LIBRARY_PATH");
	if (v && *v && !ld_state.search.library_path)
		ld_state.search.library_path = xstrdup(v);
	v = env_get(envp, "LD_PRELOAD");
	if (v && *v)
		ld_state.preload_env = v;
	/* Switches: on when set and not empty; --list may have set one. */
	ld_state.bind_now |= env_on(envp, "LD_BIND_NOW");
	ld_state.show_auxv |= env_on(envp, "LD_SHOW_AUXV");
	ld_state.trace_loaded |= env_on(envp, "LD_TRACE_LOADED_OBJECTS");
	ld_state.trace_verbose |= env_on(envp, "LD_VERBOSE");
	ld_state.trace_warn |= env_on(envp, "LD_WARN");
	ld_state.bind_not |= env_on(envp, "LD_BIND_NOT");
	return trace_configure(env_get(envp, "LD_DEBUG"),
			       env_get(envp, "LD_DEBUG_OUTPUT"));
}
