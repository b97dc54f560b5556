/* SPDX-License-Identifier: MIT */
/*
 * dlfcn_all.c: every call of the dl* family, as a program sees it through
 * glibc's libc.so.6 (which calls into the loader via _rtld_global_ro).
 *
 * Usage: dlfcn_all DIR, where DIR holds the helper libraries.
 *
 * Covers dlopen with each mode flag and dlopen(NULL), reference counting,
 * dlsym/dlvsym with handles, RTLD_DEFAULT and RTLD_NEXT, IFUNC and TLS
 * symbols, dladdr/dladdr1, dlinfo, dl_iterate_phdr and its counters,
 * _dl_find_object, per-thread dlerror, and every dlopen failure path,
 * each of which must return NULL with glibc's wording and leave nothing
 * behind. It would catch a loader that mis-orders initialisers, leaks a
 * half-loaded object into the link map or the global scope, returns an
 * IFUNC resolver instead of its result, or hands one thread another's TLS.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "t.h"

static const char *dir;

/* Exported (-rdynamic): dlfcn_all_dso_deep.c interposes on it. */
int
dlfcn_all_dup(void)
{
	return 1;
}

/* Exported: libdlfcn_all_dso_next1.so and next2 define it too. */
int
dlfcn_all_next(void)
{
	return 0;
}

/* Exported, for dlopen(NULL) + dlsym. */
int dlfcn_all_main_data = 1234;

int dlfcn_all_next_from1(void);
int dlfcn_all_next2_id(void);

/* Open DIR/name with mode; fail the whole test when that does not work. */
static void *
open_ok(const char *name, int mode)
{
	char *path = t_path(dir, name);
	void *h = dlopen(path, mode);

	T_REQUIRE(h != NULL, "dlopen(%s, %#x): %s", name, mode,
		  T_STR(dlerror()));
	return h;
}

/* dl_iterate_phdr: find an object by name suffix; also get the counters. */
struct phdr_query {
	const char *name;
	int found;
	unsigned long long adds, subs;
	size_t tls_modid;
};

static int
phdr_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	struct phdr_query *q = data;
	size_t nlen = strlen(q->name), len = strlen(info->dlpi_name);

	if (size >= offsetof(struct dl_phdr_info, dlpi_subs) +
			    sizeof(info->dlpi_subs)) {
		q->adds = info->dlpi_adds;
		q->subs = info->dlpi_subs;
	}
	if (len >= nlen && strcmp(info->dlpi_name + len - nlen, q->name) == 0) {
		q->found++;
		q->tls_modid = info->dlpi_tls_modid;
	}
	return 0;
}

/* The first object dl_iterate_phdr visits: the program, named "". */
static int
first_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(const char **)data = info->dlpi_name;
	return 1; /* stop after the first */
}

static struct phdr_query
phdr_find(const char *name)
{
	struct phdr_query q = { .name = name };

	dl_iterate_phdr(phdr_cb, &q);
	return q;
}

/* An object that must not be loaded (by file name suffix). */
static void
check_absent(const char *name, const char *after)
{
	T_CHECK(phdr_find(name).found == 0,
		"%s: %s still in dl_iterate_phdr after %s", name, name, after);
	T_CHECK(!t_mapped(name), "%s: still mapped after %s", name, after);
}

static void
test_open_null(void)
{
	void *self = dlopen(NULL, RTLD_NOW);
	const char *first = NULL;
	int *p;

	T_REQUIRE(self != NULL, "dlopen(NULL): %s", T_STR(dlerror()));
	/* dl_iterate_phdr(3): the main program comes first, named "". */
	T_CHECK(dl_iterate_phdr(first_cb, &first) == 1 && first &&
			first[0] == '\0',
		"first dl_iterate_phdr entry is '%s', want the program as \"\"",
		T_STR(first));
	p = dlsym(self, "dlfcn_all_main_data");
	T_CHECK(p == &dlfcn_all_main_data, "dlsym(dlopen(NULL)) main data: %p, want %p",
		(void *)p, (void *)&dlfcn_all_main_data);
	/* The program's handle also searches its dependencies (libc). */
	T_CHECK(dlsym(self, "getpid") == (void *)getpid,
		"dlsym(dlopen(NULL), getpid) is not libc's getpid");
	T_CHECK(dlsym(RTLD_DEFAULT, "getpid") == (void *)getpid,
		"dlsym(RTLD_DEFAULT, getpid) is not libc's getpid");
	T_CHECK(dlopen(NULL, RTLD_LAZY) == self, "dlopen(NULL) twice differs");
	T_CHECK(dlsym(self, "dlfcn_all_no_such_symbol") == NULL,
		"dlsym of an undefined name succeeded");
	T_CHECK(t_msg_has(dlerror(), "undefined symbol: dlfcn_all_no_such_symbol",
			  NULL),
		"dlsym failure message");
	T_CHECK(dlerror() == NULL, "dlerror not cleared after being read");
	dlclose(self);
	dlclose(self);
}

