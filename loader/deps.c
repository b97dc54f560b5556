/* SPDX-License-Identifier: MIT */
/*
 * Loading dependencies, breadth-first as glibc does: a list that starts
 * with the root (and preloaded objects); each object's DT_NEEDED objects
 * are appended in order. A filter's filtees (DT_FILTER, DT_AUXILIARY) are
 * loaded when the filter's entries are, and put just before the filter,
 * so that they are searched first. The list, once complete, is the root's
 * search list: for the program it is the global scope. An object is loaded
 * once: by name (soname, the name it was loaded as, or its path) and by
 * file identity (device and inode) after the search opened it.
 *
 * Example: the program needs f.so and libc.so.6; f.so, linked with
 * --filter=t.so, needs libc.so.6. The walk lists prog, f.so, libc.so.6
 * (the program's needs), then processes f.so: t.so is loaded and listed
 * before it, and processed next (its own needs are appended). The search
 * list is prog, t.so, f.so, libc.so.6: a symbol both define is t.so's,
 * one only f.so defines is still found. A DT_AUXILIARY filtee that cannot
 * be loaded is left out; a DT_FILTER one is an error, as a DT_NEEDED.
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

/* Lock-free readers (dlopen_object_at, for _dl_find_object) follow head
 * and next only: a new object is complete before it is linked (release
 * stores), and a removed one keeps its next pointer, so a reader standing
 * on it goes on; it is freed only after scope_quiesce. */
void
deps_list_append(struct elf_object *obj)
{
	obj->prev = ld_state.tail;
	obj->next = NULL;
	if (ld_state.tail)
		__atomic_store_n(&ld_state.tail->next, obj, __ATOMIC_RELEASE);
	else
		__atomic_store_n(&ld_state.head, obj, __ATOMIC_RELEASE);
	ld_state.tail = obj;
	ld_state.nobjects++;
}

/* Whether obj comes after pos on the load list. */
static bool
list_after(const struct elf_object *obj, const struct elf_object *pos)
{
	const struct elf_object *o;

	for (o = pos->next; o; o = o->next)
		if (o == obj)
			return true;
	return false;
}

void
deps_list_move_before(struct elf_object *obj, struct elf_object *pos)
{
	if (!list_after(obj, pos))
		return;
	deps_list_remove(obj);
	obj->next = pos;
	obj->prev = pos->prev;
	if (pos->prev)
		pos->prev->next = obj;
	else
		ld_state.head = obj;
	pos->prev = obj;
	ld_state.nobjects++;
}

void
deps_list_remove(struct elf_object *obj)
{
	LD_ASSERT(ld_state.nobjects > 0);
	if (obj->prev)
		__atomic_store_n(&obj->prev->next, obj->next, __ATOMIC_RELEASE);
	else
		__atomic_store_n(&ld_state.head, obj->next, __ATOMIC_RELEASE);
	if (obj->next)
		obj->next->prev = obj->prev;
	else
		ld_state.tail = obj->prev;
	/* obj->next stays: see deps_list_append. */
	ld_state.nobjects--;
}

/* The object already loaded from the file open at fd (the same device
 * and inode), or NULL. */
static struct elf_object *
find_by_file(int fd)
{
	struct elf_object *obj;
	struct stat st;

	if (sys_fstat(fd, &st) < 0)
		return NULL;
	/* Never the program: glibc maps its file anew (and then refuses
	 * it as an executable), even when it mapped the program itself. */
	for (obj = ld_state.head; obj; obj = obj->next)
		if (obj->dev == st.st_dev && obj->ino == st.st_ino &&
		    (obj->dev || obj->ino) && !obj->is_main)
			return obj;
	if (ld_state.self_obj && ld_state.self_obj->dev == st.st_dev &&
	    ld_state.self_obj->ino == st.st_ino)
		return ld_state.self_obj;
	return NULL;
}

struct elf_object *
deps_find_file(const char *name, struct elf_object *requester)
{
	struct search_result found;
	struct elf_object *obj;

	if (search_library(name, requester, &found) < 0)
		return NULL;
	obj = find_by_file(found.fd);
	sys_close(found.fd);
	crt_free(found.path);
	return obj;
}

