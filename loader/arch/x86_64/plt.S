/* SPDX-License-Identifier: MIT */
/*
 * The lazy-binding trampoline (GOT[2]). PLT0 has pushed GOT[1] (the
 * object) above the relocation index its PLT entry pushed, above the
 * caller's return address:
 *
 *   8(%rsp) index   0(%rsp) object   (after our push of rbx: 16, 8(%rbx))
 *
 * Everything a call may pass arguments in must survive reloc_lazy_fixup:
 * rdi rsi rdx rcx r8 r9 (integer arguments), rax (vector-register count of
 * a varargs call), r10 (static chain), and the vector registers (xmm0-7 at
 * least; ymm/zmm upper halves too for AVX arguments). The vector state is
 * saved with xsavec, xsave or fxsave, as arch_lazy_init chose from CPUID;
 * ld_state begins with {lazy_save_size, lazy_save_mode, lazy_save_mask}.
 * r11 is free: the psABI lets the PLT clobber it; it carries the target.
 */
	.text
	.globl	arch_plt_trampoline
	.hidden	arch_plt_trampoline
	.type	arch_plt_trampoline, @function
arch_plt_trampoline:
	.cfi_startproc
	.cfi_adjust_cfa_offset 16
	pushq	%rbx
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset rbx, 0
	movq	%rsp, %rbx
	.cfi_def_cfa_register rbx
	/* Integer registers, then the 64-byte aligned vector save area. */
	subq	$80, %rsp
	movq	%rax, 0(%rsp)
	movq	%rcx, 8(%rsp)
	movq	%rdx, 16(%rsp)
	movq	%rsi, 24(%rsp)
	movq	%rdi, 32(%rsp)
	movq	%r8, 40(%rsp)
	movq	%r9, 48(%rsp)
	movq	%r10, 56(%rsp)
	movq	ld_state+0(%rip), %r11
	subq	%r11, %rsp
	andq	$-64, %rsp
	movl	ld_state+8(%rip), %r11d
	cmpl	$0, %r11d
	je	.Lfxsave
	/* XSAVE: the header's reserved bytes must be zero for XRSTOR. */
	xorl	%eax, %eax
	movq	%rax, 512(%rsp)
	movq	%rax, 520(%rsp)
	movq	%rax, 528(%rsp)
	movq	%rax, 536(%rsp)
	movq	%rax, 544(%rsp)
	movq	%rax, 552(%rsp)
	movq	%rax, 560(%rsp)
	movq	%rax, 568(%rsp)
	movl	ld_state+12(%rip), %eax
	xorl	%edx, %edx
	cmpl	$2, %r11d
	je	.Lxsavec
	xsave64	(%rsp)
	jmp	.Lsaved
.Lxsavec:
	xsavec64 (%rsp)
	jmp	.Lsaved
.Lfxsave:
	fxsave64 (%rsp)
.Lsaved:
	movq	8(%rbx), %rdi           /* the object (GOT[1]) */
	movq	16(%rbx), %rsi          /* the relocation index */
	call	reloc_lazy_fixup
	movq	%rax, %r11
	movl	ld_state+8(%rip), %eax
	cmpl	$0, %eax
	je	.Lfxrstor
	movl	ld_state+12(%rip), %eax
	xorl	%edx, %edx
	xrstor64 (%rsp)
	jmp	.Lrestored
.Lfxrstor:
	fxrstor64 (%rsp)
.Lrestored:
	leaq	-80(%rbx), %rsp
	movq	0(%rsp), %rax
	movq	8(%rsp), %rcx
	movq	16(%rsp), %rdx
	movq	24(%rsp), %rsi
	movq	32(%rsp), %rdi
	movq	40(%rsp), %r8
	movq	48(%rsp), %r9
	movq	56(%rsp), %r10
	movq	%rbx, %rsp
	popq	%rbx
	.cfi_def_cfa rsp, 24
	addq	$16, %rsp
	.cfi_def_cfa rsp, 8
	jmp	*%r11
	.cfi_endproc
	.size	arch_plt_trampoline, . - arch_plt_trampoline

	.section .note.GNU-stack, "", @progbits