/*
 * RTLD_NOLOAD through a symbolic link to the loaded library: no name
 * matches, the file does (glibc compares device and inode), so it is the
 * loaded object and nothing is mapped again.
 */
static void
noload_by_other_name(void *h)
{
	char tmp[] = "/tmp/dlfcn_all.XXXXXX";
	char *alias;
	void *again;

	T_REQUIRE(mkdtemp(tmp) != NULL, "mkdtemp");
	alias = t_path(tmp, "alias.so");
	T_REQUIRE(symlink(t_path(dir, "libdlfcn_all_dso.so"), alias) == 0,
		  "symlink");
	again = dlopen(alias, RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(again == h, "RTLD_NOLOAD through a symbolic link: %p, want %p: %s",
		again, h, T_STR(dlerror()));
	if (again)
		dlclose(again);
	unlink(alias);
	rmdir(tmp);
}

/* Lazy and immediate binding, dependencies, init order, refcounts. */
static void
test_open_modes(void)
{
	struct phdr_query before = phdr_find("libdlfcn_all_dso.so"), q;
	void *h = open_ok("libdlfcn_all_dso.so", RTLD_LAZY);
	void *h2, *h3;
	int (*value)(int);
	int *saw;

	q = phdr_find("libdlfcn_all_dso.so");
	T_CHECK(q.found == 1, "dlopen'ed object in dl_iterate_phdr %d times",
		q.found);
	T_CHECK(q.adds > before.adds, "dlpi_adds did not grow on dlopen (%llu -> %llu)",
		before.adds, q.adds);
	T_CHECK(phdr_find("libdlfcn_all_dso_dep.so").found == 1,
		"dependency not loaded");
	saw = dlsym(h, "dlfcn_all_ctor_saw_dep");
	T_REQUIRE(saw != NULL, "dlsym ctor flag: %s", T_STR(dlerror()));
	T_CHECK(*saw == 1, "constructor ran before its dependency's (saw %d)",
		*saw);
	value = (int (*)(int))dlsym(h, "dlfcn_all_value");
	T_REQUIRE(value != NULL, "dlsym dlfcn_all_value: %s", T_STR(dlerror()));
	T_CHECK(value(20) == 41, "lazy PLT call into dependency: %d", value(20));
	/* A handle's lookup scope includes its dependencies. */
	T_CHECK(dlsym(h, "dlfcn_all_dep_twice") != NULL,
		"dlsym(handle) misses the dependency's symbol: %s",
		T_STR(dlerror()));
	/* RTLD_LOCAL is the default: invisible to RTLD_DEFAULT. */
	T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_value") == NULL,
		"RTLD_LOCAL object's symbol visible through RTLD_DEFAULT");
	dlerror();

	/* A second dlopen, even with RTLD_NOW, only counts a reference. */
	h2 = open_ok("libdlfcn_all_dso.so", RTLD_NOW);
	T_CHECK(h2 == h, "second dlopen returned another handle");
	h3 = dlopen(t_path(dir, "libdlfcn_all_dso.so"), RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(h3 == h, "RTLD_NOLOAD of a loaded object: %p, want %p", h3, h);
	noload_by_other_name(h);
	T_CHECK(phdr_find("libdlfcn_all_dso.so").found == 1,
		"object listed twice after reopening");
	/* Three references: two closes keep it. */
	T_CHECK(dlclose(h3) == 0, "dlclose: %s", T_STR(dlerror()));
	T_CHECK(dlclose(h2) == 0, "dlclose: %s", T_STR(dlerror()));
	T_CHECK(t_mapped("libdlfcn_all_dso.so"), "unmapped with a reference left");
	T_CHECK(value(1) == 3, "library broken while still referenced");
	T_CHECK(dlclose(h) == 0, "dlclose: %s", T_STR(dlerror()));
	q = phdr_find("libdlfcn_all_dso.so");
	T_CHECK(q.subs > before.subs, "dlpi_subs did not grow on dlclose (%llu -> %llu)",
		before.subs, q.subs);
	check_absent("libdlfcn_all_dso.so", "the last dlclose");
	check_absent("libdlfcn_all_dso_dep.so", "the last dlclose of its user");
	h = dlopen(t_path(dir, "libdlfcn_all_dso.so"), RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(h == NULL, "RTLD_NOLOAD found an unloaded object");
	T_CHECK(dlerror() == NULL, "RTLD_NOLOAD of an unloaded object set dlerror");
	/* A file that does not exist is an error, RTLD_NOLOAD or not. */
	h = dlopen(t_path(dir, "libdlfcn_all_nowhere.so"), RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(h == NULL, "RTLD_NOLOAD of a missing file gave a handle");
	T_CHECK(t_msg_has(dlerror(), "libdlfcn_all_nowhere.so",
			  "cannot open shared object file", NULL),
		"RTLD_NOLOAD of a missing file: no glibc-worded dlerror");
}

/*
 * RTLD_LOCAL, RTLD_GLOBAL (also by promotion), RTLD_NODELETE. Global
 * visibility is probed by loading libdlfcn_all_dso_user.so, which needs
 * the scope library's symbol: a successful dlsym(RTLD_DEFAULT) from the
 * program would make glibc mark the library undeletable (the program can
 * never go away), and the unload checks would then be meaningless.
 */
static void
test_scope_flags(void)
{
	char *user = t_path(dir, "libdlfcn_all_dso_user.so");
	void *h = open_ok("libdlfcn_all_dso_scope.so", RTLD_NOW | RTLD_LOCAL);
	void *g, *u;
	int (*get)(void);
	const char *e;
	int *p;

	T_CHECK(dlsym(h, "dlfcn_all_scope_sym") != NULL, "dlsym(handle) scope");
	T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_scope_sym") == NULL,
		"RTLD_LOCAL symbol visible through RTLD_DEFAULT");
	dlerror();
	u = dlopen(user, RTLD_LAZY);
	e = dlerror();
	T_CHECK(u == NULL, "RTLD_LOCAL symbol bound in another library");
	T_CHECK(t_msg_has(e, user, ": undefined symbol: dlfcn_all_scope_sym", NULL),
		"undefined data symbol message: %s", T_STR(e));
	check_absent("libdlfcn_all_dso_user.so", "a failed dlopen");

	g = dlopen(t_path(dir, "libdlfcn_all_dso_scope.so"),
		   RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
	T_CHECK(g == h, "RTLD_NOLOAD|RTLD_GLOBAL: %p, want %p", g, h);
	u = dlopen(user, RTLD_NOW);
	T_CHECK(u != NULL, "promoted to RTLD_GLOBAL, yet not in the global "
			   "scope: %s", T_STR(dlerror()));
	get = u ? (int (*)(void))dlsym(u, "dlfcn_all_user_get") : NULL;
	T_CHECK(get && get() == 7, "user library bound to the wrong symbol");
	if (u)
		dlclose(u);
	if (g)
		dlclose(g);
	dlclose(h);
	check_absent("libdlfcn_all_dso_scope.so", "the last dlclose");
	check_absent("libdlfcn_all_dso_user.so", "the last dlclose");

	/* Opened RTLD_GLOBAL straight away; gone from the scope when closed. */
	h = open_ok("libdlfcn_all_dso_scope.so", RTLD_LAZY | RTLD_GLOBAL);
	u = open_ok("libdlfcn_all_dso_user.so", RTLD_LAZY);
	dlclose(u);
	dlclose(h);
	check_absent("libdlfcn_all_dso_scope.so", "dlclose of a global object");
	check_absent("libdlfcn_all_dso_user.so", "dlclose of its user");
	T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_scope_sym") == NULL,
		"unloaded RTLD_GLOBAL symbol still found");
	dlerror();
	T_CHECK(dlopen(user, RTLD_NOW) == NULL,
		"unloaded RTLD_GLOBAL object still binds symbols");
	dlerror();

	/* NODELETE (and RTLD_DEFAULT finds what RTLD_GLOBAL added). */
	h = open_ok("libdlfcn_all_dso_nodel.so",
		    RTLD_NOW | RTLD_NODELETE | RTLD_GLOBAL);
	p = dlsym(h, "dlfcn_all_nodel_sym");
	T_REQUIRE(p != NULL, "dlsym nodel: %s", T_STR(dlerror()));
	T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_nodel_sym") == p,
		"RTLD_GLOBAL symbol not found through RTLD_DEFAULT: %s",
		T_STR(dlerror()));
	T_CHECK(dlclose(h) == 0, "dlclose NODELETE: %s", T_STR(dlerror()));
	T_CHECK(t_mapped("libdlfcn_all_dso_nodel.so"),
		"RTLD_NODELETE object unmapped by dlclose");
	T_CHECK(*p == 11, "RTLD_NODELETE object's data lost");
	g = dlopen(t_path(dir, "libdlfcn_all_dso_nodel.so"),
		   RTLD_NOW | RTLD_NOLOAD);
	T_CHECK(g == h, "RTLD_NOLOAD after closing a NODELETE object: %p", g);
}

static void
test_deepbind(void)
{
	void *deep = open_ok("libdlfcn_all_dso_deep.so", RTLD_NOW | RTLD_DEEPBIND);
	void *shallow = open_ok("libdlfcn_all_dso_shallow.so", RTLD_NOW);
	int (*which)(void);

	which = (int (*)(void))dlsym(deep, "dlfcn_all_which_dup");
	T_REQUIRE(which != NULL, "dlsym deep: %s", T_STR(dlerror()));
	T_CHECK(which() == 2, "RTLD_DEEPBIND: bound to the program's symbol (%d)",
		which());
	which = (int (*)(void))dlsym(shallow, "dlfcn_all_which_dup");
	T_REQUIRE(which != NULL, "dlsym shallow: %s", T_STR(dlerror()));
	T_CHECK(which() == 1, "without RTLD_DEEPBIND: not bound to the program's "
			      "symbol (%d)", which());
	dlclose(deep);
	dlclose(shallow);
}

static void
test_next(void)
{
	int (*f)(void) = (int (*)(void))dlsym(RTLD_NEXT, "dlfcn_all_next");

	T_REQUIRE(f != NULL, "dlsym(RTLD_NEXT) from the program: %s",
		  T_STR(dlerror()));
	T_CHECK(f() == 1, "RTLD_NEXT from the program: got %d, want 1 (next1)",
		f());
	T_CHECK(dlfcn_all_next_from1() == 2,
		"RTLD_NEXT from next1: got %d, want 2 (next2)",
		dlfcn_all_next_from1());
	T_CHECK(dlfcn_all_next2_id() == 2, "next2 not linked");
	T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_next") == (void *)dlfcn_all_next,
		"RTLD_DEFAULT does not find the program's definition first");
	T_CHECK(dlsym(RTLD_NEXT, "dlfcn_all_no_such_symbol") == NULL,
		"RTLD_NEXT found an undefined name");
	T_CHECK(t_msg_has(dlerror(), "undefined symbol: dlfcn_all_no_such_symbol",
			  NULL),
		"RTLD_NEXT failure message");
}

