/* SPDX-License-Identifier: MIT */
/*
 * Two undefined symbols: the loader must report both (glibc reports the first), then exit 127.
 */
#include "rt.h"

int gone_one(void);
int gone_two(void);

int
main(int argc, char **argv, char **envp)
{
	return gone_one() + gone_two();
}
