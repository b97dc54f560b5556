/* SPDX-License-Identifier: MIT */
/*
 * launch_dso_a.c: liblaunch_dso_a.so of the launch test, in two variants
 * with the same soname (LAUNCH_A_VARIANT 1 or 2). Variant 2 returns and
 * holds other values, and its padding moves every symbol to another
 * offset, so a warm start that kept the first variant's bindings after
 * the file was replaced would read the wrong places.
 */
#ifndef LAUNCH_A_VARIANT
#define LAUNCH_A_VARIANT 1
#endif

#if LAUNCH_A_VARIANT == 2
/* Used, so the linker keeps it in front of the symbols below. */
static volatile char launch_a_pad[8192] = {1};
#define PAD (launch_a_pad[0] - 1)
#define WHO "a2"
#define VALUE 22
#define DATA 200
#else
#define PAD 0
#define WHO "a1"
#define VALUE 11
#define DATA 100
#endif

int launch_a_data = DATA;

static int
twice(int x)
{
	return LAUNCH_A_VARIANT == 2 ? 2 * x : x + 1;
}

int (*launch_a_fnptr)(int) = twice;

int
launch_a_value(void)
{
	return VALUE + PAD;
}

const char *
launch_a_who(void)
{
	return WHO;
}

/* The program defines its own, which wins (the call goes through the PLT). */
int
launch_interposed(void)
{
	return 1;
}

int
launch_a_calls_interposed(void)
{
	return launch_interposed() * 10 + LAUNCH_A_VARIANT;
}
