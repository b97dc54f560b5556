/* SPDX-License-Identifier: MIT */
/*
 * Start-up facts: decoding the initial stack the kernel built (psABI 3.4.1,
 * "Initial Stack and Register State": argc, argv[], NULL, envp[], NULL,
 * auxv pairs ending with AT_NULL) and the command line of explicit
 * invocation. Pure functions of their arguments: no allocation, no I/O
 * except startup_print_usage (glibc 2.36's --help text, word for word:
 * scripts read it; --audit and --list-diagnostics are listed although
 * myld only warns about the first and refuses the second).
 */
#include "loader/startup.h"

#include <elf.h>

#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/error.h"

void
startup_parse_stack(uintptr_t *sp, struct startup_info *info)
{
	char **p;
	uint64_t *a;
	size_t ids = 0;

	memset(info, 0, sizeof(*info));
	info->argc = (int)sp[0];
	info->argv = (char **)(sp + 1);
	info->envp = info->argv + info->argc + 1;
	for (p = info->envp; *p; p++)
		;
	info->auxv = (uint64_t *)(p + 1);
	for (a = info->auxv; a[0] != AT_NULL; a += 2) {
		switch (a[0]) {
		case AT_BASE: info->at_base = a[1]; break;
		case AT_PHDR: info->at_phdr = a[1]; break;
		case AT_PHNUM: info->at_phnum = a[1]; break;
		case AT_ENTRY: info->at_entry = a[1]; break;
		case AT_EXECFN: info->at_execfn = a[1]; break;
		case AT_RANDOM: info->at_random = a[1]; break;
		case AT_PAGESZ: info->at_pagesz = a[1]; break;
		case AT_SYSINFO_EHDR: info->at_sysinfo_ehdr = a[1]; break;
		case AT_SECURE: info->at_secure = a[1] != 0; break;
		case AT_UID: info->at_uid = a[1]; ids++; break;
		case AT_EUID: info->at_euid = a[1]; ids++; break;
		case AT_GID: info->at_gid = a[1]; ids++; break;
		case AT_EGID: info->at_egid = a[1]; ids++; break;
		}
	}
	info->have_ids = ids == 4;
	if (info->at_pagesz == 0)
		info->at_pagesz = 4096;
}

uintptr_t
startup_auxv_get(const uint64_t *auxv, uint64_t type, uintptr_t def)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == type)
			return auxv[1];
	return def;
}

bool
startup_auxv_set(uint64_t *auxv, uint64_t type, uintptr_t value)
{
	for (; auxv[0] != AT_NULL; auxv += 2) {
		if (auxv[0] == type) {
			auxv[1] = value;
			return true;
		}
	}
	return false;
}

/* The options of explicit invocation. One that takes a value stores it
 * in the const char * field at offset value; a flag (value 0, the offset
 * of action, which no value uses) sets action, and STARTUP_RUN stands for
 * --inhibit-cache, the one flag that is no action. */
static const struct option {
	const char *name;
	enum startup_action action;
	size_t value;
} options[] = {
#define VALUE(field) STARTUP_RUN, offsetof(struct startup_options, field)
	{ "--list", STARTUP_LIST, 0 },
	{ "--verify", STARTUP_VERIFY, 0 },
	{ "--inhibit-cache", STARTUP_RUN, 0 },
	{ "--help", STARTUP_HELP, 0 },
	{ "--version", STARTUP_VERSION, 0 },
	{ "--list-tunables", STARTUP_LIST_TUNABLES, 0 },
	{ "--library-path", VALUE(library_path) },
	{ "--inhibit-rpath", VALUE(inhibit_rpath) },
	{ "--preload", VALUE(preload) },
	{ "--argv0", VALUE(argv0) },
	{ "--audit", VALUE(audit) },
	{ "--glibc-hwcaps-prepend", VALUE(hwcaps_prepend) },
	{ "--glibc-hwcaps-mask", VALUE(hwcaps_mask) },
	{ "--cache", VALUE(cache) },
#undef VALUE
}, *const options_end = options + sizeof(options) / sizeof(options[0]);

