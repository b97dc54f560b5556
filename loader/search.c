/* SPDX-License-Identifier: MIT */
/*
 * Finding a library file from a DT_NEEDED (or dlopen) name, in glibc's
 * order (see search.h), measured against glibc 2.36 on Debian 12 with
 * LD_DEBUG=libs. Runs in stage 2 and at dlopen time; it opens and reads
 * candidate files but maps nothing and changes no loader state except the
 * error message and the cached /etc/ld.so.cache handle.
 * In each directory the subdirectories of hwcaps.c's list come first
 * (DIR/glibc-hwcaps/x86-64-v3/..., then the legacy DIR/tls/x86_64/...),
 * and ld.so.cache entries for them are preferred likewise. A
 * subdirectory found missing is remembered and not tried again, as glibc
 * does.
 * Deliberate differences from glibc: myld does not remember which of the
 * directories themselves are missing, and
 * in secure mode refuses every $ORIGIN and every empty (current directory)
 * element instead of checking them against trusted directories. The "not
 * found" message says, unlike glibc's, who needed the library and every
 * place that was tried.
 */
#include "loader/search.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/cache.h"
#include "loader/error.h"
#include "loader/hwcaps.h"
#include "loader/launch.h"
#include "loader/map.h"
#include "loader/state.h"
#include "loader/trace.h"
#include "machdep.h"

#define CACHE_PATH "/etc/ld.so.cache"
#define PATH_MAX_LEN 4096

/* $LIB and glibc's system search path: the arch's facts (machdep.h). */
#define DST_LIB ARCH_DST_LIB
static const char default_dirs[] = ARCH_SYSTEM_DIRS;

/* The cache is mapped on first use and kept until search_release_cache().
 * This
 * file-static pointer is not loader state proper: it only caches a
 * read-only file, and dropping it changes nothing but speed. */
static struct ld_cache *cache;
static bool cache_tried;

/* Which subdirectories of a search directory are known to be missing
 * (bit k: hwcaps.c's k-th, "DIR/glibc-hwcaps/NAME", "DIR/tls/x86_64"),
 * so that later searches skip them: one entry per directory, found with
 * one compare. The same kind of cache as the one above: facts about the
 * file system, kept for the process, for the subdirectory list they were
 * found with; when it is full, or past the 64th subdirectory, they are
 * just tried each time. */
#define ABSENT_MAX 128
struct absent_dir {
	char *dir;
	uint64_t missing;
};
static struct absent_dir absent[ABSENT_MAX];
static size_t nabsent;
static unsigned absent_of;         /* the subdirectory list's serial */

/* One list of directories in search order, or the cache (list NULL). */
struct source {
	const char *list;                 /* unexpanded; NULL for the cache */
	const char *seps;                 /* element separators */
	const char *origin;               /* $ORIGIN, NULL if unknown */
	const struct elf_object *whose;   /* owner of an RPATH/RUNPATH */
	const char *what;                 /* its name in traces and --help */
	unsigned rule;                    /* enum search_rule */
};

/* Expanded directories of one list, NUL-separated, duplicates dropped. */
struct dir_list {
	char *buf;
	size_t len, cap;
	size_t count;
};

/* One search in progress. */
struct search {
	const char *name;
	struct search_result *out;
	const struct elf_object *req;    /* whose paths apply (may be NULL) */
	int status;                       /* 0 found, -ENOENT go on, else stop */
	char tried[640];                  /* "dir [source], ..." */
	size_t tried_len;
	bool tried_full;
	char skipped[320];                /* "path: reason; ..." */
	size_t skipped_len;
	char other_class[96];             /* first wrong-class reason, or "" */
	/* Scratch for the paths being tried: the whole record lives on the
	 * heap, because dlopen may run on a thread's smallest stack
	 * (PTHREAD_STACK_MIN, less its static TLS; libc's pthread_exit
	 * dlopens libgcc_s.so.1 there). */
	char path[PATH_MAX_LEN];
	char label[512];
};

