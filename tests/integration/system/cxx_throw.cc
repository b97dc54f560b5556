/* SPDX-License-Identifier: MIT */
/*
 * cxx_throw.cc: C++ exceptions across a shared-library boundary
 * (cxx_throw_dso.cc), with std::thread, thread_local destructors and
 * static constructors and destructors whose order is printed and checked.
 * The unwinder finds each frame's object through the loader
 * (_dl_find_object, dl_iterate_phdr), the typeinfo match needs the
 * library's vtable and typeinfo bound in the program, the order needs
 * init and fini arrays run in glibc's order, and the thread_local
 * destructor needs __cxa_thread_atexit_impl's lookup of its object. Prints
 * a deterministic log; exits 1 (or aborts) on any mismatch.
 */
#include <atomic>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern "C" int system_check_loader(void);

/* cxx_throw_dso.cc; the declaration of dso_error must match it. */
struct dso_error : std::runtime_error {
	int code;
	dso_error(const char *what, int c);
	~dso_error() override;
};
extern "C" void order_note(const char *what);
extern "C" void dso_local_static(void);
void dso_throw(int kind);
void dso_call_through(void (*cb)(int), int arg, int *unwound);
std::string dso_catch(void (*cb)(int), int arg);
int dso_thread_local_use(void);
int dso_thread_local_destroyed(void);

struct prog_error : std::runtime_error {
	int value;
	prog_error(const char *w, int v) : std::runtime_error(w), value(v) {}
};

static int failures;

#define CHECK(cond, what)                                                    \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__,         \
				__LINE__, what);                             \
			failures++;                                          \
		}                                                            \
	} while (0)

struct tracer {
	const char *done;
	tracer(const char *made, const char *d) : done(d) { order_note(made); }
	~tracer() { order_note(done); }
};

static tracer prog_static("prog: static object constructed",
			  "prog: static object destroyed");

__attribute__((constructor)) static void
prog_ctor(void)
{
	order_note("prog: constructor attribute");
}

__attribute__((destructor)) static void
prog_dtor(void)
{
	order_note("prog: destructor attribute");
}

static void
throw_prog(int v)
{
	if (v >= 0)
		throw prog_error("thrown in the program", v);
	throw std::invalid_argument("negative");
}

/* The catches the main thread makes, one line each. */
static void
single_thread_cases(void)
{
	try {
		dso_throw(0);
		CHECK(false, "dso_throw(0) returned");
	} catch (const dso_error &e) {
		CHECK(e.code == 7, "dso_error code");
		printf("caught dso_error from the library: %s, code %d\n",
		       e.what(), e.code);
	}
	try {
		dso_throw(1);
	} catch (const std::logic_error &e) {
		CHECK(dynamic_cast<const std::out_of_range *>(&e) != nullptr,
		      "dynamic_cast to out_of_range");
		printf("caught std::out_of_range as std::logic_error: %s\n",
		       e.what());
	}
	try {
		dso_throw(2);
	} catch (int v) {
		CHECK(v == 42, "int value");
		printf("caught int from the library: %d\n", v);
	}

	int unwound = 0;
	try {
		dso_call_through(throw_prog, 5, &unwound);
		CHECK(false, "dso_call_through returned");
	} catch (const prog_error &e) {
		CHECK(e.value == 5 && unwound == 1, "through the library");
		printf("program exception through library frames: value %d, "
		       "library destructor ran: %s\n", e.value,
		       unwound ? "yes" : "no");
	}

	std::string s = dso_catch(throw_prog, 3);
	CHECK(s == "library caught: thrown in the program", "dso_catch");
	printf("%s\n", s.c_str());
	s = dso_catch(throw_prog, -1);
	CHECK(s == "library caught: negative", "dso_catch");
	printf("%s\n", s.c_str());

	/* Rethrow and nest: the library's object survives two handlers. */
	try {
		try {
			dso_throw(0);
		} catch (const std::exception &) {
			throw;
		}
	} catch (const dso_error &e) {
		CHECK(e.code == 7, "rethrown code");
		printf("rethrown dso_error caught again: code %d\n", e.code);
	}
}

/* Each thread: many throws both ways, and one exception carried home. */
static std::atomic<int> caught_total{0};

static void
thread_body(int id, std::exception_ptr *out)
{
	int local = 0;

	for (int i = 0; i < 500; i++) {
		try {
			dso_throw(i % 3);
		} catch (const dso_error &e) {
			local += e.code == 7;
		} catch (const std::out_of_range &) {
			local++;
		} catch (int v) {
			local += v == 42;
		}
		int unwound = 0;
		try {
			dso_call_through(throw_prog, id, &unwound);
		} catch (const prog_error &e) {
			local += e.value == id && unwound;
		}
	}
	caught_total += local;
	dso_thread_local_use();
	try {
		dso_throw(0);
	} catch (...) {
		*out = std::current_exception();
	}
}

int
main(void)
{
	if (system_check_loader() != 0)
		return 1;
	order_note("main: start");
	dso_local_static();
	dso_local_static();

	single_thread_cases();

	const int n = 8;
	std::vector<std::thread> threads;
	std::vector<std::exception_ptr> carried(n);

	for (int i = 0; i < n; i++)
		threads.emplace_back(thread_body, i, &carried[i]);
	for (auto &t : threads)
		t.join();
	CHECK(caught_total == n * 1000, "exceptions caught in threads");
	printf("threads: %d, exceptions caught across the boundary: %d\n", n,
	       caught_total.load());
	int rethrown = 0;
	for (auto &p : carried) {
		try {
			std::rethrow_exception(p);
		} catch (const dso_error &e) {
			rethrown += e.code == 7;
		}
	}
	CHECK(rethrown == n, "exception_ptr from threads");
	printf("exceptions carried out of threads and rethrown: %d\n", rethrown);
	CHECK(dso_thread_local_destroyed() == n, "thread_local destructors");
	printf("library thread_local destructors run: %d\n",
	       dso_thread_local_destroyed());

	order_note("main: end");
	if (failures) {
		fprintf(stderr, "%d checks failed\n", failures);
		return 1;
	}
	return 0;
}
