/* SPDX-License-Identifier: MIT */
/*
 * struct elf_object: one loaded ELF file (the program, myld.so itself, the
 * vDSO, or a shared library) and what the loader learnt from its program
 * headers and .dynamic. Created by map.c (or object_from_memory for objects
 * the kernel mapped), filled by object_parse_dynamic, linked into the load
 * list in state.h, and read by every later stage.
 */
#ifndef LOADER_OBJECT_H
#define LOADER_OBJECT_H

#include <elf.h>
#include <link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One entry of an object's version table, indexed by the values that
 * DT_VERSYM holds (gABI "Symbol Versioning"). Built from DT_VERDEF (versions
 * the object defines) and DT_VERNEED (versions it requires of others). */
struct version_entry {
	const char *name;     /* NULL: index unused */
	uint32_t hash;        /* ELF (SysV) hash of name */
	bool hidden;          /* VER_FLG_WEAK need / non-default definition */
	const char *file;     /* for a need: the DT_NEEDED name it binds to */
	/* Where the version is defined, for a definition (the object
	 * itself) and, once version_check found it, for a need: a symbol
	 * of def_obj at index def_ndx matches without a string compare. */
	const struct elf_object *def_obj;
	size_t def_ndx;
};

/* What a dependency entry of an object is (its .dynamic tag). */
enum object_dep_kind {
	DEP_NEEDED,          /* DT_NEEDED */
	DEP_FILTER,          /* DT_FILTER: standard filtee, must be found */
	DEP_AUXILIARY,       /* DT_AUXILIARY: auxiliary filtee, may be missing */
};

struct scope_roots;      /* scope.h */
struct scope_reldeps;    /* scope.h */

struct elf_object {
	/* Load list (state.h): in load order, the program first. */
	struct elf_object *next, *prev;

	/* Names. path is what was opened (glibc's l_name), "" never: the
	 * program's path is its argv[0] or the path given on the command
	 * line. soname is DT_SONAME or NULL. name_for_messages is path,
	 * except for the program whose messages use argv[0]. */
	char *path;
	const char *soname;
	char *libname;            /* the DT_NEEDED name it was loaded as */
	char *origin;            /* directory for $ORIGIN, NULL if unknown */
	dev_t dev;
	ino_t ino;

	/* Where it lives. base is the load bias (l_addr): add it to a
	 * p_vaddr or d_ptr to get an address. */
	uintptr_t base;
	uintptr_t map_start, map_end;   /* the reserved span, page aligned */
	const Elf64_Phdr *phdr;
	size_t phnum;
	uintptr_t entry;                /* 0 for a library */
	Elf64_Dyn *dynamic;
	uintptr_t relro_start;          /* absolute, page aligned; 0: none */
	size_t relro_size;
	uint32_t stack_flags;           /* PT_GNU_STACK p_flags (PF_X ...) */
	uint16_t e_type;                /* ET_EXEC or ET_DYN */

	/* From .dynamic, addresses already biased. */
	const char *strtab;
	size_t strsz;
	const Elf64_Sym *symtab;
	const uint32_t *sysv_hash;      /* DT_HASH */
	const uint32_t *gnu_hash;       /* DT_GNU_HASH */
	/* Decoded DT_GNU_HASH header (see hash.c). The bloom filter is
	 * never NULL: object_new gives every object object_bloom_pass (one
	 * all-ones word, mask 0, shift 0), which lets every name through,
	 * until parse_gnu_hash replaces it, so that a scope walk tests each
	 * object without asking whether it has one. */
	uint32_t gnu_nbuckets, gnu_symoffset;
	uint32_t gnu_symend;            /* symbols [symoffset, symend) are
					   in the chains (parse_gnu_hash) */
	uint32_t gnu_bloom_mask;        /* words - 1 (a power of two - 1) */
	uint32_t gnu_bloom_shift;
	const uint64_t *gnu_bloom;
	const uint32_t *gnu_buckets;
	const uint32_t *gnu_chain;      /* entry i is symbol gnu_symoffset+i */
	size_t nsyms;                   /* from DT_HASH, or counted; 0 unknown */
	const Elf64_Rela *rela;
	size_t relasz;
	size_t relacount;               /* DT_RELACOUNT: leading RELATIVEs */
	const Elf64_Rela *jmprel;       /* DT_JMPREL (DT_PLTREL must be RELA) */
	size_t pltrelsz;
	const uint64_t *relr;
	size_t relrsz;
	uintptr_t *pltgot;
	const Elf64_Half *versym;
	const Elf64_Verdef *verdef;
	size_t verdefnum;
	const Elf64_Verneed *verneed;
	size_t verneednum;
	void (*init)(int, char **, char **);
	void (*fini)(void);
	void (**init_array)(int, char **, char **);
	size_t init_arraysz;            /* entries, not bytes */
	void (**fini_array)(void);
	size_t fini_arraysz;
	void (**preinit_array)(int, char **, char **);
	size_t preinit_arraysz;
	const char *rpath;              /* DT_RPATH string, unexpanded */
	const char *runpath;            /* DT_RUNPATH string, unexpanded */
	uint64_t flags, flags_1;        /* DT_FLAGS, DT_FLAGS_1 */
	bool textrel, symbolic, bind_now;