static bool
is_ident_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch >= '0' && ch <= '9') || ch == '_';
}

/* Length of the token after a '$' at p (left bytes) when it names the
 * dynamic string token `token`, as "TOKEN" (not followed by an identifier
 * character: "$ORIGINAL" is not $ORIGIN, "$ORIGIN.x" is) or "{TOKEN}";
 * else 0. */
static size_t
dst_length(const char *p, size_t left, const char *token)
{
	size_t n = crt_strlen(token);

	if (left >= n + 2 && p[0] == '{' && crt_strncmp(p + 1, token, n) == 0 &&
	    p[n + 1] == '}')
		return n + 2;
	if (left >= n && crt_strncmp(p, token, n) == 0 &&
	    (left == n || !is_ident_char(p[n])))
		return n;
	return 0;
}

/* Expands the len bytes at elem into out (cap bytes, may be 0), always
 * NUL-terminating when cap > 0. Returns the full expanded length, or -1
 * when the element cannot be used ($ORIGIN unknown or refused). Unknown
 * tokens and a lone '$' stay as they are, like glibc. */
static long
expand_into(const char *elem, size_t len, const char *origin, bool secure,
	    char *out, size_t cap)
{
	size_t i = 0, n = 0;

	while (i < len) {
		const char *value = NULL, *p = elem + i + 1;
		size_t used = 0, left = len - i - 1;

		if (elem[i] == '$') {
			if ((used = dst_length(p, left, "ORIGIN")) != 0) {
				if (!origin || secure)
					return -1;
				value = origin;
			} else if ((used = dst_length(p, left, "LIB")) != 0) {
				value = DST_LIB;
			} else if ((used = dst_length(p, left, "PLATFORM")) != 0) {
				value = ld_state.search.platform ?
					ld_state.search.platform : ARCH_PLATFORM;
			}
		}
		if (!value) {
			if (n + 1 < cap)
				out[n] = elem[i];
			n++;
			i++;
			continue;
		}
		for (; *value; value++, n++)
			if (n + 1 < cap)
				out[n] = *value;
		i += 1 + used;
	}
	if (cap > 0)
		out[n < cap ? n : cap - 1] = '\0';
	return (long)n;
}

char *
search_expand(const char *element, size_t len, const char *origin,
	      bool secure)
{
	long need = expand_into(element, len, origin, secure, NULL, 0);
	char *out;

	if (need < 0)
		return NULL;
	out = crt_malloc((size_t)need + 1);
	if (out)
		expand_into(element, len, origin, secure, out, (size_t)need + 1);
	return out;
}

/* Makes room for need more bytes at dl->buf + dl->len. Returns 0 or
 * -ENOMEM. */
static int
dir_list_reserve(struct dir_list *dl, size_t need)
{
	if (dl->len + need > dl->cap) {
		size_t cap = (dl->cap ? dl->cap * 2 : 256) + need;
		char *buf = crt_realloc(dl->buf, cap);

		if (!buf)
			return -ENOMEM;
		dl->buf = buf;
		dl->cap = cap;
	}
	return 0;
}

/* Keeps the len-byte directory just written at dl->buf + dl->len (its NUL
 * after it) unless the list already has it. */
static void
dir_list_commit(struct dir_list *dl, size_t len)
{
	const char *dir = dl->buf + dl->len, *p;
	size_t k;

	for (p = dl->buf, k = 0; k < dl->count; k++, p += crt_strlen(p) + 1)
		if (crt_strlen(p) == len && crt_strncmp(p, dir, len) == 0)
			return;
	dl->len += len + 1;
	dl->count++;
}

/* Expands every element of a path list into dl: tokens replaced,
 * trailing slashes removed (except for "/"), unusable elements dropped.
 * An empty element is the current directory, kept as "" so the file is
 * tried as the bare name, as glibc does; secure mode drops it. Returns 0
 * or -ENOMEM (message set). */
