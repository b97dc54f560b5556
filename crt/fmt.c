/* SPDX-License-Identifier: MIT */
/*
 * A printf-style formatter without libc (see fmt.h for the conversions),
 * used from stage 2 on for messages, traces and ldd-style listings.
 * Output goes through a small sink that counts what would have been
 * written, so crt_vsnprintf has C99 semantics; crt_dprintf formats into a
 * stack buffer and flushes it with write(2) whenever it fills.
 * Nothing here allocates or touches global state, so it is safe from any
 * thread and from an out-of-memory path. Built freestanding: it includes
 * no libc header, only the compiler's own and the project's.
 */
#include "crt/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#include "crt/string.h"
#include "crt/sys.h"

/* Linux errno values (asm-generic/errno-base.h): <errno.h> is libc's. */
#define FMT_EINTR 4
#define FMT_EIO 5
#define FMT_EBADF 9

/* Widths and precisions beyond this are clamped, so parsing cannot overflow. */
#define FMT_MAX_FIELD 100000000

struct sink {
	char *buf;
	size_t size;     /* capacity of buf */
	size_t len;      /* bytes in buf */
	size_t total;    /* bytes produced */
	bool to_fd;      /* flush to fd when full (else truncate, snprintf) */
	int fd;
	int error;       /* first write error, as -errno */
};

/* Writes the buffer out whole: write(2) may take less than asked for, or be
 * interrupted by a signal before writing anything. */
static void
sink_flush(struct sink *s)
{
	size_t off = 0;

	while (off < s->len && !s->error) {
		long n = sys_write(s->fd, s->buf + off, s->len - off);

		if (n == -FMT_EINTR)
			continue;
		if (n < 0)
			s->error = (int)n;
		else if (n == 0)
			s->error = -FMT_EIO;   /* no progress: never spin */
		else
			off += (size_t)n;
	}
	s->len = 0;
}

static void
sink_putc(struct sink *s, char c)
{
	s->total++;
	if (s->to_fd) {
		if (s->len == s->size)
			sink_flush(s);
		s->buf[s->len++] = c;
	} else if (s->len + 1 < s->size) {
		s->buf[s->len++] = c;   /* the last byte is kept for the NUL */
	}
}

static void
sink_put(struct sink *s, const char *p, size_t n)
{
	while (n--)
		sink_putc(s, *p++);
}

static void
sink_pad(struct sink *s, char c, int n)
{
	while (n-- > 0)
		sink_putc(s, c);
}

struct spec {
	bool left, zero, alt, space, plus;
	int width;
	int precision;          /* -1: none given (or a negative '*') */
	int length;             /* 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 'j', 't' */
};

/*
 * One integer conversion, as C11 7.21.6.1 lays it out:
 *   [spaces] sign prefix [zeros] digits [spaces]
 * The zeros come from the precision or, with '0' and no precision, fill
 * the width. '#' with 'o' raises the precision just enough that the first
 * digit is 0 (so 0 with precision 0 still prints "0").
 */
static void
emit_number(struct sink *s, const struct spec *sp, const char *digits, int ndigits,
	    const char *sign, const char *prefix, bool octal_alt)
{
	int slen = (int)crt_strlen(sign), plen = (int)crt_strlen(prefix);
	int zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	int len, pad;

	if (octal_alt && zeros == 0 && (ndigits == 0 || digits[0] != '0'))
		zeros = 1;
	len = slen + plen + zeros + ndigits;
	pad = sp->width > len ? sp->width - len : 0;
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		sink_pad(s, ' ', pad);
	sink_put(s, sign, (size_t)slen);
	sink_put(s, prefix, (size_t)plen);
	sink_pad(s, '0', zeros);
	sink_put(s, digits, (size_t)ndigits);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

/* Converts v to digits in base and emits them; "precision 0 and value 0"
 * gives no digits at all, as C requires. */
static void
format_unsigned(struct sink *s, const struct spec *sp, uintmax_t v, unsigned base,
		bool upper, const char *sign, const char *prefix)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[3 * sizeof(uintmax_t)];   /* 22 octal digits for 64 bits */
	int n = 0;

	while (v) {
		tmp[sizeof(tmp) - 1 - n++] = set[v % base];
		v /= base;
	}
	if (n == 0 && sp->precision != 0)
		tmp[sizeof(tmp) - 1 - n++] = '0';
	emit_number(s, sp, tmp + sizeof(tmp) - n, n, sign, prefix,
		    base == 8 && sp->alt);
}

/* Emits len bytes of str padded to the width; '0' pads with spaces here,
 * as glibc does for %s and %c. */
static void
emit_padded(struct sink *s, const struct spec *sp, const char *str, int len)
{
	int pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		sink_pad(s, ' ', pad);
	sink_put(s, str, (size_t)len);
	if (sp->left)
		sink_pad(s, ' ', pad);
}

static void
format_string(struct sink *s, const struct spec *sp, const char *str)
{
	size_t len;

	/* glibc prints NULL as "(null)", or as nothing when the precision
	 * is too small for all of it. */
	if (!str)
		str = sp->precision >= 0 && sp->precision < 6 ? "" : "(null)";
	/* With a precision, str need not be terminated: never read past it. */
	len = sp->precision >= 0 ? crt_strnlen(str, (size_t)sp->precision) :
				   crt_strlen(str);
	if (len > FMT_MAX_FIELD)
		len = FMT_MAX_FIELD;
	emit_padded(s, sp, str, (int)len);
}

