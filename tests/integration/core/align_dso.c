/* SPDX-License-Identifier: MIT */
/*
 * 2 MiB-aligned library: reports its own load base (the address of its ELF header).
 */
#include "rt.h"

extern const char __ehdr_start[] __attribute__((visibility("hidden")));
static int data[1024] = { 42 };

unsigned long
align_base(void)
{
	return (unsigned long)__ehdr_start;
}

int
align_value(void)
{
	return data[0];
}
