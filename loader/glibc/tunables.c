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
 * Runs in stage 2 and later; reads the table and a cpu_features copy only.
 */
#include "loader/export.h"
#include "loader/glibc/internal.h"

#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/glibc/cpu_cache.h"
#include "loader/glibc/cpu_features.h"
#include "loader/glibc/glibc.h"
#include "loader/state.h"


/* Tunable t's value and bounds after glibc's start-up, for the CPU
 * described by cf (glibc's TUNABLE_SET_WITH_BOUNDS in its cache setup). */
static void
current(const struct glibc_tunable *t, const struct glibc_cpu_features *cf,
	uint64_t *value, uint64_t *min, uint64_t *max)
{
	*value = t->value;
	*min = t->min;
	*max = t->max;
	switch (t->source) {
	case GLIBC_TUNABLE_X86_DATA_CACHE:
		*value = cf->data_cache_size;
		break;
	case GLIBC_TUNABLE_X86_SHARED_CACHE:
		*value = cf->shared_cache_size;
		break;
	case GLIBC_TUNABLE_X86_NON_TEMPORAL:
		/* The clamp memmove's 4x loop and shift need. */
		*value = cf->non_temporal_threshold;
		*min = 0x4040;
		*max = SIZE_MAX >> 4;
		break;
	case GLIBC_TUNABLE_X86_REP_MOVSB:
		*value = cf->rep_movsb_threshold;
		*min = glibc_cpu_rep_movsb_minimum(cf);
		break;
	case GLIBC_TUNABLE_X86_REP_STOSB:
		*value = cf->rep_stosb_threshold;
		*min = 1;
		break;
	}
}

void
glibc_tunables_print(int fd)
{
	const struct glibc_abi *abi = glibc_abi_newest();
	struct glibc_cpu_features cf;
	size_t i;

	glibc_cpu_features_init(&cf, sizeof(cf));
	for (i = 0; i < abi->ntunables; i++) {
		const struct glibc_tunable *t = &abi->tunables[i];
		uint64_t v, lo, hi;

		current(t, &cf, &v, &lo, &hi);
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
	struct glibc_cpu_features cf;
	const struct glibc_tunable *t;
	uint64_t v, lo, hi;

	(void)callback;
	if (!abi || id >= abi->ntunables)
		return;
	t = &abi->tunables[id];
	memcpy(&cf, _rtld_global_ro + abi->glro_cpu_features, sizeof(cf));
	current(t, &cf, &v, &lo, &hi);
	switch (t->type) {
	case GLIBC_TUNABLE_INT32: {
		int32_t i32 = (int32_t)v;

		memcpy(valp, &i32, sizeof(i32));
		break;
	}
	case GLIBC_TUNABLE_UINT64:
	case GLIBC_TUNABLE_SIZE:
		memcpy(valp, &v, sizeof(v));
		break;
	case GLIBC_TUNABLE_STRING: {
		const char *none = NULL;

		memcpy(valp, &none, sizeof(none));
		break;
	}
	}
}
