/* SPDX-License-Identifier: MIT */
/*
 * dl_cxx_dso.cc: a C++ library the program dlopen's. It throws a standard
 * exception, a class of its own (whose typeinfo the program shares through
 * dl_cxx.h), an int through several of its own frames with destructors
 * (cleanup landing pads), and calls back into the program, which throws
 * through this library's frames.
 */
#include <stdexcept>
#include <string>

#include "dl_cxx.h"

namespace {

/* Counts destructors run during unwinding through this library. */
struct Guard {
	int *count;
	~Guard() { ++*count; }
};

[[gnu::noinline]] void
deep_throw(int depth, int *count)
{
	Guard g{count};

	if (depth == 0)
		throw 42;
	deep_throw(depth - 1, count);
}

} // namespace

extern "C" void
dl_cxx_throw_runtime(const char *what)
{
	throw std::runtime_error(std::string("from dso: ") + what);
}

extern "C" void
dl_cxx_throw_own(int code)
{
	throw DlCxxError(code);
}

extern "C" void
dl_cxx_throw_deep(int depth, int *count)
{
	deep_throw(depth, count);
}

extern "C" int
dl_cxx_call_back(void (*fn)(int), int arg, int *count)
{
	Guard g{count};

	fn(arg);
	return -1;
}