/* What glibc refuses to load as a library once its .dynamic is read: a
 * position-independent executable (DF_1_PIE, at start-up too), and from
 * dlopen an object marked DF_1_NOOPEN (-z nodlopen). Returns 0, or
 * -ENOEXEC with the message set. */
static int
check_loadable(const struct elf_object *obj, bool dlopened)
{
	const char *why = NULL;

	if (obj->flags_1 & DF_1_PIE)
		why = "cannot dynamically load position-independent executable";
	else if ((obj->flags_1 & DF_1_NOOPEN) && dlopened)
		why = "shared object cannot be dlopen()ed";
	if (why)
		ld_error_at(obj->path, 0, "%s", why);
	return why ? -ENOEXEC : 0;
}

struct elf_object *
deps_load_one(const char *name, struct elf_object *requester, bool dlopened)
{
	struct search_result found;
	struct elf_object *obj, *loaded;

	obj = deps_find_loaded(name);
	if (obj)
		return obj;
	if (search_library(name, requester, &found) < 0)
		return NULL;
	loaded = find_by_file(found.fd);
	if (!loaded) {
		TRACE(FILES, "\nfile=%s [0];  needed by %s [0]", name,
		      requester ? object_name(requester) : "(preload)");
		obj = map_library(found.fd, found.path);
	}
	sys_close(found.fd);
	crt_free(found.path);
	if (loaded || !obj)
		return loaded;
	obj->libname = crt_strdup(name);
	obj->loader = requester;
	if (!obj->libname)
		ld_error_at(name, 0, "out of memory");
	if (!obj->libname || search_origin_of(obj->path, &obj->origin) < 0 ||
	    object_parse_dynamic(obj) < 0 || check_loadable(obj, dlopened) < 0) {
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
}

/* ldd mode: a placeholder for a library that was not found, listed once. */
static struct elf_object *
note_missing(const char *name)
{
	struct elf_object *obj;

	for (obj = ld_state.head; obj; obj = obj->next)
		if (obj->missing && crt_strcmp(obj->libname, name) == 0)
			return obj;
	obj = object_new(name);
	if (!obj)
		ld_oom();
	obj->libname = xstrdup(name);
	obj->missing = true;
	deps_list_append(obj);
	return obj;
}

/*
 * A search list being built (glibc's _dl_map_object_deps order). The
 * objects are processed in list order, each once (processed is a set of
 * objects, so it holds when a filtee is moved); processing one goes through its entries
 * in .dynamic order: a DT_NEEDED object not listed yet is appended; a
 * filtee not listed yet is inserted just before its filter (after the
 * filter's earlier filtees) and so processed right after it; a filtee
 * listed after its filter is moved there; one listed before stays, it is
 * searched early enough. listed is the walk's own visited set.
 */
struct deps_walk {
	struct elf_object **items;
	size_t len, cap;
	struct object_set listed, processed;
};

/* How a walk gets the object of entry i of obj: the one recorded, or by
 * loading it. Returns 0 with *dep set (NULL: leave the entry out), or a
 * negative errno with the message set: the walk stops. */
typedef int (*deps_resolve_fn)(void *ctx, struct elf_object *obj, size_t i,
			       struct elf_object **dep);

/* Puts obj, not listed yet, at position at. Returns 0 or -ENOMEM (no
 * message; the walk is unchanged). */
static int
walk_insert(struct deps_walk *w, size_t at, struct elf_object *obj)
{
	if (w->len == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct elf_object **items = crt_realloc(w->items, cap * sizeof(*items));

		if (!items)
			return -ENOMEM;
		w->items = items;
		w->cap = cap;
	}
	if (object_set_add(&w->listed, obj) < 0)
		return -ENOMEM;
	memmove(&w->items[at + 1], &w->items[at], (w->len - at) * sizeof(*w->items));
	w->items[at] = obj;
	w->len++;
	return 0;
}

/* A filtee of the filter at *at: before it, see struct deps_walk. *at
 * follows the filter. Returns 0 or -ENOMEM (no message). */
static int
walk_place_filtee(struct deps_walk *w, size_t *at, struct elf_object *filtee)
{
	size_t p;

	if (!object_set_has(&w->listed, filtee)) {
		if (walk_insert(w, *at, filtee) < 0)
			return -ENOMEM;
		++*at;
		return 0;
	}
	p = *at + 1 + scope_list_index(w->items + *at + 1, w->len - *at - 1, filtee);
	if (p == w->len)
		return 0;
	memmove(&w->items[*at + 1], &w->items[*at], (p - *at) * sizeof(*w->items));
	w->items[*at] = filtee;
	++*at;
	return 0;
}

/* The walk from root, then more[0..nmore) (those not listed yet), until
 * every listed object is processed; *out (unless out is NULL) gets the
 * list, *len its length. Returns 0, or a negative errno with the message
 * set ("<root>: cannot create search list: out of memory" when the walk
 * itself ran out). */
static int
walk(struct elf_object *root, struct elf_object *const *more, size_t nmore,
     deps_resolve_fn resolve, void *ctx, struct elf_object ***out, size_t *len)
{
	struct deps_walk w = { NULL, 0, 0, { NULL, 0, 0 }, { NULL, 0, 0 } };
	size_t i, j, at;
	int err = walk_insert(&w, 0, root);

	for (i = 0; i < nmore && !err; i++)
		if (!object_set_has(&w.listed, more[i]))
			err = walk_insert(&w, w.len, more[i]);
	for (i = 0; i < w.len && !err;) {
		struct elf_object *obj = w.items[i];
		int added = object_set_add(&w.processed, obj);

		/* 0: processed already; below 0: out of memory. */
		if (added <= 0) {
			err = added;
			i++;
			continue;
		}
		at = i;
		for (j = 0; j < obj->nneeded && !err; j++) {
			struct elf_object *dep;

			err = resolve(ctx, obj, j, &dep);
			if (err < 0)
				goto out;
			if (!dep)
				continue;
			if (object_dep_kind(obj, j) != DEP_NEEDED)
				err = walk_place_filtee(&w, &at, dep);
			else if (!object_set_has(&w.listed, dep))
				err = walk_insert(&w, w.len, dep);
		}
	}
	if (err < 0) {
		ld_error_at(root->path, 0, "cannot create search list: out of "
			    "memory");
	} else if (out) {
		*out = w.items;
		*len = w.len;
		w.items = NULL;
	}
out:
	crt_free(w.items);
	object_set_free(&w.listed);
	object_set_free(&w.processed);
	return err;
}

/* The entries as they were resolved when their objects were loaded. */
static int
resolve_loaded(void *ctx, struct elf_object *obj, size_t i, struct elf_object **dep)
{
	(void)ctx;
	*dep = obj->deps[i];
	return 0;
}

int
deps_search_list(struct elf_object *obj, struct elf_object ***out, size_t *len)
{
	*out = NULL;
	*len = 0;
	return walk(obj, NULL, 0, resolve_loaded, NULL, out, len);
}

int
deps_init_list(struct elf_object *obj, struct elf_object ***out, size_t *len)
{
	size_t k;
	int err = deps_search_list(obj, out, len);

	if (err)
		return err;
	/* obj first, then its filtees (listed before it), then the rest:
	 * the shape glibc gives l_initfini before sorting it. */
	k = scope_list_index(*out, *len, obj);
	memmove(&(*out)[1], &(*out)[0], k * sizeof(**out));
	(*out)[0] = obj;
	return 0;
}

/* glibc's LD_DEBUG=libs line before a filtee is loaded (standard or
 * auxiliary alike), with the name as the search expands it. */
static void
trace_filtee(const struct elf_object *filter, const char *name)
{
	char *expanded = NULL;

	if (!TRACE_ON(LIBS))
		return;
	if (crt_strchr(name, '$'))
		expanded = search_expand(name, crt_strlen(name), filter->origin,
					 ld_state.secure);
	trace_printf("load auxiliary object=%s requested by file=%s",
		     expanded ? expanded : name, object_name(filter));
	crt_free(expanded);
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
		obj = deps_load_one(name, NULL, false);
		if (!obj)
			crt_dprintf(2, "ERROR: ld.so: object '%s' from %s cannot be "
				       "preloaded (%s): ignored.\n", name, what,
				    ld_error_reason());
		crt_free(name);
		if (!obj)
			continue;
		grown = crt_realloc(*pre, (*npre + 1) * sizeof(**pre));
		if (!grown)
			ld_oom();
		*pre = grown;
		(*pre)[(*npre)++] = obj;
	}
}

