/* SPDX-License-Identifier: MIT */
/*
 * x86_64 facts as data: the R_X86_64_* relocation types mapped to the
 * generic REL_* kinds the relocator understands (psABI 4.4.1, table
 * "Relocation Types"), and how wide each one writes.
 */
#ifndef LOADER_ARCH_MACHDEP_H
#define LOADER_ARCH_MACHDEP_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define ARCH_MACHINE EM_X86_64
#define ARCH_ELFCLASS ELFCLASS64
#define ARCH_PLATFORM "x86_64"
/* How messages name the machine. */
#define ARCH_NAME "x86-64"
/* The first address user space cannot have (4-level paging: 47 bits). */
#define ARCH_USER_LIMIT ((uint64_t)1 << 47)

/* Debian's multiarch layout of glibc on this machine: $LIB (strings in
 * its ld.so, and LD_DEBUG shows $LIB expanding to it; upstream's default
 * would be "lib64"), the system search path (ld.so --help), and the
 * path programs name as their interpreter. */
#define ARCH_DST_LIB "lib/x86_64-linux-gnu"
#define ARCH_SYSTEM_DIRS \
	"/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib:/usr/lib"
#define ARCH_SYSTEM_LOADER "/lib64/ld-linux-x86-64.so.2"
/* ld.so.cache entry flags glibc's loader accepts here
 * (_dl_cache_check_flags: FLAG_ELF_LIBC6 | FLAG_X8664_LIB64). */
#define ARCH_CACHE_FLAGS 0x0303
/* The platforms a legacy ld.so.cache entry may be marked with, as bits
 * from ARCH_CACHE_FIRST_PLATFORM up (glibc's _dl_x86_platforms). */
#define ARCH_CACHE_PLATFORMS "i586:i686:haswell:xeon_phi"
#define ARCH_CACHE_NPLATFORMS 4
#define ARCH_CACHE_FIRST_PLATFORM 48

/* Generic relocation kinds. */
#define REL_NONE        R_X86_64_NONE       /* nothing */
#define REL_SYMBOLIC    R_X86_64_64         /* S + A, 64 bits */
#define REL_PC64        R_X86_64_PC64       /* S + A - P, 64 bits */
#define REL_PC32        R_X86_64_PC32       /* S + A - P, signed 32 */
#define REL_SYM32       R_X86_64_32         /* S + A, zero-extended 32 */
#define REL_SYM32S      R_X86_64_32S        /* S + A, sign-extended 32 */
#define REL_GOT         R_X86_64_GLOB_DAT   /* S */
#define REL_PLT         R_X86_64_JUMP_SLOT  /* S */
#define REL_RELATIVE    R_X86_64_RELATIVE   /* B + A */
#define REL_COPY        R_X86_64_COPY       /* copy st_size bytes */
#define REL_IRELATIVE   R_X86_64_IRELATIVE  /* resolver(B + A)() */
#define REL_TPOFF       R_X86_64_TPOFF64    /* S + A - TP */
#define REL_DTPMOD      R_X86_64_DTPMOD64   /* module id */
#define REL_DTPOFF      R_X86_64_DTPOFF64   /* S + A in the block */
#define REL_TLSDESC     R_X86_64_TLSDESC    /* descriptor */

/* The relocation type of an Elf64_Rela's r_info. */
#define ARCH_R_TYPE(info) ELF64_R_TYPE(info)
#define ARCH_R_SYM(info) ELF64_R_SYM(info)

/* Thread control block (psABI 3.4.6, TLS variant II: static TLS blocks
 * lie below the thread pointer, which points at the TCB). Word 0 is the
 * TCB's own address (the psABI requires %fs:0 to hold it); the DTV pointer
 * and a second self pointer follow as in glibc's tcbhead_t; GCC reads the
 * stack guard at %fs:0x28, glibc the pointer guard at %fs:0x30. */
#define ARCH_TCB_SELF0_OFFSET 0
#define ARCH_TCB_DTV_OFFSET 8
#define ARCH_TCB_SELF_OFFSET 16
#define ARCH_TCB_STACK_GUARD_OFFSET 0x28
#define ARCH_TCB_POINTER_GUARD_OFFSET 0x30
/* The smallest TCB myld builds for programs without glibc. */
#define ARCH_TCB_MIN_SIZE 64
/* TLS variant: 2, static blocks stacked downwards below the thread pointer
 * and the TCB at it (x86, s390, SPARC); 1 would put the TCB first and the
 * blocks above it (ARM, AArch64, RISC-V, PowerPC). tls.c reads this. */
#define ARCH_TLS_VARIANT 2

