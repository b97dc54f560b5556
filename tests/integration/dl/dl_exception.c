/* SPDX-License-Identifier: MIT */
/*
 * dl_exception.c: the loader's _dl_exception_create_format, which libc
 * calls (GLIBC_PRIVATE) to build dlerror() messages, formats as glibc's
 * does: %s, %%, %x as 8 and %lx/%zx as 16 zero-padded hex digits, the
 * object name kept beside the text, and any other conversion ends the
 * process with glibc's line and status 127.
 *
 * Usage: dl_exception DIR (DIR unused). Found with dlvsym, as a program
 * cannot link against GLIBC_PRIVATE.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"

/* glibc's struct dl_exception (the loader's ABI with libc). */
struct dl_exception {
	char *objname;
	char *errstring;
	char *message_buffer;
};

typedef void create_format_fn(struct dl_exception *, const char *,
			      const char *, ...);
typedef void free_fn(struct dl_exception *);

int
main(int argc, char **argv)
{
	create_format_fn *create;
	free_fn *release;
	struct dl_exception e;
	int fds[2], status;
	char out[256];
	ssize_t n;
	pid_t pid;

	(void)argc; (void)argv;
	t_check_loader();
	create = (create_format_fn *)dlvsym(RTLD_DEFAULT,
		"_dl_exception_create_format", "GLIBC_PRIVATE");
	release = (free_fn *)dlvsym(RTLD_DEFAULT, "_dl_exception_free",
				    "GLIBC_PRIVATE");
	T_REQUIRE(create && release, "the loader does not export "
		  "_dl_exception_create_format/_dl_exception_free: %s",
		  T_STR(dlerror()));

	create(&e, NULL, "%s%%-%x-%lx-%zx!", "text", 123u, ~2ul, (size_t)255);
	T_CHECK(strcmp(e.errstring,
		       "text%-0000007b-fffffffffffffffd-00000000000000ff!") == 0,
		"formatted \"%s\"", e.errstring);
	T_CHECK(strcmp(e.objname, "") == 0, "objname \"%s\", want \"\"", e.objname);
	release(&e);
	T_CHECK(e.errstring == NULL && e.message_buffer == NULL,
		"_dl_exception_free left the fields set");
	create(&e, "libx.so", "%s", "no");
	T_CHECK(strcmp(e.objname, "libx.so") == 0 && strcmp(e.errstring, "no") == 0,
		"objname \"%s\", errstring \"%s\"", e.objname, e.errstring);
	release(&e);

	T_REQUIRE(pipe(fds) == 0, "pipe");
	pid = fork();
	T_REQUIRE(pid >= 0, "fork");
	if (pid == 0) {
		dup2(fds[1], 2);
		create(&e, NULL, "%p", (void *)0);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], out, sizeof(out) - 1);
	out[n > 0 ? n : 0] = '\0';
	waitpid(pid, &status, 0);
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 127,
		"an invalid conversion: status %#x, want exit 127", status);
	T_CHECK(strcmp(out, "Fatal error: invalid format in exception string\n") == 0,
		"an invalid conversion printed \"%s\"", out);
	if (!t_status())
		printf("dl_exception: passed\n");
	return t_status();
}