static int
dir_list_build(struct dir_list *dl, const struct source *src)
{
	const char *p = src->list;
	bool secure = ld_state.secure;

	for (;;) {
		size_t len = crt_strcspn(p, src->seps);
		long n = expand_into(p, len, src->origin, secure, NULL, 0);

		if (n >= 0 && n < PATH_MAX_LEN && !(n == 0 && secure)) {
			char *dir;

			/* Expanded straight into the list's free space. */
			if (dir_list_reserve(dl, (size_t)n + 1) < 0) {
				ld_error_at(src->list, 0, "out of memory");
				return -ENOMEM;
			}
			dir = dl->buf + dl->len;
			expand_into(p, len, src->origin, secure, dir, (size_t)n + 1);
			while (n > 1 && dir[n - 1] == '/')
				n--;
			dir[n] = '\0';
			dir_list_commit(dl, (size_t)n);
		}
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* True when --inhibit-rpath names obj. glibc compares each list element
 * with the object's name as loaded (l_name), exactly; the program's l_name
 * is "" there, so only an empty element names it (measured). myld also
 * accepts the program's own name, which is what a user would write. */
static bool
rpath_inhibited(const struct elf_object *obj)
{
	const char *list = ld_state.search.inhibit_rpath, *name;
	size_t len, nlen;

	if (!list || ld_state.secure)
		return false;
	name = object_name(obj);
	nlen = crt_strlen(name);
	for (;;) {
		len = crt_strcspn(list, ":");
		if ((len == nlen && crt_strncmp(list, name, len) == 0) ||
		    (len == 0 && obj->is_main))
			return true;
		if (list[len] == '\0')
			return false;
		list += len + 1;
	}
}

/* obj's DT_RPATH or DT_RUNPATH list: glibc ignores an empty one (and
 * an object's DT_RPATH when it also has DT_RUNPATH, visit_rpath). */
static bool
path_usable(const struct elf_object *obj, const char *list)
{
	return list && list[0] != '\0' && !rpath_inhibited(obj);
}

/* What walk_sources calls for each source: dl is its expanded list, NULL
 * for the cache (src->list NULL) or when out of memory (message set).
 * Returning true ends the walk. */
typedef bool source_fn(const struct source *src, const struct dir_list *dl,
		       void *arg);

static bool
visit_source(const struct source *src, source_fn *visit, void *arg)
{
	struct dir_list dl = { 0 };
	bool stop;

	if (!src->list)
		return visit(src, NULL, arg);
	stop = visit(src, dir_list_build(&dl, src) == 0 ? &dl : NULL, arg);
	crt_free(dl.buf);
	return stop;
}

static bool
visit_rpath(const struct elf_object *o, source_fn *visit, void *arg)
{
	struct source src = { o->rpath, ":", o->origin, o, "RPATH",
			      SEARCH_RPATH };

	return !o->runpath && path_usable(o, o->rpath) &&
	       visit_source(&src, visit, arg);
}

/* Calls visit for each source a search for a library needed by req walks,
 * in glibc's order, until visit returns true. req == NULL means the
 * program's own paths (glibc searches LD_PRELOAD names that way). */
static void
walk_sources(const struct elf_object *req, source_fn *visit, void *arg)
{
	const struct search_config *sc = &ld_state.search;
	const struct elf_object *main_obj = ld_state.main_obj, *o;
	/* $ORIGIN in LD_LIBRARY_PATH is the program's. */
	struct source lp = { sc->library_path, ":;",
			     main_obj ? main_obj->origin : NULL, NULL,
			     sc->library_path_option ? "--library-path" :
			     "LD_LIBRARY_PATH", SEARCH_LIBPATH };
	struct source cs = { NULL, NULL, NULL, NULL, NULL, 0 };
	struct source ds = { default_dirs, ":", NULL, NULL,
			     "system search path", SEARCH_DEFAULT };
	bool did_main = false;

	if (!req)
		req = main_obj;
	if (!req || !req->runpath) {
		for (o = req; o; o = o->loader) {
			if (visit_rpath(o, visit, arg))
				return;
			did_main |= o == main_obj;
		}
		/* The program's DT_RPATH also applies to objects it did not
		 * load itself (dlopen'ed from elsewhere). */
		if (!did_main && main_obj && visit_rpath(main_obj, visit, arg))
			return;
	}
	if (lp.list && visit_source(&lp, visit, arg))
		return;
	if (req && path_usable(req, req->runpath)) {
		struct source rp = { req->runpath, ":", req->origin, req,
				     "RUNPATH", SEARCH_RUNPATH };

		if (visit_source(&rp, visit, arg))
			return;
	}
	if (!sc->inhibit_cache && visit_source(&cs, visit, arg))
		return;
	/* DF_1_NODEFLIB (ld -z nodefaultlib): no system directories. */
	if (!req || !(req->flags_1 & DF_1_NODEFLIB))
		visit_source(&ds, visit, arg);
}

/* Appends the formatted text to buf (cap bytes, *len used so far),
 * truncated to fit; *len grows by the text's full length, so that once it
 * reaches cap nothing more is added. */
static __attribute__((format(printf, 4, 5))) void
append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap)
		return;
	va_start(ap, fmt);
	n = crt_vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	*len += (size_t)n;
}

