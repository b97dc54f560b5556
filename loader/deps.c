/* SPDX-License-Identifier: MIT */
/*
 * Loading DT_NEEDED dependencies, breadth-first as glibc does: a queue that
 * starts with the root (and, later, preloaded objects); each object's needs
 * are appended in DT_NEEDED order. The queue, once complete, is the root's
 * search list: for the program it is the global scope. An object is loaded
 * once: by name (soname, the name it was loaded as, or its path) and by
 * file identity (device and inode) after the search opened it.
 */
#include "loader/deps.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/error.h"
#include "loader/map.h"
#include "loader/scope.h"
#include "loader/search.h"
#include "loader/state.h"
#include "loader/trace.h"

/* The program answers to its soname only: its link map is named "", so
 * glibc never matches the path it was started by (a dlopen of that path
 * maps the file anew, and refuses it as an executable). */
static bool
name_matches(const struct elf_object *obj, const char *name)
{
	return (obj->soname && crt_strcmp(obj->soname, name) == 0) ||
	       (obj->libname && crt_strcmp(obj->libname, name) == 0) ||
	       (!obj->is_main && obj->path && obj->path[0] &&
		crt_strcmp(obj->path, name) == 0);
}

struct elf_object *
deps_find_loaded(const char *name)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (!obj->is_vdso && !obj->missing && name_matches(obj, name))
			return obj;
	/* myld answers to its soname even before it is on the list. */
	if (ld_state.self_obj && name_matches(ld_state.self_obj, name))
		return ld_state.self_obj;
	return NULL;
}

void
deps_list_append(struct elf_object *obj)
{
	obj->prev = ld_state.tail;
	obj->next = NULL;
	if (ld_state.tail)
		ld_state.tail->next = obj;
	else
		ld_state.head = obj;
	ld_state.tail = obj;
	ld_state.nobjects++;
}

void
deps_list_remove(struct elf_object *obj)
{
	LD_ASSERT(ld_state.nobjects > 0);
	if (obj->prev)
		obj->prev->next = obj->next;
	else
		ld_state.head = obj->next;
	if (obj->next)
		obj->next->prev = obj->prev;
	else
		ld_state.tail = obj->prev;
	obj->prev = obj->next = NULL;
	ld_state.nobjects--;
}

static struct elf_object *
find_by_file(dev_t dev, ino_t ino)
{
	struct elf_object *obj;

	/* Never the program: glibc maps its file anew (and then refuses
	 * it as an executable), even when it mapped the program itself. */
	for (obj = ld_state.head; obj; obj = obj->next)
		if (obj->dev == dev && obj->ino == ino && (obj->dev || obj->ino) &&
		    !obj->is_main)
			return obj;
	if (ld_state.self_obj && ld_state.self_obj->dev == dev &&
	    ld_state.self_obj->ino == ino)
		return ld_state.self_obj;
	return NULL;
}

struct elf_object *
deps_find_file(const char *name, struct elf_object *requester)
{
	struct search_result found;
	struct elf_object *obj = NULL;
	struct stat st;

	if (search_library(name, requester, &found) < 0)
		return NULL;
	if (sys_fstat(found.fd, &st) == 0)
		obj = find_by_file(st.st_dev, st.st_ino);
	sys_close(found.fd);
	crt_free(found.path);
	return obj;
}

/* What glibc refuses to load as a library once its .dynamic is read: a
 * position-independent executable (DF_1_PIE, at start-up too), and from
 * dlopen an object marked DF_1_NOOPEN (-z nodlopen). Returns 0, or
 * -ENOEXEC with the message set. */
static int
check_loadable(const struct elf_object *obj)
{
	if (obj->flags_1 & DF_1_PIE) {
		ld_error("%s: cannot dynamically load position-independent "
			 "executable", obj->path);
		return -ENOEXEC;
	}
	if ((obj->flags_1 & DF_1_NOOPEN) && ld_state.startup_done) {
		ld_error("%s: shared object cannot be dlopen()ed", obj->path);
		return -ENOEXEC;
	}
	return 0;
}

