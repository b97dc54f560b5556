/* SPDX-License-Identifier: MIT */
/*
 * Thread-local storage, variant II (x86_64 psABI 3.4.6). Stage 2 and later.
 *
 * Theory of operation. Every object with a PT_TLS segment gets a module
 * id, 1, 2, ... in load order. Objects loaded at start-up also get a fixed
 * place in the static TLS area, which lies just below the thread pointer
 * (tp): module blocks are stacked downwards, each aligned as its PT_TLS
 * asks, and l_tls_offset-style offsets count down from tp. For /bin/ls:
 *
 *   libselinux  modid 1  memsz 232 align 8  -> offset 232: block tp-232
 *   libc.so.6   modid 2  memsz 144 align 8  -> offset 376: block tp-376
 *
 * Below the used part we keep TLS_STATIC_SURPLUS bytes for libraries
 * dlopen'ed later with initial-exec TLS. The area is laid out as
 *
 *   [ surplus | libc | libselinux ]tp[ TCB (struct pthread) ]
 *
 * with tp aligned to the largest alignment. A TPOFF64 relocation for a
 * variable at offset v in module m is v - offset(m), a negative number
 * added to %fs:0. The DTV (dynamic thread vector) maps module ids to block
 * addresses for __tls_get_addr and DTPMOD64/DTPOFF64 code: slot -1 holds
 * its capacity, slot 0 the generation it reflects, slot m the block of m
 * (TLS_DTV_UNALLOCATED until a dynamic module's block is first used).
 */
#include "loader/tls.h"

#include <errno.h>
#include <sys/mman.h>

#include "crt/alloc.h"
#include "crt/lock.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "loader/arch/x86_64/machdep.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

