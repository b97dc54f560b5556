/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: an ELF file's headers and its .dynamic, decoded from
 * memory. The input is an object's image laid out with p_vaddr ==
 * p_offset (scripts/gen-fuzz-corpus.py writes such images of the system's
 * libraries): map_check_ident, then map_validate as map_object calls them,
 * then object_scan_phdrs and object_parse_dynamic over a fake object whose
 * mapping is the input, then versions and lookups (fuzz_common.c).
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/map.h"
#include "loader/object.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *image;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *phdrs;
	struct elf_object *obj;

	fuzz_reset_state();
	/* A heap copy of exactly size bytes (aligned as malloc aligns):
	 * the object's mapping, writable like a mapped RW segment. */
	image = malloc(size ? size : 1);
	if (!image)
		return 0;
	memcpy(image, data, size);
	if (map_check_ident(image, size, "fuzz.so") != MAP_OK)
		goto out;
	eh = (const Elf64_Ehdr *)image;
	/* map_validate rejects a table outside the file before reading it;
	 * the pointer only has to be valid when the table is inside. */
	phdrs = eh->e_phoff <= size ? (const Elf64_Phdr *)(image + eh->e_phoff) :
		(const Elf64_Phdr *)image;
	if (map_validate(eh, phdrs, size, 4096, "fuzz.so") != 0)
		goto out;
	obj = fuzz_object_over(image, size);
	if (!obj)
		goto out;
	obj->phdr = phdrs;
	obj->phnum = eh->e_phnum;
	obj->e_type = eh->e_type;
	object_scan_phdrs(obj);
	/* object_scan_phdrs computed the span from the PT_LOADs; the
	 * mapping really is the input. */
	obj->map_start = (uintptr_t)image;
	obj->map_end = (uintptr_t)image + size;
	fuzz_object_exercise(obj);
	fuzz_object_free(obj);
out:
	free(image);
	return 0;
}
