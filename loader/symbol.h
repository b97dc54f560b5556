/* SPDX-License-Identifier: MIT */
/*
 * Symbol lookup: one object (GNU hash with its bloom filter first, SysV hash
 * otherwise) and a scope (a list of objects searched in order). Versions are
 * matched as glibc does; STB_GNU_UNIQUE definitions are made unique process
 * wide. See symbol.c for the rules.
 */
#ifndef LOADER_SYMBOL_H
#define LOADER_SYMBOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"

enum symbol_lookup_flags {
	/* A JUMP_SLOT: a program's undefined function with a nonzero value
	 * (its canonical PLT address) is not a definition for it. */
	LOOKUP_PLT = 1u << 0,
	/* A COPY relocation: skip the requesting object (the program). */
	LOOKUP_SKIP_SELF = 1u << 1,
	/* dlsym without a version: the newest default version. */
	LOOKUP_NEWEST = 1u << 2,
};

struct symbol_request {
	const char *name;
	size_t name_len;               /* crt_strlen(name) */
	uint32_t gnu_hash;
	uint32_t sysv_hash;            /* computed on demand; valid if set */
	bool sysv_hash_set;
	const struct version_entry *version;   /* NULL: unversioned */
	unsigned flags;
	struct elf_object *requester;  /* may be NULL */
	/* Set by the lookup: the definition found became the process-wide
	 * one of an STB_GNU_UNIQUE symbol (the first to be looked up). */
	bool new_unique;
};

struct symbol_ref {
	const Elf64_Sym *sym;
	struct elf_object *obj;
};

/* Prepares a request for name (computes the GNU hash). */
void symbol_request_init(struct symbol_request *req, const char *name,
			 const struct version_entry *version, unsigned flags,
			 struct elf_object *requester);
/* The same for the name of requester's symbol idx (whose name offset was
 * checked). When requester's DT_GNU_HASH covers idx, its chain entry holds
 * the hash but bit 0, rebuilt at a fraction of a full hash's cost
 * (hash_gnu_from_chain): most symbolic relocations of C++ libraries name
 * symbols their own object defines. A chain entry that lies only makes
 * lookups miss (names are compared), as it does in requester itself. */
void symbol_request_init_sym(struct symbol_request *req,
			     struct elf_object *requester, size_t idx,
			     const struct version_entry *version, unsigned flags);

/* Looks name up in one object. Returns the matching defined symbol or NULL.
 * Counts bloom-filter rejections in the statistics. */
const Elf64_Sym *symbol_lookup_object(struct elf_object *obj,
				      struct symbol_request *req);

/* Looks name up in scope[0..n): first match wins, except that an
 * STB_GNU_UNIQUE symbol found anywhere is replaced by the process-wide
 * first definition of that name. Returns true and fills *out when found. */
bool symbol_lookup_scope(struct elf_object *const *scope, size_t n,
			 struct symbol_request *req, struct symbol_ref *out);
/* The same, for one part of a scope made of several lists (scope.c):
 * does not count a lookup in the statistics. */
bool symbol_lookup_list(struct elf_object *const *list, size_t n,
			struct symbol_request *req, struct symbol_ref *out);

/* The value a found symbol has at run time: obj->base + st_value, or the
 * IFUNC resolver's result for STT_GNU_IFUNC (calls the resolver). */
uintptr_t symbol_address(const struct symbol_ref *ref);

/* Whether a found definition lies where its object can define it: its
 * bytes [value, value + st_size) inside the defining object's span (a TLS
 * symbol: inside its TLS block; SHN_ABS: anywhere). A definition that
 * fails this comes from a broken file: callers report it, never use it. */
bool symbol_value_ok(const struct symbol_ref *ref);

/* Removes the STB_GNU_UNIQUE definitions obj provides from the table
 * (their slots stay taken until the table next grows): obj is about to
 * be unloaded (a failed dlopen; dlclose never unloads a provider,
 * scope.c pins it). Cannot fail. */
void symbol_forget_object(const struct elf_object *obj);

/* Forgets the STB_GNU_UNIQUE table (tests). */
void symbol_reset(void);

#endif
