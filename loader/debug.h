/* SPDX-License-Identifier: MIT */
/*
 * The debugger interface (<link.h>, "r_debug"), for every program, with or
 * without glibc's libc: _r_debug describes the list of loaded objects, the
 * program's DT_DEBUG entry points at it, and _dl_debug_state is the
 * function a debugger breaks on, called around every change of the list
 * with r_state saying which (gdb's "info sharedlibrary", breakpoints in
 * libraries, and libthread_db read it). The list a debugger walks is the
 * public head of struct link_map (l_addr, l_name, l_ld, l_next, l_prev):
 * myld's own nodes, or, when an adapter keeps its libc's full link maps,
 * those (the dlopen observer's debug_maps).
 */
#ifndef LOADER_DEBUG_H
#define LOADER_DEBUG_H

/* Publishes the start-up list (after the objects are loaded and the
 * adapter's link maps exist) and calls the breakpoint function once. */
void debug_init(void);

/* Announces a change of the list: RT_ADD or RT_DELETE before it,
 * RT_CONSISTENT after it. Load lock held. */
void debug_state(int r_state);

#endif