static void
test_versions(void)
{
	void *h = open_ok("libdlfcn_all_dso_ver.so", RTLD_NOW);
	int (*f)(void);
	const char *err;

	f = (int (*)(void))dlvsym(h, "dlfcn_all_ver", "V1");
	T_CHECK(f && f() == 1, "dlvsym V1: %s", f ? "wrong function" : T_STR(dlerror()));
	f = (int (*)(void))dlvsym(h, "dlfcn_all_ver", "V2");
	T_CHECK(f && f() == 2, "dlvsym V2: %s", f ? "wrong function" : T_STR(dlerror()));
	f = (int (*)(void))dlsym(h, "dlfcn_all_ver");
	T_CHECK(f && f() == 2, "dlsym picks the default version: %s",
		f ? "got V1" : T_STR(dlerror()));
	f = (int (*)(void))dlvsym(h, "dlfcn_all_ver", "V9");
	err = dlerror();
	T_CHECK(f == NULL, "dlvsym of a missing version succeeded");
	T_CHECK(t_msg_has(err, "libdlfcn_all_dso_ver.so: undefined symbol: "
			       "dlfcn_all_ver, version V9", NULL),
		"dlvsym failure message: %s", T_STR(err));
	dlclose(h);
	check_absent("libdlfcn_all_dso_ver.so", "dlclose");
}

