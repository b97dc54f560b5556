/* SPDX-License-Identifier: MIT */
/*
 * The env tests' helpers are the ones every libc-based integration test
 * shares: see ../t.h.
 */
#include "../t.h"