struct elf_object *
deps_load_one(const char *name, struct elf_object *requester)
{
	struct search_result found;
	struct elf_object *obj;
	struct stat st;

	obj = deps_find_loaded(name);
	if (obj)
		goto known;
	if (search_library(name, requester, &found) < 0)
		return NULL;
	if (sys_fstat(found.fd, &st) == 0 &&
	    (obj = find_by_file(st.st_dev, st.st_ino))) {
		sys_close(found.fd);
		crt_free(found.path);
		goto known;
	}
	TRACE(FILES, "\nfile=%s [0];  needed by %s [0]", name,
	      requester ? object_name(requester) : "(preload)");
	obj = map_library(found.fd, found.path);
	sys_close(found.fd);
	crt_free(found.path);
	if (!obj)
		return NULL;
	obj->libname = crt_strdup(name);
	obj->loader = requester;
	if (!obj->libname)
		ld_error("%s: out of memory", name);
	if (!obj->libname || search_origin_of(obj->path, &obj->origin) < 0 ||
	    object_parse_dynamic(obj) < 0 || check_loadable(obj) < 0) {
		map_unmap(obj);
		object_free(obj);
		return NULL;
	}
	TRACE(FILES, "file=%s [0];  generating link map", name);
	TRACE(FILES, "  dynamic: 0x%016lx  base: 0x%016lx   size: 0x%016lx",
	      (unsigned long)obj->dynamic, (unsigned long)obj->base,
	      (unsigned long)(obj->map_end - obj->map_start));
	TRACE(FILES, "    entry: 0x%016lx  phdr: 0x%016lx  phnum:   %16zu\n",
	      (unsigned long)obj->entry, (unsigned long)obj->phdr, obj->phnum);
	deps_list_append(obj);
	return obj;
known:
	return obj;
}

/* The text after the first occurrence of sep in s (glibc's preload
 * message shows the reason without the file name), or s. */
static const char *
text_after(const char *s, const char *sep)
{
	size_t n = crt_strlen(sep);
	const char *p;

	for (p = s; *p; p++)
		if (crt_strncmp(p, sep, n) == 0)
			return p + n;
	return s;
}

/* ldd mode: a placeholder for a library that was not found, listed once. */
static void
note_missing(const char *name)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (obj->missing && crt_strcmp(obj->libname, name) == 0)
			return;
	obj = object_new(name);
	if (!obj)
		ld_oom();
	obj->libname = xstrdup(name);
	obj->missing = true;
	deps_list_append(obj);
}

/* The breadth-first queue. */
struct bfs_queue {
	struct elf_object **items;
	size_t len, cap;
};

static bool
queue_push(struct bfs_queue *q, struct elf_object *obj)
{
	size_t i;

	for (i = 0; i < q->len; i++)
		if (q->items[i] == obj)
			return true;
	if (q->len == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct elf_object **p = crt_realloc(q->items, cap * sizeof(*p));

		if (!p)
			return false;
		q->items = p;
		q->cap = cap;
	}
	q->items[q->len++] = obj;
	return true;
}

int
deps_search_list(struct elf_object *obj, struct elf_object ***out, size_t *len)
{
	struct bfs_queue q = { 0 };
	size_t i, j;

	*out = NULL;
	*len = 0;
	if (!queue_push(&q, obj))
		goto oom;
	for (i = 0; i < q.len; i++)
		for (j = 0; j < q.items[i]->nneeded; j++)
			if (q.items[i]->deps[j] && !queue_push(&q, q.items[i]->deps[j]))
				goto oom;
	*out = q.items;
	*len = q.len;
	return 0;
oom:
	crt_free(q.items);
	ld_error("%s: cannot create search list: out of memory", obj->path);
	return -ENOMEM;
}

/* What separates the names of a preload list (glibc: spaces or colons;
 * tabs and newlines too, as a shell variable may hold them). */
