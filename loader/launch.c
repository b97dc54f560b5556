/* SPDX-License-Identifier: MIT */
/*
 * The launch cache: see launch.h for what is kept and checked.
 *
 * The file, all integers in the machine's byte order:
 *   header   "MYLDLC\n" + NUL, u32 format (LAUNCH_FORMAT), u32 0,
 *            u64 body length, u64 checksum of the body
 *   body     u64 key check (the key hash's half not in the name); str cwd ("" when no path was relative);
 *            u32 n, n x dir: str path, u32 present, ident;
 *            u32 n, n x search: str name, u64 requester serial (0: none),
 *                                u32 found, str path, ident;
 *            u32 n, (aligned to 8) n x object: u64 serial, dev, ino,
 *                                u32 count, u32 relative_checked,
 *                                u32 relr_checked, (aligned to 8)
 *                                count x launch_binding
 *   str      u32 length, the bytes, a NUL
 *   ident    u64 dev, ino, size, mtime and ctime (seconds, nanoseconds):
 *            the kernel sets ctime on every change, touch -d included
 * A reader takes every item through take(), which refuses to pass the
 * end: a truncated or lying file is "bad", never read beyond.
 */
#include "loader/launch.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/env.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/symbol.h"
#include "loader/trace.h"

#define LAUNCH_MAGIC "MYLDLC\n"
#define LAUNCH_FORMAT 1u
#define LAUNCH_MAX_FILE (256u << 20)
#define LAUNCH_MAX_SERIAL 65536u
/* Objects made at start-up without a search: the program, myld.so, the
 * vDSO (and slack for serials 0 and a placeholder). */
#define SERIALS_BESIDE_SEARCHES 8u
#define CACHE_FILE "/etc/ld.so.cache"
#define PRELOAD_FILE "/etc/ld.so.preload"

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

struct header {
	char magic[8];
	uint32_t format, zero;
	uint64_t body_len, checksum;
};

struct ident {
	uint64_t dev, ino, size, mtime_s, mtime_ns, ctime_s, ctime_ns;
};

/* A growing byte string; failed once memory ran out. */
struct buf {
	unsigned char *p;
	size_t len, cap;
	bool failed;
};

/* A bounds-checked cursor over the file's body. */
struct reader {
	const unsigned char *p, *end;
	bool bad;
};

/* One search of a warm start: what it must ask, what it gets. */
struct replay {
	const char *name;
	uint64_t requester;
	const char *path;       /* NULL: not found (searched as usual) */
	int fd;
	struct ident id;
};

/* One object's recorded facts (warm). */
struct bound {
	struct launch_relocs r;
	uint64_t dev, ino;
	bool set;
};

enum launch_mode { LAUNCH_OFF, LAUNCH_RECORD, LAUNCH_WARM };

static struct {
	enum launch_mode mode;
	uid_t euid;                  /* who may own the directory and files */
	int dirfd;
	char *dir;                   /* the directory's name (crt_malloc'd) */
	char name[24];               /* <16 hex digits>.mlc */
	struct buf key;              /* built at start, then hashed */
	uint64_t key_check;          /* the key hash's half kept in the file */
	char why[320];               /* not used: why; "" when used */
	char wrote[320];             /* "written PATH" / "not written (...)" */
	bool no_write;
	/* Warm. */
	void *map;
	size_t map_len;
	struct replay *replays;
	size_t nreplays, next;
	struct bound *bounds;        /* by serial, nbounds entries */
	size_t nbounds;
	struct elf_object **by_serial;
	size_t nby_serial;
	/* Recording. */
	struct buf dirs, searches, objects;
	size_t ndirs, nsearches, nobjects;
	char **dir_names;
	size_t dir_cap;
	bool relative;
	uint64_t last_obj;           /* the object whose bindings are open */
	size_t count_at;             /* where its count is, in objects */
} lc;   /* all zero (LAUNCH_OFF) and never written while off */

/* A 64-bit hash of a byte string, a word at a time, from a seed. Not
 * cryptographic: the file's owner is trusted; it tells a damaged or
 * stale file, and keys, apart. */
static uint64_t
hash_bytes(const unsigned char *p, size_t n, uint64_t seed)
{
	uint64_t h = seed ^ n, w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 32);
}

/* Seeds: the key's two halves (one names the file, one is kept in it)
 * and the checksum. */
