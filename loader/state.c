/* SPDX-License-Identifier: MIT */
/*
 * The definition of the loader's single mutable global (see state.h). It
 * lives in .bss, so it is valid (all zero) as soon as stage 1 has relocated
 * myld.so; stage 2 fills it in.
 */
#include "loader/state.h"

struct ld_state ld_state;
