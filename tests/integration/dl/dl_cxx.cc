/* SPDX-License-Identifier: MIT */
/*
 * dl_cxx.cc: C++ exceptions across a dlopen'ed library.
 *
 * Usage: dl_cxx DIR, where DIR holds libdl_cxx_dso.so.
 *
 * The library is opened with dlopen (RTLD_LOCAL), never linked, so the
 * unwinder must find its frames and .eh_frame through the loader
 * (dl_iterate_phdr / _dl_find_object on the objects myld loaded). The
 * program catches a std::runtime_error, a class shared by both sides and
 * an int thrown through frames with destructors, then throws from a
 * callback through the library's frames back to itself; repeated after a
 * dlclose and a second dlopen. It would catch a loader whose link map or
 * phdr list misses dlopen'ed objects (std::terminate), or that leaves
 * stale entries after dlclose.
 */
#include <dlfcn.h>

#include <stdexcept>
#include <string>

#include "dl_cxx.h"
#include "t.h"

namespace {

template <typename F>
F
sym(void *h, const char *name)
{
	void *p = dlsym(h, name);

	T_REQUIRE(p != nullptr, "dlsym %s: %s", name, T_STR(dlerror()));
	return reinterpret_cast<F>(p);
}

[[noreturn]] void
throw_back(int arg)
{
	throw std::string("from program ") + std::to_string(arg);
}

void
round(const char *path, int n)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	int count = 0;

	T_REQUIRE(h != nullptr, "dlopen %s: %s", path, T_STR(dlerror()));
	auto runtime = sym<void (*)(const char *)>(h, "dl_cxx_throw_runtime");
	auto own = sym<void (*)(int)>(h, "dl_cxx_throw_own");
	auto deep = sym<void (*)(int, int *)>(h, "dl_cxx_throw_deep");
	auto call_back = sym<int (*)(void (*)(int), int, int *)>(h,
								  "dl_cxx_call_back");

	try {
		runtime("boom");
		t_fail(__FILE__, __LINE__, "round %d: runtime_error not thrown", n);
	} catch (const std::runtime_error &e) {
		T_CHECK(std::string(e.what()) == "from dso: boom",
			"round %d: what() = '%s'", n, e.what());
	} catch (...) {
		t_fail(__FILE__, __LINE__, "round %d: runtime_error caught as ...", n);
	}

	try {
		own(17);
		t_fail(__FILE__, __LINE__, "round %d: DlCxxError not thrown", n);
	} catch (const DlCxxError &e) {
		T_CHECK(e.code == 17, "round %d: DlCxxError code %d", n, e.code);
	} catch (...) {
		t_fail(__FILE__, __LINE__, "round %d: DlCxxError caught as ...", n);
	}

	try {
		deep(5, &count);
		t_fail(__FILE__, __LINE__, "round %d: int not thrown", n);
	} catch (int v) {
		T_CHECK(v == 42, "round %d: caught int %d", n, v);
		T_CHECK(count == 6, "round %d: %d destructors ran while unwinding, "
				    "want 6", n, count);
	}

	count = 0;
	try {
		call_back(throw_back, n, &count);
		t_fail(__FILE__, __LINE__, "round %d: callback did not throw", n);
	} catch (const std::string &s) {
		T_CHECK(s == "from program " + std::to_string(n),
			"round %d: caught '%s'", n, s.c_str());
		T_CHECK(count == 1, "round %d: library frame's destructor ran %d "
				    "times", n, count);
	}
	T_CHECK(dlclose(h) == 0, "dlclose: %s", T_STR(dlerror()));
}

} // namespace

int
main(int argc, char **argv)
{
	t_check_loader();
	T_REQUIRE(argc == 2, "usage: dl_cxx DIR");
	char *path = t_path(argv[1], "libdl_cxx_dso.so");

	for (int n = 1; n <= 3; n++)
		round(path, n);
	/* After the last dlclose, exceptions in the program itself still work. */
	try {
		throw_back(0);
	} catch (const std::string &s) {
		T_CHECK(s == "from program 0", "caught '%s'", s.c_str());
	}
	return t_status();
}
