/* SPDX-License-Identifier: MIT */
/*
 * The launch cache (issue 10, part 2): what a start-up worked out (which
 * file each library search opened, and which definition each symbolic
 * relocation bound to) kept in a file, so that the next start of the
 * same program with the same inputs opens those files directly and
 * applies those bindings without searching or looking anything up.
 *
 * Off unless MYLD_CACHE=DIR or --cache DIR (an empty MYLD_CACHE means
 * $XDG_CACHE_HOME/myld, else $HOME/.cache/myld); never in secure mode nor
 * in ldd mode. One file per key, DIR/<16 hex digits>.mlc. The key is
 * everything that can change a result and is known before loading: the
 * program's path and file identity, myld.so's build id, LD_LIBRARY_PATH,
 * LD_PRELOAD, LD_BIND_NOW, LD_BIND_NOT, GLIBC_TUNABLES, the options, the
 * hwcaps subdirectories and platform, the effective uid, and the
 * identities of /etc/ld.so.cache and /etc/ld.so.preload. The file adds
 * what the search saw: every directory probed without success (its
 * identity, or that it was absent), every library found (path and
 * identity: device, inode, size, mtime in ns), the current directory
 * when a path was relative. A warm start checks all of it before
 * loading anything and opens every library up front (the fds it maps
 * are the ones it checked); any difference means a normal start that
 * writes the entry anew. LD_DEBUG=statistics says which, and why.
 *
 * The file is untrusted input: a versioned header, a checksum, every
 * count, offset, object serial and symbol index bounds-checked; read and
 * written only through a directory owned by the effective user and not
 * writable by group or others, the file likewise (O_NOFOLLOW), written
 * to a temporary name and renamed into place.
 *
 * State: one module-private record, written at start-up only (by the
 * initial thread, before any other thread exists): no lock.
 */
#ifndef LOADER_LAUNCH_H
#define LOADER_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/object.h"
#include "loader/search.h"
#include "loader/startup.h"

/* One recorded binding of a relocated object's symbol: symbol symidx
 * looked up with LOOKUP_* flags found symbol defsym of the object with
 * serial def_serial (0: none, an undefined weak symbol). The layout is
 * the file's. */
struct launch_binding {
	uint32_t symidx;
	uint32_t flags;
	uint64_t def_serial;
	uint32_t defsym;
	uint32_t reserved;
};

/* Start-up, once the environment, the options and the hwcaps are known
 * and before the program or anything else is opened: prog_path is the
 * program named on the command line, NULL when the kernel mapped it.
 * dir is MYLD_CACHE's or --cache's value, NULL when neither is given. */
void launch_start(const char *dir, const char *prog_path,
		  const struct startup_options *opts);

/* search.c: a warm start's answer for the next search (name needed by
 * requester, NULL for a preload). True with *out filled (an fd the
 * launch check opened, a crt_malloc'd path); false: search as usual. */
bool launch_search(const char *name, const struct elf_object *requester,
		   struct search_result *out);

/* search.c, while recording: a search's result (out NULL: not found),
 * and a candidate path that was not the library (absent, or passed
 * over): its directory's state is part of the entry. */
void launch_note_search(const char *name, const struct elf_object *requester,
			const struct search_result *out);
void launch_note_probe(const char *path);

/* What the cache does for start-up relocation (reloc.c): nothing,
 * record each object's facts, or replay them. Every object keeps its
 * lookups by symbol index while it does something. */
enum launch_role { LAUNCH_NONE, LAUNCH_RECORDING, LAUNCH_REPLAYING };
enum launch_role launch_role(void);

/* One object's relocation facts, as a cold start found them: its
 * bindings, how many of DT_RELA's first entries were relative
 * relocations inside the object, and whether every DT_RELR entry was.
 * The file is the same (its identity, ctime included, was checked), so
 * a replay need not check those entries again. */
struct launch_relocs {
	const struct launch_binding *bindings;
	size_t nbindings;
	size_t relative_checked;
	bool relr_checked;
};

/* Replaying: obj's facts into *out; false when none were recorded (or
 * they are not this file's). launch_object: the object with a recorded
 * serial, NULL when there is none. */
bool launch_relocs_of(const struct elf_object *obj, struct launch_relocs *out);
struct elf_object *launch_object(uint64_t serial);

/* Recording: obj's facts, then each of its bindings (def NULL: an
 * undefined weak symbol). */
void launch_note_relocs(const struct elf_object *obj, size_t relative_checked,
			bool relr_checked);
void launch_note_binding(const struct elf_object *obj, uint32_t symidx,
			 unsigned flags, const struct elf_object *def,
			 uint32_t defsym);

/* Once start-up relocation is done: a recording is written, a warm
 * start's leftovers closed; the cache plays no part after this. */
void launch_finish(void);

/* The checksum of an entry's body (the header's): the reader and the
 * writer use it, and the fuzz harness seals its inputs with it. */
uint64_t launch_checksum(const void *body, size_t len);

/* LD_DEBUG=statistics: whether the cache was used and written, and why
 * not. */
void launch_report(void);

#endif
