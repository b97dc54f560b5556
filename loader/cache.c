/* SPDX-License-Identifier: MIT */
/*
 * Reading /etc/ld.so.cache as written by glibc's ldconfig. Three layouts
 * exist: the current one ("glibc-ld.so.cache" "1.1" header, 24-byte
 * entries), the old "ld.so-1.7.0" one (12-byte entries), and the old table
 * followed by a current one (ldconfig --format=compat). Entries are sorted
 * by name, descending, in ldconfig's numeric-aware order, so a lookup is a
 * binary search like glibc's.
 * Runs in stage 2 and after (dlopen). It must never trust the file: every
 * count, offset and string is checked against the mapping, a malformed
 * cache is rejected (or an entry ignored), never read past its end.
 * Only entries for this machine are returned (flags 0x0303). Entries for a
 * glibc-hwcaps subdirectory (the current format's extension: the entry's
 * hwcap field indexes a table of subdirectory names) win over the baseline
 * entry when the caller's list ranks their subdirectory and the CPU has
 * the ISA level they are marked with, as in glibc; legacy hwcap entries
 * (tls/, x86_64/ ...) only when the caller asks for them (hwcaps.c).
 */
#include "loader/cache.h"

#include "machdep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/error.h"

/* The current format (glibc sysdeps/generic/dl-cache.h, "cache_file_new"):
 * magic+version (20 bytes), nlibs, len_strings, flags (1 byte: bits 0-1
 * give the byte order), 3 bytes of padding, extension offset, 3 unused
 * words; 48 bytes. Entries: flags (int32), key, value, osversion (uint32),
 * hwcap (uint64). Strings are offsets from the start of this header. */
#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define NEW_HEADER_SIZE 48
#define NEW_ENTRY_SIZE 24
#define NEW_NLIBS 20
#define NEW_FLAGS 28
#define NEW_EXTENSION 32        /* file offset of the extension directory */
#define NEW_ALIGN 8             /* alignof(struct cache_file_new) */

/* Byte-order values of the flags byte; 0 means "not recorded". */
#define ENDIAN_MASK 3
#define ENDIAN_INVALID 1
#define ENDIAN_BIG 3

/* The extension directory: magic, count, then count sections of tag,
 * flags, offset (from the start of the file), size. Section tag 1 is an
 * array of uint32 offsets of glibc-hwcaps subdirectory names. An entry
 * whose hwcap field has, in its high half, bit 62 and nothing else but
 * the ISA level (bits 32-41) names subdirectory (uint32_t)hwcap. */
#define EXT_MAGIC 0xeaa42174u
#define EXT_HEADER_SIZE 8
#define EXT_SECTION_SIZE 16
#define EXT_TAG_GLIBC_HWCAPS 1
#define HWCAP_EXTENSION_HIGH 0x40000000u
#define HWCAP_ISA_LEVEL_MASK 0x3ffu

/* The old format: 11-byte magic, padding, nlibs; entries are flags, key,
 * value; strings are offsets from the end of the entry table. */
#define OLD_MAGIC "ld.so-1.7.0"
#define OLD_HEADER_SIZE 16
#define OLD_ENTRY_SIZE 12
#define OLD_NLIBS 12

/* The only entry flags the loader accepts on this machine (machdep.h). */
#define FLAGS_THIS_MACHINE ARCH_CACHE_FLAGS

struct ld_cache {
	const unsigned char *data;      /* the whole file (or buffer) */
	size_t len;
	bool mapped;                    /* data is our mapping of the file */
	const unsigned char *entries;
	size_t entry_size;              /* NEW_ENTRY_SIZE or OLD_ENTRY_SIZE */
	uint32_t nlibs;
	const char *strings;            /* what key/value offsets count from */
	size_t strings_len;             /* bytes from strings to the end */
	const unsigned char *hwcaps;    /* glibc-hwcaps name offsets, or NULL */
	uint32_t nhwcaps;
};

static uint32_t
read_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t
read_u64(const unsigned char *p)
{
	return (uint64_t)read_u32(p) | (uint64_t)read_u32(p + 4) << 32;
}

/* The glibc-hwcaps section of the extension directory at file offset
 * ext, if there is a well-formed one (glibc's checks: the directory and
 * the section inside the file, 4-byte aligned, a non-empty multiple of 4
 * bytes). Anything else leaves the cache without hwcaps entries, as in
 * glibc, and is not an error. */
