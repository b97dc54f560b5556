/* SPDX-License-Identifier: MIT */
/*
 * Validating and mapping ELF files. map_validate checks an ELF header and
 * its program headers (given as the first bytes of a file) before anything
 * trusts them; map_object reserves the whole span once and maps each PT_LOAD
 * into it. Theory of operation: see map.c.
 */
#ifndef LOADER_MAP_H
#define LOADER_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"

/* Bytes read from the start of a file before validating: the ELF header and,
 * for every file this system has, the program headers too. */
#define MAP_HEAD_SIZE 1024

/* Why a header was rejected: the search goes on past wrong-class/machine
 * files (glibc does), but stops at other errors. */
enum map_verdict {
	MAP_OK = 0,
	MAP_NOT_ELF,        /* not an ELF file at all, or truncated */
	MAP_WRONG_CLASS,    /* ELFCLASS32, other data encoding */
	MAP_WRONG_MACHINE,  /* not EM_X86_64 */
	MAP_BAD,            /* an ELF file for us, but malformed */
};

/* Checks e_ident, class, data, version, machine, type (ET_EXEC or ET_DYN)
 * of the len bytes at head. Returns the verdict and sets the error message
 * ("<path>: invalid ELF header", "<path>: wrong ELF class: ELFCLASS32", ...
 * in glibc's wording) unless MAP_OK. */
enum map_verdict map_check_ident(const void *head, size_t len, const char *path);

/* Full validation: map_check_ident, then e_phentsize, e_phoff/e_phnum inside
 * the file (file_size bytes), each segment's offset and size inside the
 * file, PT_LOADs present, sorted, not overlapping, p_offset == p_vaddr
 * modulo the page size, p_filesz <= p_memsz, p_align a power of two, no
 * address arithmetic overflow, at most one PT_DYNAMIC/PT_TLS/PT_INTERP.
 * phdrs points at the program headers (inside head when they fit, else
 * read separately). Returns 0 or -ENOEXEC with the message set. */
int map_validate(const Elf64_Ehdr *eh, const Elf64_Phdr *phdrs,
		 uint64_t file_size, size_t page_size, const char *path);

/* Maps the file open on fd (already validated or not: map_object
 * validates). Reserves [lowest, highest) rounded to pages, aligned to the
 * largest p_align, then maps each PT_LOAD with MAP_FIXED and its
 * permissions, zeroes the tail of the last file page of writable segments
 * and maps anonymous pages for the rest of .bss. Fills base, map_start/end,
 * phdr (pointing into the mapping when PT_PHDR or the first page covers it,
 * else a copy), entry, dev/ino, and the PT_* facts. Does not parse .dynamic.
 * Returns the new object, or NULL with the message set; on failure nothing
 * stays mapped. */
struct elf_object *map_object(int fd, const char *path);

/* map_object for a library (a dependency, a preload, a dlopen): an
 * executable (ET_EXEC) is refused before anything is mapped, with glibc's
 * "cannot dynamically load executable". */
struct elf_object *map_library(int fd, const char *path);

/* Makes PT_GNU_RELRO read-only (after relocation). Returns 0 or -errno. */
int map_protect_relro(struct elf_object *obj);

/* For DT_TEXTREL: makes every non-writable PT_LOAD writable (writable=true)
 * or restores the original permissions (false). Returns 0 or -errno. */
int map_set_text_writable(struct elf_object *obj, bool writable);

/* Unmaps the object's span (dlclose, failed loads). */
void map_unmap(struct elf_object *obj);

#endif
