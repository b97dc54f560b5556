/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/tls.c: module ids (lowest free first, given back by
 * tls_release), the static layout (blocks stacked down from the thread
 * pointer, each aligned with the segment's own misalignment kept, the
 * surplus as the only room after start-up, the last block given back),
 * tls_finish_layout's sizes, and a thread's TLS from tls_allocate: the
 * DTV points at each static block, .tdata copied, .tbss zeroed, and
 * tls_deallocate frees it (the sanitized run checks for leaks). The
 * thread pointer itself is never set here.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "loader/object.h"
#include "loader/state.h"
#include "loader/tls.h"
#include "machdep.h"
#include "tests/unit/unit.h"

/* A PT_TLS image: bytes 0..filesz of .tdata, the rest .tbss. */
static const unsigned char image[64] __attribute__((aligned(64))) = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};

static struct elf_object objs[8];

/* A fresh object with a TLS segment of memsz bytes (filesz of them
 * initialised) aligned to align; the segment starts misalign bytes past
 * an aligned address of the file. */
static struct elf_object *
tls_obj(unsigned i, size_t memsz, size_t filesz, size_t align, size_t misalign)
{
	struct elf_object *o = &objs[i];

	memset(o, 0, sizeof(*o));
	o->path = "tls.so";
	o->base = 0x10000;
	o->tls_image = (const char *)o->base + 0x1000 + misalign;
	o->tls_memsz = memsz;
	o->tls_filesz = filesz;
	o->tls_align = align;
	return o;
}

static void
reset(void)
{
	memset(&ld_state.tls, 0, sizeof(ld_state.tls));
	ld_state.startup_done = false;
}

START_TEST(tls_assign_stacks_blocks_below_tp)
{
	/* tls.c's example: /bin/ls's libselinux, then libc. */
	struct elf_object *a = tls_obj(0, 232, 0, 8, 0), *b = tls_obj(1, 144, 0, 8, 0);

	ck_assert_int_eq(tls_assign(a, true), 0);
	ck_assert_int_eq(tls_assign(b, true), 0);
	ck_assert_uint_eq(a->tls_modid, 1);
	ck_assert_uint_eq(b->tls_modid, 2);
	ck_assert_int_eq(a->tls_offset, 232);
	ck_assert_int_eq(b->tls_offset, 376);
	ck_assert_uint_eq(ld_state.tls.static_used, 376);
	tls_publish();
	ck_assert_ptr_eq(tls_module(1), a);
	ck_assert_ptr_eq(tls_module(2), b);
}
END_TEST

START_TEST(tls_assign_keeps_the_segments_alignment)
{
	/* 5 bytes aligned to 32, the segment 8 bytes past a 32 boundary: the
	 * block's start (tp - offset) must be 8 past one too. */
	struct elf_object *a = tls_obj(0, 12, 0, 8, 0), *b = tls_obj(1, 5, 0, 32, 8);

	ck_assert_int_eq(tls_assign(a, true), 0);
	ck_assert_int_eq(tls_assign(b, true), 0);
	ck_assert_int_ge(b->tls_offset, 12 + 5);
	ck_assert_int_eq((-(b->tls_offset)) & 31, 8);
	ck_assert_uint_eq(ld_state.tls.static_align, 32);
}
END_TEST

START_TEST(tls_assign_ids_beyond_the_first_chunk)
{
	/* Ids past the module table's first chunk get chunks added on
	 * demand, and tls_module finds them there. */
	static struct elf_object many[2 * TLS_CHUNK_SLOTS + 3];
	size_t n = sizeof(many) / sizeof(many[0]);

	for (size_t i = 0; i < n; i++) {
		many[i] = (struct elf_object){ .path = "tls.so", .tls_memsz = 8,
					       .tls_align = 8 };
		ck_assert_int_eq(tls_assign(&many[i], false), 0);
		ck_assert_uint_eq(many[i].tls_modid, i + 1);
	}
	tls_publish();
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_eq(tls_module(i + 1), &many[i]);
	ck_assert_ptr_null(tls_module(n + 1));
}
END_TEST

START_TEST(tls_assign_dynamic_takes_no_static_space)
{
	struct elf_object *a = tls_obj(0, 100, 0, 16, 0);

	ck_assert_int_eq(tls_assign(a, false), 0);
	ck_assert_uint_eq(a->tls_modid, 1);
	ck_assert_int_eq(a->tls_offset, 0);
	ck_assert_uint_eq(ld_state.tls.static_used, 0);
	/* Once assigned, a second call changes nothing. */
	ck_assert_int_eq(tls_assign(a, true), 0);
	ck_assert_int_eq(a->tls_offset, 0);
}
END_TEST

