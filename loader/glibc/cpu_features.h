/* SPDX-License-Identifier: MIT */
/* placeholder: being written */
#include <stddef.h>
void glibc_cpu_features_init(void *out, size_t size);