/* Appends "dir [label]" (dirlen bytes of dir) to the list of places
 * tried, with plain copies (this runs for every directory of every
 * search, the message is rarely needed); once the buffer is full,
 * further entries only set tried_full. */
static void
note_tried(struct search *s, const char *dir, size_t dirlen,
	   const char *label)
{
	size_t old = s->tried_len, llen = crt_strlen(label);
	char *p = s->tried + old;

	if (s->tried_full)
		return;
	/* ", " dir " [" label "]" and the NUL. */
	if (old + 2 + (dirlen ? dirlen : 1) + 2 + llen + 2 > sizeof(s->tried)) {
		s->tried_full = true;
		return;
	}
	if (old) {
		memcpy(p, ", ", 2);
		p += 2;
	}
	/* The current directory ("") shows as ".". */
	if (dirlen)
		memcpy(p, dir, dirlen);
	else
		*p = '.';
	p += dirlen ? dirlen : 1;
	memcpy(p, " [", 2);
	memcpy(p + 2, label, llen);
	memcpy(p + 2 + llen, "]", 2);
	s->tried_len = (size_t)(p + 2 + llen + 1 - s->tried);
}

/* Remembers a candidate skipped for its class or machine, from
 * map_check_ident's message: "<path>: <reason>", the reason alone for the
 * first of another class. */
static void
note_skipped(struct search *s, bool other_class)
{
	const char *why = ld_error_message();
	size_t old = s->skipped_len;

	if (other_class && !s->other_class[0])
		crt_strlcpy(s->other_class, ld_error_reason(), sizeof(s->other_class));
	append(s->skipped, sizeof(s->skipped), &s->skipped_len, "%s%s, skipped",
	       old ? "; " : "", why);
	if (s->skipped_len >= sizeof(s->skipped)) {
		s->skipped[old] = '\0';
		s->skipped_len = old;
	}
}

/* Opens path and checks its ELF identification. Sets s->status: 0 when
 * it is ours (s->out filled), -ENOENT when absent or of another class or
 * machine (the search goes on, as in glibc), or a stopping error with the
 * message set: unreadable, not ELF, malformed. Callers print the "trying
 * file" line: glibc prints none for a name that is a path. */
