/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the libFuzzer harnesses (tests/fuzz/fuzz_*.c): an
 * in-memory object over the fuzzer's bytes, exercised the way the loader
 * uses one after object_parse_dynamic (versions, hash tables, lookups).
 * Hosted code: built only with -Dfuzz=true (scripts/fuzz.sh).
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"

/* The loader state every harness starts from: 4 KiB pages, start-up
 * finished (messages are stored, not printed), nothing loaded. */
void fuzz_reset_state(void);

/* A new object whose mapping is exactly the len bytes at image (base =
 * image, map_start/map_end = [image, image+len)): an object laid out with
 * p_vaddr == p_offset. NULL on OOM. */
struct elf_object *fuzz_object_over(unsigned char *image, size_t len);

/* object_parse_dynamic, then (on success) version_setup, version_check
 * and version_foreach_need against the object itself as every dependency,
 * version_of for each symbol, and lookups of the object's own names, with
 * and without their versions, through the hash tables. Frees nothing. */
void fuzz_object_exercise(struct elf_object *obj);

/* Frees obj and what the loader allocated in it. */
void fuzz_object_free(struct elf_object *obj);

/* A NUL-terminated copy of data (malloc'd): libFuzzer's bytes are not. */
char *fuzz_strndup(const uint8_t *data, size_t len);

#endif
