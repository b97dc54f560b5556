/* SPDX-License-Identifier: MIT */
/*
 * ELF images built in memory for the unit tests of the modules that read
 * ELF (map, object, symbol, version, reloc). Two shapes:
 *
 * - struct eb_file: the bytes of a file, an ELF header and program headers
 *   from a table, the rest a recognisable non-zero pattern. For
 *   map_check_ident, map_validate and (written to a temporary file)
 *   map_object.
 * - struct eb_image: a small shared object described by a struct eb_spec
 *   (symbols, hash tables, versions, relocations), laid out with p_vaddr ==
 *   p_offset and copied into an anonymous mapping followed by a PROT_NONE
 *   guard page, with a struct elf_object filled as map.c would (base,
 *   map_start/map_end, phdr, dynamic). Its file bytes are kept too.
 * The builder has its own hash functions: it does not trust hash.c.
 */
#ifndef TESTS_UNIT_ELF_BUILDER_H
#define TESTS_UNIT_ELF_BUILDER_H

#include <check.h>
#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/error.h"
#include "loader/object.h"
#include "loader/version.h"

/* ---- Files: headers from a table ---- */

struct eb_file {
	unsigned char *data;     /* malloc'd, size bytes */
	size_t size;
};

struct eb_segment {
	uint32_t type;           /* PT_* */
	uint32_t flags;          /* PF_* */
	uint64_t offset, vaddr, filesz, memsz, align;
};

/* A little-endian x86-64 ET_DYN file of size bytes: the ELF header, the
 * program headers segs[0..n) at offset 64, and eb_pattern() bytes after
 * them. size must hold the headers. */
void eb_file_init(struct eb_file *f, const struct eb_segment *segs, size_t n,
		  size_t size);
void eb_file_free(struct eb_file *f);
Elf64_Ehdr *eb_ehdr(const struct eb_file *f);
Elf64_Phdr *eb_phdrs(const struct eb_file *f);

/* The byte the pattern puts at file offset off: never zero. */
unsigned char eb_pattern(uint64_t off);

/* Writes f to a new, already unlinked temporary file and returns a
 * read-only descriptor for it (the test closes it). */
int eb_file_open(const struct eb_file *f);

/* ---- Shared objects: dynamic section, symbols, tables ---- */

/* st_shndx for a defined symbol (any section index will do). */
#define EB_DEFINED 1
/* Where the data area starts (p_vaddr): page 1, after the headers. */
#define EB_DATA 0x1000
/* DT_NULL entries after the last real one, for tests that add entries. */
#define EB_SPARE_DYN 4

enum eb_hash_style {
	EB_HASH_GNU = 1u << 0,
	EB_HASH_SYSV = 1u << 1,
};

struct eb_symbol {
	const char *name;
	unsigned char bind;      /* STB_* */
	unsigned char type;      /* STT_* */
	uint16_t shndx;          /* SHN_UNDEF, EB_DEFINED or SHN_ABS */
	uint64_t value;          /* st_value (relative to the base) */
	uint64_t size;
	uint16_t versym;         /* DT_VERSYM value; 0 is written as 1 */
	unsigned char other;     /* STV_* */
};

/* One version definition (one Verdaux each). */
struct eb_verdef {
	const char *name;
	uint16_t ndx;
	uint16_t flags;          /* VER_FLG_BASE for the file's own name */
};

/* One version need; consecutive entries with the same file share one
 * Elf64_Verneed. */
struct eb_verneed {
	const char *file;
	const char *name;
	uint16_t other;          /* the index DT_VERSYM uses; 0x8000 hidden */
	uint16_t flags;          /* VER_FLG_WEAK */
};

/* One Elf64_Rela: r_offset = EB_DATA + offset; sym NULL for index 0. */
struct eb_rela {
	uint64_t offset;
	uint32_t type;           /* R_X86_64_* */
	const char *sym;
	int64_t addend;
};

