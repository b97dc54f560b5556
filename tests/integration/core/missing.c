/* SPDX-License-Identifier: MIT */
/*
 * Needs a library that does not exist at run time.
 */
#include "rt.h"

int missing_function(void);

int
main(int argc, char **argv, char **envp)
{
	return missing_function();
}
