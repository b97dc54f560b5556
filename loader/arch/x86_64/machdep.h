/* SPDX-License-Identifier: MIT */
/*
 * x86_64 facts as data: the R_X86_64_* relocation types mapped to the
 * generic REL_* kinds the relocator understands (psABI 4.4.1, table
 * "Relocation Types"), and how wide each one writes.
 */
#ifndef LOADER_ARCH_MACHDEP_H
#define LOADER_ARCH_MACHDEP_H

#include <elf.h>

#define ARCH_MACHINE EM_X86_64
#define ARCH_ELFCLASS ELFCLASS64
#define ARCH_PLATFORM "x86_64"
#define ARCH_LIB "lib"

/* Generic relocation kinds. */
#define REL_NONE        R_X86_64_NONE       /* nothing */
#define REL_SYMBOLIC    R_X86_64_64         /* S + A, 64 bits */
#define REL_PC64        R_X86_64_PC64       /* S + A - P, 64 bits */
#define REL_PC32        R_X86_64_PC32       /* S + A - P, signed 32 */
#define REL_SYM32       R_X86_64_32         /* S + A, zero-extended 32 */
#define REL_SYM32S      R_X86_64_32S        /* S + A, sign-extended 32 */
#define REL_GOT         R_X86_64_GLOB_DAT   /* S */
#define REL_PLT         R_X86_64_JUMP_SLOT  /* S */
#define REL_RELATIVE    R_X86_64_RELATIVE   /* B + A */
#define REL_COPY        R_X86_64_COPY       /* copy st_size bytes */
#define REL_IRELATIVE   R_X86_64_IRELATIVE  /* resolver(B + A)() */
#define REL_TPOFF       R_X86_64_TPOFF64    /* S + A - TP */
#define REL_DTPMOD      R_X86_64_DTPMOD64   /* module id */
#define REL_DTPOFF      R_X86_64_DTPOFF64   /* S + A in the block */
#define REL_TLSDESC     R_X86_64_TLSDESC    /* descriptor */

/* The relocation type of an Elf64_Rela's r_info. */
#define ARCH_R_TYPE(info) ELF64_R_TYPE(info)
#define ARCH_R_SYM(info) ELF64_R_SYM(info)

/* glibc's name for relocation type t in messages; NULL if unknown. */
const char *arch_reloc_name(unsigned type);

#endif