static size_t
round_up(size_t v, size_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static union dtv_slot *
tcb_dtv(void *tcb)
{
	return *(union dtv_slot **)((char *)tcb + ARCH_TCB_DTV_OFFSET);
}

static void
tcb_set_dtv(void *tcb, union dtv_slot *dtv)
{
	*(union dtv_slot **)((char *)tcb + ARCH_TCB_DTV_OFFSET) = dtv;
}

static bool
grow_modules(size_t need)
{
	size_t cap = ld_state.tls.modules_cap ? ld_state.tls.modules_cap : 16;
	struct elf_object **m;

	while (cap <= need)
		cap *= 2;
	m = crt_realloc(ld_state.tls.modules, cap * sizeof(*m));
	if (!m)
		return false;
	memset(m + ld_state.tls.modules_cap, 0,
	       (cap - ld_state.tls.modules_cap) * sizeof(*m));
	ld_state.tls.modules = m;
	ld_state.tls.modules_cap = cap;
	return true;
}

int
tls_assign(struct elf_object *obj, bool is_static)
{
	size_t modid, align, firstbyte, off;

	if (obj->tls_memsz == 0 || obj->tls_modid)
		return 0;
	/* Reuse the lowest free id (dlclose frees them). */
	for (modid = 1; modid <= ld_state.tls.max_modid; modid++)
		if (!ld_state.tls.modules[modid])
			break;
	if (modid >= ld_state.tls.modules_cap && !grow_modules(modid)) {
		ld_error("%s: cannot allocate TLS module id", obj->path);
		return -ENOMEM;
	}
	ld_state.tls.modules[modid] = obj;
	if (modid > ld_state.tls.max_modid)
		ld_state.tls.max_modid = modid;
	obj->tls_modid = modid;
	/* A thread whose DTV predates this generation must not use what it
	 * may still hold for this id (an unloaded module's block). */
	obj->tls_gen = ld_state.tls.generation + 1;
	if (!is_static) {
		obj->tls_offset = 0;
		return 0;
	}
	/* The block must end where the next lower one may begin; the
	 * segment's address modulo its alignment (firstbyte) is kept so
	 * that variables keep the alignment the linker gave them. */
	align = obj->tls_align ? obj->tls_align : 1;
	firstbyte = (-((uintptr_t)obj->tls_image - obj->base)) & (align - 1);
	off = round_up(ld_state.tls.static_used + obj->tls_memsz - firstbyte,
		       align) + firstbyte;
	if (ld_state.tls.static_limit && (off > ld_state.tls.static_limit ||
					  align > ld_state.tls.static_align)) {
		/* After start-up only the surplus is left (glibc's words). */
		ld_state.tls.modules[modid] = NULL;
		obj->tls_modid = 0;
		ld_error("%s: cannot allocate memory in static TLS block",
			 obj->path);
		return -ENOMEM;
	}
	obj->tls_offset = (ptrdiff_t)off;
	ld_state.tls.static_used = off;
	if (align > ld_state.tls.static_align)
		ld_state.tls.static_align = align;
	TRACE(TLS, "module %zu: %s, %zu bytes at tp-%zu", modid,
	      object_name(obj), obj->tls_memsz, off);
	return 0;
}

void
tls_finish_layout(void)
{
	size_t align = ld_state.tls.static_align;

	if (ld_state.tls.tcb_size == 0) {
		ld_state.tls.tcb_size = ARCH_TCB_MIN_SIZE;
		ld_state.tls.tcb_align = 64;
	}
	if (ld_state.tls.tcb_align > align)
		align = ld_state.tls.tcb_align;
	if (align < 64)
		align = 64;
	ld_state.tls.static_align = align;
	ld_state.tls.static_limit = ld_state.tls.static_used + TLS_STATIC_SURPLUS;
	if (ld_state.tls.generation == 0)
		ld_state.tls.generation = 1;
	ld_state.tls.static_size =
		round_up(ld_state.tls.static_used + TLS_STATIC_SURPLUS, align) +
		ld_state.tls.tcb_size;
}

/* A DTV for the current modules: capacity max_modid + surplus. */
static union dtv_slot *
dtv_new(size_t capacity)
{
	union dtv_slot *slots = crt_calloc(capacity + 2, sizeof(*slots));
	size_t i;

	if (!slots)
		return NULL;
	slots[0].counter = capacity;
	for (i = 1; i <= capacity; i++)
		slots[i + 1].pointer.val = TLS_DTV_UNALLOCATED;
	return slots + 1;
}

/* Points the DTV of the thread at tp to the static blocks and copies the
 * images; dynamic modules stay unallocated. */
static void
fill_static(union dtv_slot *dtv, void *tp, bool copy)
{
	size_t m;

	for (m = 1; m <= ld_state.tls.max_modid; m++) {
		struct elf_object *obj = ld_state.tls.modules[m];
		char *block;

		if (m > dtv[-1].counter)
			break;
		if (!obj || obj->tls_offset == 0) {
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
			dtv[m].pointer.to_free = NULL;
			continue;
		}
		block = (char *)tp - obj->tls_offset;
		dtv[m].pointer.val = block;
		dtv[m].pointer.to_free = NULL;
		if (!copy)
			continue;
		memcpy(block, obj->tls_image, obj->tls_filesz);
		memset(block + obj->tls_filesz, 0, obj->tls_memsz - obj->tls_filesz);
	}
	dtv[0].counter = ld_state.tls.generation;
}

void *
tls_setup_main_thread(void)
{
	size_t align = ld_state.tls.static_align;
	size_t below = ld_state.tls.static_size - ld_state.tls.tcb_size;
	size_t len = round_up(ld_state.tls.static_size + align, ld_state.page_size);
	char *area, *tp;
	union dtv_slot *dtv;

	area = sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (crt_mmap_failed(area))
		ld_oom();
	tp = (char *)round_up((uintptr_t)area + below, align);
	dtv = dtv_new(ld_state.tls.max_modid + TLS_DTV_SURPLUS);
	if (!dtv)
		ld_oom();
	*(void **)(tp + ARCH_TCB_SELF0_OFFSET) = tp;
	*(void **)(tp + ARCH_TCB_SELF_OFFSET) = tp;
	tcb_set_dtv(tp, dtv);
	fill_static(dtv, tp, false);
	ld_state.tls.initial_dtv = dtv;
	ld_state.tls.main_tp = tp;
	if (arch_set_thread_pointer(tp) < 0)
		ld_fatal("%s: cannot set up thread-local storage",
			 ld_state.progname);
	TRACE(TLS, "main thread: tp %p, static TLS %zu bytes (%zu used), dtv %p",
	      (void *)tp, ld_state.tls.static_size, ld_state.tls.static_used,
	      (void *)dtv);
	return tp;
}

void
tls_init_static_blocks(void *tp)
{
	fill_static(tcb_dtv(tp), tp, true);
}

void
tls_init_static_block(const struct elf_object *obj, void *tp)
{
	char *block = (char *)tp - obj->tls_offset;
	union dtv_slot *dtv = tcb_dtv(tp);

	memcpy(block, obj->tls_image, obj->tls_filesz);
	memset(block + obj->tls_filesz, 0, obj->tls_memsz - obj->tls_filesz);
	if (dtv && obj->tls_modid <= dtv[-1].counter)
		dtv[obj->tls_modid].pointer.val = block;
}

void *
tls_allocate(void *tcb)
{
	bool own = tcb == NULL;
	union dtv_slot *dtv;

	if (own) {
		size_t below = ld_state.tls.static_size - ld_state.tls.tcb_size;
		char *mem = crt_memalign(ld_state.tls.static_align,
					 ld_state.tls.static_size);

		if (!mem)
			return NULL;
		memset(mem, 0, ld_state.tls.static_size);
		tcb = mem + below;
	}
	dtv = dtv_new(ld_state.tls.max_modid + TLS_DTV_SURPLUS);
	if (!dtv) {
		if (own)
			crt_free((char *)tcb - (ld_state.tls.static_size -
						ld_state.tls.tcb_size));
		return NULL;
	}
	tcb_set_dtv(tcb, dtv);
	fill_static(dtv, tcb, true);
	return tcb;
}

static void
block_free(void *p)
{
	if (!p)
		return;
	if (ld_state.tls.block_free)
		ld_state.tls.block_free(p);
	else
		crt_free(p);
}

/* A dynamic block of size bytes aligned to align; *to_free gets what to
 * pass to block_free. */
static char *
block_alloc(size_t align, size_t size, void **to_free)
{
	char *raw;

	if (!ld_state.tls.block_malloc) {
		*to_free = crt_memalign(align, size);
		return *to_free;
	}
	/* libc's malloc aligns to 16: over-allocate for more. */
	raw = ld_state.tls.block_malloc(size + (align > 16 ? align - 1 : 0));
	*to_free = raw;
	if (!raw || align <= 16)
		return raw;
	return (char *)(((uintptr_t)raw + align - 1) & ~(uintptr_t)(align - 1));
}

/* Frees the dynamically allocated blocks a DTV holds. */
static void
free_dynamic_blocks(union dtv_slot *dtv)
{
	size_t m;

	for (m = 1; m <= dtv[-1].counter; m++) {
		block_free(dtv[m].pointer.to_free);
		dtv[m].pointer.to_free = NULL;
		dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
	}
}

void *
tls_init_thread(void *tcb)
{
	union dtv_slot *dtv = tcb_dtv(tcb);

	if (dtv[-1].counter < ld_state.tls.max_modid) {
		union dtv_slot *bigger;

		free_dynamic_blocks(dtv);
		bigger = dtv_new(ld_state.tls.max_modid + TLS_DTV_SURPLUS);
		if (!bigger)
			return NULL;
		crt_free(dtv - 1);
		dtv = bigger;
		tcb_set_dtv(tcb, dtv);
	} else {
		free_dynamic_blocks(dtv);
	}
	fill_static(dtv, tcb, true);
	return tcb;
}

void
tls_deallocate(void *tcb, bool dealloc_tcb)
{
	union dtv_slot *dtv = tcb_dtv(tcb);

	if (dtv) {
		free_dynamic_blocks(dtv);
		if (dtv != ld_state.tls.initial_dtv)
			crt_free(dtv - 1);
		tcb_set_dtv(tcb, NULL);
	}
	if (dealloc_tcb)
		crt_free((char *)tcb - (ld_state.tls.static_size -
					ld_state.tls.tcb_size));
}

/* Brings the calling thread's DTV up to the current generation: grows it
 * when module ids grew, drops blocks of modules that were unloaded. */
static union dtv_slot *
dtv_update(void *tp, union dtv_slot *dtv)
{
	size_t m;

	if (dtv[-1].counter < ld_state.tls.max_modid) {
		size_t cap = ld_state.tls.max_modid + TLS_DTV_SURPLUS;
		union dtv_slot *bigger = crt_calloc(cap + 2, sizeof(*bigger));

		if (!bigger)
			ld_fatal("%s: cannot allocate a larger DTV", ld_state.progname);
		memcpy(bigger + 1, dtv - 1, (dtv[-1].counter + 2) * sizeof(*dtv));
		bigger[0].counter = cap;
		for (m = dtv[-1].counter + 1; m <= cap; m++)
			bigger[m + 1].pointer.val = TLS_DTV_UNALLOCATED;
		if (dtv != ld_state.tls.initial_dtv)
			crt_free(dtv - 1);
		dtv = bigger + 1;
		tcb_set_dtv(tp, dtv);
	}
	size_t seen = dtv[0].counter;

	for (m = 1; m <= ld_state.tls.max_modid; m++) {
		struct elf_object *obj = ld_state.tls.modules[m];

		/* Gone, or a new module under an id this DTV knew for an
		 * older one: drop what the slot holds. */
		if ((!obj || obj->tls_gen > seen) &&
		    dtv[m].pointer.val != TLS_DTV_UNALLOCATED) {
			block_free(dtv[m].pointer.to_free);
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
			dtv[m].pointer.to_free = NULL;
		}
		if (obj && obj->tls_offset &&
		    dtv[m].pointer.val == TLS_DTV_UNALLOCATED)
			dtv[m].pointer.val = (char *)tp - obj->tls_offset;
	}
	dtv[0].counter = ld_state.tls.generation;
	return dtv;
}

void *
tls_get_addr(const struct tls_index *ti)
{
	void *tp = arch_thread_pointer();
	union dtv_slot *dtv = tcb_dtv(tp);
	struct elf_object *obj;
	void *to_free;
	char *block;

	if (dtv[0].counter != ld_state.tls.generation)
		dtv = dtv_update(tp, dtv);
	if (dtv[ti->module].pointer.val != TLS_DTV_UNALLOCATED)
		return (char *)dtv[ti->module].pointer.val + ti->offset;
	/* First use of a dynamic module's block in this thread. */
	crt_spin_lock(&ld_state.tls.lock);
	obj = ti->module <= ld_state.tls.max_modid ?
	      ld_state.tls.modules[ti->module] : NULL;
	crt_spin_unlock(&ld_state.tls.lock);
	block = obj ? block_alloc(obj->tls_align ? obj->tls_align : 1,
				  obj->tls_memsz ? obj->tls_memsz : 1, &to_free) : NULL;
	if (!block)
		ld_fatal("%s: cannot allocate memory for thread-local data",
			 ld_state.progname);
	memcpy(block, obj->tls_image, obj->tls_filesz);
	memset(block + obj->tls_filesz, 0, obj->tls_memsz - obj->tls_filesz);
	dtv[ti->module].pointer.val = block;
	dtv[ti->module].pointer.to_free = to_free;
	return block + ti->offset;
}

void *
tls_block_if_allocated(const struct elf_object *obj)
{
	union dtv_slot *dtv = tcb_dtv(arch_thread_pointer());

	if (!obj->tls_modid || obj->tls_modid > dtv[-1].counter ||
	    dtv[obj->tls_modid].pointer.val == TLS_DTV_UNALLOCATED)
		return NULL;
	return dtv[obj->tls_modid].pointer.val;
}