/* TLS through dlsym: each thread gets its own address, initialised. */
struct tls_probe {
	void *sym;
	int *(*addr)(void);
	int *got;
	int *want;
	int value;
};

static void *
tls_thread(void *arg)
{
	struct tls_probe *p = arg;

	p->got = dlsym(p->sym, "dlfcn_all_tls");
	p->want = p->addr();
	p->value = p->got ? *p->got : -1;
	return NULL;
}

static void
test_ifunc_tls(void)
{
	void *h = open_ok("libdlfcn_all_dso.so", RTLD_NOW);
	int (*ifn)(void) = (int (*)(void))dlsym(h, "dlfcn_all_ifunc");
	void *(*target)(void) = (void *(*)(void))dlsym(h, "dlfcn_all_ifunc_target");
	struct tls_probe p = { .sym = h };
	int *mine;
	pthread_t t;

	T_REQUIRE(ifn && target, "dlsym ifunc: %s", T_STR(dlerror()));
	T_CHECK((void *)ifn == target(),
		"dlsym of an IFUNC returned %p, not the resolved function %p",
		(void *)ifn, target());
	T_CHECK(ifn() == 'b', "IFUNC symbol called the wrong implementation");

	p.addr = (int *(*)(void))dlsym(h, "dlfcn_all_tls_addr");
	T_REQUIRE(p.addr != NULL, "dlsym tls_addr: %s", T_STR(dlerror()));
	mine = dlsym(h, "dlfcn_all_tls");
	T_CHECK(mine == p.addr(), "dlsym(TLS) in main thread: %p, want %p",
		(void *)mine, (void *)p.addr());
	T_REQUIRE(mine != NULL, "dlsym(TLS): %s", T_STR(dlerror()));
	T_CHECK(*mine == 42, "TLS initial value %d", *mine);
	*mine = 99;
	T_REQUIRE(pthread_create(&t, NULL, tls_thread, &p) == 0, "pthread_create");
	pthread_join(t, NULL);
	T_CHECK(p.got == p.want, "dlsym(TLS) in a thread: %p, want %p",
		(void *)p.got, (void *)p.want);
	T_CHECK(p.got != mine, "dlsym(TLS) gave two threads one address");
	T_CHECK(p.value == 42, "TLS in a new thread: %d, want 42", p.value);
	T_CHECK(*mine == 99, "main thread's TLS changed by another thread");
	dlclose(h);
}

