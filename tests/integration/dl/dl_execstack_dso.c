/* SPDX-License-Identifier: MIT */
/*
 * dl_execstack_dso.c: a library linked with -z execstack whose function
 * calls a GCC nested function through a pointer: the trampoline GCC
 * builds for it lives on the caller's stack, so the call faults unless
 * the stack is executable.
 */
static int
apply(int (*fn)(int), int v)
{
	return fn(v);
}

int
dl_execstack_call(int base)
{
	int add(int v)
	{
		return v + base;
	}

	return apply(add, 1);
}
