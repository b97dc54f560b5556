/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/search.c against a directory tree built here (one
 * per test case, removed afterwards): the order DT_RPATH, LD_LIBRARY_PATH,
 * DT_RUNPATH, ld.so.cache, default directories; $ORIGIN, $LIB and
 * $PLATFORM; wrong-class files skipped and broken ones stopping the
 * search; the "not found" message; secure mode; the LD_DEBUG=libs lines.
 * Objects are fake struct elf_object values with only the fields
 * search.c reads. Library files are just ELF headers: the search only
 * checks the identification, mapping is map.c's business.
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crt/alloc.h"
#include "loader/cache.h"
#include "loader/error.h"
#include "loader/hwcaps.h"
#include "loader/search.h"
#include "loader/state.h"
#include "loader/trace.h"
#include "tests/unit/unit.h"

static char root[256];

/* Fake objects, from a static pool emptied before each test (nothing to
 * free, nothing for valgrind to call a leak). */
static struct elf_object fakes[8];
static size_t nfakes;


/* A formatted string that lives until 32 more are made. */
static const char *
fmt(const char *f, ...)
{
	static char ring[32][1024];
	static unsigned next;
	char *buf = ring[next++ % 32];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof(ring[0]), f, ap);
	va_end(ap);
	return buf;
}

/* root + "/" + rel */
static const char *
at(const char *rel)
{
	return fmt("%s/%s", root, rel);
}

static void
write_bytes(const char *rel, const void *data, size_t len)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* An ELF header for x86-64 (or another class or machine). */
static void
make_elf(const char *rel, unsigned char class, Elf64_Half machine)
{
	Elf64_Ehdr eh;

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = class;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = ET_DYN;
	eh.e_machine = machine;
	eh.e_version = EV_CURRENT;
	eh.e_ehsize = sizeof(eh);
	write_bytes(rel, &eh, sizeof(eh));
}