static void
test_dladdr(void)
{
	void *h = open_ok("libdlfcn_all_dso.so", RTLD_NOW);
	char *path = t_path(dir, "libdlfcn_all_dso.so");
	void *fn = dlsym(h, "dlfcn_all_value");
	struct link_map *lm = NULL;
	const ElfW(Sym) *sym = NULL;
	Dl_info info;
	int local;

	T_REQUIRE(fn != NULL, "dlsym: %s", T_STR(dlerror()));
	T_REQUIRE(dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm,
		  "dlinfo(RTLD_DI_LINKMAP): %s", T_STR(dlerror()));
	T_CHECK((void *)lm == h, "RTLD_DI_LINKMAP is not the handle");
	T_CHECK(lm->l_name && strcmp(lm->l_name, path) == 0,
		"link_map l_name '%s', want '%s'", T_STR(lm->l_name), path);

	memset(&info, 0, sizeof(info));
	T_REQUIRE(dladdr((char *)fn + 1, &info) != 0, "dladdr failed");
	T_CHECK(info.dli_fname && strcmp(info.dli_fname, path) == 0,
		"dli_fname '%s', want '%s'", T_STR(info.dli_fname), path);
	T_CHECK(info.dli_sname && strcmp(info.dli_sname, "dlfcn_all_value") == 0,
		"dli_sname '%s'", T_STR(info.dli_sname));
	T_CHECK(info.dli_saddr == fn, "dli_saddr %p, want %p", info.dli_saddr, fn);
	T_CHECK(info.dli_fbase == (void *)lm->l_addr,
		"dli_fbase %p, want l_addr %#lx", info.dli_fbase,
		(unsigned long)lm->l_addr);

	memset(&info, 0, sizeof(info));
	T_REQUIRE(dladdr1(fn, &info, (void **)&lm, RTLD_DL_LINKMAP) != 0,
		  "dladdr1(RTLD_DL_LINKMAP) failed");
	T_CHECK((void *)lm == h, "dladdr1 link map %p, want %p", (void *)lm, h);
	T_REQUIRE(dladdr1(fn, &info, (void **)&sym, RTLD_DL_SYMENT) != 0 && sym,
		  "dladdr1(RTLD_DL_SYMENT) failed");
	T_CHECK(sym->st_value + lm->l_addr == (uintptr_t)fn,
		"RTLD_DL_SYMENT st_value %#lx + l_addr is not the function",
		(unsigned long)sym->st_value);
	T_CHECK(ELF64_ST_TYPE(sym->st_info) == STT_FUNC && sym->st_size > 0,
		"RTLD_DL_SYMENT: type %d size %lu", ELF64_ST_TYPE(sym->st_info),
		(unsigned long)sym->st_size);
	/* An address in no object (the stack) is not found. */
	T_CHECK(dladdr(&local, &info) == 0, "dladdr found the stack in an object");
	/* The program itself: dladdr of main's exported symbol. */
	T_CHECK(dladdr(&dlfcn_all_main_data, &info) != 0 && info.dli_sname &&
			strcmp(info.dli_sname, "dlfcn_all_main_data") == 0,
		"dladdr of the program's data: %s", T_STR(info.dli_sname));
	dlclose(h);
}

