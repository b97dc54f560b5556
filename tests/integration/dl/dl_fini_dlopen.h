/* SPDX-License-Identifier: MIT */
/*
 * dl_fini_dlopen.h: what dl_fini_dlopen exports to its helper libraries
 * (the program is linked with --export-dynamic): the event log every
 * constructor and destructor writes to, the directory the libraries are
 * in, and main's handle of libdl_fini_dlopen_b.so.
 */
#ifndef DL_FINI_DLOPEN_H
#define DL_FINI_DLOPEN_H

/* Appends ev and a space to the log. */
void dl_fini_dlopen_event(const char *ev);

extern const char *dl_fini_dlopen_dir;
extern void *dl_fini_dlopen_hb;

#endif /* DL_FINI_DLOPEN_H */
