/* SPDX-License-Identifier: MIT */
/*
 * Start-up facts: the initial stack (argc, argv, envp, auxv) decoded, and the
 * options of explicit invocation (./myld.so [options] [--] prog args).
 */
#ifndef LOADER_STARTUP_H
#define LOADER_STARTUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machdep.h"

struct startup_info {
	int argc;
	char **argv;
	char **envp;
	uint64_t *auxv;               /* pairs, ending with AT_NULL */
	uintptr_t at_base, at_phdr, at_entry, at_execfn, at_random;
	uintptr_t at_sysinfo_ehdr;
	size_t at_phnum, at_pagesz;
	bool at_secure;
	bool have_ids;                /* AT_UID..AT_EGID were present */
	uintptr_t at_uid, at_euid, at_gid, at_egid;
};

/* Decodes the initial stack at sp (pointing at argc). */
void startup_parse_stack(uintptr_t *sp, struct startup_info *info);

/* Value of auxv entry type, or def when absent. */
uintptr_t startup_auxv_get(const uint64_t *auxv, uint64_t type, uintptr_t def);
/* Sets an existing auxv entry's value; returns false if absent. */
bool startup_auxv_set(uint64_t *auxv, uint64_t type, uintptr_t value);

enum startup_action {
	STARTUP_RUN,         /* load and run program */
	STARTUP_LIST,        /* --list: ldd output */
	STARTUP_VERIFY,      /* --verify */
	STARTUP_HELP,        /* --help: usage on stdout, exit 0 */
	STARTUP_LIST_TUNABLES, /* --list-tunables: on stdout, exit 0 */
	STARTUP_VERSION,     /* --version */
	STARTUP_USAGE_ERROR, /* message set; exit 127 */
};

struct startup_options {
	enum startup_action action;
	int prog_index;               /* argv index of the program */
	const char *library_path;     /* --library-path */
	const char *inhibit_rpath;    /* --inhibit-rpath */
	const char *preload;          /* --preload */
	const char *argv0;            /* --argv0 */
	const char *audit;            /* --audit (not supported) */
	const char *hwcaps_prepend;   /* --glibc-hwcaps-prepend */
	const char *hwcaps_mask;      /* --glibc-hwcaps-mask */
	const char *cache;            /* --cache: the launch cache's directory */
	bool inhibit_cache;
};

/* Parses the options of explicit invocation from argv[1..argc). On a usage
 * error sets the message (glibc's "unrecognized option '--x'" or "missing
 * program name"; "option '--list-diagnostics' is not supported") and
 * returns STARTUP_USAGE_ERROR in opts->action. --help and --list-tunables
 * need no program (prog_index is then 0 when none follows). */
void startup_parse_options(int argc, char **argv, struct startup_options *opts);

/* LD_SHOW_AUXV: every auxv entry on fd, in glibc's format
 * ("AT_PAGESZ:            4096"). */
void startup_show_auxv(int fd, const uint64_t *auxv);

/* The name myld answers to as a program interpreter (glibc's RTLD). */
#define STARTUP_RTLD ARCH_SYSTEM_LOADER

/* The first part of --help, glibc's text up to "This program interpreter
 * self-identifies as: ..." (self is argv[0]), for fd. */
void startup_print_usage(int fd, const char *self);

#endif
