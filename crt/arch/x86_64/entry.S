/* SPDX-License-Identifier: MIT */
/*
 * The loader's entry point. The kernel (or the shell, for ./myld.so prog)
 * jumps here with rsp at argc (psABI 3.4.1, "Initial Stack and Register
 * State"). We hand that pointer to C, get back where to go, and leave as a
 * program's entry expects: rsp at its argc, rdx = the function it registers
 * with atexit (the loader's fini), other registers carry nothing.
 *
 * struct boot_handoff (loader/boot.h) is {entry, sp, fini}, 24 bytes,
 * reserved on our stack below the 16-byte aligned call frame.
 */
	.text
	.globl	_start
	.hidden	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	subq	$32, %rsp
	andq	$-16, %rsp
	movq	%rsp, %rsi
	call	boot_start
	movq	0(%rsp), %rax
	movq	16(%rsp), %rdx
	movq	8(%rsp), %rsp
	jmp	*%rax
	.cfi_endproc
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
