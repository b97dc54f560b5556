/* SPDX-License-Identifier: MIT */
/*
 * Error reporting. The code that detects a failure calls ld_error() once with
 * the full context and returns a status; callers pass the status up without
 * reformatting. Only the top level (main.c, dlopen) decides what a failure
 * means: at start-up ld_fatal() prints and exits 127.
 */
#ifndef LOADER_ERROR_H
#define LOADER_ERROR_H

#include <stdbool.h>

/* Records the message (replacing any earlier one). Never fails: a message
 * longer than the buffer is cut. */
void ld_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for a failure of one object: records "<object>: <reason>", or
 * "<object>: <reason>: <strerror(-err)>" when err (a negative errno) is
 * not 0, with the reason kept apart (ld_error_reason). */
void ld_error_at(const char *object, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The reason of the recorded message: what ld_error_at was given as the
 * reason, or ld_error's whole message, or "". glibc's preload warning
 * shows it without the object and the errno text. */
const char *ld_error_reason(void);
/* Adds what myld can say beyond glibc's words to the message just
 * recorded (who needed a missing library, where myld looked). Printed at
 * start-up after the message, in parentheses; never part of
 * ld_error_message(), so dlerror() keeps glibc's exact text, which
 * programs compare. The next ld_error drops it. */
void ld_error_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The recorded message (glibc's words, without the detail), or "". */
const char *ld_error_message(void);
void ld_error_clear(void);

/* The one place that knows the two modes. At start-up every failure is
 * printed as it is found, "<prog>: <occasion>: <message>" (or without the
 * occasion when NULL), so the user sees them all before the exit; after
 * start-up (dlopen, dlsym, lazy binding) nothing is printed: the caller
 * returns the status and the recorded message becomes dlerror()'s.
 * Returns true when the caller should go on looking for more failures
 * (start-up), false when the first one ends the call. */
bool ld_report(const char *occasion);

/* Prints glibc's "<prog>: error while loading shared libraries: <message>"
 * for the recorded message on fd 2 (start-up reports every failure before
 * exiting). */
void ld_report_loading_error(void);

/* Prints one line on fd 2 and exits with status 127. The text is printed
 * as given: callers format glibc's shapes, e.g.
 * "%s: error while loading shared libraries: %s". */
__attribute__((noreturn, format(printf, 1, 2))) void ld_fatal(const char *fmt, ...);
/* Fatal out-of-memory at start-up; an assertion failure after it (code
 * reachable from dlopen reports ENOMEM instead). */
__attribute__((noreturn)) void ld_oom(void);

/* Our own invariants only: prints file:line and aborts (exit 127).
 * Malformed input is an error (ld_error), never an assertion. */
#define LD_ASSERT(cond)                                                   \
	do {                                                              \
		if (!(cond))                                              \
			ld_assert_fail(__FILE__, __LINE__, #cond);        \
	} while (0)
__attribute__((noreturn)) void ld_assert_fail(const char *file, int line,
					       const char *what);

/* Allocation helpers that exit on failure (start-up only, as ld_oom). */
void *xalloc(unsigned long size);
char *xstrdup(const char *s);

#endif