static void
parse_extensions(struct ld_cache *c, uint32_t ext)
{
	uint32_t count, i;

	if (ext == 0 || ext % 4 || ext > c->len ||
	    c->len - ext < EXT_HEADER_SIZE ||
	    read_u32(c->data + ext) != EXT_MAGIC)
		return;
	count = read_u32(c->data + ext + 4);
	if (count > (c->len - ext - EXT_HEADER_SIZE) / EXT_SECTION_SIZE)
		return;
	for (i = 0; i < count; i++) {
		const unsigned char *sec = c->data + ext + EXT_HEADER_SIZE +
					   (size_t)i * EXT_SECTION_SIZE;
		uint32_t off = read_u32(sec + 8), size = read_u32(sec + 12);

		if (read_u32(sec) != EXT_TAG_GLIBC_HWCAPS)
			continue;
		if (size == 0 || size % 4 || off % 4 || off > c->len ||
		    c->len - off < size)
			return;
		c->hwcaps = c->data + off;
		c->nhwcaps = size / 4;
		return;
	}
}

/* Records a table of nlibs entries of size bytes at file offset off
 * (off <= len), whose strings count from file offset strings. Returns 0,
 * or -ENOEXEC when the table runs past the end of the file. */
static int
set_table(struct ld_cache *c, size_t off, size_t size, uint32_t nlibs,
	  size_t strings, const char *label)
{
	if (nlibs > (c->len - off) / size) {
		ld_error("%s: ld.so.cache entry table (%u entries) runs past "
			 "the end of the file", label, nlibs);
		return -ENOEXEC;
	}
	c->entries = c->data + off;
	c->entry_size = size;
	c->nlibs = nlibs;
	c->strings = (const char *)c->data + strings;
	c->strings_len = c->len - strings;
	return 0;
}

/* The current-format table whose header is at off; len is the file size
 * and off + NEW_HEADER_SIZE <= len. Returns 0 or -ENOEXEC. */
static int
parse_new(struct ld_cache *c, size_t off, const char *label)
{
	const unsigned char *h = c->data + off;
	unsigned endian = h[NEW_FLAGS] & ENDIAN_MASK;

	/* The file is written in the writer's byte order; x86-64 is
	 * little-endian, and "invalid" marks a cache ldconfig gave up on. */
	if (endian == ENDIAN_INVALID || endian == ENDIAN_BIG) {
		ld_error("%s: ld.so.cache of the wrong byte order", label);
		return -ENOEXEC;
	}
	if (set_table(c, off + NEW_HEADER_SIZE, NEW_ENTRY_SIZE,
		      read_u32(h + NEW_NLIBS), off, label) < 0)
		return -ENOEXEC;
	parse_extensions(c, read_u32(h + NEW_EXTENSION));
	return 0;
}

/* Old format at offset 0, possibly followed by a current-format table,
 * which is then preferred (glibc does the same). Returns 0 or -ENOEXEC. */
static int
parse_old(struct ld_cache *c, const char *label)
{
	uint32_t nlibs = read_u32(c->data + OLD_NLIBS);
	size_t table_end = OLD_HEADER_SIZE + (size_t)nlibs * OLD_ENTRY_SIZE;
	/* A current-format table after it starts NEW_ALIGN-aligned. */
	size_t new_off = (table_end + NEW_ALIGN - 1) & ~(size_t)(NEW_ALIGN - 1);

	if (set_table(c, OLD_HEADER_SIZE, OLD_ENTRY_SIZE, nlibs, table_end,
		      label) < 0)
		return -ENOEXEC;
	if (new_off <= c->len && c->len - new_off >= NEW_HEADER_SIZE &&
	    memcmp(c->data + new_off, NEW_MAGIC, sizeof(NEW_MAGIC) - 1) == 0)
		return parse_new(c, new_off, label);
	return 0;
}

