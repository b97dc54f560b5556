/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of loader/map.c. map_check_ident and map_validate get a good
 * file and then each broken variant (a table of byte patches to the ELF
 * header or program headers), which must be rejected with its message and
 * never crash. map_object maps temporary files written by elf_builder.c;
 * the mappings are checked in /proc/self/maps (permissions, file-backed or
 * anonymous), .bss is checked to be zero up to the end of its last page,
 * a 2 MiB p_align is checked to be honoured, and a failure after the
 * reservation must leave the address space exactly as it was.
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/error.h"
#include "loader/map.h"
#include "loader/object.h"
#include "loader/state.h"
#include "tests/unit/elf_builder.h"
#include "tests/unit/unit.h"

#define PAGE 0x1000

/* The good file: text, data with .bss (file page shared with the tail of
 * the file, so the bytes after p_filesz are non-zero in the file), a
 * PT_DYNAMIC inside the data, and a stack note.
 *
 *   LOAD    off 0x0000 vaddr 0x0000 filesz 0x1000 memsz 0x1000 R E
 *   LOAD    off 0x1000 vaddr 0x2000 filesz 0x0800 memsz 0x2800 RW
 *   DYNAMIC off 0x1000 vaddr 0x2000 filesz 0x0100 memsz 0x0100 RW
 *   GNU_STACK                                                  RW
 */
static const struct eb_segment good_segs[] = {
	{ PT_LOAD, PF_R | PF_X, 0x0000, 0x0000, 0x1000, 0x1000, PAGE },
	{ PT_LOAD, PF_R | PF_W, 0x1000, 0x2000, 0x0800, 0x2800, PAGE },
	{ PT_DYNAMIC, PF_R | PF_W, 0x1000, 0x2000, 0x100, 0x100, 8 },
	{ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16 },
};
#define GOOD_SIZE 0x2000

static void
good_file(struct eb_file *f)
{
	eb_file_init(f, good_segs, 4, GOOD_SIZE);
}

static void
setup(void)
{
	ld_state.page_size = PAGE;
	ld_state.startup_done = true;
	ld_error_clear();
}

static void
assert_error(const char *expected)
{
	ck_assert_msg(strcmp(ld_error_message(), expected) == 0,
		      "message \"%s\", expected \"%s\"", ld_error_message(),
		      expected);
}

/* ---- map_check_ident ---- */

/* One patch: width bytes at off (little-endian value). */
struct patch {
	size_t off, width;
	uint64_t value;
};

#define EH(field) offsetof(Elf64_Ehdr, field), sizeof(((Elf64_Ehdr *)0)->field)
#define PH(i, field)                                                      \
	sizeof(Elf64_Ehdr) + (i) * sizeof(Elf64_Phdr) + offsetof(Elf64_Phdr, field), \
	sizeof(((Elf64_Phdr *)0)->field)

static void
apply_patches(struct eb_file *f, const struct patch *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && p[i].width; i++)
		memcpy(f->data + p[i].off, &p[i].value, p[i].width);
}

struct ident_case {
	const char *name;
	struct patch patch;
	size_t len;               /* bytes given; 0: the whole header */
	enum map_verdict verdict;
	const char *message;      /* NULL for MAP_OK */
};

