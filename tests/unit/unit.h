/* SPDX-License-Identifier: MIT */
/*
 * The Check harness shared by every unit test program: one Suite per
 * module, run in Check's fork mode (a crash fails one test, not the
 * program). Set CK_FORK=no only under a debugger.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <check.h>

/* Runs every test of s with srunner_run_all(..., CK_ENV) (so CK_VERBOSITY,
 * CK_RUN_CASE, CK_FORK ... apply), frees the runner and the suite, and
 * returns 0 when no test failed, 1 otherwise: main's exit status. */
int unit_run(Suite *s);

#endif