struct ld_cache *
cache_open_buffer(const void *data, size_t len, const char *label)
{
	struct ld_cache *c;
	int err;

	c = crt_calloc(1, sizeof(*c));
	if (!c) {
		ld_error("%s: out of memory", label);
		return NULL;
	}
	c->data = data;
	c->len = len;
	if (len >= NEW_HEADER_SIZE &&
	    memcmp(data, NEW_MAGIC, sizeof(NEW_MAGIC) - 1) == 0) {
		err = parse_new(c, 0, label);
	} else if (len >= OLD_HEADER_SIZE &&
		   memcmp(data, OLD_MAGIC, sizeof(OLD_MAGIC) - 1) == 0) {
		err = parse_old(c, label);
	} else {
		ld_error("%s: not an ld.so.cache file (bad magic or too short)",
			 label);
		err = -ENOEXEC;
	}
	if (err < 0) {
		crt_free(c);
		return NULL;
	}
	return c;
}

struct ld_cache *
cache_open(const char *path)
{
	struct ld_cache *c = NULL;
	struct stat st;
	void *map;
	int fd, err;

	fd = sys_open(path, O_RDONLY, 0);
	if (fd < 0) {
		ld_error("%s: cannot open: %s", path, crt_strerror(-fd));
		return NULL;
	}
	err = sys_fstat(fd, &st);
	if (err < 0) {
		ld_error("%s: cannot stat: %s", path, crt_strerror(-err));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < OLD_HEADER_SIZE) {
		ld_error("%s: not an ld.so.cache file (not a regular file or "
			 "too short)", path);
		goto out;
	}
	map = sys_mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (crt_mmap_failed(map)) {
		ld_error("%s: cannot map: %s", path,
			 crt_strerror((int)-(intptr_t)map));
		goto out;
	}
	c = cache_open_buffer(map, (size_t)st.st_size, path);
	if (c)
		c->mapped = true;
	else
		sys_munmap(map, (size_t)st.st_size);
out:
	sys_close(fd);
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

/* The NUL-terminated string at offset off of the room bytes at base, or
 * NULL when it starts or ends outside them. */
static const char *
string_at(const void *base, size_t room, uint32_t off)
{
	const char *s = (const char *)base + off;

	if (off >= room || crt_strnlen(s, room - off) == room - off)
		return NULL;
	return s;
}

static const unsigned char *
entry_at(const struct ld_cache *c, uint32_t i)
{
	return c->entries + (size_t)i * c->entry_size;
}

/* The rank (1 = best) the caller's list gives the glibc-hwcaps
 * subdirectory an entry with this hwcap field was recorded for; 0 when
 * the list lacks it, the CPU lacks its ISA level, or the index or name is
 * bad. */
static size_t
hwcaps_rank(const struct ld_cache *c, uint64_t hwcap,
	    const struct cache_hwcaps *hw)
{
	uint32_t level = (uint32_t)(hwcap >> 32) & HWCAP_ISA_LEVEL_MASK;
	uint32_t index = (uint32_t)hwcap;
	const char *name, *want;
	size_t k;

	if (!hw || level >= 32 || !(hw->isa_levels >> level & 1) ||
	    index >= c->nhwcaps)
		return 0;
	name = string_at(c->data, c->len, read_u32(c->hwcaps + (size_t)index * 4));
	if (!name)
		return 0;
	for (want = hw->names, k = 0; k < hw->count;
	     want += crt_strlen(want) + 1, k++)
		if (crt_strcmp(want, name) == 0)
			return k + 1;
	return 0;
}

static bool
is_hwcaps_entry(uint64_t hwcap)
{
	return ((uint32_t)(hwcap >> 32) & ~HWCAP_ISA_LEVEL_MASK) ==
	       HWCAP_EXTENSION_HIGH;
}

/* The platform's bit in a legacy entry's hwcap field (glibc's
 * _dl_string_platform), or 0 when the cache has none for it. */
static uint64_t
platform_bit(const char *platform)
{
	const char *p = ARCH_CACHE_PLATFORMS;
	size_t len, i;

	for (i = 0; platform && *p; i++, p += len + (p[len] == ':')) {
		len = crt_strcspn(p, ":");
		if (crt_strlen(platform) == len && crt_strncmp(p, platform, len) == 0)
			return (uint64_t)1 << (ARCH_CACHE_FIRST_PLATFORM + i);
	}
	return 0;
}

/* True when an entry for this machine with this hwcap field needs no
 * hwcap, or (hw's legacy set) only hwcap bits and a platform this machine
 * has, as glibc 2.36's search_cache decides. */
static bool
entry_fits(uint64_t hwcap, const struct cache_hwcaps *hw)
{
	const uint64_t tls = (uint64_t)1 << 63;
	const uint64_t platforms = (((uint64_t)1 << ARCH_CACHE_NPLATFORMS) - 1)
				   << ARCH_CACHE_FIRST_PLATFORM;
	uint64_t plat;

	if (hwcap == 0)
		return true;
	if (!hw || !hw->legacy)
		return false;
	if (hwcap & ~((hw->hwcap & ARCH_HWCAP_IMPORTANT) | platforms | tls))
		return false;
	plat = hwcap & platforms;
	return plat == 0 || plat == platform_bit(hw->platform);
}

static bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Compares the runs of digits at *pa and *pb as numbers (of any length:
 * leading zeros skipped, then the longer run is the larger number) and
 * moves both pointers past them. */
static int
number_cmp(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	size_t na = 0, nb = 0;

	while (*a == '0' && is_digit(a[1]))
		a++;
	while (*b == '0' && is_digit(b[1]))
		b++;
	while (is_digit(a[na]))
		na++;
	while (is_digit(b[nb]))
		nb++;
	*pa = a + na;
	*pb = b + nb;
	if (na != nb)
		return na < nb ? -1 : 1;
	return memcmp(a, b, na);
}

/* ldconfig's order (glibc's _dl_cache_libcmp): like strcmp, except that
 * runs of digits compare as numbers and a digit sorts after any other
 * character, so "libx.so.10" > "libx.so.9". Other bytes compare as
 * (signed) char, as ldconfig does on x86-64. */
static int
name_cmp(const char *a, const char *b)
{
	while (*a != '\0') {
		if (is_digit(*a) && is_digit(*b)) {
			int cmp = number_cmp(&a, &b);

			if (cmp != 0)
				return cmp;
			continue;
		}
		if (is_digit(*a))
			return 1;
		if (is_digit(*b))
			return -1;
		if (*a != *b)
			return (signed char)*a - (signed char)*b;
		a++;
		b++;
	}
	return -(signed char)*b;
}

/* Compares name with the key of entry i (name_cmp), or KEY_BAD, which
 * no comparison gives, for a key outside the file: that makes the lookup
 * fail, as glibc's does. */
#define KEY_BAD INT32_MIN

static int
cmp_entry(const struct ld_cache *c, const char *name, uint32_t i)
{
	const char *key = string_at(c->strings, c->strings_len,
				    read_u32(entry_at(c, i) + 4));

	return key ? name_cmp(name, key) : KEY_BAD;
}

const char *
cache_lookup(const struct ld_cache *c, const char *name,
	     const struct cache_hwcaps *hw)
{
	const char *best = NULL;
	size_t best_rank = 0;
	uint32_t lo = 0, hi, mid = 0, i;
	int cmp = 1;

	if (!c || !name)
		return NULL;
	/* Entries descend: a name smaller than the key lies further on. */
	hi = c->nlibs;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = cmp_entry(c, name, mid);
		if (cmp == KEY_BAD)
			return NULL;
		if (cmp == 0)
			break;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (cmp != 0)
		return NULL;
	/* Several entries may share the name (other ABIs, hwcaps): start
	 * from the first. ldconfig puts the glibc-hwcaps entries first; the
	 * best ranked of them wins, else the first baseline entry for this
	 * machine. */
	while (mid > 0 && cmp_entry(c, name, mid - 1) == 0)
		mid--;
	for (i = mid; i < c->nlibs && cmp_entry(c, name, i) == 0; i++) {
		const unsigned char *e = entry_at(c, i);
		const char *path = string_at(c->strings, c->strings_len,
					     read_u32(e + 8));
		/* The old format has no hwcap field: 0, no hwcap needed. */
		uint64_t hwcap = c->entry_size == NEW_ENTRY_SIZE ?
				 read_u64(e + 16) : 0;
		size_t rank;

		if (read_u32(e) != FLAGS_THIS_MACHINE || !path || path[0] == '\0')
			continue;
		if (is_hwcaps_entry(hwcap)) {
			rank = hwcaps_rank(c, hwcap, hw);
			if (rank && (!best || rank < best_rank)) {
				best = path;
				best_rank = rank;
			}
			continue;
		}
		if (best)
			break;
		if (entry_fits(hwcap, hw))
			return path;
	}
	return best;
}
