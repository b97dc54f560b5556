/* SPDX-License-Identifier: MIT */
/*
 * glibc's tunables as myld serves them: the release's table (abi_*.c),
 * with the values glibc's ld.so holds once it has started without
 * GLIBC_TUNABLES -- the defaults, and the x86 cache tunables glibc sets
 * from cpu_features. __tunable_get_val hands libc.so.6 those values;
 * `--list-tunables` prints them in glibc's format.
 *
 * GLIBC_TUNABLES and the tunables' environment aliases (MALLOC_ARENA_MAX,
 * MALLOC_CHECK_, ...) are not parsed yet: no tunable is ever set, so
 * libc's callbacks, which glibc calls only for set tunables, never run.
 * Runs in stage 2 and later; reads the table and the arch's CPU record.
 */
#include "loader/export.h"
#include "loader/glibc/internal.h"

#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/glibc/glibc.h"
#include "loader/state.h"
#include "machdep.h"


/* Tunable t's value and bounds after glibc's start-up: the table's, or
 * for the CPU-derived ones the CPU's (glibc's TUNABLE_SET_WITH_BOUNDS in
 * its cache setup). */
static void
current(const struct glibc_tunable *t, uint64_t *value, uint64_t *min, uint64_t *max)
{
	*value = t->value;
	*min = t->min;
	*max = t->max;
	if (t->source != ARCH_TUNABLE_NONE)
		arch_cpu_tunable(t->source, value, min, max);
}

void
glibc_tunables_print(int fd)
{
	const struct glibc_abi *abi = glibc_abi_newest();
	size_t i;

	for (i = 0; i < abi->ntunables; i++) {
		const struct glibc_tunable *t = &abi->tunables[i];
		uint64_t v, lo, hi;

		current(t, &v, &lo, &hi);
		switch (t->type) {
		case GLIBC_TUNABLE_INT32:
			crt_dprintf(fd, "%s: %d (min: %d, max: %d)\n", t->name,
				    (int)v, (int)lo, (int)hi);
			break;
		case GLIBC_TUNABLE_UINT64:
		case GLIBC_TUNABLE_SIZE:
			crt_dprintf(fd, "%s: 0x%lx (min: 0x%lx, max: 0x%lx)\n",
				    t->name, (unsigned long)v, (unsigned long)lo,
				    (unsigned long)hi);
			break;
		case GLIBC_TUNABLE_STRING:
			/* No string tunable has a default. */
			crt_dprintf(fd, "%s:\n", t->name);
			break;
		}
	}
}

/* libc.so.6 reads a tunable by its id: the value goes to valp in the
 * tunable's own type; callback would only be called for a tunable that
 * GLIBC_TUNABLES set, and none is. */
EXPORT void
__tunable_get_val(unsigned id, void *valp, void (*callback)(void *))
{
	const struct glibc_abi *abi = ld_state.glibc.abi;
	const struct glibc_tunable *t;
	uint64_t v, lo, hi;

	(void)callback;
	if (!abi || id >= abi->ntunables)
		return;
	t = &abi->tunables[id];
	current(t, &v, &lo, &hi);
	if (t->type == GLIBC_TUNABLE_INT32) {
		int32_t i32 = (int32_t)v;

		memcpy(valp, &i32, sizeof(i32));
		return;
	}
	/* A string tunable's value in the table is 0 (none has a default):
	 * NULL, a pointer's 8 zero bytes, as a uint64_t's or a size_t's. */
	memcpy(valp, &v, sizeof(v));
}
