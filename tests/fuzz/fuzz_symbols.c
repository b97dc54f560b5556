/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: hash tables (DT_GNU_HASH with its bloom filter,
 * DT_HASH) and version tables (DT_VERSYM, DT_VERDEF, DT_VERNEED) of an
 * in-memory object, then symbol lookups. No ELF header to get past: the
 * first 4 bytes (little-endian) are the offset of .dynamic in the input,
 * which is the object's whole mapping with p_vaddr == p_offset, so the
 * fuzzer spends its time on the tables (scripts/gen-fuzz-corpus.py writes
 * such images of the system's libraries).
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "loader/object.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *image;
	struct elf_object *obj;
	uint32_t dyn;

	if (size < 4)
		return 0;
	fuzz_reset_state();
	image = malloc(size);
	if (!image)
		return 0;
	memcpy(image, data, size);
	memcpy(&dyn, image, 4);
	obj = fuzz_object_over(image, size);
	if (obj) {
		/* Like PT_DYNAMIC's p_vaddr: unchecked until
		 * object_parse_dynamic checks it. */
		obj->dynamic = (Elf64_Dyn *)(obj->base + dyn);
		fuzz_object_exercise(obj);
		fuzz_object_free(obj);
	}
	free(image);
	return 0;
}
