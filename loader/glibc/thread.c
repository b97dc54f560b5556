/* SPDX-License-Identifier: MIT */
/*
 * Threads as glibc's libc.so.6 expects its loader to prepare them: the main
 * thread's struct pthread (fact sheet 6.1: self pointers, tid, robust list,
 * rseq registration, thread-specific data block, its place on the
 * _dl_stack_user list, stack guard and pointer guard), the TLS bookkeeping
 * libc reads from _rtld_global, and the functions pthread_create calls:
 * _dl_allocate_tls, _dl_allocate_tls_init, _dl_deallocate_tls,
 * __nptl_change_stack_perm, _dl_get_tls_static_info.
 */
#include "loader/export.h"
#include "loader/glibc/internal.h"

#include <elf.h>
#include <errno.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "syscall_arch.h"
#include "crt/alloc.h"
#include "crt/sys.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/tls.h"


/* rseq(2) registration of a 32-byte area with glibc's signature. */
#define RSEQ_SIG 0x53053053
#define RSEQ_AREA_SIZE 32
#define RSEQ_SIZE_REGISTERED 20

extern ptrdiff_t __rseq_offset;
extern unsigned int __rseq_size;
extern void *__libc_stack_end;
extern _Bool __nptl_initial_report_events;

static void
register_rseq(unsigned char *tp)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *area = tp + abi->pd_rseq_area;
	long r;

	/* cpu_id: -1 "not registered yet"; -2 tells libc that registration
	 * failed, so threads it creates do not try either. */
	GLIBC_FIELD(area, 4, int32_t) = -1;
	r = arch_syscall4(SYS_rseq, (long)area, RSEQ_AREA_SIZE, 0, RSEQ_SIG);
	__rseq_offset = (ptrdiff_t)abi->pd_rseq_area;
	if (r == 0) {
		__rseq_size = RSEQ_SIZE_REGISTERED;
	} else {
		__rseq_size = 0;
		GLIBC_FIELD(area, 4, int32_t) = -2;
	}
}

void
glibc_init_main_thread(void *tcb)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *tp = tcb;
	unsigned char *robust = tp + abi->pd_robust_head;
	void **list = (void **)(tp + abi->pd_list);
	void **head = ld_state.glibc.stack_user;

	/* The main thread is the only entry of _dl_stack_user. */
	list[0] = head;
	list[1] = head;
	head[0] = list;
	head[1] = list;
	GLIBC_FIELD(tp, abi->pd_tid, int) =
		(int)arch_syscall1(SYS_set_tid_address, (long)(tp + abi->pd_tid));
	GLIBC_FIELD(tp, abi->pd_robust_prev, void *) = robust;
	GLIBC_FIELD(robust, 0, void *) = robust;
	GLIBC_FIELD(robust, 8, long) = abi->pd_robust_futex_offset;
	GLIBC_FIELD(robust, 16, void *) = NULL;
	arch_syscall2(SYS_set_robust_list, (long)robust, 24);
	GLIBC_FIELD(tp, abi->pd_specific, void *) = tp + abi->pd_specific_1stblock;
	GLIBC_FIELD(tp, abi->pd_user_stack, _Bool) = 1;
	GLIBC_FIELD(tp, abi->pd_report_events, _Bool) = __nptl_initial_report_events;
	GLIBC_FIELD(tp, abi->pd_stackblock_size, size_t) = (size_t)__libc_stack_end;
	register_rseq(tp);
}

int
glibc_tls_sync(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *gl = _rtld_global;
	unsigned char *list = GLIBC_FIELD(gl, abi->gl_tls_dtv_slotinfo_list,
					  unsigned char *);
	size_t len = list ? GLIBC_FIELD(list, 0, size_t) : abi->slotinfo_entries;
	size_t m, nstatic = 0;

	/* The list is updated in place while it has room; a longer one
	 * replaces it, and the old one is kept: libc may be reading it. */
	if (!list || len <= ld_state.tls.max_modid) {
		while (len <= ld_state.tls.max_modid)
			len *= 2;
		list = crt_calloc(1, 16 + len * 16);
		if (!list) {
			ld_error("cannot create TLS data structures: out of memory");
			return -ENOMEM;
		}
		GLIBC_FIELD(list, 0, size_t) = len;
	}
	/* struct dtv_slotinfo_list {len, next, slotinfo[len] {gen, map}}:
	 * one entry per module id, each with the current generation. */
	for (m = 1; m < len; m++) {
		struct elf_object *obj = tls_module(m);

		GLIBC_FIELD(list, 16 + m * 16, size_t) =
			obj ? ld_state.tls.generation : 0;
		GLIBC_FIELD(list, 24 + m * 16, void *) = obj ? obj->adapter : NULL;
		nstatic += obj && obj->tls_offset;
	}
	GLIBC_FIELD(gl, abi->gl_tls_max_dtv_idx, size_t) = ld_state.tls.max_modid;
	GLIBC_FIELD(gl, abi->gl_tls_static_nelem, size_t) = nstatic;
	GLIBC_FIELD(gl, abi->gl_tls_static_used, size_t) = ld_state.tls.static_used;
	GLIBC_FIELD(gl, abi->gl_tls_static_optional, size_t) = abi->tls_static_optional;
	GLIBC_FIELD(gl, abi->gl_initial_dtv, void *) = ld_state.tls.initial_dtv;
	GLIBC_FIELD(gl, abi->gl_tls_generation, size_t) = ld_state.tls.generation;
	__atomic_store_n(&GLIBC_FIELD(gl, abi->gl_tls_dtv_slotinfo_list, void *),
			 list, __ATOMIC_RELEASE);
	return 0;
}

