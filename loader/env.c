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

const char *
env_get(char **envp, const char *name)
{
	size_t len = crt_strlen(name);

	for (; envp && *envp; envp++)
		if (crt_strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

bool
env_apply(char **envp)
{
	const char *v;

	ld_state.trace_fd = 2;
	if (ld_state.secure)
		return false;
	v = env_get(envp, "LD_LIBRARY_PATH");
	if (v && *v && !ld_state.search.library_path)
		ld_state.search.library_path = xstrdup(v);
	v = env_get(envp, "LD_BIND_NOW");
	if (v && *v)
		ld_state.bind_now = true;
	v = env_get(envp, "LD_PRELOAD");
	if (v && *v)
		ld_state.preload_env = v;
	v = env_get(envp, "LD_TRACE_LOADED_OBJECTS");
	if (v && *v)
		ld_state.trace_loaded = true;
	v = env_get(envp, "LD_BIND_NOT");
	if (v && *v)
		ld_state.bind_not = true;
	return trace_configure(env_get(envp, "LD_DEBUG"),
			       env_get(envp, "LD_DEBUG_OUTPUT"));
}