/* Loads entry i of obj, a filtee too (which then comes before its filter
 * on the load list, as in glibc's link-map chain). NULL with the message
 * set when it cannot be loaded. */
static struct elf_object *
load_entry(struct elf_object *obj, size_t i, bool dlopened)
{
	enum object_dep_kind kind = object_dep_kind(obj, i);
	struct elf_object *dep;

	if (kind != DEP_NEEDED)
		trace_filtee(obj, obj->needed[i]);
	dep = deps_load_one(obj->needed[i], obj, dlopened);
	if (dep && kind != DEP_NEEDED)
		deps_list_move_before(dep, obj);
	return dep;
}

/* Start-up: every failure is reported (and counted in *ctx) and the walk
 * goes on; ldd lists a library that is missing as not found. A missing
 * auxiliary filtee is no failure. */
static int
resolve_startup(void *ctx, struct elf_object *obj, size_t i, struct elf_object **dep)
{
	enum object_dep_kind kind = object_dep_kind(obj, i);

	*dep = obj->deps[i];
	if (*dep)
		return 0;
	*dep = obj->deps[i] = load_entry(obj, i, false);
	if (*dep)
		return 0;
	if (ld_state.trace_loaded && !ld_state.list_missing_fatal) {
		/* ldd: "name => not found" at its place, a filtee's before
		 * its filter. */
		struct elf_object *placeholder = note_missing(obj->needed[i]);

		if (kind != DEP_NEEDED)
			deps_list_move_before(placeholder, obj);
	} else if (kind == DEP_AUXILIARY) {
		ld_error_clear();
	} else {
		ld_report_loading_error();
		++*(int *)ctx;
	}
	return 0;
}