static void
tree_create(void)
{
	static const char *dirs[] = {
		"rpath", "lp", "runpath", "lib", "lib/x86_64-linux-gnu",
		"x86_64", "w32", "bad", "isdir", "isdir/libt.so", "m",
		"hw", "hw/glibc-hwcaps", "hw/glibc-hwcaps/p1",
		"hw/glibc-hwcaps/p2", "hw/x86_64", "hw/tls",
	};
	size_t i;

	snprintf(root, sizeof(root), "/tmp/myld-test-search-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		ck_assert_int_eq(mkdir(at(dirs[i]), 0755), 0);
	make_elf("rpath/libt.so", ELFCLASS64, EM_X86_64);
	make_elf("lp/libt.so", ELFCLASS64, EM_X86_64);
	make_elf("runpath/libt.so", ELFCLASS64, EM_X86_64);
	make_elf("runpath/libu.so", ELFCLASS64, EM_X86_64);
	make_elf("lib/x86_64-linux-gnu/libl.so", ELFCLASS64, EM_X86_64);
	make_elf("x86_64/libp.so", ELFCLASS64, EM_X86_64);
	make_elf("w32/libt.so", ELFCLASS32, EM_386);
	make_elf("w32/libw.so", ELFCLASS32, EM_386);
	make_elf("m/libt.so", ELFCLASS64, EM_AARCH64);
	write_bytes("bad/libt.so", "#!/bin/sh\necho not a library\n", 29);
	/* libh1: in p2 and the directory; libh2: in p1, p2 and the directory;
	 * libh3: only in the directory. */
	make_elf("hw/libh1.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/glibc-hwcaps/p2/libh1.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/libh2.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/glibc-hwcaps/p1/libh2.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/glibc-hwcaps/p2/libh2.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/libh3.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/libl1.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/x86_64/libl1.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/x86_64/libl2.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/tls/libl2.so", ELFCLASS64, EM_X86_64);
	make_elf("hw/glibc-hwcaps/p1/libl2.so", ELFCLASS64, EM_X86_64);
}

static void
tree_remove(void)
{
	char cmd[512];

	if (root[0] == '\0')
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

/* The auxv hwcaps_init reads AT_PLATFORM from: a fixed platform. */
static uint64_t fake_auxv[] = { AT_PLATFORM, (uintptr_t)"x86_64", AT_NULL, 0 };

static void
state_reset(void)
{
	memset(&ld_state.search, 0, sizeof(ld_state.search));
	ld_state.auxv = fake_auxv;
	ld_state.secure = false;
	ld_state.main_obj = NULL;
	ld_state.progname = NULL;
	ld_state.trace_mask = 0;
	ld_state.trace_fd = 0;
	nfakes = 0;
	/* The missing subdirectories search.c remembers start empty in
	 * each test: Check's fork mode runs every test in a new process. */
	search_release_cache();
	ld_error_clear();
	ck_assert_int_eq(chdir(root), 0);
}

/* A fake object: only what search.c reads. */
static struct elf_object *
fake(const char *path, const char *rpath, const char *runpath,
     struct elf_object *loader)
{
	struct elf_object *o;

	ck_assert_uint_lt(nfakes, sizeof(fakes) / sizeof(fakes[0]));
	o = &fakes[nfakes++];
	memset(o, 0, sizeof(*o));
	o->path = (char *)path;
	o->rpath = rpath;
	o->runpath = runpath;
	o->origin = (char *)root;
	o->loader = loader;
	return o;
}

static void
expect_found(const char *name, struct elf_object *req, const char *want)
{
	struct search_result out;
	int err = search_library(name, req, &out);

	ck_assert_msg(err == 0, "%s: %d: %s", name, err, ld_error_message());
	ck_assert_str_eq(out.path, want);
	ck_assert_int_ge(out.fd, 0);
	close(out.fd);
	crt_free(out.path);
}

/* Runs a search that must fail with err; returns the message as start-up
 * prints it: glibc's words, then myld's detail in parentheses (dlerror()
 * gets the words alone). */
static const char *
expect_error(const char *name, struct elf_object *req, int want_err)
{
	static char both[4096];
	struct search_result out;
	int err = search_library(name, req, &out);

	ck_assert_msg(err == want_err, "%s: got %d, want %d (%s)", name, err,
		      want_err, ld_error_message());
	ck_assert_int_eq(out.fd, -1);
	ck_assert_ptr_null(out.path);
	if (!ld_state.error_detail[0])
		return ld_error_message();
	snprintf(both, sizeof(both), "%s (%s)", ld_error_message(),
		 ld_state.error_detail);
	return both;
}

static void
assert_contains(const char *hay, const char *needle)
{
	ck_assert_msg(strstr(hay, needle) != NULL, "\"%s\" lacks \"%s\"", hay,
		      needle);
}

#define DEFAULTS_TRIED "/lib/x86_64-linux-gnu [default], " \
	"/usr/lib/x86_64-linux-gnu [default], /lib [default], /usr/lib [default]"

/* --- order of the sources ---------------------------------------------- */

START_TEST(search_library_prefers_rpath_to_library_path)
{
	struct elf_object *req = fake(at("req.so"), at("rpath"), NULL, NULL);

	ld_state.search.library_path = (char *)at("lp");
	expect_found("libt.so", req, at("rpath/libt.so"));
}
END_TEST

START_TEST(search_library_ignores_rpath_when_runpath_present)
{
	struct elf_object *req = fake(at("req.so"), at("rpath"), at("runpath"),
				      NULL);

	ld_state.search.library_path = (char *)at("lp");
	expect_found("libt.so", req, at("lp/libt.so"));
}
END_TEST

START_TEST(search_library_uses_runpath_after_library_path)
{
	struct elf_object *req = fake(at("req.so"), NULL, at("runpath"), NULL);

	ld_state.search.library_path = (char *)at("nothere");
	expect_found("libt.so", req, at("runpath/libt.so"));
}
END_TEST

START_TEST(search_library_inherits_rpath_from_loaders)
{
	struct elf_object *prog = fake(at("prog"), at("rpath"), NULL, NULL);
	struct elf_object *mid = fake(at("mid.so"), NULL, NULL, prog);
	struct elf_object *req = fake(at("req.so"), at("nothere"), NULL, mid);

	prog->is_main = true;
	ld_state.main_obj = prog;
	expect_found("libt.so", req, at("rpath/libt.so"));
}
END_TEST

START_TEST(search_library_does_not_inherit_runpath)
{
	struct elf_object *prog = fake(at("prog"), NULL, at("runpath"), NULL);
	struct elf_object *req = fake(at("req.so"), NULL, NULL, prog);

	prog->is_main = true;
	ld_state.main_obj = prog;
	expect_found("libu.so", prog, at("runpath/libu.so"));
	expect_error("libu.so", req, -ENOENT);
}
END_TEST

START_TEST(search_library_uses_program_rpath_last)
{
	struct elf_object *prog = fake(at("prog"), at("rpath"), NULL, NULL);
	struct elf_object *other = fake(at("other.so"), at("nothere"), NULL, NULL);
	struct elf_object *req = fake(at("req.so"), NULL, NULL, other);

	prog->is_main = true;
	ld_state.main_obj = prog;
	ld_state.search.library_path = (char *)at("lp");
	expect_found("libt.so", req, at("rpath/libt.so"));
	/* A preload (no requester) uses the program's paths too. */
	expect_found("libt.so", NULL, at("rpath/libt.so"));
}
END_TEST

START_TEST(search_library_honours_inhibit_rpath)
{
	struct elf_object *req = fake(at("req.so"), at("rpath"), NULL, NULL);

	ld_state.search.library_path = (char *)at("lp");
	/* glibc compares the whole name as loaded, not the base name. */
	ld_state.search.inhibit_rpath = (char *)"req.so";
	expect_found("libt.so", req, at("rpath/libt.so"));
	ld_state.search.inhibit_rpath = (char *)fmt("x.so:%s", at("req.so"));
	expect_found("libt.so", req, at("lp/libt.so"));
}
END_TEST

START_TEST(search_library_inhibits_program_rpath)
{
	struct elf_object *prog = fake("./prog", at("rpath"), NULL, NULL);

	prog->is_main = true;
	ld_state.main_obj = prog;
	ld_state.progname = "./prog";
	ld_state.search.library_path = (char *)at("lp");
	ld_state.search.inhibit_rpath = (char *)"x.so";
	expect_found("libt.so", prog, at("rpath/libt.so"));
	/* glibc's l_name of the program is "": an empty element. */
	ld_state.search.inhibit_rpath = (char *)"x.so:";
	expect_found("libt.so", prog, at("lp/libt.so"));
	ld_state.search.inhibit_rpath = (char *)"./prog";
	expect_found("libt.so", prog, at("lp/libt.so"));
	/* Ignored in secure mode, as in glibc. */
	ld_state.secure = true;
	expect_found("libt.so", prog, at("rpath/libt.so"));
}
END_TEST

START_TEST(search_library_uses_cache)
{
	struct ld_cache *c = cache_open("/etc/ld.so.cache");
	const char *want;

	ck_assert_ptr_nonnull(c);
	want = cache_lookup(c, "libc.so.6", NULL);
	ck_assert_ptr_nonnull(want);
	expect_found("libc.so.6", NULL, want);
	cache_close(c);
}
END_TEST

START_TEST(search_library_inhibit_cache_skips_cache)
{
	const char *msg;

	msg = expect_error("libnope.so", NULL, -ENOENT);
	assert_contains(msg, "/etc/ld.so.cache [no entry]");
	ld_state.search.inhibit_cache = true;
	msg = expect_error("libnope.so", NULL, -ENOENT);
	ck_assert_ptr_null(strstr(msg, "ld.so.cache"));
}
END_TEST

START_TEST(search_library_nodeflib_skips_system_dirs)
{
	struct elf_object *req = fake(at("req.so"), NULL, NULL, NULL);
	const char *msg;

	req->flags_1 = DF_1_NODEFLIB;
	msg = expect_error("libc.so.6", req, -ENOENT);
	assert_contains(msg, "ignored: nodefaultlib");
	ck_assert_ptr_null(strstr(msg, "[default]"));
}
END_TEST

/* --- dynamic string tokens --------------------------------------------- */

static const struct {
	const char *rpath, *name, *want;
} dst_cases[] = {
	{ "$ORIGIN/rpath", "libt.so", "rpath/libt.so" },
	{ "${ORIGIN}/rpath", "libt.so", "rpath/libt.so" },
	{ "$ORIGIN/$LIB", "libl.so", "lib/x86_64-linux-gnu/libl.so" },
	{ "${ORIGIN}/${LIB}", "libl.so", "lib/x86_64-linux-gnu/libl.so" },
	{ "$ORIGIN/$PLATFORM", "libp.so", "x86_64/libp.so" },
	{ "${ORIGIN}/${PLATFORM}/", "libp.so", "x86_64/libp.so" },
	{ "$ORIGIN/rpath//", "libt.so", "rpath/libt.so" },
};

START_TEST(search_library_expands_tokens)
{
	struct elf_object *req = fake(at("req.so"), dst_cases[_i].rpath, NULL,
				      NULL);

	expect_found(dst_cases[_i].name, req, at(dst_cases[_i].want));
}
END_TEST

START_TEST(search_library_expands_tokens_in_names)
{
	struct elf_object *req = fake(at("req.so"), NULL, NULL, NULL);

	expect_found("$ORIGIN/rpath/libt.so", req, at("rpath/libt.so"));
	expect_found("${ORIGIN}/$LIB/libl.so", req,
		     at("lib/x86_64-linux-gnu/libl.so"));
}
END_TEST

START_TEST(search_library_refuses_origin_in_secure_mode)
{
	struct elf_object *req = fake(at("req.so"), "$ORIGIN/rpath", NULL, NULL);
	const char *msg;

	ld_state.secure = true;
	msg = expect_error("libt.so", req, -ENOENT);
	ck_assert_ptr_null(strstr(msg, "RPATH of"));
	msg = expect_error("$ORIGIN/rpath/libt.so", req, -ENOENT);
	assert_contains(msg, "$ORIGIN/rpath/libt.so: cannot open shared object "
			"file: $ORIGIN is not allowed in secure mode");
	/* $LIB and $PLATFORM are still fine. */
	req->rpath = fmt("%s/$LIB", root);
	expect_found("libl.so", req, at("lib/x86_64-linux-gnu/libl.so"));
}
END_TEST

START_TEST(search_library_needs_known_origin)
{
	struct elf_object *req = fake(at("req.so"), "$ORIGIN/rpath", NULL, NULL);
	const char *msg;

	req->origin = NULL;
	expect_error("libt.so", req, -ENOENT);
	msg = expect_error("$ORIGIN/libt.so", req, -ENOENT);
	assert_contains(msg, "$ORIGIN is unknown");
}
END_TEST

/* --- LD_LIBRARY_PATH elements ------------------------------------------ */

START_TEST(search_library_empty_element_is_current_dir)
{
	ck_assert_int_eq(chdir(at("lp")), 0);
	ld_state.search.library_path = (char *)at("nothere:");
	/* glibc tries the bare name: the file is relative to the cwd. */
	expect_found("libt.so", NULL, "libt.so");
	ld_state.search.library_path = (char *)fmt(":%s", at("rpath"));
	expect_found("libt.so", NULL, "libt.so");
	ld_state.secure = true;
	expect_found("libt.so", NULL, at("rpath/libt.so"));
}
END_TEST

START_TEST(search_library_splits_library_path_on_semicolons)
{
	ld_state.search.library_path = (char *)fmt("%s;%s", at("nothere"),
						   at("lp"));
	expect_found("libt.so", NULL, at("lp/libt.so"));
}
END_TEST

/* --- candidates -------------------------------------------------------- */

START_TEST(search_library_skips_wrong_class_and_machine)
{
	struct elf_object *req = fake(at("req.so"), fmt("%s:%s:%s", at("w32"),
				      at("m"), at("rpath")), NULL, NULL);

	expect_found("libt.so", req, at("rpath/libt.so"));
	ck_assert_str_eq(ld_error_message(), "");
}
END_TEST

START_TEST(search_library_reports_wrong_class)
{
	struct elf_object *req = fake(at("req.so"), at("w32"), NULL, NULL);
	const char *msg;

	ld_state.search.inhibit_cache = true;
	msg = expect_error("libw.so", req, -ENOENT);
	ck_assert_str_eq(msg, fmt("libw.so: wrong ELF class: ELFCLASS32 (needed "
				  "by %s; searched %s [RPATH of %s], %s; %s: wrong "
				  "ELF class: ELFCLASS32, skipped)", at("req.so"),
				  at("w32"), at("req.so"), DEFAULTS_TRIED,
				  at("w32/libw.so")));
	/* The skipped candidate's reason, without its path. */
	ck_assert_str_eq(ld_error_reason(), "wrong ELF class: ELFCLASS32");
}
END_TEST

START_TEST(search_library_stops_at_non_elf_file)
{
	struct elf_object *req = fake(at("req.so"), fmt("%s:%s", at("bad"),
				      at("rpath")), NULL, NULL);

	ck_assert_str_eq(expect_error("libt.so", req, -ENOEXEC),
			 fmt("%s: invalid ELF header", at("bad/libt.so")));
}
END_TEST

START_TEST(search_library_stops_at_directory)
{
	struct elf_object *req = fake(at("req.so"), fmt("%s:%s", at("isdir"),
				      at("rpath")), NULL, NULL);

	ck_assert_str_eq(expect_error("libt.so", req, -EISDIR),
			 fmt("%s: cannot read file data: Is a directory",
			     at("isdir/libt.so")));
	ck_assert_str_eq(ld_error_reason(), "cannot read file data");
}
END_TEST

START_TEST(search_library_opens_paths_directly)
{
	struct elf_object *req = fake(at("req.so"), at("lp"), NULL, NULL);

	expect_found(at("rpath/libt.so"), req, at("rpath/libt.so"));
	expect_found("rpath/libt.so", req, "rpath/libt.so");
	ck_assert_str_eq(expect_error(at("nothere/libt.so"), req, -ENOENT),
			 fmt("%s: cannot open shared object file: No such file "
			     "or directory (needed by %s)", at("nothere/libt.so"),
			     at("req.so")));
	/* An expanded name says which path it became. */
	ck_assert_str_eq(expect_error("$ORIGIN/nothere/libt.so", req, -ENOENT),
			 fmt("$ORIGIN/nothere/libt.so: cannot open shared object "
			     "file: No such file or directory (needed by %s; "
			     "tried %s)", at("req.so"), at("nothere/libt.so")));
}
END_TEST

/* --- messages ---------------------------------------------------------- */

START_TEST(search_library_reports_missing_library)
{
	struct elf_object *prog = fake("./prog", NULL, at("runpath"), NULL);

	prog->is_main = true;
	ld_state.main_obj = prog;
	ld_state.progname = "./prog";
	ld_state.search.library_path = (char *)fmt("%s:%s", at("lp"), at("lp"));
	ck_assert_str_eq(expect_error("libnope.so.1", prog, -ENOENT),
			 fmt("libnope.so.1: cannot open shared object file: No "
			     "such file or directory (needed by ./prog; searched "
			     "%s [LD_LIBRARY_PATH], %s [RUNPATH of ./prog], "
			     "/etc/ld.so.cache [no entry], %s)", at("lp"),
			     at("runpath"), DEFAULTS_TRIED));
	/* dlerror()'s text is glibc's alone (programs compare it). */
	ck_assert_str_eq(ld_error_message(), "libnope.so.1: cannot open shared "
			 "object file: No such file or directory");
	ck_assert_str_eq(ld_error_reason(), "cannot open shared object file");
}
END_TEST

START_TEST(search_library_omits_needed_by_without_requester)
{
	ld_state.search.inhibit_cache = true;
	ck_assert_str_eq(expect_error("libnope.so", NULL, -ENOENT),
			 "libnope.so: cannot open shared object file: No such "
			 "file or directory (searched " DEFAULTS_TRIED ")");
}
END_TEST

START_TEST(search_library_cuts_long_lists)
{
	char list[4096] = "";
	struct elf_object *req;
	const char *msg;
	int i;

	for (i = 0; i < 60; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s/nothere%d:", root, i);
	req = fake(at("req.so"), list, NULL, NULL);
	msg = expect_error("libnope.so", req, -ENOENT);
	assert_contains(msg, ", ...");
	ck_assert_uint_lt(strlen(msg), sizeof(ld_state.error_buf));
}
END_TEST

/* --- tracing ----------------------------------------------------------- */

/* Runs a search with LD_DEBUG=libs into a file and returns the text with
 * the "%10d:\t" prefixes removed. */
static const char *
traced_search(const char *name, struct elf_object *req)
{
	static char text[8192];
	char raw[8192], tmp[] = "/tmp/myld-trace-XXXXXX", *line, *save;
	struct search_result out;
	int fd = mkstemp(tmp);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(tmp);
	ld_state.trace_mask = TRACE_LIBS;
	ld_state.trace_fd = fd;
	if (search_library(name, req, &out) == 0) {
		close(out.fd);
		crt_free(out.path);
	}
	ld_state.trace_mask = 0;
	n = pread(fd, raw, sizeof(raw) - 1, 0);
	close(fd);
	ck_assert_int_ge(n, 0);
	raw[n] = '\0';
	text[0] = '\0';
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');

		strcat(text, tab ? tab + 1 : line);
		strcat(text, "\n");
	}
	return text;
}

START_TEST(search_library_traces_like_glibc)
{
	struct elf_object *req = fake(at("req.so"), fmt("%s:%s/:%s", at("nothere"),
				      at("nothere"), at("rpath")), NULL, NULL);

	ck_assert_str_eq(traced_search("libt.so", req),
			 fmt("find library=libt.so [0]; searching\n"
			     " search path=%s:%s\t\t(RPATH from file %s)\n"
			     "  trying file=%s\n"
			     "  trying file=%s\n"
			     "\n", at("nothere"), at("rpath"), at("req.so"),
			     at("nothere/libt.so"), at("rpath/libt.so")));
}
END_TEST

START_TEST(search_library_traces_cache_and_system_dirs)
{
	ld_state.search.library_path = (char *)at("lp");
	ck_assert_str_eq(traced_search("libnope.so", NULL),
			 fmt("find library=libnope.so [0]; searching\n"
			     " search path=%s\t\t(LD_LIBRARY_PATH)\n"
			     "  trying file=%s\n"
			     " search cache=/etc/ld.so.cache\n"
			     " search path=/lib/x86_64-linux-gnu:/usr/lib/"
			     "x86_64-linux-gnu:/lib:/usr/lib\t\t(system search path)\n"
			     "  trying file=/lib/x86_64-linux-gnu/libnope.so\n"
			     "  trying file=/usr/lib/x86_64-linux-gnu/libnope.so\n"
			     "  trying file=/lib/libnope.so\n"
			     "  trying file=/usr/lib/libnope.so\n"
			     "\n", at("lp"), at("lp/libnope.so")));
	/* A path is opened without any "libs" line. */
	ck_assert_str_eq(traced_search(at("rpath/libt.so"), NULL), "");
}
END_TEST

/* --- glibc-hwcaps subdirectories --------------------------------------- */

/* Forgets the list hwcaps_init built. */
static void
hwcaps_drop(void)
{
	crt_free(ld_state.search.hwcaps);
	crt_free(ld_state.search.subdirs);
	ld_state.search.hwcaps = NULL;
	ld_state.search.hwcaps_count = 0;
	ld_state.search.subdirs = NULL;
	ld_state.search.subdirs_count = 0;
}

/* The list p1, p2 and none of the CPU's built-in names (an empty mask),
 * so that the answers do not depend on the machine. */
static void
hwcaps_p1_p2(void)
{
	hwcaps_drop();
	hwcaps_init("p1::p2:", "");
	ck_assert_uint_eq(ld_state.search.hwcaps_count, 2);
}

START_TEST(search_library_tries_hwcaps_subdirs_first)
{
	struct elf_object *req = fake(at("req.so"), at("hw"), NULL, NULL);

	hwcaps_p1_p2();
	expect_found("libh1.so", req, at("hw/glibc-hwcaps/p2/libh1.so"));
	expect_found("libh2.so", req, at("hw/glibc-hwcaps/p1/libh2.so"));
	expect_found("libh3.so", req, at("hw/libh3.so"));
	/* In every kind of directory list. */
	ld_state.search.library_path = (char *)at("hw");
	expect_found("libh1.so", NULL, at("hw/glibc-hwcaps/p2/libh1.so"));
	/* Without the list, only the directory itself. */
	hwcaps_drop();
	expect_found("libh1.so", NULL, at("hw/libh1.so"));
}
END_TEST

START_TEST(search_library_hwcaps_follow_the_list)
{
	ld_state.search.library_path = (char *)at("hw");
	hwcaps_init("p2:p1", "");
	expect_found("libh2.so", NULL, at("hw/glibc-hwcaps/p2/libh2.so"));
	hwcaps_drop();
	hwcaps_init("p1", "");
	expect_found("libh1.so", NULL, at("hw/libh1.so"));
}
END_TEST

START_TEST(search_library_traces_hwcaps_subdirs)
{
	ld_state.search.library_path = (char *)fmt("%s:%s", at("nothere"),
						   at("hw"));
	hwcaps_p1_p2();
	ck_assert_str_eq(traced_search("libh3.so", NULL),
			 fmt("find library=libh3.so [0]; searching\n"
			     " search path=%s/glibc-hwcaps/p1:%s/glibc-hwcaps/p2:"
			     "%s:%s/glibc-hwcaps/p1:%s/glibc-hwcaps/p2:%s"
			     "\t\t(LD_LIBRARY_PATH)\n"
			     "  trying file=%s/glibc-hwcaps/p1/libh3.so\n"
			     "  trying file=%s/glibc-hwcaps/p2/libh3.so\n"
			     "  trying file=%s/libh3.so\n"
			     "  trying file=%s/glibc-hwcaps/p1/libh3.so\n"
			     "  trying file=%s/glibc-hwcaps/p2/libh3.so\n"
			     "  trying file=%s/libh3.so\n"
			     "\n", at("nothere"), at("nothere"), at("nothere"),
			     at("hw"), at("hw"), at("hw"), at("nothere"),
			     at("nothere"), at("nothere"), at("hw"), at("hw"),
			     at("hw")));
	/* The missing subdirectories are not tried again; the existing ones
	 * (and every directory itself) are. */
	ck_assert_str_eq(traced_search("libh3.so", NULL),
			 fmt("find library=libh3.so [0]; searching\n"
			     " search path=%s/glibc-hwcaps/p1:%s/glibc-hwcaps/p2:"
			     "%s:%s/glibc-hwcaps/p1:%s/glibc-hwcaps/p2:%s"
			     "\t\t(LD_LIBRARY_PATH)\n"
			     "  trying file=%s/libh3.so\n"
			     "  trying file=%s/glibc-hwcaps/p1/libh3.so\n"
			     "  trying file=%s/glibc-hwcaps/p2/libh3.so\n"
			     "  trying file=%s/libh3.so\n"
			     "\n", at("nothere"), at("nothere"), at("nothere"),
			     at("hw"), at("hw"), at("hw"), at("nothere"),
			     at("hw"), at("hw"), at("hw")));
}
END_TEST

START_TEST(search_library_hwcaps_of_current_dir_are_relative)
{
	ck_assert_int_eq(chdir(at("hw")), 0);
	ld_state.search.library_path = (char *)":";
	hwcaps_p1_p2();
	expect_found("libh1.so", NULL, "glibc-hwcaps/p2/libh1.so");
}
END_TEST

/* glibc 2.36's legacy subdirectories (the platform "x86_64" here; the
 * order itself is test_hwcaps.c's, against glibc's ld.so): after the
 * glibc-hwcaps ones, "tls" before the hwcap and platform names, each
 * before the directory itself. */
START_TEST(search_library_tries_legacy_subdirs_after_hwcaps)
{
	ld_state.search.library_path = (char *)at("hw");
	ld_state.search.legacy_hwcaps = true;
	hwcaps_p1_p2();
	expect_found("libl1.so", NULL, at("hw/x86_64/libl1.so"));
	expect_found("libl2.so", NULL, at("hw/glibc-hwcaps/p1/libl2.so"));
	hwcaps_drop();
	hwcaps_init(NULL, "");
	expect_found("libl2.so", NULL, at("hw/tls/libl2.so"));
	/* A release without them: the directory itself. */
	hwcaps_drop();
	ld_state.search.legacy_hwcaps = false;
	hwcaps_init(NULL, "");
	expect_found("libl1.so", NULL, at("hw/libl1.so"));
}
END_TEST

/* --- search_print_help ------------------------------------------------- */

/* search_print_help's text. */
static const char *
help_text(void)
{
	static char text[4096];
	char tmp[] = "/tmp/myld-help-XXXXXX";
	int fd = mkstemp(tmp);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(tmp);
	search_print_help(fd);
	n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	ck_assert_int_ge(n, 0);
	text[n] = '\0';
	return text;
}

#define HELP_SYSTEM_DIRS "  (libraries located via /etc/ld.so.cache)\n" \
	"  /lib/x86_64-linux-gnu (system search path)\n" \
	"  /usr/lib/x86_64-linux-gnu (system search path)\n" \
	"  /lib (system search path)\n" \
	"  /usr/lib (system search path)\n"

START_TEST(search_print_help_like_glibc)
{
	/* As glibc 2.36's ld.so --help prints them (Debian 12). */
	ck_assert_str_eq(help_text(), "\nShared library search path:\n"
			 HELP_SYSTEM_DIRS);
	ld_state.search.library_path = (char *)"/e1::/e2/;/e3";
	ck_assert_str_eq(help_text(), "\nShared library search path:\n"
			 "  /e1 (LD_LIBRARY_PATH)\n"
			 "  . (LD_LIBRARY_PATH)\n"
			 "  /e2 (LD_LIBRARY_PATH)\n"
			 "  /e3 (LD_LIBRARY_PATH)\n" HELP_SYSTEM_DIRS);
	ld_state.search.library_path_option = true;
	ld_state.search.inhibit_cache = true;
	ck_assert_str_eq(help_text(), "\nShared library search path:\n"
			 "  /e1 (--library-path)\n"
			 "  . (--library-path)\n"
			 "  /e2 (--library-path)\n"
			 "  /e3 (--library-path)\n" HELP_SYSTEM_DIRS);
}
END_TEST

START_TEST(search_library_names_library_path_option)
{
	ld_state.search.library_path = (char *)at("lp");
	ld_state.search.library_path_option = true;
	assert_contains(traced_search("libt.so", NULL),
			fmt(" search path=%s\t\t(--library-path)\n", at("lp")));
}
END_TEST

/* --- search_expand ----------------------------------------------------- */

static const struct {
	const char *in, *origin;
	bool secure;
	const char *want;      /* NULL: unusable */
} expand_cases[] = {
	{ "$ORIGIN/x", "/o", false, "/o/x" },
	{ "${ORIGIN}/x", "/o", false, "/o/x" },
	{ "$ORIGIN.x", "/o", false, "/o.x" },
	{ "${ORIGIN}x", "/o", false, "/ox" },
	{ "a$ORIGIN", "/o", false, "a/o" },
	{ "$$ORIGIN", "/o", false, "$/o" },
	{ "$ORIGINAL/y", "/o", false, "$ORIGINAL/y" },
	{ "$LIB", NULL, false, "lib/x86_64-linux-gnu" },
	{ "/usr/${LIB}/z", NULL, false, "/usr/lib/x86_64-linux-gnu/z" },
	{ "$LIB_z", NULL, false, "$LIB_z" },
	{ "$PLATFORM-y", NULL, false, "x86_64-y" },
	{ "${PLATFORM}", NULL, true, "x86_64" },
	{ "$", NULL, false, "$" },
	{ "${ORIGIN", "/o", false, "${ORIGIN" },
	{ "${FOO}/$FOO", "/o", false, "${FOO}/$FOO" },
	{ "", "/o", false, "" },
	{ "$ORIGIN/x", NULL, false, NULL },
	{ "$ORIGIN/x", "/o", true, NULL },
	{ "/a/${ORIGIN}", "/o", true, NULL },
};

START_TEST(search_expand_replaces_tokens)
{
	const char *in = expand_cases[_i].in;
	char *got = search_expand(in, strlen(in), expand_cases[_i].origin,
				  expand_cases[_i].secure);

	if (!expand_cases[_i].want) {
		ck_assert_msg(got == NULL, "%s: got %s", in, got);
		return;
	}
	ck_assert_msg(got != NULL, "%s: NULL", in);
	ck_assert_str_eq(got, expand_cases[_i].want);
	crt_free(got);
}
END_TEST

START_TEST(search_expand_stops_at_len)
{
	char *got = search_expand("$ORIGIN:/b", 7, "/o", false);

	ck_assert_str_eq(got, "/o");
	crt_free(got);
	got = search_expand("$LIBRARY", 4, NULL, false);
	ck_assert_str_eq(got, "lib/x86_64-linux-gnu");
	crt_free(got);
}
END_TEST

/* --- search_origin_of -------------------------------------------------- */

static char *
origin_of(const char *path)
{
	char *o = (char *)1;

	ck_assert_int_eq(search_origin_of(path, &o), 0);
	return o;
}

START_TEST(search_origin_of_follows_glibc)
{
	char *o;

	o = origin_of("/a/b/libc.so");
	ck_assert_str_eq(o, "/a/b");
	crt_free(o);
	o = origin_of("/libc.so");
	ck_assert_str_eq(o, "/");
	crt_free(o);
	/* Relative: glibc keeps "./" (measured: "/tmp/gl/." for ./prog). */
	o = origin_of("./prog");
	ck_assert_str_eq(o, fmt("%s/.", root));
	crt_free(o);
	o = origin_of("lp/../rpath/libt.so");
	ck_assert_str_eq(o, fmt("%s/lp/../rpath", root));
	crt_free(o);
	o = origin_of("prog");
	ck_assert_str_eq(o, root);
	crt_free(o);
	ck_assert_int_eq(chdir("/"), 0);
	o = origin_of("tmp/prog");
	ck_assert_str_eq(o, "/tmp");
	crt_free(o);
	o = origin_of("prog");
	ck_assert_str_eq(o, "/");
	crt_free(o);
	/* No path: no origin, and no error. */
	o = origin_of(NULL);
	ck_assert_ptr_null(o);
}
END_TEST

/* --- search_foreach_dir ------------------------------------------------ */

struct dir_seen {
	char text[2048];
};

static void
record_dir(const char *dir, unsigned rule, void *arg)
{
	struct dir_seen *s = arg;

	snprintf(s->text + strlen(s->text), sizeof(s->text) - strlen(s->text),
		 "%s%s=%#x", s->text[0] ? " " : "", dir, rule);
}

START_TEST(search_foreach_dir_lists_in_search_order)
{
	struct elf_object *prog = fake("./prog", "/p1:/p1", NULL, NULL);
	struct elf_object *req = fake(at("req.so"), "/r1:$ORIGIN/r2", NULL, prog);
	struct dir_seen seen = { "" };

	prog->is_main = true;
	ld_state.main_obj = prog;
	ld_state.search.library_path = (char *)"/l1;/l2";
	search_foreach_dir(req, record_dir, &seen);
	ck_assert_str_eq(seen.text,
			 fmt("/r1=0x4 %s/r2=0x4 /p1=0x4 /l1=0x2 /l2=0x2 "
			     "/lib/x86_64-linux-gnu=0x40 "
			     "/usr/lib/x86_64-linux-gnu=0x40 /lib=0x40 "
			     "/usr/lib=0x40", root));
	seen.text[0] = '\0';
	req->runpath = "/u1";
	search_foreach_dir(req, record_dir, &seen);
	ck_assert_str_eq(seen.text, "/l1=0x2 /l2=0x2 /u1=0x4 "
			 "/lib/x86_64-linux-gnu=0x40 "
			 "/usr/lib/x86_64-linux-gnu=0x40 /lib=0x40 /usr/lib=0x40");
}
END_TEST

static Suite *
search_suite(void)
{
	Suite *s = suite_create("search");
	TCase *tc;

	tc = tcase_create("search_library");
	tcase_add_unchecked_fixture(tc, tree_create, tree_remove);
	tcase_add_checked_fixture(tc, state_reset, search_release_cache);
	tcase_add_test(tc, search_library_prefers_rpath_to_library_path);
	tcase_add_test(tc, search_library_ignores_rpath_when_runpath_present);
	tcase_add_test(tc, search_library_uses_runpath_after_library_path);
	tcase_add_test(tc, search_library_inherits_rpath_from_loaders);
	tcase_add_test(tc, search_library_does_not_inherit_runpath);
	tcase_add_test(tc, search_library_uses_program_rpath_last);
	tcase_add_test(tc, search_library_honours_inhibit_rpath);
	tcase_add_test(tc, search_library_inhibits_program_rpath);
	tcase_add_test(tc, search_library_uses_cache);
	tcase_add_test(tc, search_library_inhibit_cache_skips_cache);
	tcase_add_test(tc, search_library_nodeflib_skips_system_dirs);
	tcase_add_loop_test(tc, search_library_expands_tokens, 0,
			    sizeof(dst_cases) / sizeof(dst_cases[0]));
	tcase_add_test(tc, search_library_expands_tokens_in_names);
	tcase_add_test(tc, search_library_refuses_origin_in_secure_mode);
	tcase_add_test(tc, search_library_needs_known_origin);
	tcase_add_test(tc, search_library_empty_element_is_current_dir);
	tcase_add_test(tc, search_library_splits_library_path_on_semicolons);
	tcase_add_test(tc, search_library_skips_wrong_class_and_machine);
	tcase_add_test(tc, search_library_reports_wrong_class);
	tcase_add_test(tc, search_library_stops_at_non_elf_file);
	tcase_add_test(tc, search_library_stops_at_directory);
	tcase_add_test(tc, search_library_opens_paths_directly);
	tcase_add_test(tc, search_library_reports_missing_library);
	tcase_add_test(tc, search_library_omits_needed_by_without_requester);
	tcase_add_test(tc, search_library_cuts_long_lists);
	tcase_add_test(tc, search_library_traces_like_glibc);
	tcase_add_test(tc, search_library_traces_cache_and_system_dirs);
	tcase_add_test(tc, search_library_names_library_path_option);
	suite_add_tcase(s, tc);

	tc = tcase_create("search_library_hwcaps");
	tcase_add_unchecked_fixture(tc, tree_create, tree_remove);
	tcase_add_checked_fixture(tc, state_reset, search_release_cache);
	tcase_add_test(tc, search_library_tries_hwcaps_subdirs_first);
	tcase_add_test(tc, search_library_hwcaps_follow_the_list);
	tcase_add_test(tc, search_library_traces_hwcaps_subdirs);
	tcase_add_test(tc, search_library_hwcaps_of_current_dir_are_relative);
	tcase_add_test(tc, search_library_tries_legacy_subdirs_after_hwcaps);
	suite_add_tcase(s, tc);

	tc = tcase_create("search_print_help");
	tcase_add_unchecked_fixture(tc, tree_create, tree_remove);
	tcase_add_checked_fixture(tc, state_reset, search_release_cache);
	tcase_add_test(tc, search_print_help_like_glibc);
	suite_add_tcase(s, tc);

	tc = tcase_create("search_expand");
	tcase_add_loop_test(tc, search_expand_replaces_tokens, 0,
			    sizeof(expand_cases) / sizeof(expand_cases[0]));
	tcase_add_test(tc, search_expand_stops_at_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("search_origin_of");
	tcase_add_unchecked_fixture(tc, tree_create, tree_remove);
	tcase_add_checked_fixture(tc, state_reset, search_release_cache);
	tcase_add_test(tc, search_origin_of_follows_glibc);
	suite_add_tcase(s, tc);

	tc = tcase_create("search_foreach_dir");
	tcase_add_unchecked_fixture(tc, tree_create, tree_remove);
	tcase_add_checked_fixture(tc, state_reset, search_release_cache);
	tcase_add_test(tc, search_foreach_dir_lists_in_search_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(search_suite());
}
