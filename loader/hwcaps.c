/* SPDX-License-Identifier: MIT */
/*
 * The glibc-hwcaps subdirectory list (see hwcaps.h): built once at start-up
 * from the explicit-invocation options and the architecture's built-in
 * names (arch_hwcaps_subdirs), read by search.c for every directory it
 * tries and for ld.so.cache entries, printed by --help.
 * Deliberate difference from glibc 2.36: the legacy HWCAP subdirectories
 * (tls/, haswell/, x86_64/, ... of each directory, and ld.so.cache
 * entries for them) are not searched; glibc 2.37 dropped them too.
 * Stage 2 only; writes ld_state.search's hwcaps fields, nothing else.
 */
#include "loader/hwcaps.h"

#include "crt/alloc.h"
#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/error.h"
#include "loader/state.h"
#include "machdep.h"

/* The next non-empty element of a ':'-separated list at *p (its length in
 * *len), moving *p past it; NULL at the end. */
static const char *
next_element(const char **p, size_t *len)
{
	const char *s = *p;

	while (*s == ':')
		s++;
	*len = crt_strcspn(s, ":");
	*p = s + *len;
	return *len ? s : NULL;
}

bool
hwcaps_list_has(const char *list, const char *name, size_t len)
{
	const char *e;
	size_t n;

	if (!list)
		return true;
	while ((e = next_element(&list, &n)))
		if (n == len && crt_strncmp(e, name, len) == 0)
			return true;
	return false;
}

/* Appends the len bytes at name and a NUL to the list being built. */
static void
add_name(char *buf, size_t *used, const char *name, size_t len)
{
	memcpy(buf + *used, name, len);
	buf[*used + len] = '\0';
	*used += len + 1;
	ld_state.search.hwcaps_count++;
}

void
hwcaps_init(const char *prepend, const char *mask)
{
	struct search_config *sc = &ld_state.search;
	const char *builtin, *p, *e;
	uint32_t active;
	size_t n, used = 0, i;

	sc->hwcaps_prepend = prepend;
	sc->hwcaps_mask = mask;
	sc->isa_levels = arch_isa_levels();
	builtin = arch_hwcaps_subdirs(sc->isa_levels, &active);
	/* Every name fits in the bytes of the two lists. */
	sc->hwcaps = xalloc(crt_strlen(builtin) + (prepend ? crt_strlen(prepend) : 0) + 2);
	sc->hwcaps_count = 0;
	for (p = prepend ? prepend : ""; (e = next_element(&p, &n));)
		add_name(sc->hwcaps, &used, e, n);
	for (p = builtin, i = 0; (e = next_element(&p, &n)); i++)
		if ((active >> i & 1) && hwcaps_list_has(mask, e, n))
			add_name(sc->hwcaps, &used, e, n);
}

/* " (a, b)" after a name: the labels whose flag is set. */
static void
print_flags(int fd, const char *const *labels, const bool *set, size_t n)
{
	bool first = true;

	for (size_t i = 0; i < n; i++) {
		if (!set[i])
			continue;
		crt_dprintf(fd, "%s%s", first ? " (" : ", ", labels[i]);
		first = false;
	}
	crt_dprintf(fd, "%s\n", first ? "" : ")");
}

void
hwcaps_print_help(int fd)
{
	static const char *const labels[] = { "supported", "masked", "searched" };
	const struct search_config *sc = &ld_state.search;
	const char *builtin, *p, *e;
	bool printed = false;
	uint32_t active;
	size_t n, i;

	builtin = arch_hwcaps_subdirs(sc->isa_levels, &active);
	for (p = sc->hwcaps_prepend ? sc->hwcaps_prepend : "";
	     (e = next_element(&p, &n)); printed = true) {
		if (!printed)
			crt_dprintf(fd, "\nSubdirectories of glibc-hwcaps "
				    "directories, in priority order:\n");
		crt_dprintf(fd, "  %.*s (searched)\n", (int)n, e);
	}
	for (p = builtin, i = 0; (e = next_element(&p, &n)); i++, printed = true) {
		bool supported = active >> i & 1;
		bool listed = hwcaps_list_has(sc->hwcaps_mask, e, n);
		bool set[] = { supported, !listed, supported && listed };

		if (!printed)
			crt_dprintf(fd, "\nSubdirectories of glibc-hwcaps "
				    "directories, in priority order:\n");
		crt_dprintf(fd, "  %.*s", (int)n, e);
		print_flags(fd, labels, set, 3);
	}
	if (!printed)
		crt_dprintf(fd, "\nNo subdirectories of glibc-hwcaps directories "
			    "are searched.\n");
	crt_dprintf(fd, "\nLegacy HWCAP subdirectories under library search "
		    "path directories:\n"
		    "  (none searched: myld uses the glibc-hwcaps "
		    "subdirectories only)\n");
}
