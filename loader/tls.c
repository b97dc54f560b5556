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
#include "machdep.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

_Static_assert(ARCH_TLS_VARIANT == 2,
	       "only variant II's layout (blocks below tp) is written");

static size_t
round_up(size_t v, size_t align)
{
	return (v + align - 1) & ~(align - 1);
}

ptrdiff_t
tls_tp_offset(const struct elf_object *obj)
{
	return -obj->tls_offset;
}

/* The bytes of a thread's static area that lie before its TCB. */
static size_t
area_before_tcb(void)
{
	return ld_state.tls.static_size - ld_state.tls.tcb_size;
}

/* obj's static block in the thread whose thread pointer is tp. */
static char *
static_block(void *tp, const struct elf_object *obj)
{
	return (char *)tp + tls_tp_offset(obj);
}

/* Copies obj's .tdata image into block and zeroes its .tbss. */
static void
init_block(char *block, const struct elf_object *obj)
{
	memcpy(block, obj->tls_image, obj->tls_filesz);
	memset(block + obj->tls_filesz, 0, obj->tls_memsz - obj->tls_filesz);
}

/* Where the TCB at tcb keeps its DTV pointer. */
static union dtv_slot **
tcb_dtv(void *tcb)
{
	return (union dtv_slot **)((char *)tcb + ARCH_TCB_DTV_OFFSET);
}

/* The slot of module id modid, or NULL past the table. Lock-free: chunks
 * are linked with release stores and never moved or freed. */
static struct tls_slot *
find_slot(size_t modid)
{
	struct tls_chunk *c = &ld_state.tls.modules;

	while (modid >= TLS_CHUNK_SLOTS) {
		c = __atomic_load_n(&c->next, __ATOMIC_ACQUIRE);
		if (!c)
			return NULL;
		modid -= TLS_CHUNK_SLOTS;
	}
	return &c->slot[modid];
}

/* The slot of modid, adding chunks up to it. Lock held. */
static struct tls_slot *
make_slot(size_t modid)
{
	struct tls_chunk *c = &ld_state.tls.modules;

	while (modid >= TLS_CHUNK_SLOTS) {
		if (!c->next) {
			struct tls_chunk *more = crt_calloc(1, sizeof(*more));

			if (!more)
				return NULL;
			__atomic_store_n(&c->next, more, __ATOMIC_RELEASE);
		}
		c = c->next;
		modid -= TLS_CHUNK_SLOTS;
	}
	return &c->slot[modid];
}

struct elf_object *
tls_module(size_t modid)
{
	struct tls_slot *slot;

	if (modid == 0 || modid > __atomic_load_n(&ld_state.tls.max_modid,
						  __ATOMIC_ACQUIRE))
		return NULL;
	slot = find_slot(modid);
	return slot ? __atomic_load_n(&slot->obj, __ATOMIC_ACQUIRE) : NULL;
}

/* Sets slot modid to obj (NULL: frees it) with the generation in which
 * that happens. Lock held. */
static void
set_slot(struct tls_slot *slot, struct elf_object *obj, size_t gen)
{
	slot->gen = gen;
	__atomic_store_n(&slot->obj, obj, __ATOMIC_RELEASE);
}

/* Makes a new generation visible to the fast path of __tls_get_addr,
 * after the slots that changed in it. Lock held. */
static void
bump_generation(void)
{
	__atomic_store_n(&ld_state.tls.generation, ld_state.tls.generation + 1,
			 __ATOMIC_RELEASE);
}

/* Places obj's block in the static area; lock held. Returns false when
 * it does not fit what is left. */
static bool
place_static(struct elf_object *obj)
{
	size_t align = obj->tls_align ? obj->tls_align : 1, firstbyte, off;

	/* The block must end where the next lower one may begin; the
	 * segment's address modulo its alignment (firstbyte) is kept so
	 * that variables keep the alignment the linker gave them. */
	firstbyte = (-((uintptr_t)obj->tls_image - obj->base)) & (align - 1);
	off = round_up(ld_state.tls.static_used + obj->tls_memsz - firstbyte,
		       align) + firstbyte;
	/* After start-up only the surplus is left (glibc's words). */
	if (ld_state.tls.static_limit && (off > ld_state.tls.static_limit ||
					  align > ld_state.tls.static_align))
		return false;
	obj->tls_static_below = ld_state.tls.static_used;
	obj->tls_offset = (ptrdiff_t)off;
	ld_state.tls.static_used = off;
	if (align > ld_state.tls.static_align)
		ld_state.tls.static_align = align;
	return true;
}