static const struct ident_case ident_cases[] = {
	{ "good", { 0, 0, 0 }, 0, MAP_OK, NULL },
	{ "exec", { EH(e_type), ET_EXEC }, 0, MAP_OK, NULL },
	{ "gnu osabi", { EH(e_ident[EI_OSABI]), ELFOSABI_GNU }, 0, MAP_OK, NULL },
	{ "empty", { 0, 0, 0 }, 1, MAP_NOT_ELF, "t.so: file too short" },
	{ "ident cut", { 0, 0, 0 }, EI_NIDENT - 1, MAP_NOT_ELF, "t.so: file too short" },
	{ "header cut", { 0, 0, 0 }, sizeof(Elf64_Ehdr) - 1, MAP_NOT_ELF,
	  "t.so: file too short" },
	{ "magic", { EH(e_ident[EI_MAG1]), 'L' }, 0, MAP_NOT_ELF,
	  "t.so: invalid ELF header" },
	{ "class32", { EH(e_ident[EI_CLASS]), ELFCLASS32 }, 0, MAP_WRONG_CLASS,
	  "t.so: wrong ELF class: ELFCLASS32" },
	{ "classnone", { EH(e_ident[EI_CLASS]), ELFCLASSNONE }, 0, MAP_WRONG_CLASS,
	  "t.so: wrong ELF class: ELFCLASSNONE" },
	{ "big endian", { EH(e_ident[EI_DATA]), ELFDATA2MSB }, 0, MAP_WRONG_CLASS,
	  "t.so: ELF file data encoding not little-endian" },
	{ "i386", { EH(e_machine), EM_386 }, 0, MAP_WRONG_MACHINE,
	  "t.so: ELF file machine 3 is not x86-64" },
	{ "aarch64", { EH(e_machine), EM_AARCH64 }, 0, MAP_WRONG_MACHINE,
	  "t.so: ELF file machine 183 is not x86-64" },
	{ "ident version", { EH(e_ident[EI_VERSION]), 0 }, 0, MAP_BAD,
	  "t.so: ELF file version ident does not match current one" },
	{ "osabi", { EH(e_ident[EI_OSABI]), ELFOSABI_FREEBSD }, 0, MAP_BAD,
	  "t.so: ELF file OS ABI invalid" },
	{ "abiversion", { EH(e_ident[EI_ABIVERSION]), 1 }, 0, MAP_BAD,
	  "t.so: ELF file ABI version invalid" },
	{ "e_version", { EH(e_version), 2 }, 0, MAP_BAD,
	  "t.so: ELF file version does not match current one" },
	{ "relocatable", { EH(e_type), ET_REL }, 0, MAP_BAD,
	  "t.so: only ET_DYN and ET_EXEC can be loaded" },
	{ "core", { EH(e_type), ET_CORE }, 0, MAP_BAD,
	  "t.so: only ET_DYN and ET_EXEC can be loaded" },
};

START_TEST(map_check_ident_verdicts)
{
	const struct ident_case *c = &ident_cases[_i];
	struct eb_file f;
	enum map_verdict v;

	good_file(&f);
	apply_patches(&f, &c->patch, 1);
	v = map_check_ident(f.data, c->len ? c->len : sizeof(Elf64_Ehdr), "t.so");
	ck_assert_msg(v == c->verdict, "%s: verdict %d, expected %d", c->name, v,
		      c->verdict);
	if (c->message)
		assert_error(c->message);
	eb_file_free(&f);
}
END_TEST

/* ---- map_validate ---- */

struct validate_case {
	const char *name;
	struct patch patches[3];
	const char *message;      /* after "t.so: "; NULL: accepted */
};

