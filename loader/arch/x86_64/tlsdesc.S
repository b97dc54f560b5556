/* SPDX-License-Identifier: MIT */
/*
 * TLS descriptor functions (R_X86_64_TLSDESC, -mtls-dialect=gnu2): the
 * caller puts the descriptor's address in rax and calls *(rax); the
 * function returns in rax the variable's offset from the thread pointer
 * and must preserve every other register, vector registers included.
 *   arch_tlsdesc_static:  descriptor word 1 already holds that offset.
 *   arch_tlsdesc_dynamic: word 1 points at a struct tls_index.
 */
	.text

	.globl	arch_tlsdesc_static
	.hidden	arch_tlsdesc_static
	.type	arch_tlsdesc_static, @function
arch_tlsdesc_static:
	.cfi_startproc
	movq	8(%rax), %rax
	ret
	.cfi_endproc
	.size	arch_tlsdesc_static, . - arch_tlsdesc_static

	.globl	arch_tlsdesc_dynamic
	.hidden	arch_tlsdesc_dynamic
	.type	arch_tlsdesc_dynamic, @function
arch_tlsdesc_dynamic:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	/* 9 integer registers and a 512-byte fxsave area, 16-aligned. */
	subq	$600, %rsp
	andq	$-16, %rsp
	movq	%rdi, 0(%rsp)
	movq	%rsi, 8(%rsp)
	movq	%rdx, 16(%rsp)
	movq	%rcx, 24(%rsp)
	movq	%r8, 32(%rsp)
	movq	%r9, 40(%rsp)
	movq	%r10, 48(%rsp)
	movq	%r11, 56(%rsp)
	fxsave64 80(%rsp)
	movq	8(%rax), %rdi
	call	tls_get_addr
	subq	%fs:0, %rax
	fxrstor64 80(%rsp)
	movq	0(%rsp), %rdi
	movq	8(%rsp), %rsi
	movq	16(%rsp), %rdx
	movq	24(%rsp), %rcx
	movq	32(%rsp), %r8
	movq	40(%rsp), %r9
	movq	48(%rsp), %r10
	movq	56(%rsp), %r11
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size	arch_tlsdesc_dynamic, . - arch_tlsdesc_dynamic

	.section .note.GNU-stack, "", @progbits
