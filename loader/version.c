/* SPDX-License-Identifier: MIT */
/*
 * Symbol versioning (gABI, "Symbol Versioning"; GNU extension). Each object
 * gets a table indexed by its DT_VERSYM values: the versions it defines
 * (DT_VERDEF, vd_ndx) and the versions it needs from others (DT_VERNEED,
 * vna_other). Index 0 is "local", 1 is "global/base"; the top bit of a
 * DT_VERSYM value marks a hidden (non-default, "@" rather than "@@")
 * definition. Every chain is bounds-checked: a broken table is an error.
 */
#include "loader/version.h"

#include <errno.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "loader/error.h"
#include "loader/object.h"
#include "loader/state.h"
#include "loader/trace.h"

/* Version indices are 15 bits. */
#define VERSION_INDEX_MAX 0x7fff

/* Every version record (Elf64_Verdef, Verdaux, Verneed, Vernaux) is made
 * of 16- and 32-bit words. */
#define VERSION_RECORD_ALIGN 4

/* Walks a chain of records linked by byte offsets ("next"), checking that
 * each record lies inside the object and is aligned (reading a misaligned
 * one is undefined behaviour). Returns the next record or NULL. */
static const void *
ver_next(const struct elf_object *obj, const void *rec, uint64_t next, size_t size)
{
	uintptr_t p = (uintptr_t)rec + next;

	if (next == 0 || p < (uintptr_t)rec || !object_contains(obj, p, size) ||
	    (p & (VERSION_RECORD_ALIGN - 1)))
		return NULL;
	return (const void *)p;
}

/* What need_walk calls for each needed version: the object, the file the
 * version is needed from (NULL when its name is out of bounds) and the
 * Vernaux. A non-zero return stops the walk. */
typedef int need_fn(struct elf_object *obj, const char *file,
		    const Elf64_Vernaux *va, void *arg);

/* The one walk over DT_VERNEED: every Vernaux of every Verneed, in file
 * order. Returns fn's non-zero value, 0 at the end, or -1 when a record is
 * outside the object, misaligned, or of an unknown version. */
static int
need_walk(struct elf_object *obj, need_fn *fn, void *arg)
{
	const Elf64_Verneed *vn = obj->verneed;
	size_t i, j;
	int r;

	for (i = 0; vn && i < obj->verneednum; i++) {
		const Elf64_Vernaux *va = ver_next(obj, vn, vn->vn_aux, sizeof(*va));
		const char *file = object_string(obj, vn->vn_file);

		if (vn->vn_version != 1 || (vn->vn_cnt && !va))
			return -1;
		for (j = 0; j < vn->vn_cnt; j++) {
			if ((r = fn(obj, file, va, arg)) != 0)
				return r;
			if (j + 1 < vn->vn_cnt &&
			    !(va = ver_next(obj, va, va->vna_next, sizeof(*va))))
				return -1;
		}
		if (i + 1 < obj->verneednum &&
		    !(vn = ver_next(obj, vn, vn->vn_next, sizeof(*vn))))
			return -1;
	}
	return 0;
}

/* need_walk's callback for version_setup: before obj->versions exists it
 * finds the largest index (*max); after, it enters the needed version. */
static int
need_entry(struct elf_object *obj, const char *file, const Elf64_Vernaux *va,
	   void *arg)
{
	size_t ndx = va->vna_other & VERSION_INDEX_MAX;
	struct version_entry *e;
	long *max = arg;

	if (!obj->versions) {
		if ((long)ndx > *max)
			*max = (long)ndx;
		return 0;
	}
	e = &obj->versions[ndx];
	if (!file || !(e->name = object_string(obj, va->vna_name)))
		return -1;
	e->hash = va->vna_hash;
	e->file = file;
	e->hidden = (va->vna_other & 0x8000) != 0;
	return 0;
}

/* The one walk over DT_VERDEF, as need_entry: before obj->versions exists
 * it finds the largest index; after, it enters every definition. Returns
 * the largest index (at least 1), or -1 when a record is malformed. */
