/* SPDX-License-Identifier: MIT */
/*
 * system_maps.c: linked into every C and C++ program of the system suite.
 * system_check_loader() lets the program confirm from the inside which
 * loader brought it up: run_system.py puts the real path of the loader it
 * expects in T_EXPECT_LOADER (runner.py's expect_loader), and the file must
 * appear in /proc/self/maps. Run by hand, without the variable, nothing is checked.
 * Uses stdio only after the loader has handed over, so it proves nothing
 * about start-up by itself; it catches a run that silently fell back to
 * another loader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int system_check_loader(void);

/*
 * Returns 0 when the expected loader is mapped (or no expectation was
 * given), 1 after printing a FAIL line on stderr otherwise.
 */
int
system_check_loader(void)
{
	const char *want = getenv("T_EXPECT_LOADER");
	char line[4096];
	int found = 0;
	FILE *f;

	if (want == NULL)
		return 0;
	f = fopen("/proc/self/maps", "r");
	if (f == NULL) {
		perror("FAIL: /proc/self/maps");
		return 1;
	}
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		/* start-end perms offset dev inode path */
		char *path = strchr(line, '/');

		if (path == NULL)
			continue;
		path[strcspn(path, "\n")] = '\0';
		found = strcmp(path, want) == 0;
	}
	fclose(f);
	if (!found)
		fprintf(stderr, "FAIL: the loader %s is not in /proc/self/maps\n",
			want);
	return !found;
}
