/* SPDX-License-Identifier: MIT */
/*
 * The LD_* environment: reads the variables the loader honours into
 * ld_state (unless in secure mode, where they are ignored).
 */
#ifndef LOADER_ENV_H
#define LOADER_ENV_H

#include <stdbool.h>

/* The value of variable name in envp, or NULL. */
const char *env_get(char **envp, const char *name);

/* Applies LD_LIBRARY_PATH, LD_PRELOAD, LD_BIND_NOW, LD_DEBUG,
 * LD_DEBUG_OUTPUT and the other LD_* switches from envp to ld_state, in
 * one pass, honouring ld_state.secure. As in glibc, a variable set twice
 * takes its last value, and every LD_DEBUG setting counts. Returns true
 * when LD_DEBUG=help asked for the help text. */
bool env_apply(char **envp);

/* Secure mode: removes from envp, in place, the variables glibc
 * considers unsafe for set-user-ID programs (LD_PRELOAD, LD_LIBRARY_PATH,
 * GCONV_PATH, TMPDIR, ...), so the program and its children never see
 * them. */
void env_scrub_unsafe(char **envp);

#endif
