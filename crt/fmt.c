/* SPDX-License-Identifier: MIT */
/*
 * A printf-style formatter without libc (see fmt.h for the conversions).
 * Output goes through a small sink that counts what would have been
 * written, so crt_vsnprintf has C99 semantics; crt_vdprintf formats into a
 * stack buffer and flushes it with write(2) whenever it fills.
 */
#include "crt/fmt.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "crt/string.h"
#include "crt/sys.h"

struct sink {
	char *buf;
	size_t size;     /* capacity of buf */
	size_t len;      /* bytes in buf */
	size_t total;    /* bytes produced */
	int fd;          /* >= 0: flush to fd when full */
	int error;
};

static void
sink_flush(struct sink *s)
{
	size_t off = 0;

	while (off < s->len && !s->error) {
		long n = sys_write(s->fd, s->buf + off, s->len - off);

		if (n == -EINTR)
			continue;
		if (n < 0) {
			s->error = (int)n;
			break;
		}
		off += (size_t)n;
	}
	s->len = 0;
}

static void
sink_putc(struct sink *s, char c)
{
	s->total++;
	if (s->fd >= 0) {
		if (s->len == s->size)
			sink_flush(s);
		s->buf[s->len++] = c;
	} else if (s->len + 1 < s->size) {
		s->buf[s->len++] = c;
	}
}

static void
sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

struct spec {
	bool left, zero, alt, space, plus;
	int width, precision;   /* precision -1: none */
	int length;             /* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 'j', 't' */
};

/* Emits an already converted number (digits, no sign) with its sign or
 * prefix, padding and precision. */
static void
emit_number(struct sink *s, const struct spec *sp, const char *digits, int ndigits,
	    const char *prefix)
{
	int plen = (int)crt_strlen(prefix);
	int zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	int len = plen + zeros + ndigits;
	int pad = sp->width > len ? sp->width - len : 0;

	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		sink_pad(s, ' ', pad);
	while (*prefix)
		sink_putc(s, *prefix++);
	sink_pad(s, '0', zeros);
	while (ndigits--)
		sink_putc(s, *digits++);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

static void
format_unsigned(struct sink *s, struct spec *sp, uint64_t v, unsigned base,
		bool upper, const char *prefix)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	while (v) {
		tmp[sizeof(tmp) - 1 - n++] = set[v % base];
		v /= base;
	}
	if (n == 0 && sp->precision != 0)
		tmp[sizeof(tmp) - 1 - n++] = '0';
	emit_number(s, sp, tmp + sizeof(tmp) - n, n, prefix);
}

static void
format_string(struct sink *s, const struct spec *sp, const char *str)
{
	int len, pad;

	if (!str)
		str = "(null)";
	len = sp->precision >= 0 ? (int)crt_strnlen(str, (size_t)sp->precision) :
				   (int)crt_strlen(str);
	pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left)
		sink_pad(s, ' ', pad);
	while (len--)
		sink_putc(s, *str++);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

static uint64_t
get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': case 'L': case 'z': case 'j': case 't':
		return va_arg(*ap, uint64_t);
	default: return va_arg(*ap, unsigned);
	}
}

static int64_t
get_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': case 'L': case 'z': case 'j': case 't':
		return va_arg(*ap, int64_t);
	default: return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length at *fmt. */
static const char *
parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-') sp->left = true;
		else if (*f == '0') sp->zero = true;
		else if (*f == '#') sp->alt = true;
		else if (*f == ' ') sp->space = true;
		else if (*f == '+') sp->plus = true;
		else break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	if (*f == 'h') {
		sp->length = 'h';
		if (*++f == 'h') {
			sp->length = 'H';
			f++;
		}
	} else if (*f == 'l') {
		sp->length = 'l';
		if (*++f == 'l') {
			sp->length = 'L';
			f++;
		}
	} else if (*f == 'z' || *f == 'j' || *f == 't') {
		sp->length = *f++;
	}
	return f;
}

static void
format_signed(struct sink *s, struct spec *sp, int64_t v)
{
	const char *prefix = v < 0 ? "-" : sp->plus ? "+" : sp->space ? " " : "";
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	format_unsigned(s, sp, mag, 10, false, prefix);
}

static void
format(struct sink *s, const char *f, va_list ap_in)
{
	va_list ap;
	struct spec sp;

	va_copy(ap, ap_in);
	while (*f) {
		if (*f != '%') {
			sink_putc(s, *f++);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd': case 'i':
			format_signed(s, &sp, get_signed(&sp, &ap));
			break;
		case 'u':
			format_unsigned(s, &sp, get_unsigned(&sp, &ap), 10, false, "");
			break;
		case 'x': case 'X': {
			uint64_t v = get_unsigned(&sp, &ap);

			format_unsigned(s, &sp, v, 16, *f == 'X', sp.alt && v ?
					(*f == 'X' ? "0X" : "0x") : "");
			break;
		}
		case 'o':
			format_unsigned(s, &sp, get_unsigned(&sp, &ap), 8, false,
					sp.alt ? "0" : "");
			break;
		case 'p': {
			void *p = va_arg(ap, void *);

			if (!p) {
				sp.precision = -1;
				format_string(s, &sp, "(nil)");
			} else {
				format_unsigned(s, &sp, (uintptr_t)p, 16, false, "0x");
			}
			break;
		}
		case 's':
			format_string(s, &sp, va_arg(ap, const char *));
			break;
		case 'c': {
			char c[2] = { (char)va_arg(ap, int), 0 };

			sp.precision = -1;
			if (c[0])
				format_string(s, &sp, c);
			else
				sink_putc(s, '\0');
			break;
		}
		case '%':
			sink_putc(s, '%');
			break;
		case '\0':
			va_end(ap);
			return;
		default:
			sink_putc(s, '%');
			sink_putc(s, *f);
			break;
		}
		f++;
	}
	va_end(ap);
}

int
crt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size, .fd = -1 };

	format(&s, fmt, ap);
	if (size)
		buf[s.len] = '\0';
	return (int)s.total;
}

int
crt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = crt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int
crt_vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[512];
	struct sink s = { .buf = buf, .size = sizeof(buf), .fd = fd };

	format(&s, fmt, ap);
	sink_flush(&s);
	return s.error ? s.error : (int)s.total;
}

int
crt_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = crt_vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}
