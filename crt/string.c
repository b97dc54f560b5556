/* SPDX-License-Identifier: MIT */
/*
 * String helpers of the loader's runtime (see string.h), used from stage 2
 * on. crt_strlen and crt_strcmp go a word at a time (the loader measures
 * every path and compares every version name); the rest are byte loops.
 * Only crt_strdup and crt_strndup allocate; crt_strerror never does, and
 * nothing here knows about ELF or calls the host libc (memcpy is mem.c's,
 * or the host's in unit tests).
 */
#include "crt/string.h"

#include <errno.h>
#include <stdint.h>

#include "crt/alloc.h"

/* An aligned word never crosses a page, so reading the whole word that
 * holds a string's NUL is safe; AddressSanitizer (unit tests) is told
 * not to check the bytes past it. The bytes before s in the first word
 * are made nonzero. */
__attribute__((no_sanitize("address"))) size_t
crt_strlen(const char *s)
{
	uintptr_t off = (uintptr_t)s & 7;
	const uint64_t *w = (const uint64_t *)(const void *)(s - off);
	uint64_t z = crt_zero_bytes(*w | (off ? ~0ull >> (64 - 8 * off) : 0));

	while (!z)
		z = crt_zero_bytes(*++w);
	return (size_t)((const char *)w + __builtin_ctzll(z) / 8 - s);
}

size_t
crt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* The smallest page size of any Linux port: a word read that starts at
 * least 8 bytes before a multiple of it stays on one page. */
#define CRT_MIN_PAGE 4096

/* An unaligned 64-bit load. */
typedef uint64_t __attribute__((may_alias, aligned(1))) crt_word;

/* Words while neither read can reach the next page and the words are
 * equal with no NUL; the bytes settle the rest. As crt_strlen, it may
 * read past a NUL within a page, unchecked by AddressSanitizer. */
__attribute__((no_sanitize("address"))) int
crt_strcmp(const char *a, const char *b)
{
	while (((uintptr_t)a & (CRT_MIN_PAGE - 1)) <= CRT_MIN_PAGE - 8 &&
	       ((uintptr_t)b & (CRT_MIN_PAGE - 1)) <= CRT_MIN_PAGE - 8) {
		uint64_t x = *(const crt_word *)a;

		if (x != *(const crt_word *)b || crt_zero_bytes(x))
			break;
		a += 8;
		b += 8;
	}
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

bool
crt_memeq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			if (x[i] != y[i])
				return false;
		return true;
	}
	/* Whole words, then the last word (which may overlap the one
	 * before it): no byte outside [0, n) is read. */
	for (i = 0; i + 8 < n; i += 8)
		if (*(const crt_word *)(x + i) != *(const crt_word *)(y + i))
			return false;
	return *(const crt_word *)(x + n - 8) == *(const crt_word *)(y + n - 8);
}

int
crt_strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *
crt_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *
crt_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t
crt_strcspn(const char *s, const char *reject)
{
	uint64_t set[4] = { 0, 0, 0, 0 };   /* one bit per byte value */
	const unsigned char *p = (const unsigned char *)s;

	for (; *reject; reject++)
		set[(unsigned char)*reject / 64] |= 1ull << ((unsigned char)*reject % 64);
	set[0] |= 1;                          /* the NUL ends the span */
	while (!(set[*p / 64] >> (*p % 64) & 1))
		p++;
	return (size_t)(p - (const unsigned char *)s);
}