int
deps_load_all(struct elf_object *root, struct elf_object **pre, size_t npre)
{
	struct elf_object *self = ld_state.self_obj, **list;
	struct scope_global *g;
	int missing = 0;
	size_t n;

	if (walk(root, pre, npre, resolve_startup, &missing, &list, &n) < 0)
		ld_oom();
	g = scope_global_new(n);
	if (!g)
		ld_oom();
	memcpy(g->objs, list, n * sizeof(g->objs[0]));
	g->len = n;
	scope_global_publish(g);
	crt_free(list);
	/* glibc keeps the loader's own link map last on the list, and only
	 * when some object needs it. */
	if (scope_list_index(g->objs, g->len, self) < g->len && !self->prev &&
	    ld_state.head != self)
		deps_list_append(self);
	return missing;
}

/* dlopen: what the objects loaded by this call (serial above *ctx) need
 * is loaded, and the first failure ends the walk; a missing auxiliary
 * filtee is left out. What older objects resolved stays as it is (glibc
 * tries a missing auxiliary filtee of an older object again). */
static int
resolve_dlopen(void *ctx, struct elf_object *obj, size_t i, struct elf_object **dep)
{
	*dep = obj->deps[i];
	if (*dep || obj->serial <= *(const uint64_t *)ctx)
		return 0;
	*dep = obj->deps[i] = load_entry(obj, i, true);
	if (*dep)
		return 0;
	if (object_dep_kind(obj, i) == DEP_AUXILIARY) {
		ld_error_clear();
		return 0;
	}
	return -ENOENT;
}

int
deps_load_new(struct elf_object *mark)
{
	uint64_t serial = mark->serial;

	return walk(mark->next, NULL, 0, resolve_dlopen, &serial, NULL, NULL);
}

void
deps_build_global_scope(void)
{
	/* deps_load_all leaves the breadth-first queue as the scope; this
	 * only traces every object's scopes, as glibc's LD_DEBUG=scopes. */
	struct elf_object *const *global;
	struct elf_object *obj;
	size_t nglobal;

	if (!TRACE_ON(SCOPES))
		return;
	global = scope_global(&nglobal);
	trace_printf("\nInitial object scopes");
	for (obj = ld_state.head; obj; obj = obj->next) {
		trace_printf("object=%s [0]", object_name(obj));
		scope_trace_list(0, global, nglobal);
		if (obj->is_vdso)
			scope_trace_list(1, &obj, 1);
		trace_printf("%s", "");
	}
}
