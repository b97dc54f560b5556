/* SPDX-License-Identifier: MIT */
/*
 * dl_threads_dso.c: built four times (libdl_threads_dso{0,1,2,3}.so, with
 * -DDSO_ID=n), each linked against libdl_threads_dso_util.so and bound
 * lazily, so the first call of each PLT slot in each load goes through the
 * loader's lazy-binding trampoline while other threads are loading and
 * unloading. dl_threads_work() returns a value the caller can predict, so
 * a wrong binding or a half-relocated object shows up as a wrong number.
 */
#include <stdio.h>
#include <string.h>

int dl_threads_util_mix(int a, int b);
int dl_threads_util_id(void);

#define STR2(x) #x
#define STR(x) STR2(x)

static const char tag[] = "dso" STR(DSO_ID);

int dl_threads_id = DSO_ID;

int
dl_threads_work(int x)
{
	char buf[32];

	/* libc through the PLT (lazy), then the util library (lazy). */
	snprintf(buf, sizeof(buf), "%s:%d", tag, x);
	return dl_threads_util_mix((int)strlen(buf), x) + DSO_ID * 1000 +
	       dl_threads_util_id();
}
