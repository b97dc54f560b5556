/* SPDX-License-Identifier: MIT */
/*
 * list_static.c: linked -static -no-pie, the one kind of ELF program that
 * is not dynamic at all: `ld.so --verify` must exit 1 for it, as for a
 * file that is not ELF, and the list test compares that with glibc.
 */
int
main(void)
{
	return 0;
}
