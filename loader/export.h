/* SPDX-License-Identifier: MIT */
/*
 * EXPORT marks what myld.so exports: everything else is hidden (meson
 * builds with -fvisibility=hidden), and tests/checks/exports.txt lists
 * exactly what may be marked.
 */
#ifndef LOADER_EXPORT_H
#define LOADER_EXPORT_H

#define EXPORT __attribute__((visibility("default")))

#endif