int
tls_assign(struct elf_object *obj, bool is_static)
{
	struct tls_slot *slot;
	size_t modid;

	if (obj->tls_memsz == 0 || obj->tls_modid)
		return 0;
	crt_spin_lock(&ld_state.tls.lock);
	/* Reuse the lowest free id (dlclose frees them). */
	for (modid = 1; modid <= ld_state.tls.max_modid; modid++)
		if (!find_slot(modid)->obj)
			break;
	obj->tls_offset = 0;
	/* The slot first: a static block, once placed, has nothing to undo. */
	slot = make_slot(modid);
	if (!slot || (is_static && !place_static(obj))) {
		crt_spin_unlock(&ld_state.tls.lock);
		ld_error("%s: %s", obj->path, !slot ?
			 "cannot allocate TLS module id" :
			 "cannot allocate memory in static TLS block");
		return -ENOMEM;
	}
	obj->tls_modid = modid;
	/* A thread whose DTV predates this generation must not use what it
	 * may still hold for this id (an unloaded module's block). */
	obj->tls_gen = ld_state.tls.generation + 1;
	set_slot(slot, obj, obj->tls_gen);
	if (modid > ld_state.tls.max_modid)
		__atomic_store_n(&ld_state.tls.max_modid, modid, __ATOMIC_RELEASE);
	ld_state.tls.unpublished = true;
	crt_spin_unlock(&ld_state.tls.lock);
	if (is_static)
		TRACE(TLS, "module %zu: %s, %zu bytes at tp-%td", modid,
		      object_name(obj), obj->tls_memsz, obj->tls_offset);
	return 0;
}

void
tls_publish(void)
{
	crt_spin_lock(&ld_state.tls.lock);
	if (ld_state.tls.unpublished)
		bump_generation();
	ld_state.tls.unpublished = false;
	crt_spin_unlock(&ld_state.tls.lock);
}

void
tls_release(struct elf_object *obj)
{
	if (!obj->tls_modid)
		return;
	crt_spin_lock(&ld_state.tls.lock);
	LD_ASSERT(find_slot(obj->tls_modid)->obj == obj);
	set_slot(find_slot(obj->tls_modid), NULL, ld_state.tls.generation + 1);
	/* The static block goes back when it is the last one handed out,
	 * as glibc does; one below others stays used. */
	if (obj->tls_offset && ld_state.startup_done &&
	    (size_t)obj->tls_offset == ld_state.tls.static_used)
		ld_state.tls.static_used = obj->tls_static_below;
	obj->tls_modid = 0;
	obj->tls_offset = 0;
	bump_generation();
	crt_spin_unlock(&ld_state.tls.lock);
}

void
tls_set_tcb(size_t size, size_t align)
{
	LD_ASSERT(ld_state.tls.static_size == 0);   /* layout not fixed yet */
	ld_state.tls.tcb_size = size;
	ld_state.tls.tcb_align = align;
}

void
tls_set_block_allocator(void *(*block_malloc)(size_t),
			void (*block_free)(void *))
{
	crt_spin_lock(&ld_state.tls.lock);
	ld_state.tls.block_malloc = block_malloc;
	ld_state.tls.block_free = block_free;
	crt_spin_unlock(&ld_state.tls.lock);
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
	ld_state.tls.unpublished = false;
	ld_state.tls.static_size =
		round_up(ld_state.tls.static_used + TLS_STATIC_SURPLUS, align) +
		ld_state.tls.tcb_size;
}

/* The DTV of the thread at tp (NULL: it has none yet), replaced in the
 * TCB by a new one when the module ids outgrew it, with capacity
 * max_modid + surplus and slots 0 to the old capacity kept (the
 * generation and the blocks). Lock held. NULL when out of memory; the old
 * DTV then stays. Inline: in a new thread's tls_init_thread the DTV is
 * nearly always large enough, and the call cost more than the test. */
static inline union dtv_slot *
dtv_fit(void *tp, union dtv_slot *dtv)
{
	size_t i, capacity = ld_state.tls.max_modid + TLS_DTV_SURPLUS;
	union dtv_slot *bigger;

	if (dtv && dtv[-1].counter >= ld_state.tls.max_modid)
		return dtv;
	bigger = crt_calloc(capacity + 2, sizeof(*bigger));
	if (!bigger)
		return NULL;
	bigger++;
	bigger[-1].counter = capacity;
	for (i = 1; i <= capacity; i++)
		bigger[i].pointer.val = TLS_DTV_UNALLOCATED;
	if (dtv) {
		memcpy(bigger, dtv, (dtv[-1].counter + 1) * sizeof(*dtv));
		if (dtv != ld_state.tls.initial_dtv)
			crt_free(dtv - 1);
	}
	*tcb_dtv(tp) = bigger;
	return bigger;
}

