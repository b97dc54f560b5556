/* SPDX-License-Identifier: MIT */
/*
 * glibc-hwcaps subdirectories: before a directory DIR itself, a library
 * search tries DIR/glibc-hwcaps/NAME/ for each NAME of a list, best first:
 * the --glibc-hwcaps-prepend names, then the architecture's built-in names
 * the CPU supports (x86-64: x86-64-v4, -v3, -v2), less those a
 * --glibc-hwcaps-mask list leaves out. ld.so.cache entries recorded for
 * such subdirectories rank by the same list.
 */
#ifndef LOADER_HWCAPS_H
#define LOADER_HWCAPS_H

#include <stdbool.h>
#include <stddef.h>

/* Builds the list into ld_state.search (hwcaps, hwcaps_count, isa_levels)
 * from the two option values (NULL when not given: no prepended names;
 * every supported built-in name). Both are ':'-separated; empty elements
 * are skipped. Called once at start-up; exits on out of memory. */
void hwcaps_init(const char *prepend, const char *mask);

/* True when the ':'-separated list has the len bytes at name as an
 * element; a NULL list has every name (glibc's _dl_hwcaps_contains). */
bool hwcaps_list_has(const char *list, const char *name, size_t len);

/* --help's glibc-hwcaps and legacy HWCAP sections, in glibc's format, from
 * ld_state.search (hwcaps_init must have run). */
void hwcaps_print_help(int fd);

#endif