void
startup_parse_options(int argc, char **argv, struct startup_options *opts)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	opts->action = STARTUP_RUN;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct option *o = options;

		if (crt_strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		if (arg[0] != '-' || arg[1] != '-')
			break;
		if (crt_strcmp(arg, "--list-diagnostics") == 0) {
			ld_error("option '%s' is not supported", arg);
			goto usage;
		}
		while (o < options_end && crt_strcmp(arg, o->name) != 0)
			o++;
		if (o == options_end) {
			ld_error("unrecognized option '%s'", arg);
			goto usage;
		}
		if (o->value == 0) {
			if (o->action == STARTUP_RUN)
				opts->inhibit_cache = true;
			else
				opts->action = o->action;
			if (opts->action == STARTUP_VERSION)
				return;
			continue;
		}
		if (i + 1 >= argc) {
			ld_error("option '%s' requires an argument", arg);
			goto usage;
		}
		*(const char **)((char *)opts + o->value) = argv[++i];
	}
	/* --help and --list-tunables need no program: the options after
	 * them still count (`--help --library-path DIR` shows DIR), as in
	 * glibc. */
	if (i >= argc && opts->action != STARTUP_HELP &&
	    opts->action != STARTUP_LIST_TUNABLES) {
		ld_error("missing program name");
		goto usage;
	}
	if (i < argc)
		opts->prog_index = i;
	return;
usage:
	opts->action = STARTUP_USAGE_ERROR;
}

void
startup_print_usage(int fd, const char *self)
{
	crt_dprintf(fd,
		"Usage: %s [OPTION]... EXECUTABLE-FILE [ARGS-FOR-PROGRAM...]\n"
		"You have invoked 'ld.so', the program interpreter for dynamically-linked\n"
		"ELF programs.  Usually, the program interpreter is invoked automatically\n"
		"when a dynamically-linked executable is started.\n"
		"\n"
		"You may invoke the program interpreter program directly from the command\n"
		"line to load and run an ELF executable file; this is like executing that\n"
		"file itself, but always uses the program interpreter you invoked,\n"
		"instead of the program interpreter specified in the executable file you\n"
		"run.  Invoking the program interpreter directly provides access to\n"
		"additional diagnostics, and changing the dynamic linker behavior without\n"
		"setting environment variables (which would be inherited by subprocesses).\n"
		"\n"
		"  --list                list all dependencies and how they are resolved\n"
		"  --verify              verify that given object really is a dynamically linked\n"
		"                        object we can handle\n"
		"  --inhibit-cache       Do not use /etc/ld.so.cache\n"
		"  --library-path PATH   use given PATH instead of content of the environment\n"
		"                        variable LD_LIBRARY_PATH\n"
		"  --glibc-hwcaps-prepend LIST\n"
		"                        search glibc-hwcaps subdirectories in LIST\n"
		"  --glibc-hwcaps-mask LIST\n"
		"                        only search built-in subdirectories if in LIST\n"
		"  --inhibit-rpath LIST  ignore RUNPATH and RPATH information in object names\n"
		"                        in LIST\n"
		"  --audit LIST          use objects named in LIST as auditors\n"
		"  --preload LIST        preload objects named in LIST\n"
		"  --argv0 STRING        set argv[0] to STRING before running\n"
		"  --list-tunables       list all tunables with minimum and maximum values\n"
		"  --list-diagnostics    list diagnostics information\n"
		"  --help                display this help and exit\n"
		"  --version             output version information and exit\n"
		"\n"
		"This program interpreter self-identifies as: " STARTUP_RTLD "\n",
		self);
}

/* How glibc prints each auxv type: its name and the value's form. */
enum auxv_form { AUXV_DEC, AUXV_HEX, AUXV_HEX_BARE, AUXV_STR };

struct auxv_name {
	uint64_t type;
	const char *name;
	enum auxv_form form;
};

