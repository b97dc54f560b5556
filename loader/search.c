/* SPDX-License-Identifier: MIT */
/*
 * Finding a library file, in glibc's order (see search.h): a name with a
 * slash is a path; otherwise DT_RPATH up the chain of loaders (only when
 * the requester has no DT_RUNPATH), LD_LIBRARY_PATH, the requester's
 * DT_RUNPATH, /etc/ld.so.cache, the system directories. Each list element
 * has $ORIGIN, $LIB and $PLATFORM expanded. A candidate of the wrong ELF
 * class or machine is skipped; any other broken file ends the search with
 * its error, as in glibc. myld does not probe the glibc-hwcaps/ and legacy
 * tls/, x86_64/ subdirectories that glibc also tries.
 * What was searched is kept for the "not found" message, which says, unlike
 * glibc's, who needed the library and where myld looked.
 */
#include "loader/search.h"

#include <errno.h>
#include <fcntl.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/arch/x86_64/machdep.h"
#include "loader/cache.h"
#include "loader/error.h"
#include "loader/map.h"
#include "loader/state.h"
#include "loader/trace.h"

#define CACHE_PATH "/etc/ld.so.cache"
/* glibc's $LIB on Debian's multiarch layout. */
#define DST_LIB "lib/x86_64-linux-gnu"

static const char system_dirs[] =
	"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib";

/* The cache, mapped on first use. A file-static cache of a read-only
 * file, released by search_reset(); not loader state proper. */
static struct ld_cache *cache;
static bool cache_tried;

/* One search: the name, and a record of where we looked. */
struct search {
	const char *name;
	struct search_result *out;
	char searched[1024];
	size_t slen;
	int status;          /* 0 found, -ENOENT go on, other: stop */
};

static void
note(struct search *s, const char *fmt, const char *a, const char *b)
{
	if (s->slen >= sizeof(s->searched) - 1)
		return;
	s->slen += (size_t)crt_snprintf(s->searched + s->slen,
					sizeof(s->searched) - s->slen, fmt, a, b);
	if (s->slen > sizeof(s->searched) - 1)
		s->slen = sizeof(s->searched) - 1;
}

/* Tries one file. Sets s->status: 0 (found: s->out filled), -ENOENT
 * (absent or wrong class/machine), or a stopping error with the message
 * set. */
static void
try_file(struct search *s, const char *path)
{
	unsigned char head[MAP_HEAD_SIZE];
	enum map_verdict v;
	long n;
	int fd;

	TRACE(LIBS, "  trying file=%s", path);
	fd = sys_open(path, O_RDONLY, 0);
	if (fd < 0) {
		s->status = -ENOENT;
		return;
	}
	n = sys_pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		/* A directory and the like: not a candidate. */
		sys_close(fd);
		s->status = -ENOENT;
		return;
	}
	v = map_check_ident(head, (size_t)n, path);
	if (v == MAP_WRONG_CLASS || v == MAP_WRONG_MACHINE) {
		note(s, "%s%s (wrong ELF class or machine, skipped)", s->slen ? ", " : "", path);
		sys_close(fd);
		ld_error_clear();
		s->status = -ENOENT;
		return;
	}
	if (v != MAP_OK) {
		sys_close(fd);
		s->status = -ENOEXEC;
		return;
	}
	s->out->fd = fd;
	s->out->path = crt_strdup(path);
	if (!s->out->path) {
		sys_close(fd);
		ld_error("%s: out of memory", path);
		s->status = -ENOMEM;
		return;
	}
	s->status = 0;
}

/* Replaces $NAME / ${NAME} at *p (p points after the '$'); returns the
 * number of bytes consumed, 0 for an unknown name, -1 when it cannot be
 * expanded (no origin, or secure mode). */
static int
expand_one(const char *p, size_t left, const char *origin, bool secure,
	   const char **value)
{
	static const struct { const char *name; int which; } dsts[] = {
		{ "ORIGIN", 0 }, { "LIB", 1 }, { "PLATFORM", 2 },
	};
	bool brace = left && *p == '{';
	size_t i;

	for (i = 0; i < sizeof(dsts) / sizeof(dsts[0]); i++) {
		size_t n = crt_strlen(dsts[i].name), used = n + (brace ? 2 : 0);
		const char *q = p + (brace ? 1 : 0);
		char after;

		if (left < used || crt_strncmp(q, dsts[i].name, n) != 0)
			continue;
		if (brace && q[n] != '}')
			continue;
		after = used < left ? p[used] : '\0';
		if (!brace && ((after >= 'A' && after <= 'Z') ||
			       (after >= 'a' && after <= 'z') ||
			       (after >= '0' && after <= '9') || after == '_'))
			continue;
		if (dsts[i].which == 0) {
			if (!origin || secure)
				return -1;
			*value = origin;
		} else {
			*value = dsts[i].which == 1 ? DST_LIB : ARCH_PLATFORM;
		}
		return (int)used;
	}
	return 0;
}

