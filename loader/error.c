/* SPDX-License-Identifier: MIT */
/*
 * Error messages: one buffer in ld_state holds the last message, formatted
 * once by whoever detected the failure. ld_fatal is the only way start-up
 * ends in failure (exit status 127, like glibc's ld.so and musl). Runs in
 * stage 2 and later; never allocates to report an error.
 */
#include "loader/error.h"

#include <stdarg.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/state.h"

void
ld_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crt_vsnprintf(ld_state.error_buf, sizeof(ld_state.error_buf), fmt, ap);
	va_end(ap);
	ld_state.error_set = true;
	ld_state.error_detail[0] = ld_state.error_reason[0] = '\0';
}

void
ld_error_at(const char *object, int err, const char *fmt, ...)
{
	char reason[sizeof(ld_state.error_reason)];
	va_list ap;

	va_start(ap, fmt);
	crt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	ld_error("%s: %s%s%s", object, reason, err ? ": " : "",
		 err ? crt_strerror(-err) : "");
	crt_strlcpy(ld_state.error_reason, reason, sizeof(reason));
}

const char *
ld_error_reason(void)
{
	return ld_state.error_reason[0] ? ld_state.error_reason : ld_error_message();
}

void
ld_error_detail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crt_vsnprintf(ld_state.error_detail, sizeof(ld_state.error_detail), fmt, ap);
	va_end(ap);
}

/* "<prog>: <prefix><occasion>: <message> (<detail>)" on fd 2, as start-up
 * prints a failure (occasion and detail when there are). */
static void
print_message(const char *prefix, const char *occasion)
{
	const char *detail = ld_state.error_detail;
	bool d = detail[0] != '\0';

	crt_dprintf(2, "%s: %s%s%s%s%s%s%s\n",
		    ld_state.progname ? ld_state.progname : "myld.so", prefix,
		    occasion ? occasion : "", occasion ? ": " : "",
		    ld_error_message(), d ? " (" : "", d ? detail : "", d ? ")" : "");
}

const char *
ld_error_message(void)
{
	return ld_state.error_set ? ld_state.error_buf : "";
}

void
ld_error_clear(void)
{
	ld_state.error_set = false;
	ld_state.error_buf[0] = ld_state.error_reason[0] = '\0';
	ld_state.error_detail[0] = '\0';
}

bool
ld_report(const char *occasion)
{
	if (ld_state.startup_done)
		return false;
	print_message("", occasion);
	return true;
}

void
ld_report_loading_error(void)
{
	print_message("error while loading shared libraries: ", NULL);
}

void
ld_fatal(const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	/* One write, so the line is not interleaved with other output. */
	va_start(ap, fmt);
	n = crt_vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	/* n is the full length (crt_vsnprintf never fails); it is cut to
	 * what the buffer holds. */
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	sys_write(2, line, (size_t)n);
	sys_exit_group(127);
}

void
ld_oom(void)
{
	LD_ASSERT(!ld_state.startup_done);
	ld_fatal("%s: error while loading shared libraries: out of memory",
		 ld_state.progname ? ld_state.progname : "myld.so");
}

void
ld_assert_fail(const char *file, int line, const char *what)
{
	ld_fatal("myld.so: internal error: %s:%d: assertion `%s' failed", file,
		 line, what);
}

void *
xalloc(unsigned long size)
{
	void *p = crt_calloc(1, size);

	if (!p)
		ld_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = crt_strdup(s);

	if (!p)
		ld_oom();
	return p;
}
