/* SPDX-License-Identifier: MIT */
/*
 * LD_DEBUG=statistics: glibc's "runtime linker statistics" report, from
 * the counters and clock readings the modules keep in ld_state.stats.
 */
#include "loader/stats.h"

#include "machdep.h"
#include "loader/launch.h"
#include "loader/state.h"
#include "loader/trace.h"

void
stats_report(void)
{
	uint64_t total = ld_state.stats.t_initialised - ld_state.stats.t_start;

	if (!TRACE_ON(STATISTICS))
		return;
	trace_printf("\nruntime linker statistics:");
	trace_printf("  total startup time in dynamic loader: %lu ns",
		     (unsigned long)total);
	trace_printf("            time needed to load objects: %lu ns",
		     (unsigned long)(ld_state.stats.t_mapped - ld_state.stats.t_start));
	trace_printf("            time needed for relocation: %lu ns",
		     (unsigned long)(ld_state.stats.t_relocated -
				     ld_state.stats.t_mapped));
	trace_printf("          time needed for initialisers: %lu ns",
		     (unsigned long)(ld_state.stats.t_initialised -
				     ld_state.stats.t_relocated));
	trace_printf("                      number of objects: %zu",
		     ld_state.nobjects);
	trace_printf("                  number of relocations: %lu",
		     ld_state.stats.relocations);
	trace_printf("       number of relocations from cache: %lu",
		     ld_state.stats.lookup_cache);
	trace_printf("         number of relative relocations: %lu",
		     ld_state.stats.relative);
	trace_printf("                 number of symbol lookups: %lu",
		     ld_state.stats.lookups);
	trace_printf("   objects rejected by the bloom filter: %lu of %lu",
		     ld_state.stats.bloom_rejects, ld_state.stats.objects_probed);
	for (unsigned t = 0; t < STATS_RELOC_TYPES; t++)
		if (ld_state.stats.by_type[t])
			trace_printf("%39s: %lu", arch_reloc_name(t) ?
				     arch_reloc_name(t) : "other",
				     ld_state.stats.by_type[t]);
	launch_report();
}
