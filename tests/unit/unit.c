/* SPDX-License-Identifier: MIT */
/*
 * The unit test runner (see unit.h): wraps Check's SRunner the way
 * libinput's and libratbag's test programs do. It sets no fork mode of
 * its own, so Check's default (fork) applies unless CK_FORK says
 * otherwise, and it must stay free of module-specific set-up.
 */
#include "tests/unit/unit.h"

int
unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
