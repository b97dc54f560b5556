/* SPDX-License-Identifier: MIT */
/*
 * Validating and mapping ELF files (stage 2 and dlopen). Nothing in a file is
 * trusted before map_validate has checked it; after that, every address the
 * loader computes from the program headers lies inside the span it reserved.
 *
 * Theory of operation. Take a library with two PT_LOADs (page size 4 KiB):
 *
 *   LOAD off 0x0000 vaddr 0x0000 filesz 0x1e00 memsz 0x1e00 R E align 0x1000
 *   LOAD off 0x2df0 vaddr 0x3df0 filesz 0x0230 memsz 0x1300 RW  align 0x1000
 *
 * 1. The span is [trunc(0x0000), round(0x3df0 + 0x1300)) = [0, 0x6000). We
 *    reserve it once with an anonymous PROT_NONE mapping, so the kernel
 *    picks a base where the whole object fits and no other mapping can land
 *    in its holes. If some p_align is larger than a page (64 KiB and 2 MiB
 *    libraries exist), we reserve span + align and trim the excess, so the
 *    base is aligned as the linker assumed.
 * 2. Each PT_LOAD is mapped over the reservation with MAP_FIXED from the
 *    file, from trunc(p_offset), with its own permissions: one VMA each.
 *    p_offset and p_vaddr are congruent modulo the page size (validated),
 *    so file page trunc(0x2df0) = 0x2000 lands at base + 0x3000.
 * 3. .bss: the file mapping of the second segment ends at base + 0x4020
 *    (0x3df0 + 0x230). The rest of that page would show file bytes, so we
 *    zero it by hand; the pages after it, up to round(0x3df0 + 0x1300) =
 *    0x6000, are anonymous zero pages mapped over the reservation.
 * 4. Holes between segments stay PROT_NONE from step 1.
 * After relocation map_protect_relro makes PT_GNU_RELRO read-only.
 */
#include "loader/map.h"

#include <errno.h>
#include <sys/mman.h>

#include "crt/alloc.h"
#include "crt/string.h"
#include "crt/sys.h"
#include "machdep.h"
#include "loader/error.h"
#include "loader/state.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Program headers we accept, at most: a sane file has a dozen. */
#define MAP_MAX_PHNUM 512

static size_t
page_size(void)
{
	return ld_state.page_size ? ld_state.page_size : 4096;
}

/* Records "<path>: <what>" for a rejected header; returns v. */
static enum map_verdict
reject(const char *path, enum map_verdict v, const char *what)
{
	ld_error_at(path, 0, "%s", what);
	return v;
}

enum map_verdict
map_check_ident(const void *head, size_t len, const char *path)
{
	const Elf64_Ehdr *eh = head;
	const unsigned char *id = head;

	if (len < EI_NIDENT)
		return reject(path, MAP_NOT_ELF, "file too short");
	if (memcmp(id, ELFMAG, SELFMAG) != 0)
		return reject(path, MAP_NOT_ELF, "invalid ELF header");
	if (id[EI_CLASS] != ARCH_ELFCLASS)
		return reject(path, MAP_WRONG_CLASS, id[EI_CLASS] == ELFCLASS32 ?
			      "wrong ELF class: ELFCLASS32" :
			      "wrong ELF class: ELFCLASSNONE");
	if (id[EI_DATA] != ELFDATA2LSB)
		return reject(path, MAP_WRONG_CLASS,
			      "ELF file data encoding not little-endian");
	if (len < sizeof(*eh))
		return reject(path, MAP_NOT_ELF, "file too short");
	if (eh->e_machine != ARCH_MACHINE) {
		ld_error_at(path, 0, "ELF file machine %u is not " ARCH_NAME,
			    eh->e_machine);
		return MAP_WRONG_MACHINE;
	}
	if (id[EI_VERSION] != EV_CURRENT)
		return reject(path, MAP_BAD, "ELF file version ident does not "
			      "match current one");
	if (id[EI_OSABI] != ELFOSABI_SYSV && id[EI_OSABI] != ELFOSABI_GNU)
		return reject(path, MAP_BAD, "ELF file OS ABI invalid");
	if (id[EI_ABIVERSION] != 0)
		return reject(path, MAP_BAD, "ELF file ABI version invalid");
	if (eh->e_version != EV_CURRENT)
		return reject(path, MAP_BAD, "ELF file version does not match "
			      "current one");
	if (eh->e_type != ET_DYN && eh->e_type != ET_EXEC)
		return reject(path, MAP_BAD, "only ET_DYN and ET_EXEC can be loaded");
	return MAP_OK;
}

/* Checks one PT_LOAD on its own; a PT_TLS gets the first three checks
 * (its sizes, its bytes in the file, its alignment) and none of the rest. */