START_TEST(tls_release_reuses_ids_and_gives_back_the_last_block)
{
	struct elf_object *a = tls_obj(0, 64, 0, 8, 0), *b, *c, *d;
	size_t gen;

	ck_assert_int_eq(tls_assign(a, true), 0);
	tls_finish_layout();
	ld_state.startup_done = true;
	b = tls_obj(1, 40, 0, 8, 0);
	c = tls_obj(2, 24, 0, 8, 0);
	ck_assert_int_eq(tls_assign(b, true), 0);
	ck_assert_int_eq(tls_assign(c, true), 0);
	tls_publish();
	ck_assert_int_eq(c->tls_offset, 64 + 40 + 24);
	gen = ld_state.tls.generation;
	/* c lies below b: b's space stays used until c goes. */
	tls_release(b);
	ck_assert_uint_gt(ld_state.tls.generation, gen);
	ck_assert_ptr_null(tls_module(2));
	ck_assert_uint_eq(ld_state.tls.static_used, 64 + 40 + 24);
	tls_release(c);
	ck_assert_uint_eq(ld_state.tls.static_used, 64 + 40);
	/* The lowest free id comes back first. */
	d = tls_obj(3, 8, 0, 8, 0);
	ck_assert_int_eq(tls_assign(d, false), 0);
	ck_assert_uint_eq(d->tls_modid, 2);
}
END_TEST

START_TEST(tls_assign_after_startup_only_in_the_surplus)
{
	struct elf_object *a = tls_obj(0, 64, 0, 8, 0), *big, *small;

	ck_assert_int_eq(tls_assign(a, true), 0);
	tls_finish_layout();
	ck_assert_uint_eq(ld_state.tls.static_limit, 64 + TLS_STATIC_SURPLUS);
	big = tls_obj(1, TLS_STATIC_SURPLUS + 1, 0, 8, 0);
	ck_assert_int_eq(tls_assign(big, true), -ENOMEM);
	ck_assert_uint_eq(big->tls_modid, 0);
	ck_assert_int_eq(big->tls_offset, 0);
	ck_assert_uint_eq(ld_state.tls.static_used, 64);
	/* A block more aligned than the area cannot go there either. */
	big = tls_obj(1, 8, 0, 4096, 0);
	ck_assert_int_eq(tls_assign(big, true), -ENOMEM);
	small = tls_obj(2, TLS_STATIC_SURPLUS, 0, 8, 0);
	ck_assert_int_eq(tls_assign(small, true), 0);
	ck_assert_uint_eq(ld_state.tls.static_used, 64 + TLS_STATIC_SURPLUS);
}
END_TEST

START_TEST(tls_finish_layout_sizes_the_area)
{
	struct elf_object *a = tls_obj(0, 100, 0, 16, 0);

	ck_assert_int_eq(tls_assign(a, true), 0);
	tls_set_tcb(2304, 64);
	tls_finish_layout();
	ck_assert_uint_eq(ld_state.tls.static_align, 64);
	ck_assert_uint_eq(ld_state.tls.static_size,
			  ((112 + TLS_STATIC_SURPLUS + 63) & ~(size_t)63) + 2304);
	ck_assert_uint_ge(ld_state.tls.generation, 1);
}
END_TEST

START_TEST(tls_allocate_fills_a_threads_blocks)
{
	struct elf_object *a = tls_obj(0, 48, 16, 16, 0), *d = tls_obj(1, 32, 0, 8, 0);
	union dtv_slot *dtv;
	unsigned char *block;
	char *tcb;

	a->tls_image = image;
	ck_assert_int_eq(tls_assign(a, true), 0);
	ck_assert_int_eq(tls_assign(d, false), 0);
	tls_set_tcb(ARCH_TCB_MIN_SIZE, 64);
	tls_finish_layout();
	tls_publish();
	tcb = tls_allocate(NULL);
	ck_assert_ptr_nonnull(tcb);
	ck_assert_uint_eq((uintptr_t)tcb % 64, 0);
	dtv = *(union dtv_slot **)(tcb + ARCH_TCB_DTV_OFFSET);
	ck_assert_uint_ge(dtv[-1].counter, 2);
	block = (unsigned char *)tcb - a->tls_offset;
	ck_assert_ptr_eq(dtv[1].pointer.val, block);
	ck_assert_int_eq(memcmp(block, image, 16), 0);
	for (size_t i = 16; i < 48; i++)
		ck_assert_uint_eq(block[i], 0);
	/* The dynamic module's block is made on first use. */
	ck_assert_ptr_eq(dtv[2].pointer.val, TLS_DTV_UNALLOCATED);
	tls_deallocate(tcb, true);
}
END_TEST

static Suite *
tls_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc;

	tc = tcase_create("tls_assign");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_add_test(tc, tls_assign_stacks_blocks_below_tp);
	tcase_add_test(tc, tls_assign_keeps_the_segments_alignment);
	tcase_add_test(tc, tls_assign_dynamic_takes_no_static_space);
	tcase_add_test(tc, tls_assign_ids_beyond_the_first_chunk);
	tcase_add_test(tc, tls_assign_after_startup_only_in_the_surplus);
	suite_add_tcase(s, tc);

	tc = tcase_create("tls_release");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_add_test(tc, tls_release_reuses_ids_and_gives_back_the_last_block);
	suite_add_tcase(s, tc);

	tc = tcase_create("tls_finish_layout");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_add_test(tc, tls_finish_layout_sizes_the_area);
	suite_add_tcase(s, tc);

	tc = tcase_create("tls_allocate");
	tcase_add_checked_fixture(tc, reset, NULL);
	tcase_add_test(tc, tls_allocate_fills_a_threads_blocks);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(tls_suite());
}
