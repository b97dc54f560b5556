/* SPDX-License-Identifier: MIT */
/*
 * ldd mode: lists the loaded objects in glibc's format (or, for
 * LD_DEBUG=unused, the unused direct dependencies), then the version
 * information (LD_VERBOSE) and the undefined symbols (LD_WARN), and exits:
 * 0, or 1 when an unused dependency was found.
 */
#ifndef LOADER_LDD_H
#define LOADER_LDD_H

/* interp_path: the program's PT_INTERP, the loader's name in the list. */
__attribute__((noreturn)) void ldd_run(const char *interp_path);

#endif