static const struct validate_case validate_cases[] = {
	{ "good", { { 0, 0, 0 } }, NULL },
	/* A segment may end exactly at the end of the file. */
	{ "load to eof", { { PH(1, p_filesz), GOOD_SIZE - 0x1000 } }, NULL },
	{ "zero align", { { PH(1, p_align), 0 } }, NULL },
	{ "class32", { { EH(e_ident[EI_CLASS]), ELFCLASS32 } },
	  "wrong ELF class: ELFCLASS32" },
	{ "machine", { { EH(e_machine), EM_386 } },
	  "ELF file machine 3 is not x86-64" },
	{ "type", { { EH(e_type), ET_REL } },
	  "only ET_DYN and ET_EXEC can be loaded" },
	{ "ident version", { { EH(e_ident[EI_VERSION]), 2 } },
	  "ELF file version ident does not match current one" },
	{ "phentsize", { { EH(e_phentsize), 32 } },
	  "ELF file's phentsize not the expected size" },
	{ "phoff past end", { { EH(e_phoff), GOOD_SIZE } },
	  "program headers extend past the end of the file" },
	{ "phoff wraps", { { EH(e_phoff), (uint64_t)-16 } },
	  "program headers extend past the end of the file" },
	/* Found by tests/fuzz/fuzz_elf.c: read in place, the table was
	 * read with misaligned accesses. */
	{ "phoff misaligned", { { EH(e_phoff), 68 } },
	  "ELF file's program headers are misaligned" },
	{ "phnum past end", { { EH(e_phnum), 200 } },
	  "program headers extend past the end of the file" },
	{ "phnum zero", { { EH(e_phnum), 0 } },
	  "ELF file has an absurd number of program headers" },
	{ "phnum absurd", { { EH(e_phnum), 0xffff } },
	  "ELF file has an absurd number of program headers" },
	{ "load offset past eof", { { PH(1, p_offset), GOOD_SIZE + PAGE },
				    { PH(1, p_vaddr), GOOD_SIZE + PAGE } },
	  "PT_LOAD extends past the end of the file" },
	{ "load size past eof", { { PH(1, p_filesz), GOOD_SIZE - 0x1000 + 1 } },
	  "PT_LOAD extends past the end of the file" },
	{ "load size wraps", { { PH(1, p_filesz), (uint64_t)-0x800 },
			       { PH(1, p_memsz), (uint64_t)-0x800 } },
	  "PT_LOAD extends past the end of the file" },
	{ "filesz > memsz", { { PH(1, p_memsz), 0x7ff } },
	  "PT_LOAD has p_filesz larger than p_memsz" },
	{ "overlap", { { PH(0, p_memsz), 0x2001 } },
	  "PT_LOAD segments overlap or are not sorted" },
	{ "unsorted", { { PH(0, p_vaddr), 0x8000 } },
	  "PT_LOAD segments overlap or are not sorted" },
	{ "offset vs vaddr", { { PH(1, p_vaddr), 0x2010 } },
	  "ELF load command address/offset not page-aligned" },
	{ "align not power of two", { { PH(1, p_align), 0x3000 } },
	  "ELF load command alignment is not a power of two" },
	{ "align absurd", { { PH(1, p_align), (uint64_t)1 << 40 } },
	  "PT_LOAD alignment is absurdly large" },
	{ "address wraps", { { PH(1, p_vaddr), (uint64_t)-PAGE } },
	  "PT_LOAD address range overflows" },
	{ "address past user space", { { PH(1, p_vaddr), (uint64_t)1 << 47 } },
	  "PT_LOAD address range overflows" },
	{ "no load", { { PH(0, p_type), PT_NOTE }, { PH(1, p_type), PT_NOTE } },
	  "object file has no loadable segments" },
	{ "two dynamic", { { PH(3, p_type), PT_DYNAMIC } },
	  "more than one PT_DYNAMIC, PT_TLS or PT_INTERP segment" },
	{ "two interp", { { PH(2, p_type), PT_INTERP }, { PH(3, p_type), PT_INTERP } },
	  "more than one PT_DYNAMIC, PT_TLS or PT_INTERP segment" },
	{ "two tls", { { PH(2, p_type), PT_TLS }, { PH(3, p_type), PT_TLS } },
	  "more than one PT_DYNAMIC, PT_TLS or PT_INTERP segment" },
	{ "tls filesz > memsz", { { PH(2, p_type), PT_TLS }, { PH(2, p_memsz), 8 } },
	  "malformed PT_TLS segment" },
	{ "tls past eof", { { PH(2, p_type), PT_TLS },
			    { PH(2, p_offset), GOOD_SIZE - 8 } },
	  "malformed PT_TLS segment" },
};

#define NVALIDATE (sizeof(validate_cases) / sizeof(validate_cases[0]))

START_TEST(map_validate_cases)
{
	const struct validate_case *c = &validate_cases[_i];
	struct eb_file f;
	char expected[256];
	int err;

	good_file(&f);
	apply_patches(&f, c->patches, 3);
	err = map_validate(eb_ehdr(&f), eb_phdrs(&f), f.size, PAGE, "t.so");
	if (!c->message) {
		ck_assert_msg(err == 0, "%s: rejected: %s", c->name,
			      ld_error_message());
	} else {
		ck_assert_msg(err == -ENOEXEC, "%s: returned %d", c->name, err);
		snprintf(expected, sizeof(expected), "t.so: %s", c->message);
		assert_error(expected);
	}
	eb_file_free(&f);
}
END_TEST

/* The same files through map_object: same verdict, and a rejected file
 * is never mapped. */
START_TEST(map_object_validates)
{
	const struct validate_case *c = &validate_cases[_i];
	struct elf_object *obj;
	struct eb_file f;
	char expected[256];
	int fd;

	good_file(&f);
	apply_patches(&f, c->patches, 3);
	fd = eb_file_open(&f);
	obj = map_object(fd, "t.so");
	close(fd);
	if (!c->message) {
		ck_assert_msg(obj != NULL, "%s: %s", c->name, ld_error_message());
		map_unmap(obj);
		object_free(obj);
	} else {
		ck_assert_msg(obj == NULL, "%s: accepted", c->name);
		snprintf(expected, sizeof(expected), "t.so: %s", c->message);
		assert_error(expected);
	}
	eb_file_free(&f);
}
END_TEST