/* Points the DTV of the thread at tp to the static blocks and copies the
 * images when copy is true; dynamic modules stay unallocated. Lock held. */
static void
fill_static(union dtv_slot *dtv, void *tp, bool copy)
{
	size_t m;

	for (m = 1; m <= ld_state.tls.max_modid && m <= dtv[-1].counter; m++) {
		struct elf_object *obj = find_slot(m)->obj;

		dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
		dtv[m].pointer.to_free = NULL;
		if (obj && obj->tls_offset) {
			dtv[m].pointer.val = static_block(tp, obj);
			if (copy)
				init_block(dtv[m].pointer.val, obj);
		}
	}
	dtv[0].counter = ld_state.tls.generation;
}

/* Gives the thread at tp a DTV for the current modules (dtv, its current
 * one, if that is large enough), with the static blocks, their images
 * copied when copy is true. Sized and filled under one hold of the lock:
 * a module added in between would lie beyond a DTV that claims to be
 * current. NULL when out of memory. */
static union dtv_slot *
dtv_make(void *tp, union dtv_slot *dtv, bool copy)
{
	crt_spin_lock(&ld_state.tls.lock);
	dtv = dtv_fit(tp, dtv);
	if (dtv)
		fill_static(dtv, tp, copy);
	crt_spin_unlock(&ld_state.tls.lock);
	return dtv;
}