EXPORT void *
_dl_allocate_tls(void *mem)
{
	return tls_allocate(mem);
}

EXPORT void *
_dl_allocate_tls_init(void *tcb, _Bool init_tls)
{
	(void)init_tls;
	return tcb ? tls_init_thread(tcb) : NULL;
}

EXPORT void
_dl_deallocate_tls(void *tcb, _Bool dealloc_tcb)
{
	tls_deallocate(tcb, dealloc_tcb);
}

EXPORT void
_dl_get_tls_static_info(size_t *size, size_t *align)
{
	*size = ld_state.tls.static_size;
	*align = ld_state.tls.static_align;
}

EXPORT int __nptl_change_stack_perm(void *pd);

/* libc's low-level lock (0 free, 1 taken, 2 taken with sleepers): taken
 * by compare-and-swap and released with a futex wake when someone sleeps
 * on it. Held only for list walks. */
static void
lll_lock(int *lock)
{
	int free_ = 0;

	while (!__atomic_compare_exchange_n(lock, &free_, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		free_ = 0;
		arch_cpu_relax();
	}
}

static void
lll_unlock(int *lock)
{
	if (__atomic_exchange_n(lock, 0, __ATOMIC_RELEASE) > 1)
		arch_syscall6(SYS_futex, (long)lock, FUTEX_WAKE | FUTEX_PRIVATE_FLAG,
			      1, 0, 0, 0);
}

/* The dlopen observer's stacks_executable (stack.c has changed the main
 * thread's): libc makes the stacks of new threads executable once
 * _dl_stack_flags has PF_X; the stacks in use and in libc's cache are
 * changed here, under libc's stack-list lock, as glibc's ld.so does. */
int
glibc_stacks_executable(void)
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *gl = _rtld_global;
	size_t heads[2] = { abi->gl_stack_used, abi->gl_stack_cache };
	int *lock = &GLIBC_FIELD(gl, abi->gl_stack_cache_lock, int);
	int i, err = 0;

	GLIBC_FIELD(gl, abi->gl_stack_flags, uint32_t) |= PF_X;
	lll_lock(lock);
	for (i = 0; i < 2 && !err; i++) {
		unsigned char *head = gl + heads[i];
		unsigned char *e;

		for (e = GLIBC_FIELD(head, 0, unsigned char *); e && e != head && !err;
		     e = GLIBC_FIELD(e, 0, unsigned char *))
			err = __nptl_change_stack_perm(e - abi->pd_list);
	}
	lll_unlock(lock);
	return -err;
}

/* pthread_create calls this for programs that need executable stacks
 * (PT_GNU_STACK with PF_X): the thread's whole stack block becomes RWX. */
EXPORT int
__nptl_change_stack_perm(void *pd)
{
	/* struct pthread: stackblock @1680, stackblock_size @1688,
	 * guardsize @1696 in 2.36; taken from the ABI table's neighbours. */
	const struct glibc_abi *abi = ld_state.glibc.abi;
	unsigned char *p = pd;
	size_t size = GLIBC_FIELD(p, abi->pd_stackblock_size, size_t);
	unsigned char *block = GLIBC_FIELD(p, abi->pd_stackblock_size - 8, void *);
	size_t guard = GLIBC_FIELD(p, abi->pd_stackblock_size + 8, size_t);
	int r;

	r = sys_mprotect(block + guard, size - guard,
			 PROT_READ | PROT_WRITE | PROT_EXEC);
	return r < 0 ? -r : 0;
}