#define SEED_NAME 0x9e3779b97f4a7c15ull
#define SEED_CHECK 0x6a09e667f3bcc909ull
#define SEED_SUM 0xbb67ae8584caa73bull

uint64_t
launch_checksum(const void *body, size_t len)
{
	return hash_bytes(body, len, SEED_SUM);
}

static void
put(struct buf *b, const void *data, size_t n)
{
	if (b->failed || n == 0)     /* an empty part may have no buffer */
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = crt_realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void
put_u32(struct buf *b, uint32_t v)
{
	put(b, &v, sizeof(v));
}

static void
put_u64(struct buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

static void
put_str(struct buf *b, const char *s)
{
	size_t n = s ? crt_strlen(s) : 0;

	put_u32(b, (uint32_t)n);
	put(b, s ? s : "", n + 1);
}

static void
put_align(struct buf *b)
{
	static const char zeros[8];

	put(b, zeros, (8 - b->len % 8) % 8);
}

static void
put_ident(struct buf *b, const struct ident *id)
{
	put(b, id, sizeof(*id));
}

static const void *
take(struct reader *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return p;
}

static uint32_t
get_u32(struct reader *r)
{
	const void *p = take(r, 4);
	uint32_t v = 0;

	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint64_t
get_u64(struct reader *r)
{
	const void *p = take(r, 8);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, 8);
	return v;
}

static const char *
get_str(struct reader *r)
{
	uint32_t n = get_u32(r);
	const char *s = n < UINT32_MAX ? take(r, (size_t)n + 1) : NULL;

	if (!s || s[n] != '\0' || crt_strlen(s) != n) {
		r->bad = true;
		return "";
	}
	return s;
}

static void
get_ident(struct reader *r, struct ident *id)
{
	const void *p = take(r, sizeof(*id));

	if (p)
		memcpy(id, p, sizeof(*id));
	else
		memset(id, 0, sizeof(*id));
}

/* The body's offset from the file's start, so alignment is the file's
 * (which is mapped at a page). */
static void
get_align(struct reader *r, const unsigned char *file)
{
	size_t off = (size_t)(r->p - file);

	take(r, (8 - off % 8) % 8);
}

static void
ident_of(const struct stat *st, struct ident *id)
{
	*id = (struct ident){ (uint64_t)st->st_dev, (uint64_t)st->st_ino,
			      (uint64_t)st->st_size, (uint64_t)st->st_mtim.tv_sec,
			      (uint64_t)st->st_mtim.tv_nsec,
			      (uint64_t)st->st_ctim.tv_sec,
			      (uint64_t)st->st_ctim.tv_nsec };
}

/* path's identity into *id; false (and *id zero) when it cannot be
 * stat'ed. */
static bool
ident_of_path(const char *path, struct ident *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (sys_stat(path, &st) < 0)
		return false;
	ident_of(&st, id);
	return true;
}

/* The key: a file's presence and identity. */
static void
put_path_ident(struct buf *b, const char *path)
{
	struct ident id;

	put_str(b, path);
	put_u32(b, ident_of_path(path, &id));
	put_ident(b, &id);
}

/* Presence, then the string (NULL and "" differ). */
static void
put_opt(struct buf *b, const char *s)
{
	put_u32(b, s != NULL);
	put_str(b, s);
}

/* myld.so's NT_GNU_BUILD_ID, from its own program headers (empty when
 * it was linked without one: then its file identity stands in). */
static void
put_build_id(struct buf *b, const char *self)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	/* Through an integer: the headers lie past the object __ehdr_start
	 * names (as make_self reads them). */
	uintptr_t base = (uintptr_t)eh;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);

	/* The segment that maps the file's start holds the ELF header. */
	for (size_t i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			base = (uintptr_t)eh - ph[i].p_vaddr;
	for (size_t i = 0; i < eh->e_phnum; i++) {
		const unsigned char *p, *end;

		if (ph[i].p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(base + ph[i].p_vaddr);
		end = p + ph[i].p_memsz;
		while (end - p >= (long)sizeof(Elf64_Nhdr)) {
			const Elf64_Nhdr *n = (const Elf64_Nhdr *)p;
			size_t name = (n->n_namesz + 3) & ~3u, desc = (n->n_descsz + 3) & ~3u;

			p += sizeof(*n);
			if ((size_t)(end - p) < name + desc)
				break;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    memcmp(p, "GNU", 4) == 0) {
				put_u32(b, n->n_descsz);
				put(b, p + name, n->n_descsz);
				return;
			}
			p += name + desc;
		}
	}
	put_u32(b, 0);
	put_path_ident(b, self);
}

static void
build_key(struct buf *k, const char *prog_path, const struct startup_options *o)
{
	const struct search_config *sc = &ld_state.search;
	char exe[4096];
	long n;

	put_str(k, "myld launch key");
	put_build_id(k, "/proc/self/exe");
	if (prog_path) {
		put_str(k, "explicit");
		put_path_ident(k, prog_path);
		lc.relative |= prog_path[0] != '/';
	} else {
		n = sys_readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		put_str(k, "interp");
		put_str(k, exe);
		put_path_ident(k, "/proc/self/exe");
	}
	put_opt(k, sc->library_path);
	put_u32(k, sc->library_path_option);
	put_opt(k, sc->inhibit_rpath);
	put_u32(k, sc->inhibit_cache);
	put_opt(k, ld_state.preload_env);
	put_opt(k, o ? o->preload : NULL);
	put_opt(k, ld_state.tunables_env);
	put_u32(k, ld_state.bind_now);
	put_u32(k, ld_state.bind_not);
	/* What hwcaps.c makes the subdirectory lists of (not the lists:
	 * they are long, and a function of these). */
	put_opt(k, sc->hwcaps_prepend);
	put_opt(k, sc->hwcaps_mask);
	put_u32(k, sc->isa_levels);
	put_u32(k, sc->legacy_hwcaps);
	put_opt(k, sc->platform);
	put_u64(k, sc->hwcap);
	put_u64(k, (uint64_t)lc.euid);
	put_path_ident(k, CACHE_FILE);
	put_path_ident(k, PRELOAD_FILE);
}

static __attribute__((format(printf, 1, 2))) void
not_used(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	crt_vsnprintf(lc.why, sizeof(lc.why), fmt, ap);
	va_end(ap);
}

/* True when st is the effective user's and writable by nobody else. */
static bool
owned_safely(const struct stat *st)
{
	return st->st_uid == lc.euid && !(st->st_mode & 022);
}

/* The directory, made when missing (its parent must exist); a directory
 * another user could write refuses the cache. */
static bool
open_dir(const char *dir)
{
	struct stat st = { 0 };
	int fd;

	if (crt_strlen(dir) >= 4096) {
		not_used("unsafe: directory name too long");
		return false;
	}
	lc.dir = crt_strdup(dir);
	if (!lc.dir) {
		not_used("out of memory");
		return false;
	}
	fd = sys_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd == -ENOENT && sys_mkdirat(AT_FDCWD, dir, 0700) == 0)
		fd = sys_open(dir, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		not_used("no directory: %s: %s", dir, crt_strerror(-fd));
		return false;
	}
	if (sys_fstat(fd, &st) < 0 || !owned_safely(&st)) {
		not_used("unsafe: %s %s", dir, st.st_uid != lc.euid ?
			 "belongs to another user" : "is writable by others");
		sys_close(fd);
		return false;
	}
	lc.dirfd = fd;
	return true;
}


