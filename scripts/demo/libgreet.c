/* SPDX-License-Identifier: MIT */
/*
 * The demo's library: no libc, one data object (the program gets a COPY of
 * it when non-PIE), one function, a constructor and a destructor.
 */
#include "sys.h"

int greetings = 41;

const char *
greet(void)
{
	greetings++;
	return "hello from libgreet.so\n";
}

__attribute__((constructor)) static void
greet_init(void)
{
	demo_print("libgreet: constructor\n");
}

__attribute__((destructor)) static void
greet_fini(void)
{
	demo_print("libgreet: destructor\n");
}
