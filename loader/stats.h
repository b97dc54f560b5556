/* SPDX-License-Identifier: MIT */
/*
 * LD_DEBUG=statistics: the report at the end of start-up (nothing unless
 * the statistics trace is on).
 */
#ifndef LOADER_STATS_H
#define LOADER_STATS_H

void stats_report(void);

#endif
