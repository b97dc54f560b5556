/* SPDX-License-Identifier: MIT */
/*
 * Executable stacks (see stack.h). The main thread's stack is one mapping
 * that grows down: mprotect with PROT_GROWSDOWN on the page where myld was
 * entered changes it from there to its lowest page, which is what the
 * kernel would have given a PF_X program from the start.
 */
#include "loader/stack.h"

#include <elf.h>
#include <sys/mman.h>

#include "crt/sys.h"
#include "loader/dlopen.h"
#include "loader/error.h"
#include "loader/state.h"
#include "loader/trace.h"

int
stack_apply_flags(const struct elf_object *obj)
{
	uintptr_t page = (uintptr_t)ld_state.initial_sp & ~(ld_state.page_size - 1);
	long r;

	/* A PF_X program the kernel started has its stack from the kernel;
	 * one myld mapped itself (explicit start) has not. */
	if (!(obj->stack_flags & PF_X) || !obj->mapped_by_us ||
	    ld_state.stack_executable)
		return 0;
	r = sys_mprotect((void *)page, ld_state.page_size,
			 PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);
	if (r == 0 && ld_state.observer && ld_state.observer->stacks_executable)
		r = ld_state.observer->stacks_executable();
	if (r < 0) {
		ld_error("%s: cannot enable executable stack as shared object "
			 "requires", obj->path);
		return (int)r;
	}
	ld_state.stack_executable = true;
	TRACE(FILES, "%s: stacks made executable", object_name(obj));
	return 0;
}