size_t
crt_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = crt_strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *
crt_strndup(const char *s, size_t n)
{
	size_t len = crt_strnlen(s, n);
	char *p = crt_malloc(len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
crt_strdup(const char *s)
{
	size_t len = crt_strlen(s);
	char *p = crt_malloc(len + 1);

	if (p)
		memcpy(p, s, len + 1);
	return p;
}

/*
 * glibc 2.36's wording, indexed by the Linux errno value, so that messages
 * read exactly like the ones scripts already grep for. Gaps (41, 58) are
 * numbers Linux never uses; they print as unknown, as glibc does.
 */
static const char *const errno_texts[] = {
	[0] = "Success",
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[ENOTBLK] = "Block device required",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[EXDEV] = "Invalid cross-device link",
	[ENODEV] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate ioctl for device",
	[ETXTBSY] = "Text file busy",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EMLINK] = "Too many links",
	[EPIPE] = "Broken pipe",
	[EDOM] = "Numerical argument out of domain",
	[ERANGE] = "Numerical result out of range",
	[EDEADLK] = "Resource deadlock avoided",
	[ENAMETOOLONG] = "File name too long",
	[ENOLCK] = "No locks available",
	[ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty",
	[ELOOP] = "Too many levels of symbolic links",
	[ENOMSG] = "No message of desired type",
	[EIDRM] = "Identifier removed",
	[ECHRNG] = "Channel number out of range",
	[EL2NSYNC] = "Level 2 not synchronized",
	[EL3HLT] = "Level 3 halted",
	[EL3RST] = "Level 3 reset",
	[ELNRNG] = "Link number out of range",
	[EUNATCH] = "Protocol driver not attached",
	[ENOCSI] = "No CSI structure available",
	[EL2HLT] = "Level 2 halted",
	[EBADE] = "Invalid exchange",
	[EBADR] = "Invalid request descriptor",
	[EXFULL] = "Exchange full",
	[ENOANO] = "No anode",
	[EBADRQC] = "Invalid request code",
	[EBADSLT] = "Invalid slot",
	[EBFONT] = "Bad font file format",
	[ENOSTR] = "Device not a stream",
	[ENODATA] = "No data available",
	[ETIME] = "Timer expired",
	[ENOSR] = "Out of streams resources",
	[ENONET] = "Machine is not on the network",
	[ENOPKG] = "Package not installed",
	[EREMOTE] = "Object is remote",
	[ENOLINK] = "Link has been severed",
	[EADV] = "Advertise error",
	[ESRMNT] = "Srmount error",
	[ECOMM] = "Communication error on send",
	[EPROTO] = "Protocol error",
	[EMULTIHOP] = "Multihop attempted",
	[EDOTDOT] = "RFS specific error",
	[EBADMSG] = "Bad message",
	[EOVERFLOW] = "Value too large for defined data type",
	[ENOTUNIQ] = "Name not unique on network",
	[EBADFD] = "File descriptor in bad state",
	[EREMCHG] = "Remote address changed",
	[ELIBACC] = "Can not access a needed shared library",
	[ELIBBAD] = "Accessing a corrupted shared library",
	[ELIBSCN] = ".lib section in a.out corrupted",
	[ELIBMAX] = "Attempting to link in too many shared libraries",
	[ELIBEXEC] = "Cannot exec a shared library directly",
	[EILSEQ] = "Invalid or incomplete multibyte or wide character",
	[ERESTART] = "Interrupted system call should be restarted",
	[ESTRPIPE] = "Streams pipe error",
	[EUSERS] = "Too many users",
	[ENOTSOCK] = "Socket operation on non-socket",
	[EDESTADDRREQ] = "Destination address required",
	[EMSGSIZE] = "Message too long",
	[EPROTOTYPE] = "Protocol wrong type for socket",
	[ENOPROTOOPT] = "Protocol not available",
	[EPROTONOSUPPORT] = "Protocol not supported",
	[ESOCKTNOSUPPORT] = "Socket type not supported",
	[EOPNOTSUPP] = "Operation not supported",
	[EPFNOSUPPORT] = "Protocol family not supported",
	[EAFNOSUPPORT] = "Address family not supported by protocol",
	[EADDRINUSE] = "Address already in use",
	[EADDRNOTAVAIL] = "Cannot assign requested address",
	[ENETDOWN] = "Network is down",
	[ENETUNREACH] = "Network is unreachable",
	[ENETRESET] = "Network dropped connection on reset",
	[ECONNABORTED] = "Software caused connection abort",
	[ECONNRESET] = "Connection reset by peer",
	[ENOBUFS] = "No buffer space available",
	[EISCONN] = "Transport endpoint is already connected",
	[ENOTCONN] = "Transport endpoint is not connected",
	[ESHUTDOWN] = "Cannot send after transport endpoint shutdown",
	[ETOOMANYREFS] = "Too many references: cannot splice",
	[ETIMEDOUT] = "Connection timed out",
	[ECONNREFUSED] = "Connection refused",
	[EHOSTDOWN] = "Host is down",
	[EHOSTUNREACH] = "No route to host",
	[EALREADY] = "Operation already in progress",
	[EINPROGRESS] = "Operation now in progress",
	[ESTALE] = "Stale file handle",
	[EUCLEAN] = "Structure needs cleaning",
	[ENOTNAM] = "Not a XENIX named type file",
	[ENAVAIL] = "No XENIX semaphores available",
	[EISNAM] = "Is a named type file",
	[EREMOTEIO] = "Remote I/O error",
	[EDQUOT] = "Disk quota exceeded",
	[ENOMEDIUM] = "No medium found",
	[EMEDIUMTYPE] = "Wrong medium type",
	[ECANCELED] = "Operation canceled",
	[ENOKEY] = "Required key not available",
	[EKEYEXPIRED] = "Key has expired",
	[EKEYREVOKED] = "Key has been revoked",
	[EKEYREJECTED] = "Key was rejected by service",
	[EOWNERDEAD] = "Owner died",
	[ENOTRECOVERABLE] = "State not recoverable",
	[ERFKILL] = "Operation not possible due to RF-kill",
	[EHWPOISON] = "Memory page has hardware error",
};

/* Room for "Unknown error -2147483648". */
static char unknown_text[32];

/* glibc's "Unknown error N", written backwards from the buffer's end.
 * Digits by hand: fmt.c uses this file, so this file does not use fmt.c. */
static const char *
unknown_error(int err)
{
	static const char prefix[] = "Unknown error ";
	unsigned mag = err < 0 ? 0u - (unsigned)err : (unsigned)err;
	char *p = unknown_text + sizeof(unknown_text) - 1;

	*p = '\0';
	do {
		*--p = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (err < 0)
		*--p = '-';
	p -= sizeof(prefix) - 1;
	memcpy(p, prefix, sizeof(prefix) - 1);
	return p;
}

const char *
crt_strerror(int err)
{
	if (err >= 0 && (size_t)err < sizeof(errno_texts) / sizeof(errno_texts[0]) &&
	    errno_texts[err])
		return errno_texts[err];
	return unknown_error(err);
}

/* The names glibc's ld.so prints when it cannot execute a program. */
static const char *const errno_names[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [EIO] = "EIO",
	[E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC", [EAGAIN] = "EAGAIN",
	[ENOMEM] = "ENOMEM", [EACCES] = "EACCES", [EFAULT] = "EFAULT",
	[ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR", [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ETXTBSY] = "ETXTBSY",
	[ENAMETOOLONG] = "ENAMETOOLONG", [ELOOP] = "ELOOP",
	[ELIBBAD] = "ELIBBAD",
};

const char *
crt_strerrorname(int err)
{
	if (err >= 0 && (size_t)err < sizeof(errno_names) / sizeof(errno_names[0]))
		return errno_names[err];
	return NULL;
}