static void
test_dlinfo(void)
{
	void *h = open_ok("libdlfcn_all_dso.so", RTLD_NOW);
	void *plain = open_ok("libdlfcn_all_dso_scope.so", RTLD_NOW);
	void *self = dlopen(NULL, RTLD_NOW);
	int *(*tls_addr)(void) = (int *(*)(void))dlsym(h, "dlfcn_all_tls_addr");
	char origin[PATH_MAX + 1], want[PATH_MAX];
	Dl_serinfo size, *si;
	size_t modid = 12345, plain_modid = 12345;
	void *data = NULL;
	bool seen_runpath = false;

	T_REQUIRE(tls_addr != NULL, "dlsym: %s", T_STR(dlerror()));
	T_REQUIRE(realpath(dir, want) != NULL, "realpath(%s)", dir);
	memset(origin, 0, sizeof(origin));
	T_CHECK(dlinfo(h, RTLD_DI_ORIGIN, origin) == 0, "RTLD_DI_ORIGIN: %s",
		T_STR(dlerror()));
	T_CHECK(strcmp(origin, want) == 0 || strcmp(origin, dir) == 0,
		"RTLD_DI_ORIGIN '%s', want '%s'", origin, want);

	T_CHECK(dlinfo(h, RTLD_DI_TLS_MODID, &modid) == 0 && modid != 0,
		"RTLD_DI_TLS_MODID of a TLS object: %zu", modid);
	T_CHECK(phdr_find("libdlfcn_all_dso.so").tls_modid == modid,
		"dlpi_tls_modid %zu differs from RTLD_DI_TLS_MODID %zu",
		phdr_find("libdlfcn_all_dso.so").tls_modid, modid);
	T_CHECK(dlinfo(plain, RTLD_DI_TLS_MODID, &plain_modid) == 0 &&
			plain_modid == 0,
		"RTLD_DI_TLS_MODID of an object without TLS: %zu", plain_modid);
	(void)tls_addr(); /* make sure this thread's block exists */
	T_CHECK(dlinfo(h, RTLD_DI_TLS_DATA, &data) == 0 && data == tls_addr(),
		"RTLD_DI_TLS_DATA %p, want %p", data, (void *)tls_addr());
	data = (void *)1;
	T_CHECK(dlinfo(plain, RTLD_DI_TLS_DATA, &data) == 0 && data == NULL,
		"RTLD_DI_TLS_DATA of an object without TLS: %p", data);

	/* The program's search path: its DT_RUNPATH, then system dirs. */
	T_REQUIRE(dlinfo(self, RTLD_DI_SERINFOSIZE, &size) == 0,
		  "RTLD_DI_SERINFOSIZE: %s", T_STR(dlerror()));
	T_REQUIRE(size.dls_cnt > 0 && size.dls_size >= sizeof(Dl_serinfo),
		  "RTLD_DI_SERINFOSIZE: cnt %u size %zu", size.dls_cnt,
		  size.dls_size);
	si = malloc(size.dls_size);
	T_REQUIRE(si != NULL, "out of memory");
	T_REQUIRE(dlinfo(self, RTLD_DI_SERINFOSIZE, si) == 0, "SERINFOSIZE again");
	T_REQUIRE(dlinfo(self, RTLD_DI_SERINFO, si) == 0, "RTLD_DI_SERINFO: %s",
		  T_STR(dlerror()));
	T_CHECK(si->dls_cnt == size.dls_cnt, "SERINFO count %u, SIZE said %u",
		si->dls_cnt, size.dls_cnt);
	for (unsigned int i = 0; i < si->dls_cnt; i++) {
		const char *n = si->dls_serpath[i].dls_name;

		T_CHECK(n >= (char *)si && n < (char *)si + size.dls_size,
			"SERINFO entry %u outside the buffer", i);
		if (strcmp(n, dir) == 0)
			seen_runpath = true;
	}
	T_CHECK(seen_runpath, "RTLD_DI_SERINFO lacks the program's RUNPATH %s",
		dir);
	free(si);
	dlclose(self);
	dlclose(plain);
	dlclose(h);
}