static void
try_file(struct search *s, const char *path)
{
	unsigned char head[MAP_HEAD_SIZE];
	enum map_verdict verdict;
	long n;
	int fd;

	s->status = -ENOENT;
	fd = sys_open(path, O_RDONLY, 0);
	if (fd < 0) {
		launch_note_probe(path);
		return;
	}
	n = sys_pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		/* A directory with the library's name stops glibc too. */
		ld_error_at(path, (int)n, "cannot read file data");
		s->status = (int)n;
		goto out;
	}
	verdict = map_check_ident(head, (size_t)n, path);
	if (verdict == MAP_WRONG_CLASS || verdict == MAP_WRONG_MACHINE) {
		/* Unlike glibc, say why a candidate was passed over. */
		TRACE(LIBS, "  skipped file=%s (%s)", path, ld_error_message());
		note_skipped(s, verdict == MAP_WRONG_CLASS);
		launch_note_probe(path);
		ld_error_clear();
		goto out;
	}
	if (verdict != MAP_OK) {
		s->status = -ENOEXEC;
		goto out;
	}
	s->out->path = crt_strdup(path);
	if (!s->out->path) {
		ld_error_at(path, 0, "out of memory");
		s->status = -ENOMEM;
		goto out;
	}
	s->out->fd = fd;
	s->status = 0;
	return;
out:
	sys_close(fd);
}

/* How many '/' go between directory dir and a name joined to it: none
 * for the current directory "" (the name alone) and for the root. */
static size_t
join_sep(const char *dir)
{
	return dir[0] != '\0' && !(dir[0] == '/' && dir[1] == '\0');
}

/* Tries path, with glibc's "trying file" line. */
static void
try_path(struct search *s, const char *path)
{
	TRACE(LIBS, "  trying file=%s", path);
	try_file(s, path);
}

/* dir's entry, made when new; NULL when the table is full (or out of
 * memory). */
static struct absent_dir *
absent_entry(const char *dir)
{
	size_t i;

	if (absent_of != ld_state.search.subdirs_serial) {
		for (i = 0; i < nabsent; i++)
			crt_free(absent[i].dir);
		nabsent = 0;
		absent_of = ld_state.search.subdirs_serial;
	}
	for (i = 0; i < nabsent; i++)
		if (crt_strcmp(absent[i].dir, dir) == 0)
			return &absent[i];
	if (nabsent == ABSENT_MAX || !(absent[nabsent].dir = crt_strdup(dir)))
		return NULL;
	absent[nabsent].missing = 0;
	return &absent[nabsent++];
}

/* Tries the name in directory dir ("" is the current directory): in its
 * subdirectories (hwcaps.c's list) best first, then in dir itself; leaves
 * s->status -ENOENT when none has it. The candidates are "DIR/SUB/NAME"
 * and "DIR/NAME" ("NAME" alone for "", "/NAME" for the root), built on
 * one copy of "DIR/". Subdirectories found missing count from the next
 * search on: the legacy list may name one twice ("tls/x86_64" for a
 * hwcap and for the platform), and glibc tries both on the first search. */
static void
try_dir(struct search *s, const char *dir)
{
	const char *h = ld_state.search.subdirs;
	size_t dlen = crt_strlen(dir), nlen = crt_strlen(s->name), hlen, k;
	size_t sep = join_sep(dir);
	char *sub = s->path + dlen + sep;   /* "DIR/" then "SUB/NAME" */
	struct absent_dir *a = NULL;
	uint64_t known = 0;
	struct stat st;

	s->status = -ENOENT;
	if (dlen + sep + nlen >= sizeof(s->path))
		return;
	if (ld_state.search.subdirs_count && (a = absent_entry(dir)))
		known = a->missing;
	memcpy(s->path, dir, dlen);
	s->path[dlen] = '/';
	for (k = 0; k < ld_state.search.subdirs_count; k++, h += hlen + 1) {
		uint64_t bit = k < 64 ? 1ull << k : 0;

		hlen = crt_strlen(h);
		if ((known & bit) ||
		    dlen + sep + hlen + 1 + nlen >= sizeof(s->path))
			continue;
		memcpy(sub, h, hlen);
		sub[hlen] = '/';
		memcpy(sub + hlen + 1, s->name, nlen + 1);
		try_path(s, s->path);
		if (s->status != -ENOENT)
			return;
		sub[hlen] = '\0';
		if (a && bit && !(sys_stat(s->path, &st) == 0 && S_ISDIR(st.st_mode)))
			a->missing |= bit;
	}
	memcpy(sub, s->name, nlen + 1);
	try_path(s, s->path);
}