	/* Dependency entries in .dynamic order: the names of DT_NEEDED,
	 * DT_FILTER and DT_AUXILIARY (a filter's filtees: object_dep_kind
	 * tells which) and the objects they resolved to. A filtee is a
	 * dependency like a needed object (initialised before the filter,
	 * kept loaded by it); deps.c's search lists put it before its
	 * filter. dep_kinds: NULL when every entry is DT_NEEDED. */
	const char **needed;
	size_t nneeded;
	struct elf_object **deps;       /* nneeded entries, NULL if not found
	                                   (a missing auxiliary filtee, ldd) */
	uint8_t *dep_kinds;             /* enum object_dep_kind, or NULL */

	/* Versions: versions[i] for a DT_VERSYM value i; nversions entries. */
	struct version_entry *versions;
	size_t nversions;

	/* Thread-local storage (PT_TLS); filled by tls.c. */
	const void *tls_image;
	size_t tls_filesz, tls_memsz, tls_align;
	size_t tls_modid;
	size_t tls_gen;                 /* generation that gave it tls_modid */
	ptrdiff_t tls_offset;           /* thread pointer - block start */
	size_t tls_static_below;        /* static bytes used before it */

	/* Symbol lookup beyond the global scope (scope.c owns these). For
	 * an object dlopen loaded as the named one (a root): its search
	 * list, itself then its dependencies breadth-first, fixed once
	 * loaded. scope: for an object loaded by dlopen, the roots whose
	 * search lists it looks symbols up in after the current global
	 * scope (the first one before it with RTLD_DEEPBIND); NULL for what
	 * start-up loaded (the global scope only). Replaced whole, never
	 * changed in place: lazy binding reads it without a lock. */
	struct elf_object **searchlist;
	size_t nsearchlist;
	struct scope_roots *scope;
	bool deepbind;
	bool lazy;                      /* JUMP_SLOTs bound on first call */

	/* Relocation dependencies (scope.c): loaded objects outside its
	 * DT_NEEDED closure that its references bound to; they stay loaded
	 * as long as it does. pinned: a start-up object binds to it, or
	 * recording such a dependency failed: it stays for good. */
	struct scope_reldeps *reldeps;
	bool pinned;

	/* For an object a dlopen named (a root): its search list sorted as
	 * when it was first opened so, itself first, dependents before
	 * dependencies (glibc's l_initfini); init and fini sorts follow it
	 * out of the object. NULL for the others, which the sorts leave
	 * through their DT_NEEDED entries. init.c owns it: set once, under
	 * the load lock; freed with the object. */
	struct elf_object **initfini;
	size_t ninitfini;
	uint64_t serial;                /* load number, never reused */

	/* Who first asked for it (for DT_RPATH inheritance and messages). */
	struct elf_object *loader;
	unsigned open_count;            /* dlopen references not yet closed */
	bool nodelete;                  /* RTLD_NODELETE / DF_1_NODELETE */
	bool at_startup;                /* loaded before the program ran */

	/* Progress. */
	bool is_main, is_self, is_vdso;
	bool missing;                   /* ldd mode: a library not found */
	bool used;                      /* ldd -u: the program binds to it */
	bool mapped_by_us;              /* false for what the kernel mapped */
	bool relocated;
	bool text_writable;             /* DT_TEXTREL, until reloc_finish */
	bool init_started, init_done, fini_done;

	/* dlclose: the next object to free once readers are gone. */
	struct elf_object *unload_next;

	/* The debugger's view of it (debug.c): the public struct link_map. */
	struct link_map debug_map;

	/* Opaque pointer owned by loader/glibc: the glibc-layout link_map. */
	void *adapter;
};

/* Fills the dynamic-section fields of obj from obj->dynamic (already
 * biased pointers into mapped memory). Validates what it reads: string and
 * symbol tables inside the mapping, DT_PLTREL == DT_RELA, counts that fit.
 * Returns 0, or -ENOEXEC with the error message set ("<path>: <what>"). */
int object_parse_dynamic(struct elf_object *obj);

/* Reads the program headers of an already-mapped object (the program from
 * AT_PHDR, myld.so, the vDSO): finds PT_DYNAMIC, PT_TLS, PT_GNU_RELRO,
 * PT_GNU_STACK and the span. base must already be set. */
void object_scan_phdrs(struct elf_object *obj);