static void
test_find_object(void)
{
	void *h = open_ok("libdlfcn_all_dso.so", RTLD_NOW);
	void *fn = dlsym(h, "dlfcn_all_value");
	struct dl_find_object fo;
	int local;

	T_REQUIRE(fn != NULL, "dlsym: %s", T_STR(dlerror()));
	T_CHECK(_dl_find_object(fn, &fo) == 0, "_dl_find_object of a dlopen'ed "
						"function failed");
	T_CHECK((void *)fo.dlfo_link_map == h, "_dl_find_object link map %p, "
					       "want %p", (void *)fo.dlfo_link_map, h);
	T_CHECK(fo.dlfo_map_start <= fn && fn < fo.dlfo_map_end,
		"_dl_find_object range does not hold the function");
	T_CHECK(fo.dlfo_eh_frame != NULL, "_dl_find_object: no eh_frame");
	T_CHECK(_dl_find_object(&local, &fo) == -1,
		"_dl_find_object found the stack");
	dlclose(h);
	T_CHECK(_dl_find_object((void *)test_find_object, &fo) == 0 &&
			fo.dlfo_link_map != NULL,
		"_dl_find_object of the program failed");
}

/* dlerror is per thread. */
static void *
dlerror_thread(void *arg)
{
	const char **out = arg;
	const char *e = dlerror();

	out[0] = e ? "main thread's error leaked" : NULL;
	dlsym(RTLD_DEFAULT, "dlfcn_all_thread_missing");
	e = dlerror();
	out[1] = t_msg_has(e, "undefined symbol: dlfcn_all_thread_missing", NULL)
			 ? NULL
			 : "thread's own dlsym error missing";
	out[2] = dlerror() ? "thread's error not cleared after reading" : NULL;
	return NULL;
}

static void
test_dlerror_threads(void)
{
	const char *out[3] = { "not run", "not run", "not run" };
	pthread_t t;
	const char *e;

	T_CHECK(dlopen(t_path(dir, "libdlfcn_all_nothere.so"), RTLD_NOW) == NULL,
		"dlopen of a missing file succeeded");
	T_REQUIRE(pthread_create(&t, NULL, dlerror_thread, out) == 0,
		  "pthread_create");
	pthread_join(t, NULL);
	for (int i = 0; i < 3; i++)
		T_CHECK(out[i] == NULL, "dlerror in a thread: %s", out[i]);
	e = dlerror();
	T_CHECK(t_msg_has(e, "libdlfcn_all_nothere.so: cannot open shared "
			     "object file: No such file or directory", NULL),
		"main thread's dlerror after a thread's: %s", T_STR(e));
	T_CHECK(dlerror() == NULL, "dlerror not cleared after being read");
}

/* Write a file of n bytes (header, then filler) for the bad-file cases. */
static char *
write_file(const char *tmp, const char *name, const void *head, size_t hlen,
	   size_t n)
{
	char *path = t_path(tmp, name);
	char buf[512];
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	T_REQUIRE(fd >= 0 && n <= sizeof(buf) && hlen <= n, "create %s", path);
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, head, hlen);
	T_REQUIRE(write(fd, buf, n) == (ssize_t)n, "write %s", path);
	close(fd);
	return path;
}

/* "<a><b>" in a fresh heap buffer. */
static char *
cat(const char *a, const char *b)
{
	char *s;

	T_REQUIRE(asprintf(&s, "%s%s", a, b) > 0, "out of memory");
	return s;
}

/*
 * One failing dlopen: it must return NULL, dlerror must contain want
 * (glibc's wording; myld may add context after it), the objects named
 * gone1/gone2 must not be loaded afterwards, and the program can go on.
 * Returns whether the dlopen failed (if it wrongly succeeded, the object
 * is closed again and the leftover checks are skipped as meaningless).
 */
static bool
expect_fail(const char *what, const char *path, int mode, const char *want,
	    const char *gone1, const char *gone2)
{
	void *h = dlopen(path, mode);
	const char *e = dlerror();
	void *ok;

	T_CHECK(h == NULL, "%s: dlopen succeeded", what);
	if (h) {
		dlclose(h);
		return false;
	}
	T_CHECK(t_msg_has(e, want, NULL), "%s: dlerror '%s', want '%s'", what,
		T_STR(e), want);
	T_CHECK(dlerror() == NULL, "%s: dlerror not cleared", what);
	if (gone1)
		check_absent(gone1, what);
	if (gone2)
		check_absent(gone2, what);
	/* The program can go on: a good library still loads and works. */
	ok = dlopen(t_path(dir, "libdlfcn_all_dso.so"), RTLD_NOW);
	T_CHECK(ok && dlsym(ok, "dlfcn_all_value"), "%s: next dlopen failed: %s",
		what, T_STR(dlerror()));
	if (ok)
		dlclose(ok);
	return true;
}

