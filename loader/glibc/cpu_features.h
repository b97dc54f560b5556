/* SPDX-License-Identifier: MIT */
/*
 * glibc 2.36 struct cpu_features for _rtld_global_ro, computed for the
 * running CPU. Runs before libc is relocated: calls nothing from libc.
 */
#ifndef LOADER_GLIBC_CPU_FEATURES_H
#define LOADER_GLIBC_CPU_FEATURES_H

#include <stddef.h>

/* Fills the size bytes at out (at least 480) with struct cpu_features. */
void glibc_cpu_features_init(void *out, size_t size);

#endif