/* ---- map_object ---- */

/* /proc/self/maps, read without allocating (so snapshots compare). */
static char maps_buf[2][1 << 20];

static const char *
read_maps(int which)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	size_t len = 0;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	while ((n = read(fd, maps_buf[which] + len,
			 sizeof(maps_buf[0]) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	maps_buf[which][len] = '\0';
	return maps_buf[which];
}

struct vma {
	uintptr_t start, end;
	char perms[5];
	unsigned long inode;
};

/* The mapping containing addr; false if none. */
static bool
find_vma(uintptr_t addr, struct vma *v)
{
	const char *line = read_maps(0);

	while (*line) {
		unsigned long s, e, inode;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s %*s %*s %lu", &s, &e, perms, &inode) == 4 &&
		    addr >= s && addr < e) {
			v->start = s;
			v->end = e;
			memcpy(v->perms, perms, 5);
			v->inode = inode;
			return true;
		}
		line = strchr(line, '\n');
		if (!line)
			break;
		line++;
	}
	return false;
}

/* True when some mapping is backed by the file with this inode. */
static bool
inode_mapped(unsigned long inode)
{
	char needle[32];

	snprintf(needle, sizeof(needle), " %lu ", inode);
	return strstr(read_maps(0), needle) != NULL;
}

static void
assert_vma(uintptr_t addr, const char *perms, unsigned long inode)
{
	struct vma v;

	ck_assert_msg(find_vma(addr, &v), "nothing mapped at %#lx",
		      (unsigned long)addr);
	ck_assert_msg(strcmp(v.perms, perms) == 0, "%#lx: %s, expected %s",
		      (unsigned long)addr, v.perms, perms);
	ck_assert_msg(v.inode == inode, "%#lx: inode %lu, expected %lu",
		      (unsigned long)addr, v.inode, inode);
}

static struct elf_object *
map_file(const struct eb_file *f, struct stat *st)
{
	struct elf_object *obj;
	int fd = eb_file_open(f);

	ck_assert_int_eq(fstat(fd, st), 0);
	obj = map_object(fd, "t.so");
	close(fd);
	ck_assert_msg(obj != NULL, "map_object: %s", ld_error_message());
	return obj;
}

START_TEST(map_object_maps_segments_with_permissions)
{
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	uintptr_t b;

	good_file(&f);
	obj = map_file(&f, &st);
	b = obj->base;
	ck_assert_uint_eq(b % PAGE, 0);
	ck_assert_uint_eq(obj->map_start, b);
	ck_assert_uint_eq(obj->map_end, b + 0x5000);
	ck_assert(obj->mapped_by_us);
	ck_assert_uint_eq(obj->dev, st.st_dev);
	ck_assert_uint_eq(obj->ino, st.st_ino);
	ck_assert_uint_eq(obj->e_type, ET_DYN);
	ck_assert_uint_eq(obj->phnum, 4);
	/* The first page covers the program headers: no copy. */
	ck_assert_ptr_eq(obj->phdr, (void *)(b + sizeof(Elf64_Ehdr)));
	ck_assert_ptr_eq(obj->dynamic, (void *)(b + 0x2000));
	ck_assert_uint_eq(obj->stack_flags, PF_R | PF_W);

	assert_vma(b, "r-xp", st.st_ino);
	assert_vma(b + 0x1000, "---p", 0);        /* hole: reservation */
	assert_vma(b + 0x2000, "rw-p", st.st_ino);
	assert_vma(b + 0x3000, "rw-p", 0);        /* .bss pages */
	assert_vma(b + 0x4fff, "rw-p", 0);
	ck_assert_int_eq(memcmp((void *)b, f.data, 0x1000), 0);
	ck_assert_int_eq(memcmp((void *)(b + 0x2000), f.data + 0x1000, 0x800), 0);
	map_unmap(obj);
	ck_assert(!find_vma(b, &(struct vma){ 0 }));
	ck_assert(!inode_mapped(st.st_ino));
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* .bss: the rest of the last file page (file bytes in the file) and the
 * anonymous pages after it read as zero; for a writable and for a
 * read-only segment (which must stay read-only). */
START_TEST(map_object_zeroes_bss)
{
	static const uint32_t flags[] = { PF_R | PF_W, PF_R };
	static const char *const perms[] = { "rw-p", "r--p" };
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	const unsigned char *p;
	size_t i;

	good_file(&f);
	eb_phdrs(&f)[1].p_flags = flags[_i];
	ck_assert_uint_ne(f.data[0x1800], 0);      /* the file has bytes there */
	obj = map_file(&f, &st);
	p = (const unsigned char *)obj->base;
	for (i = 0x2000; i < 0x2800; i++)
		ck_assert_uint_eq(p[i], eb_pattern(i - 0x1000));
	for (i = 0x2800; i < 0x4800; i++)
		ck_assert_msg(p[i] == 0, "byte %#zx is %#x", i, p[i]);
	assert_vma(obj->base + 0x2000, perms[_i], st.st_ino);
	assert_vma(obj->base + 0x3000, perms[_i], 0);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* A segment that is all .bss (p_filesz 0) is anonymous and zero. */
START_TEST(map_object_maps_bss_only_segment)
{
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R, 0, 0, 0x1000, 0x1000, PAGE },
		{ PT_LOAD, PF_R | PF_W, 0x1000, 0x3000, 0, 0x1800, PAGE },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	const unsigned char *p;
	size_t i;

	eb_file_init(&f, segs, 2, 0x1000);
	obj = map_file(&f, &st);
	p = (const unsigned char *)obj->base;
	for (i = 0x3000; i < 0x4800; i++)
		ck_assert_uint_eq(p[i], 0);
	assert_vma(obj->base + 0x3000, "rw-p", 0);
	assert_vma(obj->base + 0x4000, "rw-p", 0);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* An anonymous PROT_NONE mapping at addr with an end or start at edge. */
static bool
leftover_reservation(uintptr_t addr, uintptr_t edge)
{
	struct vma v;

	return find_vma(addr, &v) && strcmp(v.perms, "---p") == 0 &&
	       v.inode == 0 && (v.end == edge || v.start == edge);
}

/* A 2 MiB p_align: the base (and so every segment) is 2 MiB aligned, and
 * the reservation is trimmed to the span. */
START_TEST(map_object_honours_large_align)
{
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000, 0x200000 },
		{ PT_LOAD, PF_R | PF_W, 0x1000, 0x201000, 0x100, 0x1000, 0x200000 },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	void *spacer;

	/* Shift the next free address off any 2 MiB boundary. */
	spacer = mmap(NULL, PAGE * (1 + _i), PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(spacer, MAP_FAILED);
	eb_file_init(&f, segs, 2, 0x1100);
	obj = map_file(&f, &st);
	ck_assert_msg(obj->base % 0x200000 == 0, "base %#lx",
		      (unsigned long)obj->base);
	ck_assert_uint_eq(obj->map_end - obj->map_start, 0x202000);
	assert_vma(obj->base, "r-xp", st.st_ino);
	assert_vma(obj->base + 0x201000, "rw-p", st.st_ino);
	assert_vma(obj->base + 0x1000, "---p", 0);
	/* Nothing of the over-sized reservation is left around the span
	 * (the spacer is readable, so it cannot be mistaken for it). */
	ck_assert(!leftover_reservation(obj->base - 1, obj->base));
	ck_assert(!leftover_reservation(obj->map_end, obj->map_end));
	map_unmap(obj);
	object_free(obj);
	munmap(spacer, PAGE * (1 + _i));
	eb_file_free(&f);
}
END_TEST

/* A fixed address for ET_EXEC tests that is free both in a plain process
 * and under AddressSanitizer, whose shadow memory and shadow gap cover
 * everything from 2 GiB to 16 TiB (the sanitized unit build). */
#define EXEC_ADDR 0x500000000000ull

/* ET_EXEC is mapped at its p_vaddr (base 0). */
START_TEST(map_object_maps_exec_at_fixed_address)
{
	static const uint64_t at = EXEC_ADDR;
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0, at, 0x1000, 0x1000, PAGE },
		{ PT_LOAD, PF_R | PF_W, 0x1000, at + 0x1000, 0x100, 0x100, PAGE },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;

	eb_file_init(&f, segs, 2, 0x1100);
	eb_ehdr(&f)->e_type = ET_EXEC;
	eb_ehdr(&f)->e_entry = at + 0x10;
	obj = map_file(&f, &st);
	ck_assert_uint_eq(obj->base, 0);
	ck_assert_uint_eq(obj->map_start, at);
	ck_assert_uint_eq(obj->entry, at + 0x10);
	assert_vma(at, "r-xp", st.st_ino);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* ET_EXEC whose address is taken: an error, and the mapping that was
 * there is left alone. */
START_TEST(map_object_exec_address_taken)
{
	static const uint64_t at = EXEC_ADDR;
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0, at, 0x1000, 0x1000, PAGE },
	};
	struct eb_file f;
	void *taken;
	int fd;

	taken = mmap((void *)at, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		     MAP_FIXED_NOREPLACE, -1, 0);
	ck_assert_ptr_eq(taken, (void *)at);
	eb_file_init(&f, segs, 1, 0x1000);
	eb_ehdr(&f)->e_type = ET_EXEC;
	fd = eb_file_open(&f);
	ck_assert_ptr_null(map_object(fd, "t.so"));
	close(fd);
	assert_error("t.so: cannot map the object at its fixed address: File exists");
	assert_vma(at, "r--p", 0);
	munmap(taken, PAGE);
	eb_file_free(&f);
}
END_TEST

/* A failure after the span was reserved and the segments mapped (here:
 * PT_DYNAMIC outside every PT_LOAD) unmaps everything: the address space
 * is what it was before the call. */
START_TEST(map_object_failure_leaves_nothing_mapped)
{
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	int fd;

	good_file(&f);
	/* Warm up the allocator so its own first mapping is not counted. */
	obj = map_file(&f, &st);
	map_unmap(obj);
	object_free(obj);

	eb_phdrs(&f)[2].p_vaddr = 0x6000;
	fd = eb_file_open(&f);
	ck_assert_int_eq(fstat(fd, &st), 0);
	read_maps(1);
	ck_assert_ptr_null(map_object(fd, "t.so"));
	assert_error("t.so: PT_DYNAMIC is outside the loaded segments");
	ck_assert(!inode_mapped(st.st_ino));
	ck_assert_str_eq(read_maps(0), maps_buf[1]);
	close(fd);
	eb_file_free(&f);
}
END_TEST

/* Program headers beyond MAP_HEAD_SIZE and outside every PT_LOAD: read
 * separately and kept as a copy. */
START_TEST(map_object_reads_far_program_headers)
{
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R, 0, 0, 0x800, 0x800, PAGE },
		{ PT_LOAD, PF_R | PF_W, 0x1000, 0x1000, 0x100, 0x100, PAGE },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;
	size_t far = 0x1800;

	eb_file_init(&f, segs, 2, 0x2000);
	memcpy(f.data + far, eb_phdrs(&f), 2 * sizeof(Elf64_Phdr));
	memset(eb_phdrs(&f), 0, 2 * sizeof(Elf64_Phdr));
	eb_ehdr(&f)->e_phoff = far;
	obj = map_file(&f, &st);
	ck_assert_uint_eq(obj->phnum, 2);
	ck_assert(!object_contains(obj, (uintptr_t)obj->phdr, 1));
	ck_assert_int_eq(memcmp(obj->phdr, f.data + far, 2 * sizeof(Elf64_Phdr)), 0);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* An ET_DYN whose first segment is not at 0 (and a PT_PHDR naming where
 * the program headers are): the span starts at the first segment. */
START_TEST(map_object_maps_nonzero_first_vaddr)
{
	static const struct eb_segment segs[] = {
		{ PT_PHDR, PF_R, 0x40, 0x10040, 3 * sizeof(Elf64_Phdr),
		  3 * sizeof(Elf64_Phdr), 8 },
		{ PT_LOAD, PF_R, 0, 0x10000, 0x1000, 0x1000, PAGE },
		{ PT_LOAD, PF_R | PF_W, 0x1000, 0x12000, 0x100, 0x100, PAGE },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;

	eb_file_init(&f, segs, 3, 0x1100);
	obj = map_file(&f, &st);
	ck_assert_uint_eq(obj->map_start, obj->base + 0x10000);
	ck_assert_uint_eq(obj->map_end, obj->base + 0x13000);
	ck_assert_uint_eq(obj->map_start % PAGE, 0);
	ck_assert_ptr_eq(obj->phdr, (void *)(obj->base + 0x10040));
	ck_assert_uint_eq(obj->phdr[2].p_vaddr, 0x12000);
	assert_vma(obj->map_start, "r--p", st.st_ino);
	assert_vma(obj->base + 0x12000, "rw-p", st.st_ino);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

/* Files too short for a header, and a directory. */
START_TEST(map_object_rejects_short_files)
{
	static const size_t sizes[] = { 0, 10, sizeof(Elf64_Ehdr) - 1 };
	struct eb_file f;
	int fd;

	good_file(&f);
	f.size = sizes[_i];
	fd = eb_file_open(&f);
	ck_assert_ptr_null(map_object(fd, "t.so"));
	assert_error("t.so: file too short");
	close(fd);
	f.size = GOOD_SIZE;
	eb_file_free(&f);
}
END_TEST

START_TEST(map_object_rejects_directory)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_null(map_object(fd, "/"));
	assert_error("/: cannot read file data: Is a directory");
	close(fd);
}
END_TEST

/* ---- map_protect_relro, map_set_text_writable ---- */

START_TEST(map_protect_relro_makes_pages_read_only)
{
	static const struct eb_segment segs[] = {
		{ PT_LOAD, PF_R | PF_X, 0, 0, 0x1000, 0x1000, PAGE },
		{ PT_LOAD, PF_R | PF_W, 0x1000, 0x1000, 0x2000, 0x3000, PAGE },
		{ PT_GNU_RELRO, PF_R, 0x1000, 0x1000, 0x1800, 0x1800, 1 },
	};
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;

	eb_file_init(&f, segs, 3, 0x3000);
	obj = map_file(&f, &st);
	ck_assert_uint_eq(obj->relro_start, obj->base + 0x1000);
	ck_assert_uint_eq(obj->relro_size, 0x1000);
	assert_vma(obj->base + 0x1000, "rw-p", st.st_ino);
	ck_assert_int_eq(map_protect_relro(obj), 0);
	assert_vma(obj->base + 0x1000, "r--p", st.st_ino);
	/* The partial page after it stays writable. */
	assert_vma(obj->base + 0x2000, "rw-p", st.st_ino);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

START_TEST(map_protect_relro_without_relro)
{
	struct elf_object obj;

	memset(&obj, 0, sizeof(obj));
	ck_assert_int_eq(map_protect_relro(&obj), 0);
}
END_TEST

START_TEST(map_set_text_writable_toggles)
{
	struct elf_object *obj;
	struct eb_file f;
	struct stat st;

	good_file(&f);
	obj = map_file(&f, &st);
	ck_assert_int_eq(map_set_text_writable(obj, true), 0);
	assert_vma(obj->base, "rwxp", st.st_ino);
	assert_vma(obj->base + 0x2000, "rw-p", st.st_ino);
	ck_assert_int_eq(map_set_text_writable(obj, false), 0);
	assert_vma(obj->base, "r-xp", st.st_ino);
	map_unmap(obj);
	object_free(obj);
	eb_file_free(&f);
}
END_TEST

static Suite *
map_suite(void)
{
	Suite *s = suite_create("map");
	TCase *tc;

	tc = tcase_create("map_check_ident");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, map_check_ident_verdicts, 0,
			    sizeof(ident_cases) / sizeof(ident_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("map_validate");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, map_validate_cases, 0, NVALIDATE);
	suite_add_tcase(s, tc);

	tc = tcase_create("map_object");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_loop_test(tc, map_object_validates, 0, NVALIDATE);
	tcase_add_test(tc, map_object_maps_segments_with_permissions);
	tcase_add_loop_test(tc, map_object_zeroes_bss, 0, 2);
	tcase_add_test(tc, map_object_maps_bss_only_segment);
	tcase_add_loop_test(tc, map_object_honours_large_align, 0, 4);
	tcase_add_test(tc, map_object_maps_exec_at_fixed_address);
	tcase_add_test(tc, map_object_exec_address_taken);
	tcase_add_test(tc, map_object_failure_leaves_nothing_mapped);
	tcase_add_test(tc, map_object_reads_far_program_headers);
	tcase_add_test(tc, map_object_maps_nonzero_first_vaddr);
	tcase_add_loop_test(tc, map_object_rejects_short_files, 0, 3);
	tcase_add_test(tc, map_object_rejects_directory);
	suite_add_tcase(s, tc);

	tc = tcase_create("map_protect_relro");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, map_protect_relro_makes_pages_read_only);
	tcase_add_test(tc, map_protect_relro_without_relro);
	suite_add_tcase(s, tc);

	tc = tcase_create("map_set_text_writable");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, map_set_text_writable_toggles);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(map_suite());
}
