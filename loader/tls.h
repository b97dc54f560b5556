/* SPDX-License-Identifier: MIT */
/*
 * Thread-local storage (x86_64 psABI 3.4.6 / Drepper's "ELF Handling For
 * Thread-Local Storage", variant II). Module ids, the static TLS layout of
 * the objects loaded at start-up, the thread control block and DTV of the
 * main thread and of threads libc creates, and the slow path of
 * __tls_get_addr. Theory of operation: see tls.c.
 */
#ifndef LOADER_TLS_H
#define LOADER_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"

/* The argument of __tls_get_addr (psABI): module id and offset. */
struct tls_index {
	uint64_t module;
	uint64_t offset;
};

/* One DTV slot, as glibc lays it out (16 bytes): the block address and
 * what to free. Slot -1 holds the capacity, slot 0 the generation. */
union dtv_slot {
	size_t counter;
	struct {
		void *val;
		void *to_free;
	} pointer;
};

/* A DTV block that is not allocated yet (glibc's TLS_DTV_UNALLOCATED). */
#define TLS_DTV_UNALLOCATED ((void *)-1l)
/* Extra DTV slots allocated beyond the highest module id. */
#define TLS_DTV_SURPLUS 14
/* Static TLS kept free for libraries dlopen'ed later with initial-exec
 * TLS: glibc 2.36's default (288 bytes for each of 4 namespaces plus 512
 * optional bytes). */
#define TLS_STATIC_SURPLUS 1664

/* The module table: slot m holds the object with module id m and the
 * generation in which the slot last changed. It grows by chunks that are
 * linked, never moved and never freed, so a slot found without the lock
 * stays a slot (glibc's slot-info list works the same way). */
#define TLS_CHUNK_SLOTS 64
struct tls_slot {
	struct elf_object *obj;         /* NULL: free */
	size_t gen;
};
struct tls_chunk {
	struct tls_chunk *next;
	struct tls_slot slot[TLS_CHUNK_SLOTS];
};

/* Locking. tls.c is the only writer of ld_state.tls. Its lock (a spin
 * lock: __tls_get_addr may run in any thread at any time) is held for
 * every change of the module table, the generation and the static area,
 * and by every reader that looks past a slot into its object (DTV
 * updates, new blocks, new threads): dlclose frees a module's slot under
 * the lock before the object goes away. The fast path of __tls_get_addr
 * reads only the generation, without the lock. Callers of tls_assign,
 * tls_publish and tls_release hold the load lock as well. */

/* Gives obj a module id (if it has PT_TLS) and, when static is true, a
 * place in the static TLS area. Objects are assigned in load order.
 * Returns 0, or -ENOMEM with the message set. */
int tls_assign(struct elf_object *obj, bool is_static);

/* Makes the module ids given out since the last call visible to the
 * threads (one new generation): after the new objects' tls_assign, before
 * any of their code runs. */
void tls_publish(void);

/* Takes obj's module id back (dlclose, or a failed dlopen) in a new
 * generation; every thread drops its block for it when it next updates
 * its DTV. A static block goes back to the surplus when it was the last
 * one handed out. */
void tls_release(struct elf_object *obj);

/* The object with module id modid, or NULL. Lock-free; the object may be
 * dereferenced only by a caller holding the load lock. */
struct elf_object *tls_module(size_t modid);

/* Where obj's static block starts relative to the thread pointer (the
 * TPOFF value of its first byte; negative in TLS variant II). */
ptrdiff_t tls_tp_offset(const struct elf_object *obj);

/* The size and alignment of the thread control block libc puts at the
 * thread pointer (its struct pthread); before tls_finish_layout. */
void tls_set_tcb(size_t size, size_t align);

/* Where dynamic TLS blocks come from once libc is relocated: its malloc
 * and free (libc frees them itself when it reuses a thread's stack). */
void tls_set_block_allocator(void *(*block_malloc)(size_t),
			     void (*block_free)(void *));

/* Fixes the static TLS size and alignment once the initial objects are
 * assigned: roundup(used + surplus, align) + the TCB size. */
void tls_finish_layout(void);

/* Allocates the main thread's static TLS area, TCB and DTV, fills the
 * TCB's self pointers and DTV, and sets the thread pointer. The TLS
 * blocks are zero until tls_init_static_blocks. Returns the thread
 * pointer; exits through ld_oom on failure (start-up only). */
void *tls_setup_main_thread(void);

/* Copies each static module's .tdata image into the block of the thread
 * whose thread pointer is tp and zeroes its .tbss. Called after
 * relocation, since .tdata may hold relocated pointers. */
void tls_init_static_blocks(void *tp);

/* Initialises obj's static block (a library dlopen'ed with initial-exec
 * TLS, placed in the surplus) in the thread whose thread pointer is tp. */
void tls_init_static_block(const struct elf_object *obj, void *tp);

/* glibc's _dl_allocate_tls: gives the TCB at tcb (or a new one, when tcb
 * is NULL) a DTV and initialises its static TLS blocks from the images.
 * Returns tcb or NULL when out of memory. */
void *tls_allocate(void *tcb);
/* glibc's _dl_allocate_tls_init: resets the DTV of tcb to the current
 * modules and copies the static TLS images. Returns tcb or NULL. */
void *tls_init_thread(void *tcb);
/* glibc's _dl_deallocate_tls: frees the DTV and dynamic blocks of tcb,
 * and the TCB itself when dealloc_tcb (only for tls_allocate(NULL)). */
void tls_deallocate(void *tcb, bool dealloc_tcb);

/* The address of (module, offset) for the calling thread, allocating the
 * module's block on first use. Used by __tls_get_addr. */
void *tls_get_addr(const struct tls_index *ti);
/* The calling thread's block for obj, or NULL if not allocated yet. */
void *tls_block_if_allocated(const struct elf_object *obj);

#endif
