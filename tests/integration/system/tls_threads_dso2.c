/* SPDX-License-Identifier: MIT */
/*
 * tls_threads_dso2.c: the TLSDESC library of tls_threads, built with
 * -mtls-dialect=gnu2, so every dynamic TLS access here is a call through an
 * R_X86_64_TLSDESC descriptor: its own variables (global and static) and
 * dso1's. dso2_desc_preserves() checks the psABI promise that a
 * descriptor call changes no register but %rax.
 */
#include <stdint.h>
#include <string.h>

__thread int dso2_desc = 0x5555;
static __thread int dso2_local = 0x6666;
__thread char dso2_bss[4096] __attribute__((aligned(128)));

extern __thread int dso1_gd;

int dso2_check_initial(void);
void dso2_set(int id);
int dso2_check(int id);
void *dso2_addr(int which);
int dso2_desc_preserves(int which, void **where);

int
dso2_check_initial(void)
{
	int bad = 0;
	size_t i;

	bad += dso2_desc != 0x5555;
	bad += dso2_local != 0x6666;
	bad += ((uintptr_t)dso2_bss & 127) != 0;
	for (i = 0; i < sizeof(dso2_bss); i++)
		bad += dso2_bss[i] != 0;
	return bad;
}

void
dso2_set(int id)
{
	dso2_desc = 0x50000 + id;
	dso2_local = 0x60000 + id;
	memset(dso2_bss, 0x80 + id, sizeof(dso2_bss));
}

int
dso2_check(int id)
{
	int bad = 0;
	size_t i;

	bad += dso2_desc != 0x50000 + id;
	bad += dso2_local != 0x60000 + id;
	for (i = 0; i < sizeof(dso2_bss); i++)
		bad += dso2_bss[i] != (char)(0x80 + id);
	return bad;
}

/* 0 dso2_desc, 1 dso2_local, 2 dso1_gd (descriptor against dso1). */
void *
dso2_addr(int which)
{
	switch (which) {
	case 0: return &dso2_desc;
	case 1: return &dso2_local;
	case 2: return &dso1_gd;
	}
	return NULL;
}

/*
 * Loads a known value into every call-clobbered integer register and into
 * %xmm0-%xmm7, calls the descriptor by hand (the psABI's exact
 * `lea x@TLSDESC(%rip), %rax; call *x@TLSCALL(%rax)` sequence, so the
 * compiler cannot schedule values out of the way), and stores what the
 * registers hold afterwards. %rsp is moved below the red zone and aligned
 * first, as the call pushes a return address. *addr gets the variable's
 * address: the returned offset plus the thread pointer.
 */
#define DESC_PROBE(sym)                                                      \
	__asm__ volatile(                                                    \
		"mov %%rsp, %%r12\n\t"                                       \
		"sub $128, %%rsp\n\t"                                        \
		"and $-16, %%rsp\n\t"                                        \
		"mov 0(%[gi]), %%rcx\n\tmov 8(%[gi]), %%rdx\n\t"             \
		"mov 16(%[gi]), %%rsi\n\tmov 24(%[gi]), %%rdi\n\t"           \
		"mov 32(%[gi]), %%r8\n\tmov 40(%[gi]), %%r9\n\t"             \
		"mov 48(%[gi]), %%r10\n\tmov 56(%[gi]), %%r11\n\t"           \
		"movdqu 0(%[xi]), %%xmm0\n\tmovdqu 16(%[xi]), %%xmm1\n\t"    \
		"movdqu 32(%[xi]), %%xmm2\n\tmovdqu 48(%[xi]), %%xmm3\n\t"   \
		"movdqu 64(%[xi]), %%xmm4\n\tmovdqu 80(%[xi]), %%xmm5\n\t"   \
		"movdqu 96(%[xi]), %%xmm6\n\tmovdqu 112(%[xi]), %%xmm7\n\t"  \
		"lea " sym "@TLSDESC(%%rip), %%rax\n\t"                      \
		"call *" sym "@TLSCALL(%%rax)\n\t"                           \
		"mov %%rcx, 0(%[go])\n\tmov %%rdx, 8(%[go])\n\t"             \
		"mov %%rsi, 16(%[go])\n\tmov %%rdi, 24(%[go])\n\t"           \
		"mov %%r8, 32(%[go])\n\tmov %%r9, 40(%[go])\n\t"             \
		"mov %%r10, 48(%[go])\n\tmov %%r11, 56(%[go])\n\t"           \
		"movdqu %%xmm0, 0(%[xo])\n\tmovdqu %%xmm1, 16(%[xo])\n\t"    \
		"movdqu %%xmm2, 32(%[xo])\n\tmovdqu %%xmm3, 48(%[xo])\n\t"   \
		"movdqu %%xmm4, 64(%[xo])\n\tmovdqu %%xmm5, 80(%[xo])\n\t"   \
		"movdqu %%xmm6, 96(%[xo])\n\tmovdqu %%xmm7, 112(%[xo])\n\t"  \
		"mov %%r12, %%rsp\n\t"                                       \
		"add %%fs:0, %%rax"                                          \
		: "=a"(addr)                                                 \
		: [gi] "r"(gin), [go] "r"(gout), [xi] "r"(xin),              \
		  [xo] "r"(xout)                                             \
		: "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11",      \
		  "r12", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",     \
		  "xmm6", "xmm7", "memory", "cc")

/*
 * which: 0 dso2_desc (this library), 1 dso1_gd (another module). Returns
 * how many of the 16 registers the descriptor call changed; *where gets
 * the variable's address as the descriptor gave it.
 */
int
dso2_desc_preserves(int which, void **where)
{
	unsigned long gin[8], gout[8], xin[16], xout[16];
	char *addr;
	int i, changed = 0;

	for (i = 0; i < 8; i++)
		gin[i] = 0x0123456789abcdefUL ^ ((unsigned long)i << 56);
	for (i = 0; i < 16; i++)
		xin[i] = 0xfedcba9876543210UL ^ ((unsigned long)i << 48);
	memset(gout, 0, sizeof(gout));
	memset(xout, 0, sizeof(xout));
	if (which == 0)
		DESC_PROBE("dso2_desc");
	else
		DESC_PROBE("dso1_gd");
	for (i = 0; i < 8; i++)
		changed += gin[i] != gout[i];
	for (i = 0; i < 8; i++)
		changed += xin[2 * i] != xout[2 * i] ||
			   xin[2 * i + 1] != xout[2 * i + 1];
	*where = addr;
	return changed;
}
