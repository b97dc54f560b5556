/* SPDX-License-Identifier: MIT */
/*
 * What a program finds at its entry point, however it was started: the
 * psABI's initial stack (argc, argv, envp, auxv; %rsp 16-byte aligned,
 * psABI 3.4.1), arguments shifted past the loader's own in explicit mode,
 * and auxv entries describing the program, not the loader (AT_PHDR,
 * AT_PHNUM, AT_ENTRY, AT_EXECFN), as glibc rewrites them. Prints its
 * arguments and one environment variable, so the output can be compared
 * with the system loader's.
 */
#include "rt.h"

#include <elf.h>

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));
void _start(void);
int startup_lib(void);

static void
check_auxv(char **argv, char **envp)
{
	char **e = envp;
	const Elf64_auxv_t *av;
	unsigned long phdr = 0, phnum = 0, entry = 0, pagesz = 0;
	const char *execfn = 0;

	while (*e)
		e++;
	for (av = (const Elf64_auxv_t *)(e + 1); av->a_type != AT_NULL; av++) {
		switch (av->a_type) {
		case AT_PHDR: phdr = av->a_un.a_val; break;
		case AT_PHNUM: phnum = av->a_un.a_val; break;
		case AT_ENTRY: entry = av->a_un.a_val; break;
		case AT_PAGESZ: pagesz = av->a_un.a_val; break;
		case AT_EXECFN: execfn = (const char *)av->a_un.a_val; break;
		}
	}
	rt_check(phdr == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff,
		 "AT_PHDR is the program's program header table");
	rt_check(phnum == __ehdr_start.e_phnum, "AT_PHNUM is the program's");
	rt_check(entry == (unsigned long)_start, "AT_ENTRY is the program's _start");
	rt_check(pagesz == 4096, "AT_PAGESZ");
	rt_check(execfn && rt_streq(execfn, argv[0]), "AT_EXECFN names the program (argv[0])");
}

int
main(int argc, char **argv, char **envp)
{
	rt_check(((unsigned long)rt_entry_sp & 15) == 0, "%rsp 16-byte aligned at entry");
	rt_check(rt_entry_sp[0] == argc && (char **)(rt_entry_sp + 1) == argv,
		 "argc and argv on the initial stack");
	rt_check(argv + argc + 1 == envp && argv[argc] == 0, "envp follows argv");
	rt_check(argv[0] && argv[0][0], "argv[0] names the program");
	check_auxv(argv, envp);
	rt_check(startup_lib() == 1, "libstartup.so");
	rt_print("argc ");
	rt_print_dec(argc);
	rt_print("\n");
	for (int i = 1; i < argc; i++) {
		rt_print("argv[");
		rt_print_dec(i);
		rt_print("] ");
		rt_print(argv[i]);
		rt_print("\n");
	}
	rt_print("T_STARTUP ");
	rt_print(rt_getenv(envp, "T_STARTUP") ? rt_getenv(envp, "T_STARTUP") : "(unset)");
	rt_print("\n");
	return 0;
}