char *
search_expand(const char *element, size_t len, const char *origin, bool secure)
{
	size_t cap = len + 1, n = 0, i = 0;
	char *out;

	for (i = 0; i < len; i++)
		if (element[i] == '$')
			cap += 4096;
	out = crt_malloc(cap);
	if (!out)
		return NULL;
	for (i = 0; i < len;) {
		const char *value;
		int used;

		if (element[i] != '$') {
			out[n++] = element[i++];
			continue;
		}
		used = expand_one(element + i + 1, len - i - 1, origin, secure, &value);
		if (used < 0) {
			crt_free(out);
			return NULL;
		}
		if (used == 0) {
			out[n++] = element[i++];
			continue;
		}
		n += crt_strlcpy(out + n, value, cap - n);
		i += 1 + (size_t)used;
	}
	out[n] = '\0';
	return out;
}

/* Appends dir to a ':'-joined list in buf. */
static void
join_dir(const char *dir, unsigned rule, void *arg)
{
	char *buf = arg;
	size_t len = crt_strlen(buf);

	(void)rule;
	crt_snprintf(buf + len, 2048 - len, "%s%s", len ? ":" : "", dir);
}

static void list_dirs(const char *list, const char *origin, unsigned rule,
		      void (*fn)(const char *, unsigned, void *), void *arg);

/* Tries name in each directory of a ':'-separated list (';' too for
 * LD_LIBRARY_PATH), expanded. Stops when found or on a stopping error. */
static void
search_list(struct search *s, const char *list, const char *origin,
	    const char *why, const char *whose)
{
	char what[512], dirs[2048] = "";
	const char *p;

	if (!list)
		return;
	if (whose)
		crt_snprintf(what, sizeof(what), "%s from file %s", why, whose);
	else
		crt_strlcpy(what, why, sizeof(what));
	list_dirs(list, origin, 0, join_dir, dirs);
	TRACE(LIBS, " search path=%s\t\t(%s)", dirs, what);
	note(s, "%s%s", s->slen ? "; " : "", what);
	note(s, ": %s%s", dirs, "");
	s->status = -ENOENT;
	for (p = dirs; *p && s->status == -ENOENT;) {
		size_t len = crt_strcspn(p, ":");
		char path[4096];

		crt_snprintf(path, sizeof(path), "%.*s%s%s", (int)len, p,
			     len && p[len - 1] == '/' ? "" : "/", s->name);
		try_file(s, path);
		p += len + (p[len] == ':');
	}
}

static bool
rpath_inhibited(const struct elf_object *obj)
{
	const char *list = ld_state.search.inhibit_rpath, *base;
	size_t len;

	if (!list)
		return false;
	base = crt_strrchr(object_name(obj), '/');
	base = base ? base + 1 : object_name(obj);
	for (; *list; list += len + (list[len] != '\0')) {
		len = crt_strcspn(list, ":");
		if ((crt_strlen(object_name(obj)) == len &&
		     crt_strncmp(object_name(obj), list, len) == 0) ||
		    (crt_strlen(base) == len && crt_strncmp(base, list, len) == 0))
			return true;
	}
	return false;
}

/* DT_RPATH of the requester, then up its chain of loaders, then of the
 * program if it was not in that chain. */
static void
search_rpaths(struct search *s, struct elf_object *requester)
{
	struct elf_object *o, *main_obj = ld_state.main_obj;
	bool did_main = false;

	for (o = requester; o && s->status == -ENOENT; o = o->loader) {
		if (o->rpath && !rpath_inhibited(o)) {
			search_list(s, o->rpath, o->origin, "RPATH", object_name(o));
			did_main |= o == main_obj;
		}
	}
	if (s->status == -ENOENT && !did_main && main_obj && main_obj->rpath &&
	    !main_obj->runpath && !rpath_inhibited(main_obj))
		search_list(s, main_obj->rpath, main_obj->origin, "RPATH",
			    object_name(main_obj));
}

