/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness: the launch cache's entry file (loader/launch.c) as a
 * warm start reads it. At start-up the harness records a real entry
 * through the module's own calls (a search that finds /bin/true, one that
 * finds nothing, two probed directories, two objects' bindings) and keeps
 * its key check. Each input is then an entry body after that check: the
 * harness puts the header (magic, format, length, checksum) and the key
 * check in front, so the input reaches the parser instead of dying at the
 * checksum, writes it where the entry lives and starts again: a warm
 * start replays every search the seed entry made, reads both objects'
 * facts and follows every binding's serial; a cold one records and
 * writes, as a start-up does. Leaks and bad reads are the sanitizers'.
 * FUZZ_LAUNCH_SEED=DIR: write the recorded body to DIR/recorded, exit.
 */
#include <elf.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "crt/alloc.h"
#include "loader/launch.h"
#include "loader/state.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file's header, as launch.c writes it. */
struct header {
	char magic[8];
	uint32_t format, zero;
	uint64_t body_len, checksum;
};

static char dir[64], entry[128];
static char *envp[] = { NULL };
static uint64_t auxv[4];
static struct elf_object prog, lib;
static struct header head;        /* the recorded entry's */
static uint64_t key_check;
static dev_t true_dev;            /* the objects' identity: /bin/true's */
static ino_t true_ino;
static unsigned char *recorded;   /* its body after the key check */
static size_t recorded_len;
static bool replayed;             /* the last input made a warm start */

static void
reset(void)
{
	fuzz_reset_state();
	ld_state.startup_done = false;
	auxv[0] = AT_EUID;
	auxv[1] = geteuid();
	auxv[2] = AT_NULL;
	ld_state.auxv = auxv;
	ld_state.envp = envp;
	memset(&prog, 0, sizeof(prog));
	memset(&lib, 0, sizeof(lib));
	prog.serial = 1;
	lib.serial = 2;
	prog.next = &lib;
	lib.prev = &prog;
	ld_state.head = &prog;
	ld_state.tail = &lib;
	ld_state.object_serial = 2;
}

/* A cold start as the loader makes one, through the module's calls. */
static void
record(void)
{
	struct search_result res;
	struct stat st;

	reset();
	if (stat("/bin/true", &st) != 0)
		abort();
	true_dev = st.st_dev;
	true_ino = st.st_ino;
	prog.dev = lib.dev = true_dev;
	prog.ino = lib.ino = true_ino;
	launch_start(dir, "/bin/true", NULL);
	if (launch_role() != LAUNCH_RECORDING)
		abort();
	res.fd = open("/bin/true", O_RDONLY);
	res.path = "/bin/true";
	if (res.fd < 0)
		abort();
	launch_note_probe("/nonexistent-myld-dir/libc.so.6");
	launch_note_probe("/tmp/libc.so.6");
	launch_note_search("libc.so.6", NULL, &res);
	launch_note_search("libnone.so.1", &prog, NULL);
	close(res.fd);
	launch_note_relocs(&prog, 10, true);
	launch_note_binding(&prog, 3, 0, &lib, 7);
	launch_note_binding(&prog, 4, 1, NULL, 0);
	launch_note_relocs(&lib, 0, false);
	launch_note_binding(&lib, 1, 0, &prog, 2);
	launch_finish();
}

/* The one entry in dir: its path, header, key check and body. */
static void
read_recorded(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned char *all;
	long len;
	FILE *f;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			snprintf(entry, sizeof(entry), "%s/%s", dir, e->d_name);
	closedir(d);
	f = fopen(entry, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <
	    (long)(sizeof(head) + 8))
		abort();
	rewind(f);
	all = malloc((size_t)len);
	if (!all || fread(all, 1, (size_t)len, f) != (size_t)len)
		abort();
	fclose(f);
	memcpy(&head, all, sizeof(head));
	if (launch_checksum(all + sizeof(head), (size_t)len - sizeof(head)) != head.checksum)
		abort();
	memcpy(&key_check, all + sizeof(head), 8);
	recorded_len = (size_t)len - sizeof(head) - 8;
	recorded = malloc(recorded_len ? recorded_len : 1);
	if (!recorded)
		abort();
	memcpy(recorded, all + sizeof(head) + 8, recorded_len);
	free(all);
}

static void
cleanup(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-launch: could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seed = getenv("FUZZ_LAUNCH_SEED");

	(void)argc;
	(void)argv;
	strcpy(dir, "/tmp/myld-fuzz-launch-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	record();
	read_recorded();
	/* The harness's own check: the recorded body, sealed again, is a
	 * warm start (else every input would only test the cold path). */
	LLVMFuzzerTestOneInput(recorded, recorded_len);
	if (!replayed) {
		fprintf(stderr, "fuzz-launch: the recorded entry is not replayed\n");
		abort();
	}
	if (seed) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/recorded", seed);
		f = fopen(path, "wb");
		if (!f || fwrite(recorded, 1, recorded_len, f) != recorded_len ||
		    fclose(f) != 0)
			exit(1);
		exit(0);
	}
	return 0;
}

/* The entry for body data: header, key check, data. */
static void
write_entry(const uint8_t *data, size_t size)
{
	size_t body = 8 + size;
	unsigned char *all = malloc(sizeof(head) + body);
	struct header h = head;
	int fd;

	if (!all)
		abort();
	memcpy(all + sizeof(h), &key_check, 8);
	if (size)
		memcpy(all + sizeof(h) + 8, data, size);
	h.body_len = body;
	h.checksum = launch_checksum(all + sizeof(h), body);
	memcpy(all, &h, sizeof(h));
	fd = open(entry, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, all, sizeof(h) + body) != (ssize_t)(sizeof(h) + body))
		abort();
	close(fd);
	free(all);
}

static void
facts_of(struct elf_object *obj)
{
	struct launch_relocs r;
	uint64_t seen = 0;

	if (!launch_relocs_of(obj, &r))
		return;
	if (r.nbindings && !r.bindings)
		abort();
	for (size_t i = 0; i < r.nbindings; i++) {
		seen += r.bindings[i].symidx + r.bindings[i].defsym;
		if (r.bindings[i].def_serial)
			(void)launch_object(r.bindings[i].def_serial);
	}
	(void)seen;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "libc.so.6", "libnone.so.1",
					     "libother.so" };
	struct search_result res;

	reset();
	prog.dev = lib.dev = true_dev;
	prog.ino = lib.ino = true_ino;
	write_entry(data, size);
	launch_start(dir, "/bin/true", NULL);
	replayed = launch_role() == LAUNCH_REPLAYING;
	if (replayed) {
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			memset(&res, 0, sizeof(res));
			if (launch_search(names[i], i == 1 ? &prog : NULL, &res)) {
				if (res.fd < 0 || !res.path)
					abort();
				close(res.fd);
				crt_free(res.path);
			}
		}
		facts_of(&prog);
		facts_of(&lib);
	}
	launch_finish();
	return 0;
}