/* The PT_LOAD of obj whose memory image holds all of [addr, addr+len)
 * and whose p_flags include every flag of need (e.g. PF_X), or NULL;
 * object_in_segment: whether there is one. */
const Elf64_Phdr *object_segment_of(const struct elf_object *obj,
				    uintptr_t addr, size_t len, uint32_t need);
bool object_in_segment(const struct elf_object *obj, uintptr_t addr,
		       size_t len, uint32_t need);

/* Checks what object_scan_phdrs derived from the program headers before
 * the loader acts on it: PT_GNU_RELRO (mprotected after relocation) and
 * the PT_TLS image (copied into every thread) lie inside the object's
 * span. Returns 0, or -ENOEXEC with the message set ("<path>: <field>
 * ..."). */
int object_check_layout(const struct elf_object *obj);

/* Checks that the entry point of a program myld will jump to lies in an
 * executable PT_LOAD. Returns 0, or -ENOEXEC with the message set. */
int object_check_entry(const struct elf_object *obj);

/* A new zeroed object with the given path (copied). NULL on OOM. */
/* The bloom filter of an object without DT_GNU_HASH: passes every name. */
extern const uint64_t object_bloom_pass[1];

struct elf_object *object_new(const char *path);
/* Frees an object's own allocations and the object (not its mapping). */
void object_free(struct elf_object *obj);

/* The name glibc prints for obj in messages and traces: its path, or for
 * the program, argv[0]. */
const char *object_name(const struct elf_object *obj);

/* A set of objects, for one walk over the object graph (its visited
 * set: every walk brings its own, none shares a mark field in the
 * objects). Zero-initialised it is empty; it belongs to its caller, so it
 * needs no lock. Open addressing on the object's address. */
struct object_set {
	const struct elf_object **slots;
	size_t cap, len;                /* cap: 0 or a power of two */
};

/* Adds obj. Returns 1 when it was not in the set, 0 when it was, -ENOMEM
 * (set unchanged, no message) when the set could not grow. */
int object_set_add(struct object_set *set, const struct elf_object *obj);
/* True when obj is in the set. */
bool object_set_has(const struct object_set *set, const struct elf_object *obj);
/* Frees the set's table; the set is empty again. */
void object_set_free(struct object_set *set);

/* The kind of obj's dependency entry i (i < obj->nneeded). */
static inline enum object_dep_kind
object_dep_kind(const struct elf_object *obj, size_t i)
{
	return obj->dep_kinds ? (enum object_dep_kind)obj->dep_kinds[i] : DEP_NEEDED;
}

/* The slot of a dynamic tag in a table indexed by tag, as glibc's l_info
 * numbers them (fact sheet 3.6: the standard tags, then DT_VERSYM..
 * DT_VERNEEDNUM, DT_FILTER..DT_AUXILIARY, the DT_VALRNG and DT_ADDRRNG
 * tags), or -1 for a tag without one. object.c decodes .dynamic into such
 * a table; glibc's link maps are one. */
#define OBJECT_DYN_SLOTS (DT_NUM + DT_VERSIONTAGNUM + DT_EXTRANUM + \
			  DT_VALNUM + DT_ADDRNUM)

static inline int
object_dyn_index(int64_t tag)
{
	if (tag >= 0 && tag < DT_NUM)
		return (int)tag;
	if (tag >= DT_VERSYM && tag <= DT_VERNEEDNUM)
		return DT_NUM + (int)(DT_VERNEEDNUM - tag);
	if (tag >= DT_AUXILIARY && tag <= DT_FILTER)
		return DT_NUM + DT_VERSIONTAGNUM + (int)(DT_FILTER - tag);
	if (tag >= DT_GNU_PRELINKED && tag <= DT_VALRNGHI)
		return DT_NUM + DT_VERSIONTAGNUM + DT_EXTRANUM +
		       (int)(DT_VALRNGHI - tag);
	if (tag >= DT_GNU_HASH && tag <= DT_ADDRRNGHI)
		return DT_NUM + DT_VERSIONTAGNUM + DT_EXTRANUM + DT_VALNUM +
		       (int)(DT_ADDRRNGHI - tag);
	return -1;
}

/* The string at offset off of obj's DT_STRTAB, or NULL when off is past
 * DT_STRSZ (object_parse_dynamic made sure the table ends in a NUL). */
static inline const char *
object_string(const struct elf_object *obj, uint64_t off)
{
	return off < obj->strsz ? obj->strtab + off : NULL;
}

/* Bounds check helper: true when [addr, addr+len) lies inside the object's
 * mapped span. Inline: it guards every relocation. */
static inline bool
object_contains(const struct elf_object *obj, uintptr_t addr, size_t len)
{
	return addr >= obj->map_start && addr <= obj->map_end &&
	       len <= obj->map_end - addr;
}

#endif