static long
def_walk(struct elf_object *obj)
{
	const Elf64_Verdef *vd = obj->verdef;
	struct version_entry *table = obj->versions;
	long max = 1;
	size_t i;

	for (i = 0; vd && i < obj->verdefnum; i++) {
		size_t ndx = vd->vd_ndx & VERSION_INDEX_MAX;
		const Elf64_Verdaux *aux;
		const char *name;

		if (vd->vd_version != 1)
			return -1;
		if ((long)ndx > max)
			max = (long)ndx;
		if (table) {
			aux = ver_next(obj, vd, vd->vd_aux, sizeof(*aux));
			if (!aux || !(name = object_string(obj, aux->vda_name)))
				return -1;
			/* The base definition names the file itself: it is
			 * not a version a symbol reference can ask for (glibc
			 * skips it). file and hidden stay as calloc left
			 * them: NULL, false. */
			if (!(vd->vd_flags & VER_FLG_BASE))
				table[ndx] = (struct version_entry){
					.name = name, .hash = vd->vd_hash,
					.def_obj = obj, .def_ndx = ndx };
		}
		if (i + 1 < obj->verdefnum &&
		    !(vd = ver_next(obj, vd, vd->vd_next, sizeof(*vd))))
			return -1;
	}
	return max;
}

int
version_setup(struct elf_object *obj)
{
	long max;

	if (obj->versions)
		return 0;
	obj->nversions = 0;
	if (!obj->verdef && !obj->verneed)
		return 0;
	max = def_walk(obj);
	if (max < 0 || need_walk(obj, need_entry, &max) < 0)
		goto bad;
	obj->versions = crt_calloc((size_t)max + 1, sizeof(*obj->versions));
	if (!obj->versions) {
		ld_error("%s: cannot allocate version reference table", obj->path);
		return -ENOMEM;
	}
	obj->nversions = (size_t)max + 1;
	/* DT_VERSYM's extent was checked by object_parse_dynamic. */
	if (def_walk(obj) < 0 || need_walk(obj, need_entry, NULL))
		goto bad;
	return 0;
bad:
	ld_error("%s: malformed symbol version tables", obj->path);
	return -ENOEXEC;
}

/* The index of def's definition of version name/hash: its table first
 * (one compare per entry), then the DT_VERDEF chain itself, whose base
 * entry (the file's own name) the table leaves out. 0 when it has none;
 * 1 for the base, which is no symbol's version. */
static size_t
def_index(const struct elf_object *def, const char *name, uint32_t hash)
{
	const Elf64_Verdef *vd = def->verdef;
	size_t i;

	for (i = 2; i < def->nversions; i++) {
		const struct version_entry *e = &def->versions[i];

		if (e->hash == hash && e->name && !e->file &&
		    crt_strcmp(e->name, name) == 0)
			return i;
	}
	for (i = 0; vd && i < def->verdefnum; i++) {
		const Elf64_Verdaux *aux = ver_next(def, vd, vd->vd_aux,
						    sizeof(*aux));
		const char *vname = aux ? object_string(def, aux->vda_name) : NULL;

		if (vd->vd_hash == hash && vname && crt_strcmp(vname, name) == 0)
			return 1;
		if (i + 1 < def->verdefnum &&
		    !(vd = ver_next(def, vd, vd->vd_next, sizeof(*vd))))
			break;
	}
	return 0;
}

/* The dependency of obj that a DT_VERNEED file name refers to. */
static struct elf_object *
need_target(const struct elf_object *obj, const char *file)
{
	size_t i;

	for (i = 0; i < obj->nneeded; i++)
		if (obj->deps[i] && crt_strcmp(obj->needed[i], file) == 0)
			return obj->deps[i];
	for (i = 0; i < obj->nneeded; i++)
		if (obj->deps[i] && obj->deps[i]->soname &&
		    crt_strcmp(obj->deps[i]->soname, file) == 0)
			return obj->deps[i];
	return NULL;
}

/* What check_need and foreach_need carry from one need to the next: the
 * dependency the previous needed version came from (the versions of one
 * file come together, so its lookup is done once per file). */
struct need_state {
	const char *file;
	struct elf_object *dep;
	int failures;                   /* check_need */
	void (*fn)(const char *file, const char *version,
		   struct elf_object *dep, void *arg);
	void *arg;                      /* foreach_need: fn's */
};