void *
tls_setup_main_thread(void)
{
	size_t align = ld_state.tls.static_align;
	size_t len = round_up(ld_state.tls.static_size + align, ld_state.page_size);
	char *area, *tp;
	union dtv_slot *dtv;

	area = sys_mmap(NULL, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (crt_mmap_failed(area))
		ld_oom();
	tp = (char *)round_up((uintptr_t)area + area_before_tcb(), align);
	dtv = dtv_make(tp, NULL, false);
	if (!dtv)
		ld_oom();
	*(void **)(tp + ARCH_TCB_SELF0_OFFSET) = tp;
	*(void **)(tp + ARCH_TCB_SELF_OFFSET) = tp;
	ld_state.tls.initial_dtv = dtv;
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
	crt_spin_lock(&ld_state.tls.lock);
	fill_static(*tcb_dtv(tp), tp, true);
	crt_spin_unlock(&ld_state.tls.lock);
}

void
tls_init_static_block(const struct elf_object *obj, void *tp)
{
	char *block = static_block(tp, obj);
	union dtv_slot *dtv = *tcb_dtv(tp);

	init_block(block, obj);
	if (dtv && obj->tls_modid <= dtv[-1].counter)
		dtv[obj->tls_modid].pointer.val = block;
}

void *
tls_allocate(void *tcb)
{
	bool own = tcb == NULL;

	if (own) {
		char *mem = crt_memalign(ld_state.tls.static_align,
					 ld_state.tls.static_size);

		if (!mem)
			return NULL;
		memset(mem, 0, ld_state.tls.static_size);
		tcb = mem + area_before_tcb();
	}
	if (!dtv_make(tcb, NULL, true)) {
		if (own)
			crt_free((char *)tcb - area_before_tcb());
		return NULL;
	}
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

/*
 * Frees the dynamic blocks a DTV holds: all of them when all is true,
 * every slot then unallocated; else the ones dtv_update dropped
 * (unallocated slots that still hold what to free). Without the lock:
 * free may be a malloc the program interposes, which may itself use
 * dynamic TLS and so re-enter __tls_get_addr (the DTV is current by then).
 * Inline, so that each caller's loop tests all once (a thread start runs it).
 */
static inline void
free_blocks(union dtv_slot *dtv, bool all)
{
	size_t m;

	for (m = 1; m <= dtv[-1].counter; m++) {
		void *p = dtv[m].pointer.to_free;

		if (all)
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
		if (p && dtv[m].pointer.val == TLS_DTV_UNALLOCATED) {
			dtv[m].pointer.to_free = NULL;
			block_free(p);
		}
	}
}

void *
tls_init_thread(void *tcb)
{
	union dtv_slot *dtv = *tcb_dtv(tcb);

	free_blocks(dtv, true);
	return dtv_make(tcb, dtv, true) ? tcb : NULL;
}

void
tls_deallocate(void *tcb, bool dealloc_tcb)
{
	union dtv_slot *dtv = *tcb_dtv(tcb);

	if (dtv) {
		free_blocks(dtv, true);
		if (dtv != ld_state.tls.initial_dtv)
			crt_free(dtv - 1);
		*tcb_dtv(tcb) = NULL;
	}
	if (dealloc_tcb)
		crt_free((char *)tcb - area_before_tcb());
}

/* Brings the calling thread's DTV up to the current generation: grows it
 * when module ids grew, drops blocks of modules that were unloaded. Lock
 * held: the slots and the objects they name stay put meanwhile. */
static union dtv_slot *
dtv_update(void *tp, union dtv_slot *dtv)
{
	size_t m, seen = dtv[0].counter, now = ld_state.tls.generation;

	if (!(dtv = dtv_fit(tp, dtv))) {
		crt_spin_unlock(&ld_state.tls.lock);
		ld_fatal("%s: cannot allocate a larger DTV", ld_state.progname);
	}
	for (m = 1; m <= ld_state.tls.max_modid; m++) {
		struct tls_slot *slot = find_slot(m);
		struct elf_object *obj = slot->obj;

		/* Freed or given to another module since this DTV was
		 * current: drop what the slot holds. */
		if (slot->gen > seen && dtv[m].pointer.val != TLS_DTV_UNALLOCATED)
			dtv[m].pointer.val = TLS_DTV_UNALLOCATED;
		/* to_free stays: free_blocks frees it after the lock. */
		if (obj && obj->tls_offset &&
		    dtv[m].pointer.val == TLS_DTV_UNALLOCATED)
			dtv[m].pointer.val = static_block(tp, obj);
	}
	dtv[0].counter = now;
	return dtv;
}

/* A new block for module modid in the calling thread: allocated without
 * the lock (libc's malloc may take its own), filled with it, once it is
 * known that the module is still the one the caller asked about. */
static char *
new_block(size_t modid, void **to_free)
{
	struct tls_slot *slot;
	struct elf_object *obj;
	size_t gen, align, size;
	char *block;

	crt_spin_lock(&ld_state.tls.lock);
	slot = modid <= ld_state.tls.max_modid ? find_slot(modid) : NULL;
	obj = slot ? slot->obj : NULL;
	gen = slot ? slot->gen : 0;
	align = obj && obj->tls_align ? obj->tls_align : 1;
	size = obj && obj->tls_memsz ? obj->tls_memsz : 1;
	crt_spin_unlock(&ld_state.tls.lock);
	if (!obj)
		ld_fatal("%s: TLS module %zu is not loaded", ld_state.progname,
			 modid);
	block = block_alloc(align, size, to_free);
	if (!block)
		ld_fatal("%s: cannot allocate memory for thread-local data",
			 ld_state.progname);
	crt_spin_lock(&ld_state.tls.lock);
	if (slot->obj != obj || slot->gen != gen) {
		crt_spin_unlock(&ld_state.tls.lock);
		ld_fatal("%s: TLS module %zu was unloaded while in use",
			 ld_state.progname, modid);
	}
	init_block(block, obj);
	crt_spin_unlock(&ld_state.tls.lock);
	return block;
}

void *
tls_get_addr(const struct tls_index *ti)
{
	void *tp = arch_thread_pointer();
	union dtv_slot *dtv = *tcb_dtv(tp);
	void *to_free;
	char *block;

	if (dtv[0].counter != __atomic_load_n(&ld_state.tls.generation,
					      __ATOMIC_ACQUIRE)) {
		crt_spin_lock(&ld_state.tls.lock);
		dtv = dtv_update(tp, dtv);
		crt_spin_unlock(&ld_state.tls.lock);
		free_blocks(dtv, false);
	}
	if (dtv[ti->module].pointer.val != TLS_DTV_UNALLOCATED)
		return (char *)dtv[ti->module].pointer.val + ti->offset;
	/* First use of a dynamic module's block in this thread. The
	 * allocation may re-enter (an interposed malloc using TLS) and fill
	 * the slot first: then the first block stays, this one goes. */
	block = new_block(ti->module, &to_free);
	/* A re-entry may also have grown this thread's DTV and freed the
	 * one read above: read it again. */
	dtv = *tcb_dtv(tp);
	if (dtv[ti->module].pointer.val == TLS_DTV_UNALLOCATED) {
		void *old = dtv[ti->module].pointer.to_free;

		dtv[ti->module].pointer.val = block;
		dtv[ti->module].pointer.to_free = to_free;
		to_free = old;
	}
	block_free(to_free);
	return (char *)dtv[ti->module].pointer.val + ti->offset;
}

void *
tls_block_if_allocated(const struct elf_object *obj)
{
	union dtv_slot *dtv = *tcb_dtv(arch_thread_pointer());

	if (!obj->tls_modid || obj->tls_modid > dtv[-1].counter ||
	    dtv[obj->tls_modid].pointer.val == TLS_DTV_UNALLOCATED)
		return NULL;
	return dtv[obj->tls_modid].pointer.val;
}
