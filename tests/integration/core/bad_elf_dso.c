/* SPDX-License-Identifier: MIT */
/*
 * libbad.so: the valid library from which gen-bad-elf.py derives the
 * broken-library corpus. Like bad_elf.c it carries DT_NEEDED
 * (libbad_dep.so), RELATIVE, GLOB_DAT and JUMP_SLOT relocations and
 * DT_INIT_ARRAY, so that every .dynamic variant breaks something real.
 */
#include "rt.h"

int bad_elf_dep(void);
extern int bad_elf_dep_value;

static int forty = 40;
static int *const forty_p = &forty;
static int initialised;

__attribute__((constructor)) static void
ctor(void)
{
	initialised = 1;
}

int
bad_elf_lib(void)
{
	return *forty_p + bad_elf_dep() + bad_elf_dep_value + initialised - 1;
}