static inline const char *
check_segment(const Elf64_Phdr *ph, uint64_t file_size, size_t page)
{
	if (ph->p_filesz > ph->p_memsz)
		return "PT_LOAD has p_filesz larger than p_memsz";
	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return "PT_LOAD extends past the end of the file";
	if (ph->p_align & (ph->p_align - 1))
		return "ELF load command alignment is not a power of two";
	if (ph->p_type != PT_LOAD)
		return NULL;
	if ((ph->p_vaddr - ph->p_offset) & (page - 1))
		return "ELF load command address/offset not page-aligned";
	if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
	    ph->p_vaddr + ph->p_memsz > ARCH_USER_LIMIT)
		return "PT_LOAD address range overflows";
	if (ph->p_align > ((uint64_t)1 << 30))
		return "PT_LOAD alignment is absurdly large";
	return NULL;
}

/* The program header table itself: entry size, count, inside the file. */
static const char *
check_phdr_table(const Elf64_Ehdr *eh, uint64_t file_size)
{
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return "ELF file's phentsize not the expected size";
	if (eh->e_phnum == 0 || eh->e_phnum > MAP_MAX_PHNUM)
		return "ELF file has an absurd number of program headers";
	if (eh->e_phoff > file_size ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > file_size - eh->e_phoff)
		return "program headers extend past the end of the file";
	/* Read in place from an aligned buffer: a misaligned table would
	 * be read with misaligned accesses (undefined behaviour). */
	if (eh->e_phoff % _Alignof(Elf64_Phdr))
		return "ELF file's program headers are misaligned";
	return NULL;
}

int
map_validate(const Elf64_Ehdr *eh, const Elf64_Phdr *phdrs, uint64_t file_size,
	     size_t page, const char *path)
{
	const char *what = NULL;
	uint64_t prev_end = 0;
	size_t i, nload = 0, ndyn = 0, ntls = 0, ninterp = 0;

	if (map_check_ident(eh, sizeof(*eh), path) != MAP_OK)
		return -ENOEXEC;
	if ((what = check_phdr_table(eh, file_size)))
		goto bad;
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		switch (ph->p_type) {
		case PT_LOAD:
			if ((what = check_segment(ph, file_size, page)))
				goto bad;
			if (nload && ph->p_vaddr < prev_end) {
				what = "PT_LOAD segments overlap or are not sorted";
				goto bad;
			}
			prev_end = ph->p_vaddr + ph->p_memsz;
			nload++;
			break;
		case PT_DYNAMIC:
			ndyn++;
			break;
		case PT_TLS:
			ntls++;
			if (check_segment(ph, file_size, page)) {
				what = "malformed PT_TLS segment";
				goto bad;
			}
			break;
		case PT_INTERP:
			ninterp++;
			break;
		}
	}
	if (nload == 0) {
		what = "object file has no loadable segments";
		goto bad;
	}
	if (ndyn > 1 || ntls > 1 || ninterp > 1) {
		what = "more than one PT_DYNAMIC, PT_TLS or PT_INTERP segment";
		goto bad;
	}
	return 0;
bad:
	ld_error_at(path, 0, "%s", what);
	return -ENOEXEC;
}

static int
segment_prot(uint32_t flags)
{
	return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
	       (flags & PF_X ? PROT_EXEC : 0);
}

/* Reserves the span, aligned to align, as PROT_NONE. Returns its start or
 * a failed-mmap value. For ET_EXEC the address is fixed. */