struct eb_spec {
	const char *path;                    /* obj->path; "test.so" if NULL */
	unsigned hash;                       /* enum eb_hash_style; 0: GNU */
	const struct eb_symbol *syms;
	size_t nsyms;
	const char *const *needed;
	size_t nneeded;
	const char *soname;
	const struct eb_verdef *verdefs;
	size_t nverdefs;
	const struct eb_verneed *verneeds;
	size_t nverneeds;
	bool versym;                         /* DT_VERSYM even without the above */
	const struct eb_rela *relas;         /* DT_RELA */
	size_t nrelas;
	const struct eb_rela *plt_relas;     /* DT_JMPREL, with a 3-word GOT */
	size_t nplt_relas;
	size_t data_size;                    /* zeroed bytes at EB_DATA */
};

struct eb_image {
	struct eb_file file;                 /* the same bytes, as a file */
	unsigned char *mem;                  /* mapping: size + guard page */
	size_t size;                         /* page-rounded image size */
	struct elf_object *obj;              /* from object_new */
	/* Where the builder put things (p_vaddr, add base for addresses). */
	uint64_t dynamic, dynsym, dynstr, gnu_hash, sysv_hash, versym;
	uint64_t verdef, verneed, rela, jmprel, got;
	size_t ndyn;                         /* entries before DT_NULL */
	size_t dyn_cap;                      /* ndyn + spare DT_NULLs */
	/* Symbol names in symbol-table order (index 0: ""). */
	const char **names;
	size_t nnames;
};

/* Lays out spec, maps it and fills obj (a new object, which img owns
 * from now on) as map.c would: base, map_start/map_end, phdr, dynamic.
 * .dynamic is left to object_parse_dynamic. ck_asserts on failure. */
void eb_image_map(struct eb_image *img, const struct eb_spec *spec,
		  struct elf_object *obj);
/* Unmaps and frees the builder's part (not img->obj). */
void eb_image_unmap(struct eb_image *img);

/* The glue to the loader is inline, so elf_builder.c links into test
 * programs without loader_core. */

/* eb_image_map with an object from object_new (path: spec->path, or
 * "test.so"). */
static inline void
eb_image_build(struct eb_image *img, const struct eb_spec *spec)
{
	eb_image_map(img, spec, object_new(spec->path ? spec->path : "test.so"));
}

/* eb_image_build, then object_parse_dynamic and version_setup, asserting
 * both succeed. Returns img->obj. */
static inline struct elf_object *
eb_image_load(struct eb_image *img, const struct eb_spec *spec)
{
	int err;

	eb_image_build(img, spec);
	err = object_parse_dynamic(img->obj);
	ck_assert_msg(err == 0, "object_parse_dynamic: %d %s", err,
		      ld_error_message());
	err = version_setup(img->obj);
	ck_assert_msg(err == 0, "version_setup: %d %s", err, ld_error_message());
	return img->obj;
}

/* Frees the object with what the loader allocated in it (needed, deps,
 * versions), then the image. */
static inline void
eb_image_free(struct eb_image *img)
{
	if (img->obj)
		object_free(img->obj);
	img->obj = NULL;
	eb_image_unmap(img);
}

/* The symbol-table index of name (ck_asserts it exists). The builder
 * reorders symbols for DT_GNU_HASH: ask instead of counting. */
size_t eb_symbol_index(const struct eb_image *img, const char *name);
/* The first .dynamic entry with tag, or NULL. */
Elf64_Dyn *eb_dyn_find(const struct eb_image *img, int64_t tag);
/* Adds an entry in place of the first spare DT_NULL. */
void eb_dyn_add(struct eb_image *img, int64_t tag, uint64_t value);
/* base + vaddr, as a pointer into the mapping. */
void *eb_at(const struct eb_image *img, uint64_t vaddr);

/* The hash functions, written independently of loader/hash.c. */
uint32_t eb_hash_sysv(const char *name);
uint32_t eb_hash_gnu(const char *name);

#endif
