/* SPDX-License-Identifier: MIT */
/*
 * LD_DEBUG: parsing the category list and printing trace lines in glibc's
 * shape ("%10d:\t<text>"). Each line is formatted into one buffer and written
 * with one write(2), so lines from several threads do not interleave.
 * Never used to report errors (see error.c); ignored in secure mode (the
 * caller does not configure it then).
 */
#include "loader/trace.h"

#include <fcntl.h>
#include <stdarg.h>

#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"

struct trace_word {
	const char *name;
	unsigned mask;
	const char *help;
};

/* glibc's categories, in glibc's help order. */
static const struct trace_word trace_words[] = {
	/* libs and bindings also show the initialiser calls (glibc's
	 * DL_DEBUG_IMPCALLS). */
	{ "libs", TRACE_LIBS | TRACE_IMPCALLS, "display library search paths" },
	{ "reloc", TRACE_RELOC, "display relocation processing" },
	{ "files", TRACE_FILES, "display progress for input file" },
	{ "symbols", TRACE_SYMBOLS, "display symbol table processing" },
	{ "bindings", TRACE_BINDINGS | TRACE_IMPCALLS,
	  "display information about symbol binding" },
	{ "versions", TRACE_VERSIONS, "display version dependencies" },
	{ "scopes", TRACE_SCOPES, "display scope information" },
	{ "tls", TRACE_TLS, "display TLS structures and module ids" },
	{ "all", TRACE_ALL, "all previous options combined" },
	{ "statistics", TRACE_STATISTICS, "display relocation statistics" },
	{ "unused", TRACE_UNUSED, "determined unused DSOs" },
	{ "help", 0, "display this help message and exit" },
};

#define NWORDS (sizeof(trace_words) / sizeof(trace_words[0]))
#define SEPARATORS ",: "

unsigned
trace_parse(const char *spec, bool *help)
{
	unsigned mask = 0;
	const char *p = spec;

	*help = false;
	while (*p) {
		size_t len, i;

		while (*p && crt_strchr(SEPARATORS, *p))
			p++;
		len = crt_strcspn(p, SEPARATORS);
		if (len == 0)
			break;
		for (i = 0; i < NWORDS; i++)
			if (crt_strlen(trace_words[i].name) == len &&
			    crt_strncmp(trace_words[i].name, p, len) == 0)
				break;
		if (i == NWORDS) {
			crt_dprintf(2, "warning: debug option `%.*s' unknown; "
				       "try LD_DEBUG=help\n", (int)len, p);
		} else if (trace_words[i].mask == 0) {
			*help = true;
		} else {
			mask |= trace_words[i].mask;
		}
		p += len;
	}
	return mask;
}

void
trace_print_help(void)
{
	size_t i;

	crt_dprintf(1, "Valid options for the LD_DEBUG environment variable "
		       "are:\n\n");
	for (i = 0; i < NWORDS; i++)
		crt_dprintf(1, "  %-10s  %s\n", trace_words[i].name,
			    trace_words[i].help);
	crt_dprintf(1, "\nTo direct the debugging output into a file instead "
		       "of standard output\na filename can be specified using "
		       "the LD_DEBUG_OUTPUT environment variable.\n");
}

void
trace_configure(unsigned mask, const char *output)
{
	ld_state.trace_fd = 2;
	ld_state.trace_mask = mask;
	if (mask && output && *output) {
		/* glibc writes to "<LD_DEBUG_OUTPUT>.<pid>". */
		char name[4096];
		int fd;

		crt_snprintf(name, sizeof(name), "%s.%d", output, sys_getpid());
		fd = sys_open(name, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW,
			      0666);
		if (fd >= 0)
			ld_state.trace_fd = fd;
	}
}

void
trace_printf(const char *fmt, ...)
{
	char text[1024], out[1200];
	const char *line = text;
	size_t len = 0;
	va_list ap;
	int fd = ld_state.trace_fd ? ld_state.trace_fd : 2;

	if (ld_state.pid == 0)
		ld_state.pid = sys_getpid();
	va_start(ap, fmt);
	crt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* glibc's shape: every line of the text, empty ones included, gets
	 * the "%10d:\t" prefix; a final newline ends the text. All lines go
	 * out in one write. */
	for (;;) {
		const char *nl = crt_strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : crt_strlen(line);

		if (!nl && n == 0 && line != text)
			break;
		if (len + n + 16 > sizeof(out)) {
			sys_write(fd, out, len);
			len = 0;
			if (n + 16 > sizeof(out))
				n = sizeof(out) - 16;
		}
		len += (size_t)crt_snprintf(out + len, sizeof(out) - len, "%10d:\t%.*s\n",
					    ld_state.pid, (int)n, line);
		if (!nl)
			break;
		line = nl + 1;
	}
	sys_write(fd, out, len);
}
