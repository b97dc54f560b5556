/* SPDX-License-Identifier: MIT */
/*
 * LD_DEBUG-style tracing. TRACE(CATEGORY, fmt, ...) is a cheap flag test and
 * then one line in glibc's shape: "%10d:\t<text>\n" (pid, tab) on fd 2 or on
 * the LD_DEBUG_OUTPUT file. Categories are glibc's. Never used for errors,
 * never in stage 1, ignored in secure mode. Built with -Dtrace=false, TRACE
 * compiles to nothing.
 */
#ifndef LOADER_TRACE_H
#define LOADER_TRACE_H

#include <stdbool.h>

#include "loader/state.h"

enum trace_category {
	TRACE_LIBS = 1u << 0,
	TRACE_RELOC = 1u << 1,
	TRACE_FILES = 1u << 2,
	TRACE_SYMBOLS = 1u << 3,
	TRACE_BINDINGS = 1u << 4,
	TRACE_VERSIONS = 1u << 5,
	TRACE_SCOPES = 1u << 6,
	TRACE_TLS = 1u << 7,
	TRACE_STATISTICS = 1u << 8,
	TRACE_UNUSED = 1u << 9,
	TRACE_IMPCALLS = 1u << 10,      /* initialisers and hand-over */
	TRACE_ALL = (1u << 11) - 1 - TRACE_UNUSED,
};

#ifndef MYLD_TRACE
#define MYLD_TRACE 1
#endif

#if MYLD_TRACE
#define TRACE_ON(cat) ((ld_state.trace_mask & TRACE_##cat) != 0)
#define TRACE(cat, ...)                                                   \
	do {                                                              \
		if (TRACE_ON(cat))                                        \
			trace_printf(__VA_ARGS__);                        \
	} while (0)
#else
#define TRACE_ON(cat) 0
#define TRACE(cat, ...) do { } while (0)
#endif

/* Parses an LD_DEBUG value (words separated by ',', ':' or ' ') into a
 * mask. Unknown words produce glibc's warning on fd 2. Sets *help when
 * "help" is present. */
unsigned trace_parse(const char *spec, bool *help);
/* Prints the LD_DEBUG=help text on fd 1 (glibc prints it on stdout). */
void trace_print_help(void);
/* Sets ld_state's trace mask (trace_parse's, of every LD_DEBUG) and
 * where the lines go: LD_DEBUG_OUTPUT.<pid> when there is a mask and
 * output names a file that can be opened (NULL if unset), else fd 2. */
void trace_configure(unsigned mask, const char *output);
/* One line with the "%10d:\t" prefix. */
void trace_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