static void
search_cache(struct search *s)
{
	const char *path;

	if (ld_state.search.inhibit_cache)
		return;
	if (!cache_tried) {
		cache_tried = true;
		cache = cache_open(CACHE_PATH);
		ld_error_clear();
	}
	if (!cache)
		return;
	TRACE(LIBS, " search cache=%s", CACHE_PATH);
	note(s, "%s%s", s->slen ? "; " : "", CACHE_PATH);
	path = cache_lookup(cache, s->name);
	if (path)
		try_file(s, path);
}

static void
search_by_name(struct search *s, struct elf_object *requester)
{
	s->status = -ENOENT;
	if (!requester || !requester->runpath)
		search_rpaths(s, requester);
	if (s->status == -ENOENT && ld_state.search.library_path)
		search_list(s, ld_state.search.library_path,
			    requester ? requester->origin : NULL, "LD_LIBRARY_PATH", NULL);
	if (s->status == -ENOENT && requester && requester->runpath &&
	    !rpath_inhibited(requester))
		search_list(s, requester->runpath, requester->origin, "RUNPATH",
			    object_name(requester));
	if (s->status == -ENOENT)
		search_cache(s);
	if (s->status == -ENOENT)
		search_list(s, system_dirs, NULL, "system search path", NULL);
}

int
search_library(const char *name, struct elf_object *requester,
	       struct search_result *out)
{
	struct search s = { .name = name, .out = out, .status = -ENOENT };
	char *expanded = NULL;

	out->fd = -1;
	out->path = NULL;
	TRACE(LIBS, "find library=%s [0]; searching", name);
	if (crt_strchr(name, '$')) {
		expanded = search_expand(name, crt_strlen(name),
					 requester ? requester->origin : NULL,
					 ld_state.search.secure);
		if (!expanded) {
			ld_error("%s: cannot load: dynamic string token cannot be "
				 "expanded here", name);
			return -ENOENT;
		}
		s.name = expanded;
	}
	if (crt_strchr(s.name, '/'))
		try_file(&s, s.name);
	else
		search_by_name(&s, requester);
	TRACE(LIBS, "%s", "");
	if (s.status == -ENOENT) {
		if (requester)
			ld_error("%s: cannot open shared object file: No such file or "
				 "directory (needed by %s; searched %s)", name,
				 object_name(requester), s.slen ? s.searched : "nothing");
		else
			ld_error("%s: cannot open shared object file: No such file or "
				 "directory", name);
	}
	crt_free(expanded);
	return s.status;
}

/* Every expanded element of a path list, to fn. */
static void
list_dirs(const char *list, const char *origin, unsigned rule,
	  void (*fn)(const char *, unsigned, void *), void *arg)
{
	const char *p = list;

	for (; list; p++) {
		size_t len = crt_strcspn(p, ":;");
		char *dir = len ? search_expand(p, len, origin, ld_state.search.secure) :
			    (ld_state.search.secure ? NULL : crt_strdup("."));

		if (dir) {
			fn(dir, rule, arg);
			crt_free(dir);
		}
		p += len;
		if (!*p)
			break;
	}
}

void
search_foreach_dir(struct elf_object *requester,
		   void (*fn)(const char *dir, unsigned rule, void *arg), void *arg)
{
	struct elf_object *o;

	if (!requester || !requester->runpath) {
		for (o = requester; o; o = o->loader)
			if (o->rpath && !rpath_inhibited(o))
				list_dirs(o->rpath, o->origin, SEARCH_RPATH, fn, arg);
	}
	if (ld_state.search.library_path)
		list_dirs(ld_state.search.library_path,
			  requester ? requester->origin : NULL, SEARCH_LIBPATH, fn, arg);
	if (requester && requester->runpath && !rpath_inhibited(requester))
		list_dirs(requester->runpath, requester->origin, SEARCH_RUNPATH, fn, arg);
	list_dirs(system_dirs, NULL, SEARCH_DEFAULT, fn, arg);
}

char *
search_origin_of(const char *path)
{
	const char *slash = crt_strrchr(path, '/');
	char cwd[4096], *out;
	size_t dirlen;

	if (slash == path)
		return crt_strdup("/");
	dirlen = slash ? (size_t)(slash - path) : 0;
	if (path[0] == '/')
		return crt_strndup(path, dirlen);
	if (sys_getcwd(cwd, sizeof(cwd)) < 0)
		return NULL;
	out = crt_malloc(crt_strlen(cwd) + dirlen + 2);
	if (!out)
		return NULL;
	crt_snprintf(out, crt_strlen(cwd) + dirlen + 2, "%s%s%.*s", cwd,
		     dirlen ? "/" : "", (int)dirlen, path);
	return out;
}

void
search_reset(void)
{
	cache_close(cache);
	cache = NULL;
	cache_tried = false;
}