static struct elf_object *
need_dep(struct need_state *w, struct elf_object *obj, const char *file)
{
	if (file != w->file) {
		w->file = file;
		w->dep = file ? need_target(obj, file) : NULL;
	}
	return w->dep;
}

static int
check_need(struct elf_object *obj, const char *file, const Elf64_Vernaux *va,
	   void *arg)
{
	struct need_state *w = arg;
	struct elf_object *dep = need_dep(w, obj, file);
	const char *name = object_string(obj, va->vna_name);
	struct version_entry *e = &obj->versions[va->vna_other & VERSION_INDEX_MAX];
	size_t ndx;

	/* A missing dependency was reported already; one without version
	 * definitions satisfies every need (glibc only warns in verbose
	 * mode). */
	if (!dep || !dep->verdef)
		return 0;
	TRACE(VERSIONS, "checking for version `%s' in file %s [0] "
	      "required by file %s [0]", name ? name : "?",
	      object_name(dep), object_name(obj));
	ndx = name ? def_index(dep, name, va->vna_hash) : 0;
	if (ndx > 1) {
		/* version_match's answer for dep's symbols of this version */
		e->def_obj = dep;
		e->def_ndx = ndx;
	}
	if (name && ndx == 0 && !(va->vna_flags & VER_FLG_WEAK)) {
		ld_error("%s: version `%s' not found (required by %s)",
			 object_name(dep), name, object_name(obj));
		ld_report(NULL);
		w->failures++;
	}
	return 0;
}

static int
foreach_need(struct elf_object *obj, const char *file, const Elf64_Vernaux *va,
	     void *arg)
{
	struct need_state *w = arg;
	struct elf_object *dep = need_dep(w, obj, file);
	const char *name = object_string(obj, va->vna_name);

	if (file && name)
		w->fn(file, name, dep && (!dep->verdef ||
			  def_index(dep, name, va->vna_hash)) ? dep : NULL,
		      w->arg);
	return 0;
}

void
version_foreach_need(struct elf_object *obj,
		     void (*fn)(const char *file, const char *version,
				struct elf_object *dep, void *arg),
		     void *arg)
{
	struct need_state w = { .fn = fn, .arg = arg };

	(void)need_walk(obj, foreach_need, &w);
}

int
version_check(struct elf_object *obj)
{
	struct need_state w = { .failures = 0 };

	(void)need_walk(obj, check_need, &w);
	return w.failures;
}


const struct version_entry *
version_of(const struct elf_object *obj, size_t symidx)
{
	unsigned ndx;

	if (!obj->versym || !obj->versions || symidx >= obj->nsyms)
		return NULL;
	ndx = obj->versym[symidx] & VERSION_INDEX_MAX;
	if (ndx <= 1 || ndx >= obj->nversions || !obj->versions[ndx].name)
		return NULL;
	return &obj->versions[ndx];
}

enum version_verdict
version_match(const struct elf_object *def, size_t symidx,
	      const struct version_entry *want, bool newest)
{
	const struct version_entry *have;
	unsigned raw, ndx;
	bool hidden;

	if (!def->versym || symidx >= def->nsyms)
		return VERSION_YES;
	raw = def->versym[symidx];
	ndx = raw & VERSION_INDEX_MAX;
	hidden = (raw & 0x8000) != 0;
	have = ndx < def->nversions && def->versions[ndx].name ?
	       &def->versions[ndx] : NULL;
	if (want) {
		if (want->def_obj == def && want->def_ndx == ndx)
			return VERSION_YES;
		if (have && have->hash == want->hash &&
		    crt_strcmp(have->name, want->name) == 0)
			return VERSION_YES;
		/* A versioned reference may still bind to a definition
		 * with no version of its own (index 0), if neither side
		 * is hidden. */
		return !want->hidden && !hidden && !have ? VERSION_YES : VERSION_NO;
	}
	/* Unversioned reference: indices 0 and 1 are unversioned; glibc
	 * also takes index 2 (the object's first own version) directly
	 * unless asked for the newest. */
	if (ndx < (newest ? 2u : 3u))
		return VERSION_YES;
	return hidden ? VERSION_NO : VERSION_DEFAULT;
}
