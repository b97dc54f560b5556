/* SPDX-License-Identifier: MIT */
/*
 * __tls_get_addr (psABI 3.4.6, general- and local-dynamic TLS): an ordinary
 * call, but compilers emit it without aligning the stack first, so we
 * realign before calling the C slow path (tls_get_addr in loader/tls.c).
 * Exported (GLIBC_2.3); kept out of loader_core so that unit tests, which
 * link loader_core into programs run by the system loader, never define it.
 */
	.text

	.globl	__tls_get_addr
	.type	__tls_get_addr, @function
__tls_get_addr:
	.cfi_startproc
	pushq	%rbp
	.cfi_def_cfa_offset 16
	.cfi_offset rbp, -16
	movq	%rsp, %rbp
	.cfi_def_cfa_register rbp
	andq	$-16, %rsp
	call	tls_get_addr
	movq	%rbp, %rsp
	popq	%rbp
	.cfi_def_cfa rsp, 8
	ret
	.cfi_endproc
	.size	__tls_get_addr, . - __tls_get_addr

	.section .note.GNU-stack, "", @progbits
