/* SPDX-License-Identifier: MIT */
/*
 * Library data for the COPY relocation test.
 */
#include "rt.h"

int shared_counter = 40;
const char shared_text[] = "copy relocation ok\n";

int *
counter_address(void)
{
	return &shared_counter;
}

int
bump_counter(void)
{
	return ++shared_counter;
}
