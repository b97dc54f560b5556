/* SPDX-License-Identifier: MIT */
/*
 * COPY relocation (non-PIE program): the program's copy of the library's initialised object is the one the library itself sees.
 */
#include "rt.h"

extern int shared_counter;
extern const char shared_text[];
int *counter_address(void);
int bump_counter(void);

int
main(int argc, char **argv, char **envp)
{
	rt_check(shared_counter == 40, "copied initial value");
	rt_check(counter_address() == &shared_counter, "library sees the copy");
	rt_check(bump_counter() == 41 && shared_counter == 41, "one object");
	rt_print(shared_text);
	return 0;
}
