/* SPDX-License-Identifier: MIT */
/*
 * The glibc-hwcaps subdirectory list (see hwcaps.h): built once at start-up
 * from the explicit-invocation options and the architecture's built-in
 * names (arch_hwcaps_subdirs), read by search.c for every directory it
 * tries and for ld.so.cache entries, printed by --help.
 * With it the full list of subdirectories a search tries in each
 * directory: glibc-hwcaps/NAME for each name, then, where the release
 * searches them (glibc 2.36 and 2.31; 2.37 dropped them), the legacy
 * HWCAP subdirectories (tls/, x86_64/, haswell/ ... and their
 * combinations), built as glibc builds them.
 * Stage 2 only; writes ld_state.search's hwcaps fields, nothing else.
 */
#include "loader/hwcaps.h"

#include "crt/fmt.h"
#include "crt/string.h"
#include "loader/error.h"
#include "loader/startup.h"
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
}

/*
 * The legacy subdirectories, as glibc 2.36's _dl_important_hwcaps builds
 * them: the components are the names of the important hwcap bits the CPU
 * has (lowest bit first), the platform, and "tls"; every non-empty subset
 * is a subdirectory, its components joined highest first
 * ("tls/x86_64/x86_64"), the subsets in descending order of the bitmask
 * whose bit i stands for component i. add_legacy appends them to buf
 * (legacy_size bytes) and returns how many.
 */
#define LEGACY_MAX 8	/* components: 2^8 subdirectories at most */

static size_t
legacy_components(const char **comp)
{
	uint64_t bits = ld_state.search.hwcap & ARCH_HWCAP_IMPORTANT;
	size_t n = 0;

	for (unsigned bit = 0; bit < 64 && n < LEGACY_MAX - 2; bit++)
		if ((bits >> bit & 1) && arch_hwcap_name(bit))
			comp[n++] = arch_hwcap_name(bit);
	if (ld_state.search.platform)
		comp[n++] = ld_state.search.platform;
	comp[n++] = "tls";
	return n;
}

static size_t
legacy_size(const char **comp, size_t n)
{
	size_t total = 0;

	/* Each component appears in half the subsets, with its '/' or NUL. */
	for (size_t i = 0; i < n; i++)
		total += (crt_strlen(comp[i]) + 1) << (n - 1);
	return total;
}

static size_t
add_legacy(char *buf, size_t *used, const char **comp, size_t n)
{
	size_t count = 0;

	for (size_t set = ((size_t)1 << n) - 1; set > 0; set--, count++) {
		bool first = true;

		for (size_t i = n; i-- > 0;) {
			size_t len = crt_strlen(comp[i]);

			if (!(set >> i & 1))
				continue;
			if (!first)
				buf[*used - 1] = '/';
			add_name(buf, used, comp[i], len);
			first = false;
		}
	}
	return count;
}

void
hwcaps_init(const char *prepend, const char *mask)
{
	static const char prefix[] = "glibc-hwcaps/";
	struct search_config *sc = &ld_state.search;
	static unsigned serial;   /* what search.c knows a list by */
	const char *builtin, *p, *e, *comp[LEGACY_MAX];
	uint32_t active;
	size_t n, used = 0, i, ncomp = 0;

	sc->hwcaps_prepend = prepend;
	sc->hwcaps_mask = mask;
	sc->isa_levels = arch_isa_levels();
	sc->hwcap = arch_hwcap();
	sc->platform = arch_platform();
	if (!sc->platform)
		sc->platform = (const char *)startup_auxv_get(ld_state.auxv,
							     AT_PLATFORM, 0);
	builtin = arch_hwcaps_subdirs(sc->isa_levels, &active);
	/* Every name fits in the bytes of the two lists. */
	sc->hwcaps = xalloc(crt_strlen(builtin) + (prepend ? crt_strlen(prepend) : 0) + 2);
	sc->hwcaps_count = 0;
	for (p = prepend ? prepend : ""; (e = next_element(&p, &n));
	     sc->hwcaps_count++)
		add_name(sc->hwcaps, &used, e, n);
	for (p = builtin, i = 0; (e = next_element(&p, &n)); i++)
		if ((active >> i & 1) && hwcaps_list_has(mask, e, n)) {
			add_name(sc->hwcaps, &used, e, n);
			sc->hwcaps_count++;
		}

	/* The subdirectories a search tries: glibc-hwcaps/NAME for each,
	 * then the legacy ones where the release has them. */
	if (sc->legacy_hwcaps)
		ncomp = legacy_components(comp);
	sc->subdirs = xalloc(used + sc->hwcaps_count * (sizeof(prefix) - 1) +
			     (ncomp ? legacy_size(comp, ncomp) : 0) + 1);
	used = 0;
	for (p = sc->hwcaps, i = 0; i < sc->hwcaps_count; i++, p += n + 1) {
		n = crt_strlen(p);
		memcpy(sc->subdirs + used, prefix, sizeof(prefix) - 1);
		used += sizeof(prefix) - 1;
		add_name(sc->subdirs, &used, p, n);
	}
	sc->subdirs_count = sc->hwcaps_count;
	sc->subdirs_serial = ++serial;
	if (ncomp)
		sc->subdirs_count += add_legacy(sc->subdirs, &used, comp, ncomp);
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
	uint32_t active;
	size_t n, i;

	builtin = arch_hwcaps_subdirs(sc->isa_levels, &active);
	p = sc->hwcaps_prepend ? sc->hwcaps_prepend : "";
	e = builtin;
	if (next_element(&p, &n) || next_element(&e, &n))
		crt_dprintf(fd, "\nSubdirectories of glibc-hwcaps directories, "
			    "in priority order:\n");
	else
		crt_dprintf(fd, "\nNo subdirectories of glibc-hwcaps directories "
			    "are searched.\n");
	for (p = sc->hwcaps_prepend ? sc->hwcaps_prepend : "";
	     (e = next_element(&p, &n));)
		crt_dprintf(fd, "  %.*s (searched)\n", (int)n, e);
	for (p = builtin, i = 0; (e = next_element(&p, &n)); i++) {
		bool supported = active >> i & 1;
		bool listed = hwcaps_list_has(sc->hwcaps_mask, e, n);
		bool set[] = { supported, !listed, supported && listed };

		crt_dprintf(fd, "  %.*s", (int)n, e);
		print_flags(fd, labels, set, 3);
	}
	crt_dprintf(fd, "\nLegacy HWCAP subdirectories under library search "
		    "path directories:\n");
	if (!sc->legacy_hwcaps) {
		crt_dprintf(fd, "  (none: this glibc release searches none)\n");
		return;
	}
	if (sc->platform)
		crt_dprintf(fd, "  %s (AT_PLATFORM; supported, searched)\n",
			    sc->platform);
	crt_dprintf(fd, "  tls (supported, searched)\n");
	for (unsigned bit = 64; bit-- > 0;) {
		uint64_t b = (uint64_t)1 << bit;
		bool set[] = { (sc->hwcap & b) != 0, false, (sc->hwcap & b) != 0 };

		if (!(ARCH_HWCAP_IMPORTANT & b) || !arch_hwcap_name(bit))
			continue;
		crt_dprintf(fd, "  %s", arch_hwcap_name(bit));
		print_flags(fd, labels, set, 3);
	}
}
