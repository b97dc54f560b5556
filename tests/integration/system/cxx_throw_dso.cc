/* SPDX-License-Identifier: MIT */
/*
 * cxx_throw_dso.cc: the library half of cxx_throw. It owns dso_error (its
 * key function, so its vtable and typeinfo live only here), throws it and
 * standard exceptions into the program, lets the program's exceptions
 * unwind through its own frames (running a destructor on the way), catches
 * the program's exceptions, and has a thread_local with a destructor
 * (registered through __cxa_thread_atexit_impl, which asks the loader
 * which object owns it). Every constructor and destructor, static or
 * attribute, logs itself through order_note(), which checks each step
 * against glibc's order.
 */
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <unistd.h>

/* The same declaration is in cxx_throw.cc. */
struct dso_error : std::runtime_error {
	int code;
	dso_error(const char *what, int c);
	~dso_error() override;
};

dso_error::dso_error(const char *what, int c) : std::runtime_error(what), code(c)
{
}

dso_error::~dso_error() = default;

/*
 * The order glibc's ld.so and libc give (checked under the system loader):
 * the library's initialisers before the program's, each object's in
 * .init_array order (GCC puts a file's static-object initialiser after its
 * constructor functions). At exit, libc's exit handlers run the
 * __cxa_atexit-registered destructors of the program's objects, newest
 * first; then _dl_fini, registered before them, runs the .fini_arrays, the
 * program's before the library's, and the library's __do_global_dtors_aux
 * (the last entry run) destroys the library's own static object through
 * __cxa_finalize.
 */
static const char *const expected_order[] = {
	"dso: constructor attribute",
	"dso: static object constructed",
	"prog: constructor attribute",
	"prog: static object constructed",
	"main: start",
	"dso: function-local static constructed",
	"main: end",
	"dso: function-local static destroyed",
	"prog: static object destroyed",
	"prog: destructor attribute",
	"dso: destructor attribute",
	"dso: static object destroyed",
};
static const unsigned n_expected = sizeof(expected_order) / sizeof(expected_order[0]);
static unsigned n_seen;

extern "C" void order_note(const char *what);

/*
 * Prints one line of the order log (flushed: a crash keeps what ran) and
 * stops the process with status 1 as soon as it departs from the expected
 * order. A note that never comes shows as a missing line in the output
 * the runner compares.
 */
extern "C" void
order_note(const char *what)
{
	n_seen++;
	printf("order %u: %s\n", n_seen, what);
	fflush(stdout);
	if (n_seen > n_expected || strcmp(what, expected_order[n_seen - 1]) != 0) {
		fprintf(stderr, "FAIL: order %u is \"%s\", want \"%s\"\n",
			n_seen, what, n_seen > n_expected ? "(nothing)" :
			expected_order[n_seen - 1]);
		_exit(1);
	}
}

struct tracer {
	const char *done;
	tracer(const char *made, const char *d) : done(d) { order_note(made); }
	~tracer() { order_note(done); }
};

__attribute__((constructor)) static void
dso_ctor(void)
{
	order_note("dso: constructor attribute");
}

static tracer dso_static("dso: static object constructed",
			 "dso: static object destroyed");

__attribute__((destructor)) static void
dso_dtor(void)
{
	order_note("dso: destructor attribute");
}

extern "C" void
dso_local_static(void)
{
	static tracer local("dso: function-local static constructed",
			    "dso: function-local static destroyed");
}

/* Throws: 0 dso_error, 1 std::out_of_range, 2 int. */
void
dso_throw(int kind)
{
	switch (kind) {
	case 0: throw dso_error("thrown in the library", 7);
	case 1: throw std::out_of_range("out of range in the library");
	default: throw 42;
	}
}

struct unwind_mark {
	int *flag;
	~unwind_mark() { *flag = 1; }
};

/*
 * Calls back into the program inside a frame with a destructor and a
 * handler that does not match; the program's exception must pass through.
 */
void
dso_call_through(void (*cb)(int), int arg, int *unwound)
{
	unwind_mark mark{unwound};

	try {
		cb(arg);
	} catch (const dso_error &) {
		fprintf(stderr, "FAIL: dso_error handler caught the program's "
			"exception\n");
		std::abort();
	}
}

/* Catches what the program throws; returns what() or "(unknown)". */
std::string
dso_catch(void (*cb)(int), int arg)
{
	try {
		cb(arg);
	} catch (const std::exception &e) {
		return std::string("library caught: ") + e.what();
	} catch (...) {
		return "library caught: (unknown)";
	}
	return "library caught: nothing";
}

/* A thread_local whose destructor counts thread exits. */
static std::atomic<int> tl_destroyed{0};

struct per_thread {
	int uses = 0;
	~per_thread() { tl_destroyed++; }
};

static thread_local per_thread tl_obj;

int
dso_thread_local_use(void)
{
	return ++tl_obj.uses;
}

int
dso_thread_local_destroyed(void)
{
	return tl_destroyed.load();
}