static uintmax_t
get_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (uintptr_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* The same argument as get_unsigned reads, taken as the signed type of
 * its width (for z, the signed type of size_t's: C11 7.21.6.1p7). */
static intmax_t
get_signed(const struct spec *sp, va_list *ap)
{
	uintmax_t v = get_unsigned(sp, ap);

	switch (sp->length) {
	case 'H': return (signed char)v;
	case 'h': return (short)v;
	case 'l': return (long)v;
	case 'z': case 't': return (intptr_t)v;
	case 'L': case 'j': return (intmax_t)v;
	default: return (int)v;
	}
}

static const char *
parse_number(const char *f, int *out)
{
	int v = 0;

	while (*f >= '0' && *f <= '9') {
		if (v < FMT_MAX_FIELD)
			v = v * 10 + (*f - '0');
		f++;
	}
	*out = v > FMT_MAX_FIELD ? FMT_MAX_FIELD : v;
	return f;
}

/* Parses flags, width, precision and length after a '%'; returns a
 * pointer to the conversion character. */
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
		/* A negative '*' width is the '-' flag and its magnitude. */
		int w = va_arg(*ap, int);

		if (w < 0) {
			sp->left = true;
			w = w < -FMT_MAX_FIELD ? FMT_MAX_FIELD : -w;
		}
		sp->width = w > FMT_MAX_FIELD ? FMT_MAX_FIELD : w;
		f++;
	} else {
		f = parse_number(f, &sp->width);
	}
	if (*f == '.') {
		f++;
		if (*f == '*') {
			/* A negative '*' precision counts as none given. */
			int p = va_arg(*ap, int);

			sp->precision = p < 0 ? -1 : p > FMT_MAX_FIELD ? FMT_MAX_FIELD : p;
			f++;
		} else {
			f = parse_number(f, &sp->precision);
		}
	}
	if (*f == 'h' || *f == 'l') {
		sp->length = *f++;
		if (*f == sp->length) {		/* hh is 'H', ll is 'L' */
			sp->length = sp->length == 'h' ? 'H' : 'L';
			f++;
		}
	} else if (*f == 'z' || *f == 'j' || *f == 't') {
		sp->length = *f++;
	}
	return f;
}

/* Formats the conversion at f with its parsed spec; start is the '%'. */
static void
format_one(struct sink *s, struct spec *sp, const char *start, const char *f,
	   va_list *ap)
{
	const char *sign = sp->plus ? "+" : sp->space ? " " : "";
	char conv = *f;

	switch (conv) {
	case 'd': case 'i': {
		intmax_t v = get_signed(sp, ap);
		uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;

		format_unsigned(s, sp, mag, 10, false, v < 0 ? "-" : sign, "");
		break;
	}
	case 'u': case 'o':
		format_unsigned(s, sp, get_unsigned(sp, ap), conv == 'o' ? 8 : 10,
				false, "", "");
		break;
	case 'x': case 'X': {
		uintmax_t v = get_unsigned(sp, ap);
		const char *prefix = !sp->alt || !v ? "" : conv == 'X' ? "0X" : "0x";

		format_unsigned(s, sp, v, 16, conv == 'X', "", prefix);
		break;
	}
	case 'p': {
		/* glibc's "%#lx" (flags and precision included), or "(nil)"
		 * padded with spaces for NULL. */
		const void *p = va_arg(*ap, const void *);

		if (p)
			format_unsigned(s, sp, (uintptr_t)p, 16, false, sign, "0x");
		else
			emit_padded(s, sp, "(nil)", 5);
		break;
	}
	case 's':
		format_string(s, sp, va_arg(*ap, const char *));
		break;
	case 'c': {
		char c = (char)va_arg(*ap, int);

		emit_padded(s, sp, &c, 1);
		break;
	}
	case '%':
		sink_putc(s, '%');
		break;
	default:
		/* Unsupported (%n, %f, ...): print the spec as written,
		 * which is visible and consumes no argument. */
		sink_put(s, start, (size_t)(f + 1 - start));
		break;
	}
}

static void
format(struct sink *s, const char *f, va_list ap_in)
{
	va_list ap;
	struct spec sp;

	va_copy(ap, ap_in);
	while (*f) {
		const char *start = f;

		if (*f != '%') {
			sink_putc(s, *f++);
			continue;
		}
		f = parse_spec(f + 1, &sp, &ap);
		if (*f == '\0') {
			/* A lone '%' at the end: print what there is. */
			sink_put(s, start, (size_t)(f - start));
			break;
		}
		format_one(s, &sp, start, f++, &ap);
	}
	va_end(ap);
}

int
crt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink s = { .buf = buf, .size = size };

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
crt_dprintf(int fd, const char *fmt, ...)
{
	char buf[512];
	struct sink s = { .buf = buf, .size = sizeof(buf), .to_fd = true, .fd = fd };
	va_list ap;

	if (fd < 0)
		return -FMT_EBADF;
	va_start(ap, fmt);
	format(&s, fmt, ap);
	va_end(ap);
	sink_flush(&s);
	return s.error ? s.error : (int)s.total;
}
