/* SPDX-License-Identifier: MIT */
/*
 * /etc/ld.so.cache, glibc's format "glibc-ld.so.cache1.1": a 48-byte header
 * (magic, version, nlibs, len_strings, flags, extension offset), nlibs
 * entries of 24 bytes (flags, key, value, osversion, hwcap) and the string
 * table; key and value are offsets from the start of the file. An older
 * cache may start with the "ld.so-1.7.0" table and put the new one after
 * it, 8-byte aligned. We use the entries for 64-bit x86-64 libc6 objects
 * (flags 0x0303) without a hwcap subdirectory. Every offset is checked
 * against the file size: a corrupt cache is skipped, never trusted.
 */
#include "loader/cache.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/error.h"

#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define OLD_MAGIC "ld.so-1.7.0"
#define NEW_HEADER 48
#define NEW_ENTRY 24
#define OLD_HEADER 16
#define OLD_ENTRY 12
#define FLAGS_X86_64_LIBC6 0x0303

struct ld_cache {
	const unsigned char *data;
	size_t len;
	const unsigned char *entries;   /* first new-format entry */
	uint32_t nlibs;
	bool mapped;
};

static uint32_t
u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Offset of the new-format header, or -1. */
static long
find_new_header(const unsigned char *d, size_t len)
{
	size_t off;

	if (len >= NEW_HEADER && memcmp(d, NEW_MAGIC, sizeof(NEW_MAGIC) - 1) == 0)
		return 0;
	if (len < OLD_HEADER || memcmp(d, OLD_MAGIC, sizeof(OLD_MAGIC) - 1) != 0)
		return -1;
	off = OLD_HEADER + (size_t)u32(d + 12) * OLD_ENTRY;
	off = (off + 7) & ~(size_t)7;
	if (off > len || len - off < NEW_HEADER ||
	    memcmp(d + off, NEW_MAGIC, sizeof(NEW_MAGIC) - 1) != 0)
		return -1;
	return (long)off;
}

struct ld_cache *
cache_open_buffer(const void *data, size_t len)
{
	const unsigned char *d = data;
	struct ld_cache *c;
	long hdr = find_new_header(d, len);
	uint32_t nlibs;

	if (hdr < 0) {
		ld_error("/etc/ld.so.cache: not a glibc ld.so.cache file");
		return NULL;
	}
	nlibs = u32(d + hdr + 20);
	if (nlibs > (len - (size_t)hdr - NEW_HEADER) / NEW_ENTRY) {
		ld_error("/etc/ld.so.cache: entry table past the end of the file");
		return NULL;
	}
	c = crt_calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->data = d;
	c->len = len;
	c->entries = d + hdr + NEW_HEADER;
	c->nlibs = nlibs;
	return c;
}

struct ld_cache *
cache_open(const char *path)
{
	struct ld_cache *c;
	struct stat st;
	void *p;
	int fd = sys_open(path, O_RDONLY, 0);

	if (fd < 0) {
		ld_error("%s: %s", path, crt_strerror(-fd));
		return NULL;
	}
	if (sys_fstat(fd, &st) < 0 || st.st_size <= 0) {
		sys_close(fd);
		ld_error("%s: cannot stat", path);
		return NULL;
	}
	p = sys_mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	sys_close(fd);
	if (crt_mmap_failed(p)) {
		ld_error("%s: cannot map", path);
		return NULL;
	}
	c = cache_open_buffer(p, (size_t)st.st_size);
	if (!c) {
		sys_munmap(p, (size_t)st.st_size);
		return NULL;
	}
	c->mapped = true;
	return c;
}

void
cache_close(struct ld_cache *c)
{
	if (!c)
		return;
	if (c->mapped)
		sys_munmap((void *)c->data, c->len);
	crt_free(c);
}

/* True when a NUL occurs in the len bytes at p. */
static bool
memchr_nul(const unsigned char *p, size_t len)
{
	while (len--)
		if (*p++ == '\0')
			return true;
	return false;
}

/* A NUL-terminated string at offset off of the file, or NULL. */
static const char *
cache_string(const struct ld_cache *c, uint32_t off)
{
	if (off >= c->len || !memchr_nul(c->data + off, c->len - off))
		return NULL;
	return (const char *)c->data + off;
}

/* Entry i, if it is usable on this machine: fills name and path. */
static bool
cache_entry(const struct ld_cache *c, uint32_t i, const char **name,
	    const char **path)
{
	const unsigned char *e = c->entries + (size_t)i * NEW_ENTRY;
	uint64_t hwcap = (uint64_t)u32(e + 16) | (uint64_t)u32(e + 20) << 32;

	if ((u32(e) & 0xffff) != FLAGS_X86_64_LIBC6 || hwcap != 0)
		return false;
	*name = cache_string(c, u32(e + 4));
	*path = cache_string(c, u32(e + 8));
	return *name && *path;
}

const char *
cache_lookup(const struct ld_cache *c, const char *name)
{
	const char *key, *path;
	uint32_t i;

	if (!c)
		return NULL;
	/* The first usable entry with that name is the one glibc uses:
	 * ldconfig sorts entries, preferring the best match first. */
	for (i = 0; i < c->nlibs; i++)
		if (cache_entry(c, i, &key, &path) && crt_strcmp(key, name) == 0)
			return path;
	return NULL;
}

void
cache_foreach(const struct ld_cache *c,
	      void (*fn)(const char *name, const char *path, void *arg), void *arg)
{
	const char *key, *path;
	uint32_t i;

	for (i = 0; c && i < c->nlibs; i++)
		if (cache_entry(c, i, &key, &path))
			fn(key, path, arg);
}