static bool
same_ident(const struct ident *a, const struct ident *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Parses the body into lc's warm tables; false when it is malformed. */
static bool
parse(const unsigned char *file, struct reader *r)
{
	size_t n;

	/* Directories. */
	n = get_u32(r);
	for (size_t i = 0; i < n && !r->bad; i++) {
		const char *path = get_str(r);
		uint32_t present = get_u32(r);
		struct ident want, got;

		get_ident(r, &want);
		if (r->bad)
			break;
		if (ident_of_path(path, &got) != (present != 0) ||
		    (present && !same_ident(&want, &got))) {
			not_used("changed: %s", path);
			return true;
		}
	}
	/* Searches. */
	n = get_u32(r);
	if (n > LAUNCH_MAX_SERIAL)
		r->bad = true;
	if (!r->bad) {
		lc.replays = crt_calloc(n ? n : 1, sizeof(*lc.replays));
		if (!lc.replays) {
			not_used("out of memory");
			return true;
		}
	}
	for (size_t i = 0; i < n && !r->bad; i++) {
		struct replay *p = &lc.replays[i];
		uint32_t found;

		p->fd = -1;
		p->name = get_str(r);
		p->requester = get_u64(r);
		found = get_u32(r);
		p->path = get_str(r);
		get_ident(r, &p->id);
		if (!found)
			p->path = NULL;
		lc.nreplays = i + 1;
	}
	/* Bindings, by object serial: at start-up every serial is the
	 * program's, myld's, the vDSO's or a searched library's. */
	n = get_u32(r);
	get_align(r, file);
	lc.nbounds = lc.nreplays + SERIALS_BESIDE_SEARCHES;
	if (!r->bad) {
		lc.bounds = crt_calloc(lc.nbounds, sizeof(*lc.bounds));
		if (!lc.bounds) {
			not_used("out of memory");
			return true;
		}
	}
	for (size_t i = 0; i < n && !r->bad; i++) {
		uint64_t serial = get_u64(r), dev = get_u64(r), ino = get_u64(r);
		uint32_t count = get_u32(r), relative = get_u32(r);
		uint32_t relr = get_u32(r);
		const void *b;

		get_align(r, file);
		b = take(r, (size_t)count * sizeof(struct launch_binding));
		if (!b || !serial || serial >= lc.nbounds ||
		    lc.bounds[serial].set || relr > 1) {
			r->bad = true;
			break;
		}
		lc.bounds[serial] = (struct bound){ { b, count, relative, relr },
						    dev, ino, true };
	}
	if (!r->bad && r->p != r->end)
		r->bad = true;
	return !r->bad;
}

/* Opens every library the entry names and checks it is the file that
 * was recorded; true when all are. */
static bool
open_replays(void)
{
	for (size_t i = 0; i < lc.nreplays; i++) {
		struct replay *p = &lc.replays[i];
		struct stat st;
		struct ident got;

		if (!p->path)
			continue;
		p->fd = sys_open(p->path, O_RDONLY, 0);
		if (p->fd < 0 || sys_fstat(p->fd, &st) < 0) {
			not_used("changed: %s", p->path);
			return false;
		}
		ident_of(&st, &got);
		if (!same_ident(&got, &p->id)) {
			not_used("changed: %s", p->path);
			return false;
		}
	}
	return true;
}

static void
drop_warm(void)
{
	for (size_t i = 0; i < lc.nreplays; i++)
		if (lc.replays[i].fd >= 0)
			sys_close(lc.replays[i].fd);
	crt_free(lc.replays);
	crt_free(lc.bounds);
	crt_free(lc.by_serial);
	lc.replays = NULL;
	lc.bounds = NULL;
	lc.by_serial = NULL;
	lc.nreplays = lc.nbounds = lc.nby_serial = 0;
	if (lc.map)
		sys_munmap(lc.map, lc.map_len);
	lc.map = NULL;
}

/* Reads and checks the entry; true (warm) when every check passes. */
static bool
try_warm(void)
{
	const struct header *h;
	struct reader r;
	struct stat st = { 0 };
	char cwd[4096];
	const char *stored_cwd;
	int fd = sys_openat(lc.dirfd, lc.name, O_RDONLY | O_NOFOLLOW, 0);

	if (fd < 0) {
		not_used(fd == -ENOENT ? "no entry" : "bad file: %s",
			 crt_strerror(-fd));
		return false;
	}
	if (sys_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !owned_safely(&st)) {
		not_used("unsafe: %s/%s %s", lc.dir, lc.name,
			 st.st_uid != lc.euid ? "belongs to another user" :
			 "is writable by others or not a file");
		lc.no_write = true;
		sys_close(fd);
		return false;
	}
	if (st.st_size < (off_t)sizeof(*h) || st.st_size > LAUNCH_MAX_FILE) {
		not_used("bad file: truncated");
		sys_close(fd);
		return false;
	}
	lc.map_len = (size_t)st.st_size;
	lc.map = sys_mmap(NULL, lc.map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	sys_close(fd);
	if (crt_mmap_failed(lc.map)) {
		lc.map = NULL;
		not_used("bad file: cannot map it");
		return false;
	}
	h = lc.map;
	if (memcmp(h->magic, LAUNCH_MAGIC, 8) != 0 ||
	    h->format != LAUNCH_FORMAT || h->zero) {
		not_used("bad file: another format");
		return false;
	}
	if (h->body_len != lc.map_len - sizeof(*h)) {
		not_used("bad file: truncated");
		return false;
	}
	if (launch_checksum(h + 1, h->body_len) != h->checksum) {
		not_used("bad file: checksum");
		return false;
	}
	r = (struct reader){ (const unsigned char *)(h + 1),
			     (const unsigned char *)lc.map + lc.map_len, false };
	/* The key's other half: a different key under the same name (a
	 * collision of the first half) is no entry. */
	if (get_u64(&r) != lc.key_check) {
		not_used("no entry");
		return false;
	}
	stored_cwd = get_str(&r);
	if (!r.bad && stored_cwd[0]) {
		long n = sys_getcwd(cwd, sizeof(cwd));

		if (n <= 0 || crt_strcmp(cwd, stored_cwd) != 0) {
			not_used("changed: the current directory");
			return false;
		}
	}
	lc.why[0] = '\0';
	if (!parse(lc.map, &r)) {
		not_used("bad file: malformed");
		return false;
	}
	if (lc.why[0] || !open_replays())
		return false;
	return true;
}

void
launch_start(const char *dir, const char *prog_path,
	     const struct startup_options *opts)
{
	uint64_t name;
	char home_dir[4096];
	const char *base;

	/* Once per process; anew for each of the unit tests' starts. Off,
	 * the state is not written at all: its pages stay clean. */
	if (lc.mode != LAUNCH_OFF || lc.dir) {
		crt_free(lc.dir);
		lc = (__typeof__(lc)){ .mode = LAUNCH_OFF };
	}
	if (!dir || ld_state.secure || ld_state.trace_loaded)
		return;
	lc.dirfd = -1;
	lc.euid = (uid_t)startup_auxv_get(ld_state.auxv, AT_EUID, 0);
	if (!dir[0]) {
		/* The natural place: $XDG_CACHE_HOME/myld, ~/.cache/myld. */
		base = env_get(ld_state.envp, "XDG_CACHE_HOME");
		if (base && base[0])
			crt_snprintf(home_dir, sizeof(home_dir), "%s/myld", base);
		else
			crt_snprintf(home_dir, sizeof(home_dir), "%s/.cache/myld",
				     (base = env_get(ld_state.envp, "HOME")) ? base : "");
		dir = home_dir;
	}
	if (!open_dir(dir)) {
		lc.mode = LAUNCH_RECORD;   /* for the report only */
		lc.no_write = true;
		return;
	}
	build_key(&lc.key, prog_path, opts);
	if (lc.key.failed) {
		not_used("out of memory");
		lc.no_write = true;
		lc.mode = LAUNCH_RECORD;
		return;
	}
	name = hash_bytes(lc.key.p, lc.key.len, SEED_NAME);
	lc.key_check = hash_bytes(lc.key.p, lc.key.len, SEED_CHECK);
	crt_free(lc.key.p);
	lc.key = (struct buf){ 0 };
	crt_snprintf(lc.name, sizeof(lc.name), "%016lx.mlc", (unsigned long)name);
	if (try_warm()) {
		lc.mode = LAUNCH_WARM;
		lc.no_write = true;
		return;
	}
	drop_warm();
	lc.mode = LAUNCH_RECORD;
}

enum launch_role
launch_role(void)
{
	if (ld_state.startup_done)
		return LAUNCH_NONE;
	if (lc.mode == LAUNCH_WARM)
		return LAUNCH_REPLAYING;
	return lc.mode == LAUNCH_RECORD && !lc.no_write ? LAUNCH_RECORDING :
	       LAUNCH_NONE;
}

/* A warm start whose loads no longer follow the entry: it is not used
 * further, removed, and nothing is written this time. */
static void
diverge(const char *name)
{
	not_used("changed: the search for %s", name);
	crt_snprintf(lc.wrote, sizeof(lc.wrote), "not written (removed)");
	sys_unlinkat(lc.dirfd, lc.name);
	drop_warm();
	lc.mode = LAUNCH_RECORD;
	lc.no_write = true;
}

bool
launch_search(const char *name, const struct elf_object *requester,
	      struct search_result *out)
{
	struct replay *p;

	if (lc.mode != LAUNCH_WARM || ld_state.startup_done)
		return false;
	if (lc.next >= lc.nreplays) {
		diverge(name);
		return false;
	}
	p = &lc.replays[lc.next];
	if (crt_strcmp(p->name, name) != 0 ||
	    p->requester != (requester ? requester->serial : 0)) {
		diverge(name);
		return false;
	}
	lc.next++;
	if (!p->path)
		return false;
	out->path = crt_strdup(p->path);
	if (!out->path)
		return false;
	out->fd = p->fd;
	p->fd = -1;
	TRACE(LIBS, "find library=%s [0]; from the launch cache", name);
	TRACE(LIBS, "  trying file=%s", p->path);
	TRACE(LIBS, "%s", "");
	return true;
}

void
launch_note_search(const char *name, const struct elf_object *requester,
		   const struct search_result *out)
{
	struct ident id = { 0 };
	struct stat st;

	if (lc.mode != LAUNCH_RECORD || lc.no_write || ld_state.startup_done)
		return;
	if (out && sys_fstat(out->fd, &st) == 0)
		ident_of(&st, &id);
	put_str(&lc.searches, name);
	put_u64(&lc.searches, requester ? requester->serial : 0);
	put_u32(&lc.searches, out != NULL);
	put_str(&lc.searches, out ? out->path : "");
	put_ident(&lc.searches, &id);
	lc.nsearches++;
	lc.relative |= out && out->path[0] != '/';
}

void
launch_note_probe(const char *path)
{
	const char *slash;
	struct ident id;
	char *dir;
	size_t len;

	if (lc.mode != LAUNCH_RECORD || lc.no_write || ld_state.startup_done)
		return;
	slash = crt_strrchr(path, '/');
	len = slash ? (size_t)(slash - path) : 0;
	if (slash == path)
		len = 1;           /* the root */
	for (size_t i = 0; i < lc.ndirs; i++)
		if (crt_strlen(lc.dir_names[i]) == (len ? len : 1) &&
		    memcmp(lc.dir_names[i], len ? path : ".", len ? len : 1) == 0)
			return;
	dir = len ? crt_strndup(path, len) : crt_strdup(".");
	if (lc.ndirs == lc.dir_cap) {
		size_t cap = lc.dir_cap ? lc.dir_cap * 2 : 16;
		char **p = crt_realloc(lc.dir_names, cap * sizeof(*p));

		if (!p) {
			crt_free(dir);
			dir = NULL;
		} else {
			lc.dir_names = p;
			lc.dir_cap = cap;
		}
	}
	if (!dir) {
		lc.dirs.failed = true;
		return;
	}
	lc.dir_names[lc.ndirs++] = dir;
	lc.relative |= dir[0] != '/';
	put_str(&lc.dirs, dir);
	put_u32(&lc.dirs, ident_of_path(dir, &id));
	put_ident(&lc.dirs, &id);
}

bool
launch_relocs_of(const struct elf_object *obj, struct launch_relocs *out)
{
	const struct bound *b;

	if (lc.mode != LAUNCH_WARM || obj->serial >= lc.nbounds)
		return false;
	b = &lc.bounds[obj->serial];
	if (!b->set || b->dev != (uint64_t)obj->dev || b->ino != (uint64_t)obj->ino)
		return false;
	*out = b->r;
	return true;
}

struct elf_object *
launch_object(uint64_t serial)
{
	struct elf_object *o;

	if (lc.mode != LAUNCH_WARM)
		return NULL;
	if (!lc.by_serial) {
		lc.nby_serial = (size_t)ld_state.object_serial + 1;
		lc.by_serial = crt_calloc(lc.nby_serial, sizeof(*lc.by_serial));
		if (!lc.by_serial)
			return NULL;
		for (o = ld_state.head; o; o = o->next)
			if (o->serial < lc.nby_serial)
				lc.by_serial[o->serial] = o;
		if (ld_state.self_obj && ld_state.self_obj->serial < lc.nby_serial)
			lc.by_serial[ld_state.self_obj->serial] = ld_state.self_obj;
	}
	return serial < lc.nby_serial ? lc.by_serial[serial] : NULL;
}

/* The objects part is aligned as it will be in the file: it starts at
 * an offset the writer pads to 8. */
void
launch_note_relocs(const struct elf_object *obj, size_t relative_checked,
		   bool relr_checked)
{
	if (launch_role() != LAUNCH_RECORDING)
		return;
	put_u64(&lc.objects, obj->serial);
	put_u64(&lc.objects, (uint64_t)obj->dev);
	put_u64(&lc.objects, (uint64_t)obj->ino);
	lc.count_at = lc.objects.len;
	put_u32(&lc.objects, 0);
	put_u32(&lc.objects, (uint32_t)relative_checked);
	put_u32(&lc.objects, relr_checked);
	put_align(&lc.objects);
	lc.last_obj = obj->serial;
	lc.nobjects++;
}

void
launch_note_binding(const struct elf_object *obj, uint32_t symidx,
		    unsigned flags, const struct elf_object *def, uint32_t defsym)
{
	struct launch_binding b = { symidx, flags, def ? def->serial : 0,
				    def ? defsym : 0, 0 };
	uint32_t count;

	if (launch_role() != LAUNCH_RECORDING || lc.last_obj != obj->serial)
		return;
	put(&lc.objects, &b, sizeof(b));
	if (lc.objects.failed)
		return;
	memcpy(&count, lc.objects.p + lc.count_at, 4);
	count++;
	memcpy(lc.objects.p + lc.count_at, &count, 4);
}

/* Writes all of buf to fd; false on a short or failed write. */
static bool
write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len) {
		long n = sys_write(fd, p, len);

		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* The recorded entry, written to a temporary name and renamed over the
 * entry's, so a reader sees the old file or the new one, whole. */
static void
write_entry(void)
{
	struct header h = { LAUNCH_MAGIC, LAUNCH_FORMAT, 0, 0, 0 };
	struct buf body = { 0 };
	char tmp[64], cwd[4096];
	bool ok;
	int fd;

	put_u64(&body, lc.key_check);
	cwd[0] = '\0';
	if (lc.relative && sys_getcwd(cwd, sizeof(cwd)) <= 0)
		body.failed = true;
	put_str(&body, cwd);
	put_u32(&body, (uint32_t)lc.ndirs);
	put(&body, lc.dirs.p, lc.dirs.len);
	put_u32(&body, (uint32_t)lc.nsearches);
	put(&body, lc.searches.p, lc.searches.len);
	put_u32(&body, (uint32_t)lc.nobjects);
	/* The objects part was aligned for a start at a multiple of 8 in
	 * the file: the header is 32 bytes, so the body's offset counts. */
	put_align(&body);
	put(&body, lc.objects.p, lc.objects.len);
	if (lc.dirs.failed || lc.searches.failed || lc.objects.failed ||
	    body.failed) {
		crt_snprintf(lc.wrote, sizeof(lc.wrote), "not written (out of memory)");
		crt_free(body.p);
		return;
	}
	h.body_len = body.len;
	h.checksum = launch_checksum(body.p, body.len);
	crt_snprintf(tmp, sizeof(tmp), ".%s.%d", lc.name, sys_getpid());
	fd = sys_openat(lc.dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW,
			0600);
	ok = fd >= 0 && write_all(fd, &h, sizeof(h)) &&
	     write_all(fd, body.p, body.len);
	if (fd >= 0)
		sys_close(fd);
	crt_free(body.p);
	if (ok && sys_renameat(lc.dirfd, tmp, lc.name) == 0) {
		crt_snprintf(lc.wrote, sizeof(lc.wrote), "written %s/%s", lc.dir,
			     lc.name);
		return;
	}
	if (fd >= 0)
		sys_unlinkat(lc.dirfd, tmp);
	crt_snprintf(lc.wrote, sizeof(lc.wrote), "not written (%s)",
		     fd < 0 ? crt_strerror(-fd) : "write failed");
}

void
launch_finish(void)
{
	if (lc.mode == LAUNCH_OFF)
		return;
	if (lc.mode == LAUNCH_RECORD && !lc.no_write)
		write_entry();
	else if (lc.mode == LAUNCH_RECORD && !lc.wrote[0])
		crt_snprintf(lc.wrote, sizeof(lc.wrote), "not written (%s)", lc.why);
	drop_warm();
	for (size_t i = 0; i < lc.ndirs; i++)
		crt_free(lc.dir_names[i]);
	crt_free(lc.dir_names);
	crt_free(lc.dirs.p);
	crt_free(lc.searches.p);
	crt_free(lc.objects.p);
	lc.dir_names = NULL;
	lc.dirs = lc.searches = lc.objects = (struct buf){ 0 };
	lc.ndirs = 0;
	if (lc.dirfd >= 0)
		sys_close(lc.dirfd);
	lc.dirfd = -1;
}

void
launch_report(void)
{
	if (lc.mode == LAUNCH_OFF)
		return;
	if (lc.mode == LAUNCH_WARM)
		trace_printf("                launch cache: used %s/%s", lc.dir, lc.name);
	else
		trace_printf("                launch cache: not used (%s)", lc.why);
	if (lc.wrote[0])
		trace_printf("                launch cache: %s", lc.wrote);
}
