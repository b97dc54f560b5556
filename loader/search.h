/* SPDX-License-Identifier: MIT */
/*
 * Finding a library file from a DT_NEEDED name, in glibc's order:
 *   1. a name with a '/' is a path, used as is;
 *   2. DT_RPATH of the requesting object, then of the object that loaded it,
 *      and so on up, then the program's (only when the requester has no
 *      DT_RUNPATH); a NULL requester (LD_PRELOAD) uses the program's paths;
 *   3. LD_LIBRARY_PATH (ld_state.search.library_path);
 *   4. DT_RUNPATH of the requesting object only;
 *   5. /etc/ld.so.cache (unless inhibited);
 *   6. the default directories (/lib/x86_64-linux-gnu, /usr/lib/x86_64-
 *      linux-gnu, /lib, /usr/lib on Debian's glibc), unless the requester
 *      was linked with -z nodefaultlib.
 * In each directory of 2-4 and 6 the glibc-hwcaps subdirectories of
 * hwcaps.h come first, and 5 prefers their entries likewise.
 * $ORIGIN, $LIB, $PLATFORM and their ${...} forms are expanded. A candidate
 * that is not an ELF file of our class and machine is skipped and the
 * search goes on. Traces "libs" lines in glibc's shape plus which rule
 * found each candidate.
 */
#ifndef LOADER_SEARCH_H
#define LOADER_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "loader/object.h"

struct search_result {
	int fd;           /* open, read-only, close-on-exec */
	char *path;       /* crt_malloc'd path that was opened */
};

/* Finds and opens the library `name` needed by `requester` (NULL when the
 * name is not from an object, e.g. LD_PRELOAD). Returns 0 and fills *out,
 * or -ENOENT, -ENOEXEC (a broken candidate: glibc's wording, e.g. "wrong
 * ELF class: ELFCLASS32" or "invalid ELF header"), -EISDIR or -ENOMEM with
 * the error message set. Not found: glibc's "<name>: cannot open shared
 * object file: No such file or directory" followed by " (needed by
 * <requester>; searched <dir> [<source>], ...)". */
int search_library(const char *name, struct elf_object *requester,
		   struct search_result *out);

/* Expands $ORIGIN/${ORIGIN}, $LIB/${LIB} (the arch's ARCH_DST_LIB, as
 * Debian's glibc), $PLATFORM/${PLATFORM} (glibc's platform, hwcaps.c) in
 * one path-list element or name (the one expansion: search_library's
 * names, filter traces).
 * origin may be NULL (then $ORIGIN makes the element unusable). In secure
 * mode $ORIGIN is refused for the same reason. Returns a crt_malloc'd
 * string or NULL (unusable element or OOM). */
char *search_expand(const char *element, size_t len, const char *origin,
		    bool secure);

/* The directory part of path, made absolute with the current directory
 * when relative, as glibc computes l_origin: a crt_malloc'd string in
 * *out, or NULL there when it cannot be known (no path, no current
 * directory: $ORIGIN is then unusable). Returns 0, or -ENOMEM with the
 * message set. */
int search_origin_of(const char *path, char **out);

/* Where a search directory comes from (dlinfo's LA_SER_* flags). */
enum search_rule {
	SEARCH_RPATH = 0x04,        /* LA_SER_RUNPATH: glibc uses it for both */
	SEARCH_LIBPATH = 0x02,      /* LA_SER_LIBPATH */
	SEARCH_RUNPATH = 0x04,      /* LA_SER_RUNPATH */
	SEARCH_DEFAULT = 0x40,      /* LA_SER_DEFAULT */
};

/* Calls fn with each directory a search for a library needed by requester
 * would try, in order, expanded (the cache excepted), and its rule. */
void search_foreach_dir(struct elf_object *requester,
			void (*fn)(const char *dir, unsigned rule, void *arg),
			void *arg);

/* --help's "Shared library search path:" section in glibc's format: the
 * LD_LIBRARY_PATH or --library-path directories, the cache, the system
 * directories, each with where it comes from. */
void search_print_help(int fd);

/* Unmaps /etc/ld.so.cache; the next search maps it again. Called at the
 * end of start-up and of every dlopen, as glibc does, so that a cache
 * ldconfig has rewritten meanwhile is read anew. */
void search_release_cache(void);

#endif