#define PRELOAD_SEPARATORS " :\t\n"

const char *
deps_preload_next(const char **list, size_t *len)
{
	const char *p = *list;

	while (*p && crt_strchr(PRELOAD_SEPARATORS, *p))
		p++;
	*len = crt_strcspn(p, PRELOAD_SEPARATORS);
	*list = p + *len;
	return *len ? p : NULL;
}

void
deps_preload(const char *list, const char *what, struct elf_object ***pre,
	     size_t *npre)
{
	const char *p = list, *start;
	size_t len;

	while ((start = deps_preload_next(&p, &len))) {
		struct elf_object *obj, **grown;
		char *name;

		name = crt_strndup(start, len);
		if (!name)
			ld_oom();
		/* Secure mode: no paths, only names found in the system
		 * directories (glibc's rule). */
		if (ld_state.secure && crt_strchr(name, '/')) {
			crt_free(name);
			continue;
		}
		obj = deps_load_one(name, NULL);
		if (!obj) {
			const char *why = text_after(ld_error_message(), ": ");
			size_t wlen = crt_strlen(why), k;

			/* glibc shows the reason without the errno text. */
			for (k = 0; why[k]; k++)
				if (why[k] == ':' && why[k + 1] == ' ') {
					wlen = k;
					break;
				}
			crt_dprintf(2, "ERROR: ld.so: object '%s' from %s cannot be "
				       "preloaded (%.*s): ignored.\n", name, what,
				    (int)wlen, why);
			crt_free(name);
			continue;
		}
		crt_free(name);
		grown = crt_realloc(*pre, (*npre + 1) * sizeof(**pre));
		if (!grown)
			ld_oom();
		*pre = grown;
		(*pre)[(*npre)++] = obj;
	}
}

int
deps_load_all(struct elf_object *root, struct elf_object **pre, size_t npre)
{
	struct bfs_queue q = { 0 };
	int missing = 0;
	size_t i, j;

	if (!queue_push(&q, root))
		ld_oom();
	for (i = 0; i < npre; i++)
		if (!queue_push(&q, pre[i]))
			ld_oom();
	for (i = 0; i < q.len; i++) {
		struct elf_object *obj = q.items[i];

		for (j = 0; j < obj->nneeded; j++) {
			struct elf_object *dep = deps_load_one(obj->needed[j], obj);

			if (!dep && ld_state.trace_loaded &&
			    !ld_state.list_missing_fatal) {
				/* ldd: "name => not found" at its place. */
				note_missing(obj->needed[j]);
				continue;
			}
			if (!dep) {
				ld_report_loading_error();
				missing++;
				continue;
			}
			obj->deps[j] = dep;
			if (!queue_push(&q, dep))
				ld_oom();
		}
	}
	crt_free(ld_state.global_scope);
	ld_state.global_scope = q.items;
	ld_state.global_scope_len = q.len;
	/* glibc keeps the loader's own link map last on the list, and only
	 * when some object needs it. */
	for (i = 0; i < q.len; i++)
		if (q.items[i] == ld_state.self_obj && !ld_state.self_obj->prev &&
		    ld_state.head != ld_state.self_obj)
			deps_list_append(ld_state.self_obj);
	return missing;
}

void
deps_build_global_scope(void)
{
	/* deps_load_all leaves the breadth-first queue as the scope; this
	 * only traces every object's scopes, as glibc's LD_DEBUG=scopes. */
	struct elf_object *obj;

	if (!TRACE_ON(SCOPES))
		return;
	trace_printf("\nInitial object scopes");
	for (obj = ld_state.head; obj; obj = obj->next) {
		trace_printf("object=%s [0]", object_name(obj));
		scope_trace_list(0, ld_state.global_scope, ld_state.global_scope_len);
		if (obj->is_vdso)
			scope_trace_list(1, &obj, 1);
		trace_printf("%s", "");
	}
}
