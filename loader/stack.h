/* SPDX-License-Identifier: MIT */
/*
 * Executable stacks. An object whose PT_GNU_STACK has PF_X (old code that
 * puts trampolines on the stack) needs every thread's stack executable:
 * the main thread's, which myld changes, and the threads' the libc
 * manages, which the adapter changes through the dlopen observer (and
 * which libc then makes executable for new threads). glibc does this for
 * libraries loaded at start-up and by dlopen, once per process.
 */
#ifndef LOADER_STACK_H
#define LOADER_STACK_H

#include "loader/object.h"

/* Makes the stacks executable if obj asks for it and they are not yet.
 * Returns 0, or -errno with glibc's message set ("<path>: cannot enable
 * executable stack as shared object requires"). Load lock held. */
int stack_apply_flags(const struct elf_object *obj);

#endif