/* The LD_DEBUG=libs line announcing a list: " search path=a:b\t\t(what)",
 * or "(RPATH from file X)", each directory preceded by its
 * subdirectories. Built in s->path, which holds no candidate yet; cut
 * where trace_printf would cut the line anyway. */
static void
trace_list(struct search *s, const struct dir_list *dl,
	   const struct source *src)
{
	const struct search_config *sc = &ld_state.search;
	const char *p, *h;
	size_t used = 0, k, j;

	s->path[0] = '\0';
	for (p = dl->buf, k = 0; k < dl->count; k++, p += crt_strlen(p) + 1) {
		const char *sep = join_sep(p) ? "/" : "";

		for (h = sc->subdirs, j = 0; j < sc->subdirs_count;
		     j++, h += crt_strlen(h) + 1)
			append(s->path, sizeof(s->path), &used, "%s%s%s%s",
			       used ? ":" : "", p, sep, h);
		append(s->path, sizeof(s->path), &used, "%s%s", used ? ":" : "", p);
	}
	TRACE(LIBS, " search path=%s\t\t(%s%s%s)", s->path, src->what,
	      src->whose ? " from file " : "",
	      src->whose ? object_name(src->whose) : "");
}

/* Tries the name in each directory of a path-list source. */
static bool
search_list(struct search *s, const struct source *src,
	    const struct dir_list *dl)
{
	const char *p;
	size_t k;

	if (dl->count == 0)
		return false;
	if (src->whose)
		crt_snprintf(s->label, sizeof(s->label), "%s of %s", src->what,
			     object_name(src->whose));
	else
		crt_strlcpy(s->label, src->rule == SEARCH_LIBPATH ? src->what :
			    "default", sizeof(s->label));
	if (TRACE_ON(LIBS))
		trace_list(s, dl, src);
	for (p = dl->buf, k = 0; k < dl->count; k++, p += crt_strlen(p) + 1) {
		note_tried(s, p, crt_strlen(p), s->label);
		try_dir(s, p);
		if (s->status != -ENOENT)
			break;
	}
	return s->status != -ENOENT;
}

/* Looks the name up in /etc/ld.so.cache, mapping it on first use. */
static bool
search_cache(struct search *s)
{
	const struct search_config *sc = &ld_state.search;
	struct cache_hwcaps hw = { sc->hwcaps, sc->hwcaps_count, sc->isa_levels,
				   sc->legacy_hwcaps, sc->hwcap, sc->platform };
	const char *hit, *slash;
	size_t dirlen;

	TRACE(LIBS, " search cache=%s", CACHE_PATH);
	if (!cache_tried) {
		cache_tried = true;
		cache = cache_open(CACHE_PATH);
		/* A missing or corrupt cache is skipped silently, as in
		 * glibc; the message is not an error of this search. */
		if (!cache)
			ld_error_clear();
	}
	hit = cache_lookup(cache, s->name, &hw);
	if (!hit) {
		note_tried(s, CACHE_PATH, sizeof(CACHE_PATH) - 1,
			   cache ? "no entry" : "unreadable");
		return false;
	}
	slash = crt_strrchr(hit, '/');
	dirlen = slash ? (size_t)(slash - hit) : 0;
	/* Not from a default directory for a nodefaultlib requester (the
	 * directory list has no empty element: a bare name is in none). */
	if (s->req && (s->req->flags_1 & DF_1_NODEFLIB) &&
	    hwcaps_list_has(default_dirs, hit, dirlen)) {
		note_tried(s, hit, dirlen, "ld.so.cache, ignored: nodefaultlib");
		return false;
	}
	note_tried(s, hit, dirlen, "ld.so.cache");
	try_path(s, hit);
	return s->status != -ENOENT;
}

