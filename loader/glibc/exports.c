/* SPDX-License-Identifier: MIT */
/*
 * The functions ld-linux-x86-64.so.2 exports that libc.so.6 and other
 * system libraries import (fact sheet sections 1.2-1.3 and 2), apart from
 * the thread functions (thread.c), __tunable_get_val (tunables.c) and
 * __tls_get_addr (arch). Their names
 * and versions are fixed by the importers; see loader/myld.map.
 */
#include "loader/export.h"
#include "loader/glibc/internal.h"

#include <stdarg.h>

#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/dlopen.h"
#include "loader/glibc/glibc.h"
#include "loader/search.h"
#include "loader/scope.h"
#include "loader/state.h"


/* struct dl_exception: objname, errstring, message_buffer. */
struct dl_exception {
	const char *objname;
	const char *errstring;
	char *message_buffer;
};

EXPORT void *
_dl_find_dso_for_object(uintptr_t addr)
{
	struct elf_object *obj;
	void *map;

	scope_reader_enter();
	obj = dlopen_object_at((const void *)addr);
	map = obj ? obj->adapter : NULL;
	scope_reader_leave();
	return map;
}

EXPORT __attribute__((noreturn)) void _dl_fatal_printf(const char *fmt, ...);

/* The message buffer, from libc's malloc (libc frees it): room for tlen
 * bytes of text, for the caller to write, then objname. NULL when out of
 * memory: e then holds glibc's static "out of memory". */
static char *
exception_alloc(struct dl_exception *e, const char *objname, size_t tlen)
{
	size_t olen = crt_strlen(objname ? objname : "") + 1;
	char *buf = ld_state.glibc.malloc ? ld_state.glibc.malloc(olen + tlen) : NULL;

	if (!buf) {
		e->objname = "";
		e->errstring = "out of memory";
		e->message_buffer = NULL;
		return NULL;
	}
	memcpy(buf + tlen, objname ? objname : "", olen);
	e->errstring = buf;
	e->objname = buf + tlen;
	e->message_buffer = buf;
	return buf;
}

/* The conversions libc's callers use: %s, %%, %x, %lx and %zx (the hex
 * ones zero-padded to the full width of the type, as glibc's are here).
 * Any other is a bug in the caller, which glibc ends the process for.
 * Returns the length written, or measures only when out is NULL. */
static size_t
exception_format(char *out, const char *fmt, va_list ap)
{
	size_t n = 0;
	const char *p;

	for (p = fmt; *p; p++) {
		char hex[17];
		const char *piece = p;
		size_t len = 1;

		if (*p == '%') {
			switch (*++p) {
			case 's':
				piece = va_arg(ap, const char *);
				len = crt_strlen(piece);
				break;
			case '%':
				piece = p;
				break;
			case 'x':
				piece = hex;
				len = (size_t)crt_snprintf(hex, sizeof(hex), "%08x",
							   va_arg(ap, unsigned int));
				break;
			case 'l':
			case 'z':
				if (p[1] == 'x') {
					p++;
					piece = hex;
					len = (size_t)crt_snprintf(hex, sizeof(hex), "%016lx",
								   va_arg(ap, unsigned long));
					break;
				}
				/* fall through */
			default:
				_dl_fatal_printf("Fatal error: invalid format in "
						 "exception string\n");
			}
		}
		if (out)
			memcpy(out + n, piece, len);
		n += len;
	}
	return n;
}

EXPORT void
_dl_exception_create_format(struct dl_exception *e, const char *objname,
			    const char *fmt, ...)
{
	size_t tlen;
	char *buf;
	va_list ap;

	va_start(ap, fmt);
	tlen = exception_format(NULL, fmt, ap) + 1;
	va_end(ap);
	buf = exception_alloc(e, objname, tlen);
	if (!buf)
		return;
	va_start(ap, fmt);
	exception_format(buf, fmt, ap);
	va_end(ap);
	buf[tlen - 1] = '\0';
}

EXPORT void
_dl_exception_create(struct dl_exception *e, const char *objname,
		     const char *errstring)
{
	_dl_exception_create_format(e, objname, "%s", errstring);
}

EXPORT void
_dl_exception_free(struct dl_exception *e)
{
	if (e->message_buffer && ld_state.glibc.free)
		ld_state.glibc.free(e->message_buffer);
	e->objname = e->errstring = NULL;
	e->message_buffer = NULL;
}

EXPORT __attribute__((noreturn)) void
_dl_fatal_printf(const char *fmt, ...)
{
	char text[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = crt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(text) - 1)
		n = sizeof(text) - 1;
	sys_write(2, text, (size_t)n);
	sys_exit_group(127);
}

/* Dl_serinfo {size_t dls_size; unsigned dls_cnt; Dl_serpath[]}, each
 * Dl_serpath {char *dls_name; unsigned dls_flags} (16 bytes); the names
 * are stored after the array. */
struct serinfo_walk {
	unsigned char *si;
	bool counting;
	size_t count, bytes;
	char *strings;
};

static void
serinfo_dir(const char *dir, unsigned rule, void *arg)
{
	struct serinfo_walk *w = arg;
	size_t len = crt_strlen(dir) + 1;

	if (!w->counting) {
		unsigned char *entry = w->si + 16 + w->count * 16;

		memcpy(w->strings, dir, len);
		GLIBC_FIELD(entry, 0, char *) = w->strings;
		GLIBC_FIELD(entry, 8, unsigned) = rule;
		w->strings += len;
	}
	w->count++;
	w->bytes += len;
}

EXPORT void
_dl_rtld_di_serinfo(void *map, void *si, _Bool counting)
{
	struct serinfo_walk w = { si, counting, 0, 0, NULL };

	if (!counting)
		w.strings = (char *)si + 16 + GLIBC_FIELD(si, 8, unsigned) * 16;
	search_foreach_dir(glibc_object_of(map), serinfo_dir, &w);
	if (counting) {
		GLIBC_FIELD(si, 0, size_t) = 16 + w.count * 16 + w.bytes;
		GLIBC_FIELD(si, 8, unsigned) = (unsigned)w.count;
	}
}

/* Auditing (LD_AUDIT) is not supported: with no audit modules these are
 * what glibc's versions do, nothing. */
EXPORT void
_dl_audit_preinit(void *main_map)
{
	(void)main_map;
}

EXPORT void
_dl_audit_symbind_alt(void *map, const void *sym, void **value, void *result)
{
	(void)map; (void)sym; (void)value; (void)result;
}

EXPORT void
_dl_mcount(uintptr_t from, uintptr_t to)
{
	(void)from;
	(void)to;
}

EXPORT const void *
_dl_x86_get_cpu_features(void)
{
	return _rtld_global_ro + ld_state.glibc.abi->glro_cpu_features;
}

/* Anchors the GLIBC_2.34 version node (see myld.map). */
EXPORT void
__rtld_version_placeholder(void)
{
}
