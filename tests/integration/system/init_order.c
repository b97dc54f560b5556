/* SPDX-License-Identifier: MIT */
/*
 * The order of a glibc program's initialisers and finalisers: the
 * program's DT_PREINIT_ARRAY (run by the loader even though libc runs the
 * program's own DT_INIT_ARRAY), the library's constructors, the program's
 * constructors, main, then atexit handlers and destructors in reverse.
 * run_system.py compares every line with the system loader's run, so a
 * loader that skips the preinit array (or runs it late) fails here.
 * The events are written with write(2): the preinit array runs before
 * libc's stdio is safe to use.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int system_check_loader(void);
void init_order_lib(void);

static void
say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		_exit(3);
}

static int argc_seen = -1;

static void
preinit_first(int argc, char **argv, char **envp)
{
	(void)argv;
	(void)envp;
	argc_seen = argc;
	say("program preinit 1\n");
}

static void
preinit_second(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)envp;
	/* argv is the program's own, already rewritten in explicit mode. */
	say(argv[0] && strstr(argv[0], "init_order") ? "program preinit 2: argv ok\n"
						    : "program preinit 2: argv WRONG\n");
}

__attribute__((section(".preinit_array"), used)) static void (*const preinit_entries[])(int, char **, char **) = {
	preinit_first, preinit_second,
};

__attribute__((constructor)) static void
ctor(void)
{
	say("program constructor\n");
}

__attribute__((destructor)) static void
dtor(void)
{
	say("program destructor\n");
}

static void
at_exit(void)
{
	say("atexit handler\n");
}

int
main(int argc, char **argv)
{
	(void)argv;
	if (system_check_loader())
		return 1;
	say(argc_seen == argc ? "main: preinit saw argc\n" : "main: preinit argc WRONG\n");
	atexit(at_exit);
	init_order_lib();
	say("main\n");
	return 0;
}