static uintptr_t
reserve_span(uintptr_t want, size_t span, size_t align, bool fixed)
{
	size_t page = page_size();
	void *p;
	uintptr_t start, aligned;

	if (fixed) {
		p = sys_mmap((void *)want, span, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (!crt_mmap_failed(p) && (uintptr_t)p != want) {
			/* Old kernels ignore NOREPLACE: treat as taken. */
			sys_munmap(p, span);
			return (uintptr_t)-EEXIST;
		}
		return (uintptr_t)p;
	}
	if (align <= page)
		return (uintptr_t)sys_mmap(NULL, span, PROT_NONE,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p = sys_mmap(NULL, span + align - page, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (crt_mmap_failed(p))
		return (uintptr_t)p;
	start = (uintptr_t)p;
	aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (aligned > start)
		sys_munmap(p, aligned - start);
	if (aligned + span < start + span + align - page)
		sys_munmap((void *)(aligned + span),
			   start + span + align - page - (aligned + span));
	return aligned;
}

/* Maps one PT_LOAD over the reservation (steps 2 and 3 above). */
static const char *
map_segment(int fd, uintptr_t base, const Elf64_Phdr *ph)
{
	size_t page = page_size();
	uintptr_t start = (base + ph->p_vaddr) & ~(page - 1);
	uintptr_t file_end = base + ph->p_vaddr + ph->p_filesz;
	uintptr_t mem_end = base + ph->p_vaddr + ph->p_memsz;
	uintptr_t zero_page = (file_end + page - 1) & ~(page - 1);
	int prot = segment_prot(ph->p_flags);
	void *p;

	if (ph->p_filesz) {
		p = sys_mmap((void *)start, file_end - start, prot,
			     MAP_PRIVATE | MAP_FIXED, fd,
			     (off_t)(ph->p_offset & ~(uint64_t)(page - 1)));
		if (crt_mmap_failed(p))
			return "failed to map segment from shared object";
	}
	if (ph->p_memsz <= ph->p_filesz)
		return NULL;
	/* Zero the rest of the last file page: it holds file bytes. */
	if (ph->p_filesz && (file_end & (page - 1))) {
		if (!(prot & PROT_WRITE))
			sys_mprotect((void *)(file_end & ~(page - 1)), page,
				     prot | PROT_WRITE);
		memset((void *)file_end, 0, zero_page - file_end);
		if (!(prot & PROT_WRITE))
			sys_mprotect((void *)(file_end & ~(page - 1)), page, prot);
	} else if (!ph->p_filesz) {
		zero_page = start;
	}
	if (mem_end > zero_page) {
		p = sys_mmap((void *)zero_page, mem_end - zero_page, prot,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (crt_mmap_failed(p))
			return "cannot map zero-fill pages";
	}
	return NULL;
}

/* Where the program headers live once mapped, or a heap copy. */
static const Elf64_Phdr *
locate_phdrs(struct elf_object *obj, const Elf64_Ehdr *eh,
	     const Elf64_Phdr *phdrs)
{
	size_t i, len = eh->e_phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *copy;

	/* The headers as read serve object_in_segment meanwhile. */
	obj->phdr = phdrs;
	obj->phnum = eh->e_phnum;
	for (i = 0; i < eh->e_phnum; i++)
		if (phdrs[i].p_type == PT_PHDR &&
		    object_in_segment(obj, obj->base + phdrs[i].p_vaddr, len, 0))
			return (const Elf64_Phdr *)(obj->base + phdrs[i].p_vaddr);
	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type == PT_LOAD && eh->e_phoff >= ph->p_offset &&
		    eh->e_phoff - ph->p_offset + len <= ph->p_filesz)
			return (const Elf64_Phdr *)(obj->base + ph->p_vaddr +
						    (eh->e_phoff - ph->p_offset));
	}
	copy = crt_malloc(len);
	if (copy)
		memcpy(copy, phdrs, len);
	return copy;
}

/* Reads the header and program headers into head (MAP_HEAD_SIZE bytes)
 * or, for files whose program headers lie further in, into *extra. */
static int
read_headers(int fd, const char *path, unsigned char *head, uint64_t size,
	     const Elf64_Phdr **phdrs, void **extra)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;
	long n = sys_pread(fd, head, MAP_HEAD_SIZE, 0);
	const char *what;
	size_t len;

	if (n < 0) {
		ld_error_at(path, (int)n, "cannot read file data");
		return (int)n;
	}
	if (map_check_ident(head, (size_t)n, path) != MAP_OK)
		return -ENOEXEC;
	if ((what = check_phdr_table(eh, size))) {
		ld_error_at(path, 0, "%s", what);
		return -ENOEXEC;
	}
	len = eh->e_phnum * sizeof(Elf64_Phdr);
	if (eh->e_phoff + len <= (size_t)n) {
		*phdrs = (const Elf64_Phdr *)(head + eh->e_phoff);
		return 0;
	}
	*extra = crt_malloc(len);
	if (!*extra) {
		ld_error_at(path, 0, "cannot allocate memory for program header");
		return -ENOMEM;
	}
	if (sys_pread(fd, *extra, len, (off_t)eh->e_phoff) != (long)len) {
		ld_error_at(path, 0, "cannot read file data");
		return -EIO;
	}
	*phdrs = *extra;
	return 0;
}

/* Steps 1-3 of the theory of operation, for validated headers. */
static int
map_segments(struct elf_object *obj, int fd, const Elf64_Ehdr *eh,
	     const Elf64_Phdr *phdrs)
{
	size_t page = page_size(), align = page, i;
	uint64_t lo = UINT64_MAX, hi = 0;
	uintptr_t start;
	const char *what;

	for (i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &phdrs[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_vaddr < lo)
			lo = ph->p_vaddr;
		if (ph->p_vaddr + ph->p_memsz > hi)
			hi = ph->p_vaddr + ph->p_memsz;
		if (ph->p_align > align)
			align = ph->p_align;
	}
	lo &= ~(uint64_t)(page - 1);
	hi = (hi + page - 1) & ~(uint64_t)(page - 1);
	start = reserve_span((uintptr_t)lo, hi - lo, align, eh->e_type == ET_EXEC);
	if (crt_mmap_failed((void *)start)) {
		ld_error_at(obj->path, (int)start, "cannot map the object at %s",
			    eh->e_type == ET_EXEC ? "its fixed address" :
			    "any address");
		return (int)start;
	}
	obj->base = start - lo;
	obj->map_start = start;
	obj->map_end = start + (hi - lo);
	obj->mapped_by_us = true;
	for (i = 0; i < eh->e_phnum; i++) {
		if (phdrs[i].p_type != PT_LOAD)
			continue;
		if ((what = map_segment(fd, obj->base, &phdrs[i]))) {
			ld_error_at(obj->path, 0, "%s", what);
			return -ENOMEM;
		}
	}
	return 0;
}

static struct elf_object *
map_file(int fd, const char *path, bool library)
{
	unsigned char head[MAP_HEAD_SIZE] __attribute__((aligned(8)));
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;
	const Elf64_Phdr *phdrs = NULL;
	struct elf_object *obj = NULL;
	void *extra = NULL;
	struct stat st;
	int err;

	err = sys_fstat(fd, &st);
	if (err < 0) {
		ld_error_at(path, err, "cannot stat shared object");
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		ld_error_at(path, -EISDIR, "cannot read file data");
		goto fail;
	}
	if ((uint64_t)st.st_size < sizeof(Elf64_Ehdr)) {
		ld_error_at(path, 0, "file too short");
		goto fail;
	}
	if (read_headers(fd, path, head, (uint64_t)st.st_size, &phdrs, &extra))
		goto fail;
	if (map_validate(eh, phdrs, (uint64_t)st.st_size, page_size(), path))
		goto fail;
	/* Before anything is mapped: an executable's fixed addresses may be
	 * the running program's own. */
	if (library && eh->e_type != ET_DYN) {
		ld_error_at(path, 0, "cannot dynamically load executable");
		goto fail;
	}
	obj = object_new(path);
	if (!obj) {
		ld_error_at(path, 0, "cannot create shared object descriptor");
		goto fail;
	}
	obj->dev = st.st_dev;
	obj->ino = st.st_ino;
	obj->e_type = eh->e_type;
	if (map_segments(obj, fd, eh, phdrs))
		goto fail;
	obj->phdr = locate_phdrs(obj, eh, phdrs);
	if (!obj->phdr) {
		ld_error_at(path, 0, "cannot allocate memory for program header");
		goto fail;
	}
	if (eh->e_entry)
		obj->entry = obj->base + eh->e_entry;
	object_scan_phdrs(obj);
	if (object_check_layout(obj))
		goto fail;
	if (obj->dynamic && !object_in_segment(obj, (uintptr_t)obj->dynamic,
					       sizeof(Elf64_Dyn), 0)) {
		ld_error_at(path, 0, "PT_DYNAMIC is outside the loaded "
			    "segments");
		goto fail;
	}
	crt_free(extra);
	return obj;
fail:
	if (obj) {
		if (obj->phdr && !object_contains(obj, (uintptr_t)obj->phdr, 1))
			crt_free((void *)obj->phdr);
		map_unmap(obj);
		object_free(obj);
	}
	crt_free(extra);
	return NULL;
}

struct elf_object *
map_object(int fd, const char *path)
{
	return map_file(fd, path, false);
}

struct elf_object *
map_library(int fd, const char *path)
{
	return map_file(fd, path, true);
}

int
map_protect_relro(struct elf_object *obj)
{
	int err;

	if (!obj->relro_size)
		return 0;
	err = sys_mprotect((void *)obj->relro_start, obj->relro_size, PROT_READ);
	if (err < 0)
		ld_error_at(obj->path, err, "cannot apply additional memory "
			    "protection after relocation");
	return err;
}

int
map_set_text_writable(struct elf_object *obj, bool writable)
{
	size_t page = page_size(), i;

	for (i = 0; i < obj->phnum; i++) {
		const Elf64_Phdr *ph = &obj->phdr[i];
		uintptr_t start, end;
		int prot, err;

		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
			continue;
		start = (obj->base + ph->p_vaddr) & ~(page - 1);
		end = (obj->base + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		prot = segment_prot(ph->p_flags) | (writable ? PROT_WRITE : 0);
		err = sys_mprotect((void *)start, end - start, prot);
		if (err < 0) {
			ld_error_at(obj->path, err, "cannot make segment writable "
				    "for relocation");
			return err;
		}
	}
	return 0;
}

void
map_unmap(struct elf_object *obj)
{
	if (obj->mapped_by_us && obj->map_end > obj->map_start)
		sys_munmap((void *)obj->map_start, obj->map_end - obj->map_start);
	obj->mapped_by_us = false;
}
