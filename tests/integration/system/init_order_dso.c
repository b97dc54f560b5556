/* SPDX-License-Identifier: MIT */
/*
 * The library of init_order.c: a DT_INIT_ARRAY constructor that must run
 * after the program's preinit array and before the program's constructor,
 * and a destructor that must run after the program's.
 */
#include <string.h>
#include <unistd.h>

void init_order_lib(void);

static void
say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(3);
}

__attribute__((constructor)) static void
ctor(void)
{
	say("library constructor\n");
}

__attribute__((destructor)) static void
dtor(void)
{
	say("library destructor\n");
}

void
init_order_lib(void)
{
	say("library called\n");
}
