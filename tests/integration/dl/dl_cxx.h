/* SPDX-License-Identifier: MIT */
/*
 * dl_cxx.h: the exception class dl_cxx.cc and dl_cxx_dso.cc share. Its
 * key function is inline, so each side has its own typeinfo copy (weak,
 * global): catching it by type across dlopen needs the loader to unify
 * them or libstdc++ to compare names, as with glibc.
 */
#ifndef DL_CXX_H
#define DL_CXX_H

struct DlCxxError {
	int code;
	explicit DlCxxError(int c) : code(c) {}
	virtual ~DlCxxError() {}
};

#endif /* DL_CXX_H */