/* Sets the calling thread's thread pointer. Returns 0 or -errno. */
int arch_set_thread_pointer(void *tp);
/* The calling thread's thread pointer (reads %fs:0). */
static inline void *
arch_thread_pointer(void)
{
	void *tp;

	__asm__("mov %%fs:0, %0" : "=r"(tp));
	return tp;
}

/* TLS descriptor functions (tls_entry.S): word 1 of the descriptor is the
 * offset from the thread pointer, or a struct tls_index pointer. */
void arch_tlsdesc_static(void);
void arch_tlsdesc_dynamic(void);

/* Lazy binding (psABI 3.4.3 / A.2, "Procedure Linkage Table"): PLT0
 * pushes GOT[1] and jumps to GOT[2]; each PLT entry jumps through its GOT
 * slot, which initially points back into the PLT to push the relocation
 * index. arch_plt_trampoline saves every register a call may carry
 * arguments in (vector registers included), calls reloc_lazy_fixup(obj,
 * index) and jumps to the result. */
void arch_plt_trampoline(void);
#define ARCH_GOT_OBJECT 1      /* GOT[1]: the object */
#define ARCH_GOT_RESOLVER 2    /* GOT[2]: the trampoline */

/* How the trampoline saves vector state, chosen once from CPUID. */
enum arch_save_mode { ARCH_SAVE_FXSAVE = 0, ARCH_SAVE_XSAVE = 1, ARCH_SAVE_XSAVEC = 2 };
/* Fills ld_state.lazy_save_* for this CPU. */
void arch_lazy_init(void);

/*
 * The CPU (cpu_features.c): probed once, by the first of these calls
 * (start-up, stage 2, before any thread exists); later calls read the
 * record.
 */
/* The ISA levels the CPU supports: bit n set for level n, as ld.so.cache's
 * ISA-level marks count them (x86-64: 0 baseline, 1 v2, 2 v3, 3 v4;
 * GNU_PROPERTY_X86_ISA_1_* bits). */
uint32_t arch_isa_levels(void);
/* The glibc-hwcaps subdirectory names of this architecture, best first,
 * ':'-separated, and in *active bit i set when the CPU described by levels
 * (arch_isa_levels) can use name i (glibc's _dl_hwcaps_subdirs and
 * _dl_hwcaps_subdirs_active; hwcaps.c). */
const char *arch_hwcaps_subdirs(uint32_t levels, uint32_t *active);
/* _dl_hwcap as glibc's ld.so sets it: x86_64, plus avx512_1 on Intel CPUs
 * with usable AVX512CD, BW, DQ and VL but not AVX512ER. */
#define ARCH_HWCAP_X86_64 (1u << 1)
#define ARCH_HWCAP_AVX512_1 (1u << 2)
uint64_t arch_hwcap(void);
/* The hwcap bits whose names are legacy library subdirectories (glibc's
 * HWCAP_IMPORTANT), and the name of bit n (NULL if it has none). */
#define ARCH_HWCAP_IMPORTANT (ARCH_HWCAP_X86_64 | ARCH_HWCAP_AVX512_1)
const char *arch_hwcap_name(unsigned bit);
/* The platform glibc's ld.so puts in place of the kernel's AT_PLATFORM
 * ("haswell", "xeon_phi" on Intel CPUs with those features), or NULL to
 * keep AT_PLATFORM. */
const char *arch_platform(void);
/* _dl_minsigstacksize when the kernel gives no AT_MINSIGSTKSZ: glibc's
 * emulation of the kernel's signal frame size. */
uint64_t arch_minsigstacksize(void);
/* glibc's per-architecture CPU block of _rtld_global_ro (x86:
 * _dl_x86_cpu_features, the struct its IFUNC resolvers read) into the size
 * bytes at out: truncated, or zero-padded past the 480 bytes of 2.36's. */
void arch_cpu_features_copy(void *out, size_t size);
/* The tunables glibc's ld.so sets from the CPU block (x86's cache sizes
 * and copy thresholds): which one, and its value and bounds after start-up
 * (*min and *max come in as the tunable's own). */
enum arch_tunable {
	ARCH_TUNABLE_NONE,
	ARCH_TUNABLE_DATA_CACHE,
	ARCH_TUNABLE_SHARED_CACHE,
	ARCH_TUNABLE_NON_TEMPORAL,
	ARCH_TUNABLE_REP_MOVSB,
	ARCH_TUNABLE_REP_STOSB,
};
void arch_cpu_tunable(unsigned which, uint64_t *value, uint64_t *min, uint64_t *max);

/* glibc's name for relocation type t in messages; NULL if unknown. */
const char *arch_reloc_name(unsigned type);

#endif
