/* SPDX-License-Identifier: MIT */
/*
 * debug_bind_dso.c: the library of the debug_bind test, built -z lazy. Its
 * one function calls getpid() through its own PLT, so LD_DEBUG=bindings
 * shows a lazy binding from this library to libc.so.6 as well as the
 * program's binding to it.
 */
#include <unistd.h>

int
debug_bind_foo(int x)
{
	return getpid() > 0 ? x + 1 : -1;
}