static bool
search_source(const struct source *src, const struct dir_list *dl, void *arg)
{
	struct search *s = arg;

	if (!src->list)
		return search_cache(s);
	if (!dl) {
		s->status = -ENOMEM;
		return true;
	}
	return search_list(s, src, dl);
}

/* The "not found" message: glibc's first part, then who needed the
 * library, where we looked and what we skipped. */
static void
report_not_found(const struct search *s, const char *name,
		 const struct elf_object *requester, bool by_path)
{
	char extra[1024];
	size_t len = 0;

	if (requester)
		append(extra, sizeof(extra), &len, "needed by %s",
		       object_name(requester));
	if (by_path && crt_strcmp(s->name, name) != 0)
		append(extra, sizeof(extra), &len, "%stried %s",
		       len ? "; " : "", s->name);
	if (!by_path)
		append(extra, sizeof(extra), &len, "%ssearched %s%s",
		       len ? "; " : "", s->tried_len ? s->tried : "nothing",
		       s->tried_full ? ", ..." : "");
	if (s->skipped_len)
		append(extra, sizeof(extra), &len, "%s%s", len ? "; " : "",
		       s->skipped);
	if (s->other_class[0])
		ld_error_at(name, 0, "%s", s->other_class);
	else
		ld_error_at(name, -ENOENT, "cannot open shared object file");
	if (len)
		ld_error_detail("%s", extra);
}

/* Expands dynamic string tokens in a DT_NEEDED or dlopen name, with the
 * requester's origin (the program's for a preload). Returns 0 and a
 * crt_malloc'd copy in *out, or -ENOENT / -ENOMEM with the message set. */