static void
test_failures(void)
{
	char tmpl[] = "/tmp/dlfcn_all.XXXXXX";
	char *tmp = mkdtemp(tmpl);
	char *p, *want;
	unsigned char ehdr[sizeof(Elf32_Ehdr)];
	Elf32_Ehdr *e32 = (Elf32_Ehdr *)ehdr;
	void *h;

	T_REQUIRE(tmp != NULL, "mkdtemp");
	p = t_path(dir, "libdlfcn_all_missing.so");
	expect_fail("missing file", p, RTLD_NOW,
		    cat(p, ": cannot open shared object file: No such file or "
			   "directory"),
		    NULL, NULL);

	expect_fail("missing dependency",
		    t_path(dir, "libdlfcn_all_dso_needabsent.so"), RTLD_NOW,
		    "libdlfcn_all_absent.so: cannot open shared object file: No "
		    "such file or directory",
		    "libdlfcn_all_dso_needabsent.so", NULL);

	p = t_path(dir, "libdlfcn_all_dso_undef.so");
	if (expect_fail("undefined symbol (RTLD_NOW)", p, RTLD_NOW | RTLD_GLOBAL,
			cat(p, ": undefined symbol: dlfcn_all_nowhere"),
			"libdlfcn_all_dso_undef.so",
			"libdlfcn_all_dso_undefdep.so"))
		T_CHECK(dlsym(RTLD_DEFAULT, "dlfcn_all_undefdep_sym") == NULL,
			"failed RTLD_GLOBAL dlopen left its dependency in the "
			"global scope");
	dlerror();
	/* RTLD_LAZY defers the PLT slot: the same object loads. */
	h = dlopen(p, RTLD_LAZY);
	T_CHECK(h != NULL, "RTLD_LAZY with an undefined function: %s",
		T_STR(dlerror()));
	if (h)
		dlclose(h);

	want = cat(t_path(dir, "libdlfcn_all_dso_ver.so"),
		   ": version `V3' not found (required by ");
	want = cat(want, t_path(dir, "libdlfcn_all_dso_vermis.so)"));
	expect_fail("version mismatch", t_path(dir, "libdlfcn_all_dso_vermis.so"),
		    RTLD_NOW, want, "libdlfcn_all_dso_vermis.so",
		    "libdlfcn_all_dso_ver.so");

	p = write_file(tmp, "garbage.so", "", 0, 256);
	expect_fail("garbage file", p, RTLD_NOW, cat(p, ": invalid ELF header"),
		    "garbage.so", NULL);
	p = write_file(tmp, "short.so", ELFMAG, SELFMAG, SELFMAG);
	expect_fail("short file", p, RTLD_NOW, cat(p, ": file too short"),
		    "short.so", NULL);

	memset(ehdr, 0, sizeof(ehdr));
	memcpy(e32->e_ident, ELFMAG, SELFMAG);
	e32->e_ident[EI_CLASS] = ELFCLASS32;
	e32->e_ident[EI_DATA] = ELFDATA2LSB;
	e32->e_ident[EI_VERSION] = EV_CURRENT;
	e32->e_type = ET_DYN;
	e32->e_machine = EM_386;
	e32->e_version = EV_CURRENT;
	e32->e_ehsize = sizeof(Elf32_Ehdr);
	e32->e_phentsize = sizeof(Elf32_Phdr);
	p = write_file(tmp, "class32.so", ehdr, sizeof(ehdr), 256);
	expect_fail("wrong class", p, RTLD_NOW,
		    cat(p, ": wrong ELF class: ELFCLASS32"), "class32.so", NULL);

	unlink(t_path(tmp, "garbage.so"));
	unlink(t_path(tmp, "short.so"));
	unlink(t_path(tmp, "class32.so"));
	rmdir(tmp);
}

int
main(int argc, char **argv)
{
	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dlfcn_all DIR");
	dir = argv[1];

	test_open_null();
	test_open_modes();
	test_scope_flags();
	test_deepbind();
	test_next();
	test_versions();
	test_dladdr();
	test_dlinfo();
	test_find_object();
	test_failures();
	test_dlerror_threads();
	/* Last: the only thread here that uses a dlopen'ed library's TLS. */
	test_ifunc_tls();
	return t_status();
}
