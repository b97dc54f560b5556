/* SPDX-License-Identifier: MIT */
/*
 * libbad_dep.so: a dependency of libbad.so, so that libbad.so has a
 * DT_NEEDED entry for gen-bad-elf.py to break.
 */
#include "rt.h"

int bad_elf_dep_value = 1;

int
bad_elf_dep(void)
{
	return 1;
}