static int
expand_name(const char *name, const struct elf_object *requester, char **out)
{
	const struct elf_object *o = requester ? requester : ld_state.main_obj;
	const char *origin = o ? o->origin : NULL;
	size_t len = crt_strlen(name);

	if (expand_into(name, len, origin, ld_state.secure, NULL, 0) < 0) {
		ld_error_at(name, 0, "cannot open shared object file: $ORIGIN "
			    "%s%s%s%s", origin ? "is not allowed in secure mode" :
			 "is unknown", requester ? " (needed by " : "",
			 requester ? object_name(requester) : "",
			 requester ? ")" : "");
		return -ENOENT;
	}
	*out = search_expand(name, len, origin, ld_state.secure);
	if (!*out) {
		ld_error_at(name, 0, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int
search_run(const char *name, struct elf_object *requester,
	   struct search_result *out)
{
	struct search *s;
	char *expanded = NULL;
	bool by_path;
	int status;

	out->fd = -1;
	out->path = NULL;
	if (crt_strchr(name, '$') &&
	    (status = expand_name(name, requester, &expanded)) < 0)
		return status;
	s = crt_malloc(sizeof(*s));
	if (!s) {
		crt_free(expanded);
		ld_error("cannot search for %s: out of memory", name);
		return -ENOMEM;
	}
	memset(s, 0, offsetof(struct search, path));
	s->out = out;
	s->req = requester ? requester : ld_state.main_obj;
	s->status = -ENOENT;
	s->name = expanded ? expanded : name;
	/* The expansion keeps every '/' of the name. */
	by_path = crt_strchr(s->name, '/') != NULL;
	if (by_path) {
		/* A path is opened as is, without tracing (glibc). */
		try_file(s, s->name);
	} else {
		TRACE(LIBS, "find library=%s [0]; searching", s->name);
		walk_sources(requester, search_source, s);
		TRACE(LIBS, "%s", "");
	}
	if (s->status == -ENOENT)
		report_not_found(s, name, requester, by_path);
	status = s->status;
	crt_free(expanded);
	crt_free(s);
	return status;
}

/* A warm launch cache answers without searching; a recording one keeps
 * each answer (launch.h). */
int
search_library(const char *name, struct elf_object *requester,
	       struct search_result *out)
{
	int status;

	if (launch_search(name, requester, out))
		return 0;
	status = search_run(name, requester, out);
	launch_note_search(name, requester, status == 0 ? out : NULL);
	return status;
}

struct foreach_walk {
	void (*fn)(const char *dir, unsigned rule, void *arg);
	void *arg;
};

static bool
foreach_source(const struct source *src, const struct dir_list *dl, void *arg)
{
	struct foreach_walk *w = arg;
	const char *p;
	size_t k;

	for (p = dl ? dl->buf : NULL, k = 0; dl && k < dl->count;
	     k++, p += crt_strlen(p) + 1)
		w->fn(p, src->rule, w->arg);
	return false;
}

void
search_foreach_dir(struct elf_object *requester,
		   void (*fn)(const char *dir, unsigned rule, void *arg),
		   void *arg)
{
	struct foreach_walk w = { fn, arg };

	walk_sources(requester, foreach_source, &w);
}

int
search_origin_of(const char *path, char **origin)
{
	char *cwd = NULL, *out = NULL;
	const char *slash;
	size_t n = 0, dirlen;
	int err = 0;

	*origin = NULL;
	if (!path)
		return 0;
	if (path[0] != '/') {
		/* On the heap: dlopen may run on a thread's smallest stack. */
		cwd = crt_malloc(PATH_MAX_LEN);
		if (!cwd)
			goto oom;
		if (sys_getcwd(cwd, PATH_MAX_LEN) < 0 || cwd[0] != '/')
			goto out;
		n = crt_strlen(cwd);
		/* "/" + "tmp/x/prog" must not give "//tmp/x". */
		while (n > 0 && cwd[n - 1] == '/')
			n--;
	}
	/* glibc's l_origin: cwd + "/" + path for a relative path, then
	 * everything before the last slash; "/" when that is empty. */
	slash = crt_strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) : 0;
	out = crt_malloc(n + dirlen + 2);
	if (!out)
		goto oom;
	if (cwd) {
		memcpy(out, cwd, n);
		if (slash)
			out[n++] = '/';
	}
	memcpy(out + n, path, dirlen);
	n += dirlen;
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	*origin = out;
	goto out;
oom:
	ld_error_at(path, 0, "cannot create origin: out of memory");
	err = -ENOMEM;
out:
	crt_free(cwd);
	return err;
}

/* --help: one line per directory of a path list, "." for the current
 * directory; the cache's line comes just before the system directories,
 * even when --inhibit-cache leaves the cache out (glibc prints it always;
 * no program is loaded yet, so nothing drops the system directories). */
static bool
help_source(const struct source *src, const struct dir_list *dl, void *arg)
{
	int fd = *(const int *)arg;
	const char *p;
	size_t k;

	if (src->rule == SEARCH_DEFAULT)
		crt_dprintf(fd, "  (libraries located via %s)\n", CACHE_PATH);
	for (p = dl ? dl->buf : NULL, k = 0; dl && k < dl->count;
	     k++, p += crt_strlen(p) + 1)
		crt_dprintf(fd, "  %s (%s)\n", p[0] ? p : ".", src->what);
	return false;
}

void
search_print_help(int fd)
{
	crt_dprintf(fd, "\nShared library search path:\n");
	walk_sources(NULL, help_source, &fd);
}

void
search_release_cache(void)
{
	cache_close(cache);
	cache = NULL;
	cache_tried = false;
}