static const struct auxv_name auxv_names[] = {
	{ AT_EXECFD, "EXECFD", AUXV_DEC },
	{ AT_PHDR, "PHDR", AUXV_HEX },
	{ AT_PHENT, "PHENT", AUXV_DEC },
	{ AT_PHNUM, "PHNUM", AUXV_DEC },
	{ AT_PAGESZ, "PAGESZ", AUXV_DEC },
	{ AT_BASE, "BASE", AUXV_HEX },
	{ AT_FLAGS, "FLAGS", AUXV_HEX },
	{ AT_ENTRY, "ENTRY", AUXV_HEX },
	{ AT_NOTELF, "NOTELF", AUXV_HEX },
	{ AT_UID, "UID", AUXV_DEC },
	{ AT_EUID, "EUID", AUXV_DEC },
	{ AT_GID, "GID", AUXV_DEC },
	{ AT_EGID, "EGID", AUXV_DEC },
	{ AT_PLATFORM, "PLATFORM", AUXV_STR },
	{ AT_HWCAP, "HWCAP", AUXV_HEX_BARE },
	{ AT_CLKTCK, "CLKTCK", AUXV_DEC },
	{ AT_FPUCW, "FPUCW", AUXV_HEX },
	{ AT_DCACHEBSIZE, "DCACHEBSIZE", AUXV_HEX },
	{ AT_ICACHEBSIZE, "ICACHEBSIZE", AUXV_HEX },
	{ AT_UCACHEBSIZE, "UCACHEBSIZE", AUXV_HEX },
	{ AT_IGNOREPPC, "IGNOREPPC", AUXV_DEC },
	{ AT_SECURE, "SECURE", AUXV_DEC },
	{ AT_BASE_PLATFORM, "BASE_PLATFORM", AUXV_STR },
	{ AT_RANDOM, "RANDOM", AUXV_HEX },
	{ AT_HWCAP2, "HWCAP2", AUXV_HEX },
	{ AT_EXECFN, "EXECFN", AUXV_STR },
	{ AT_SYSINFO, "SYSINFO", AUXV_HEX },
	{ AT_SYSINFO_EHDR, "SYSINFO_EHDR", AUXV_HEX },
	{ AT_L1I_CACHESHAPE, "L1I_CACHESHAPE", AUXV_HEX },
	{ AT_L1D_CACHESHAPE, "L1D_CACHESHAPE", AUXV_HEX },
	{ AT_L2_CACHESHAPE, "L2_CACHESHAPE", AUXV_HEX },
	{ AT_L3_CACHESHAPE, "L3_CACHESHAPE", AUXV_HEX },
	{ AT_L1I_CACHESIZE, "L1I_CACHESIZE", AUXV_DEC },
	{ AT_L1I_CACHEGEOMETRY, "L1I_CACHEGEOMETRY", AUXV_HEX },
	{ AT_L1D_CACHESIZE, "L1D_CACHESIZE", AUXV_DEC },
	{ AT_L1D_CACHEGEOMETRY, "L1D_CACHEGEOMETRY", AUXV_HEX },
	{ AT_L2_CACHESIZE, "L2_CACHESIZE", AUXV_DEC },
	{ AT_L2_CACHEGEOMETRY, "L2_CACHEGEOMETRY", AUXV_HEX },
	{ AT_L3_CACHESIZE, "L3_CACHESIZE", AUXV_DEC },
	{ AT_L3_CACHEGEOMETRY, "L3_CACHEGEOMETRY", AUXV_HEX },
	{ AT_MINSIGSTKSZ, "MINSIGSTKSZ", AUXV_DEC },
};

void
startup_show_auxv(int fd, const uint64_t *auxv)
{
	size_t i;

	for (; auxv[0] != AT_NULL; auxv += 2) {
		const struct auxv_name *n = NULL;
		char label[32];

		for (i = 0; i < sizeof(auxv_names) / sizeof(auxv_names[0]); i++)
			if (auxv_names[i].type == auxv[0])
				n = &auxv_names[i];
		if (!n) {
			crt_dprintf(fd, "AT_??? (0x%lx): 0x%lx\n",
				    (unsigned long)auxv[0], (unsigned long)auxv[1]);
			continue;
		}
		crt_snprintf(label, sizeof(label), "AT_%s:", n->name);
		if (n->form == AUXV_STR)
			crt_dprintf(fd, "%-22s%s\n", label, (const char *)auxv[1]);
		else if (n->form == AUXV_DEC)
			crt_dprintf(fd, "%-22s%lu\n", label, (unsigned long)auxv[1]);
		else
			crt_dprintf(fd, "%-22s%s%lx\n", label,
				    n->form == AUXV_HEX ? "0x" : "",
				    (unsigned long)auxv[1]);
	}
}
