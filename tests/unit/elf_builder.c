/* SPDX-License-Identifier: MIT */
/*
 * ELF images built in memory for the unit tests (see elf_builder.h). The
 * layout of a shared object, all in one RW PT_LOAD with p_vaddr ==
 * p_offset, so the file bytes copied to an anonymous mapping are a valid
 * "mapped" object:
 *
 *   0x0000  ELF header, PT_LOAD + PT_DYNAMIC
 *   0x1000  data area (EB_DATA, spec->data_size zero bytes), GOT[0..2]
 *           .dynsym, .dynstr (adjacent, as linkers put them), .gnu.hash,
 *           .hash, .gnu.version, .gnu.version_d, .gnu.version_r,
 *           .rela.dyn, .rela.plt, .dynamic (last, EB_SPARE_DYN DT_NULLs)
 *
 * This file calls nothing of the loader (the inline glue in the header
 * does), so any test program can link it. Host libc is fine here.
 */
#include "tests/unit/elf_builder.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define EB_PAGE 4096
/* GNU hash parameters (any valid choice would do): two bloom words. */
#define EB_BLOOM_WORDS 2
#define EB_BLOOM_SHIFT 6

uint32_t
eb_hash_sysv(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 0;

	/* gABI "Hash Table", written as the specification prints it. */
	while (*p) {
		uint32_t g;

		h = (h << 4) + *p++;
		if ((g = h & 0xf0000000u) != 0)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

uint32_t
eb_hash_gnu(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	uint32_t h = 5381;

	while (*p)
		h = (h << 5) + h + *p++;
	return h;
}

unsigned char
eb_pattern(uint64_t off)
{
	return (unsigned char)(off % 251 + 1);
}

void
eb_file_init(struct eb_file *f, const struct eb_segment *segs, size_t n,
	     size_t size)
{
	Elf64_Ehdr *eh;
	size_t i;

	ck_assert_uint_ge(size, sizeof(*eh) + n * sizeof(Elf64_Phdr));
	f->data = malloc(size);
	ck_assert_ptr_nonnull(f->data);
	f->size = size;
	for (i = 0; i < size; i++)
		f->data[i] = eb_pattern(i);
	eh = (Elf64_Ehdr *)f->data;
	memset(eh, 0, sizeof(*eh));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_DYN;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (Elf64_Half)n;
	for (i = 0; i < n; i++) {
		Elf64_Phdr *ph = &eb_phdrs(f)[i];

		memset(ph, 0, sizeof(*ph));
		ph->p_type = segs[i].type;
		ph->p_flags = segs[i].flags;
		ph->p_offset = segs[i].offset;
		ph->p_vaddr = ph->p_paddr = segs[i].vaddr;
		ph->p_filesz = segs[i].filesz;
		ph->p_memsz = segs[i].memsz;
		ph->p_align = segs[i].align;
	}
}

void
eb_file_free(struct eb_file *f)
{
	free(f->data);
	f->data = NULL;
	f->size = 0;
}

Elf64_Ehdr *
eb_ehdr(const struct eb_file *f)
{
	return (Elf64_Ehdr *)f->data;
}

Elf64_Phdr *
eb_phdrs(const struct eb_file *f)
{
	return (Elf64_Phdr *)(f->data + sizeof(Elf64_Ehdr));
}

int
eb_file_open(const struct eb_file *f)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/myld-unit-XXXXXX", dir ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, f->data, f->size), (ssize_t)f->size);
	unlink(path);
	return fd;
}

/* ---- The shared-object layout ---- */

/* A growable byte buffer; offsets into it are file offsets and p_vaddrs. */
struct buf {
	unsigned char *p;
	size_t len, cap;
};

static uint64_t
buf_put(struct buf *b, const void *data, size_t len, size_t align)
{
	uint64_t off;

	while (b->len % align)
		b->len++;
	off = b->len;
	if (b->len + len > b->cap) {
		size_t cap = (b->len + len) * 2 + 256;

		b->p = realloc(b->p, cap);
		ck_assert_ptr_nonnull(b->p);
		memset(b->p + b->cap, 0, cap - b->cap);
		b->cap = cap;
	}
	if (data)
		memcpy(b->p + off, data, len);
	b->len += len;
	return off;
}

/* The offset of s in the string table, adding it when new. */
static uint32_t
str_add(struct buf *strs, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i + n < strs->len; i += strlen((char *)strs->p + i) + 1)
		if (strcmp((char *)strs->p + i, s) == 0)
			return (uint32_t)i;
	return (uint32_t)buf_put(strs, s, n + 1, 1);
}

/* A symbol goes into DT_GNU_HASH when it defines something: a definition,
 * or an undefined function with a canonical PLT address. */
static bool
is_hashed(const struct eb_symbol *s)
{
	return s->shndx != SHN_UNDEF || s->value != 0;
}

static size_t
gnu_nbuckets(size_t nhashed)
{
	return nhashed / 2 + 1;
}

/* The symbol order: unhashed first (spec order), then hashed symbols
 * stably sorted by GNU bucket. Writes spec indices to order[]; returns
 * the index (in the table, counting the null symbol) of the first hashed
 * one. */
static size_t
symbol_order(const struct eb_spec *spec, size_t *order)
{
	size_t i, k = 0, nhashed = 0, nb, b, first;

	for (i = 0; i < spec->nsyms; i++)
		if (is_hashed(&spec->syms[i]))
			nhashed++;
		else
			order[k++] = i;
	first = k + 1;
	nb = gnu_nbuckets(nhashed);
	for (b = 0; b < nb; b++)
		for (i = 0; i < spec->nsyms; i++)
			if (is_hashed(&spec->syms[i]) &&
			    eb_hash_gnu(spec->syms[i].name) % nb == b)
				order[k++] = i;
	return first;
}

static uint64_t
put_gnu_hash(struct buf *b, struct eb_image *img, size_t symoffset)
{
	size_t nsyms = img->nnames, nhashed = nsyms - symoffset;
	size_t nb = gnu_nbuckets(nhashed), i;
	size_t words = 4 + 2 * EB_BLOOM_WORDS + nb + nhashed;
	uint32_t *t = calloc(words, 4);
	uint64_t *bloom = (uint64_t *)(t + 4);
	uint32_t *buckets = t + 4 + 2 * EB_BLOOM_WORDS;
	uint32_t *chain = buckets + nb;
	uint64_t off;

	ck_assert_ptr_nonnull(t);
	t[0] = (uint32_t)nb;
	t[1] = (uint32_t)symoffset;
	t[2] = EB_BLOOM_WORDS;
	t[3] = EB_BLOOM_SHIFT;
	for (i = symoffset; i < nsyms; i++) {
		uint32_t h = eb_hash_gnu(img->names[i]);
		size_t bucket = h % nb;

		/* Two bits per name in one 64-bit word (ELFCLASS64). */
		bloom[(h / 64) % EB_BLOOM_WORDS] |=
			(1ull << (h % 64)) | (1ull << ((h >> EB_BLOOM_SHIFT) % 64));
		if (!buckets[bucket])
			buckets[bucket] = (uint32_t)i;
		chain[i - symoffset] = h & ~1u;
		/* The last symbol of a bucket ends its chain. */
		if (i + 1 == nsyms || eb_hash_gnu(img->names[i + 1]) % nb != bucket)
			chain[i - symoffset] |= 1;
	}
	off = buf_put(b, t, words * 4, 8);
	free(t);
	return off;
}

static uint64_t
put_sysv_hash(struct buf *b, const struct eb_image *img)
{
	size_t nsyms = img->nnames, nb = nsyms / 2 + 1, i;
	uint32_t *t = calloc(2 + nb + nsyms, 4);
	uint64_t off;

	ck_assert_ptr_nonnull(t);
	t[0] = (uint32_t)nb;
	t[1] = (uint32_t)nsyms;
	/* Each symbol is pushed on the front of its bucket's chain. */
	for (i = 1; i < nsyms; i++) {
		uint32_t bucket = eb_hash_sysv(img->names[i]) % nb;

		t[2 + nb + i] = t[2 + bucket];
		t[2 + bucket] = (uint32_t)i;
	}
	off = buf_put(b, t, (2 + nb + nsyms) * 4, 8);
	free(t);
	return off;
}

static uint64_t
put_verdefs(struct buf *b, struct buf *strs, const struct eb_spec *spec)
{
	uint64_t first = 0;
	size_t i;

	for (i = 0; i < spec->nverdefs; i++) {
		const struct eb_verdef *d = &spec->verdefs[i];
		Elf64_Verdef vd = {
			.vd_version = VER_DEF_CURRENT, .vd_flags = d->flags,
			.vd_ndx = d->ndx, .vd_cnt = 1,
			.vd_hash = eb_hash_sysv(d->name),
			.vd_aux = sizeof(Elf64_Verdef),
			.vd_next = i + 1 < spec->nverdefs ?
				   sizeof(Elf64_Verdef) + sizeof(Elf64_Verdaux) : 0,
		};
		Elf64_Verdaux va = { .vda_name = str_add(strs, d->name) };
		uint64_t off = buf_put(b, &vd, sizeof(vd), 4);

		buf_put(b, &va, sizeof(va), 4);
		if (i == 0)
			first = off;
	}
	return first;
}

/* Consecutive needs of one file form one Elf64_Verneed. */
static uint64_t
put_verneeds(struct buf *b, struct buf *strs, const struct eb_spec *spec,
	     size_t *nfiles)
{
	uint64_t first = 0;
	size_t i = 0, j, cnt;

	*nfiles = 0;
	while (i < spec->nverneeds) {
		const char *file = spec->verneeds[i].file;
		Elf64_Verneed vn = { .vn_version = VER_NEED_CURRENT };
		uint64_t off;

		for (cnt = 0; i + cnt < spec->nverneeds &&
			      strcmp(spec->verneeds[i + cnt].file, file) == 0; cnt++)
			;
		vn.vn_cnt = (Elf64_Half)cnt;
		vn.vn_file = str_add(strs, file);
		vn.vn_aux = sizeof(vn);
		vn.vn_next = i + cnt < spec->nverneeds ?
			     (Elf64_Word)(sizeof(vn) + cnt * sizeof(Elf64_Vernaux)) : 0;
		off = buf_put(b, &vn, sizeof(vn), 4);
		if (*nfiles == 0)
			first = off;
		for (j = 0; j < cnt; j++) {
			const struct eb_verneed *n = &spec->verneeds[i + j];
			Elf64_Vernaux va = {
				.vna_hash = eb_hash_sysv(n->name),
				.vna_flags = n->flags, .vna_other = n->other,
				.vna_name = str_add(strs, n->name),
				.vna_next = j + 1 < cnt ? sizeof(va) : 0,
			};

			buf_put(b, &va, sizeof(va), 4);
		}
		(*nfiles)++;
		i += cnt;
	}
	return first;
}

static uint64_t
put_relas(struct buf *b, const struct eb_image *img, const struct eb_rela *r,
	  size_t n)
{
	uint64_t first = b->len;
	size_t i;

	for (i = 0; i < n; i++) {
		Elf64_Rela rela = {
			.r_offset = EB_DATA + r[i].offset,
			.r_info = ELF64_R_INFO(r[i].sym ?
					       eb_symbol_index(img, r[i].sym) : 0,
					       r[i].type),
			.r_addend = r[i].addend,
		};
		uint64_t off = buf_put(b, &rela, sizeof(rela), 8);

		if (i == 0)
			first = off;
	}
	return first;
}

/* Symbols in table order; fills img->names. Returns the .dynsym offset. */
static uint64_t
put_symbols(struct buf *b, struct buf *strs, struct eb_image *img,
	    const struct eb_spec *spec, const size_t *order)
{
	Elf64_Sym null = { 0 };
	uint64_t off = buf_put(b, &null, sizeof(null), 8);
	size_t i;

	img->nnames = spec->nsyms + 1;
	img->names = calloc(img->nnames, sizeof(*img->names));
	ck_assert_ptr_nonnull(img->names);
	img->names[0] = "";
	for (i = 0; i < spec->nsyms; i++) {
		const struct eb_symbol *s = &spec->syms[order[i]];
		Elf64_Sym sym = {
			.st_name = str_add(strs, s->name),
			.st_info = ELF64_ST_INFO(s->bind, s->type),
			.st_other = s->other, .st_shndx = s->shndx,
			.st_value = s->value, .st_size = s->size,
		};

		img->names[i + 1] = s->name;
		buf_put(b, &sym, sizeof(sym), 8);
	}
	return off;
}

static void
put_versym(struct buf *b, struct eb_image *img, const struct eb_spec *spec,
	   const size_t *order)
{
	size_t i;

	img->versym = buf_put(b, NULL, 2 * img->nnames, 8);
	for (i = 0; i < spec->nsyms; i++) {
		uint16_t v = spec->syms[order[i]].versym;

		v = v ? v : VER_NDX_GLOBAL;
		memcpy(b->p + img->versym + 2 * (i + 1), &v, 2);
	}
}

/* The string table needs every name before .dynsym is written, and
 * .dynstr must follow .dynsym: collect the strings first. */
static void
collect_strings(struct buf *strs, const struct eb_spec *spec)
{
	size_t i;

	buf_put(strs, "", 1, 1);
	for (i = 0; i < spec->nsyms; i++)
		str_add(strs, spec->syms[i].name);
	for (i = 0; i < spec->nneeded; i++)
		str_add(strs, spec->needed[i]);
	if (spec->soname)
		str_add(strs, spec->soname);
	for (i = 0; i < spec->nverdefs; i++)
		str_add(strs, spec->verdefs[i].name);
	for (i = 0; i < spec->nverneeds; i++) {
		str_add(strs, spec->verneeds[i].file);
		str_add(strs, spec->verneeds[i].name);
	}
}

struct dyn_list {
	Elf64_Dyn d[64];
	size_t n;
};

static void
dyn(struct dyn_list *l, int64_t tag, uint64_t val)
{
	ck_assert_uint_lt(l->n, 64);
	l->d[l->n].d_tag = tag;
	l->d[l->n].d_un.d_val = val;
	l->n++;
}

/* Everything after the headers and the data area. */
static void
lay_out_tables(struct buf *b, struct eb_image *img, const struct eb_spec *spec,
	       struct dyn_list *dl)
{
	unsigned hash = spec->hash ? spec->hash : EB_HASH_GNU;
	size_t *order = calloc(spec->nsyms + 1, sizeof(*order));
	struct buf strs = { 0 }, vbuf = { 0 };
	size_t i, symoffset, nverneed_files = 0;
	uint64_t verdef = 0, verneed = 0;

	ck_assert_ptr_nonnull(order);
	collect_strings(&strs, spec);
	symoffset = symbol_order(spec, order);
	img->dynsym = put_symbols(b, &strs, img, spec, order);
	/* Every string is in strs already: str_add only finds offsets. */
	for (i = 0; i < spec->nneeded; i++)
		dyn(dl, DT_NEEDED, str_add(&strs, spec->needed[i]));
	if (spec->soname)
		dyn(dl, DT_SONAME, str_add(&strs, spec->soname));
	/* The version records are built aside: .dynstr must come right
	 * after .dynsym. */
	verdef = put_verdefs(&vbuf, &strs, spec);
	verneed = put_verneeds(&vbuf, &strs, spec, &nverneed_files);
	img->dynstr = buf_put(b, strs.p, strs.len, 1);
	if (vbuf.len) {
		uint64_t at = buf_put(b, vbuf.p, vbuf.len, 8);

		img->verdef = spec->nverdefs ? at + verdef : 0;
		img->verneed = spec->nverneeds ? at + verneed : 0;
	}
	free(vbuf.p);
	if (hash & EB_HASH_GNU)
		img->gnu_hash = put_gnu_hash(b, img, symoffset);
	if (hash & EB_HASH_SYSV)
		img->sysv_hash = put_sysv_hash(b, img);
	if (spec->versym || spec->nverdefs || spec->nverneeds)
		put_versym(b, img, spec, order);
	if (spec->nrelas)
		img->rela = put_relas(b, img, spec->relas, spec->nrelas);
	if (spec->nplt_relas)
		img->jmprel = put_relas(b, img, spec->plt_relas, spec->nplt_relas);

	dyn(dl, DT_STRTAB, img->dynstr);
	dyn(dl, DT_STRSZ, strs.len);
	dyn(dl, DT_SYMTAB, img->dynsym);
	dyn(dl, DT_SYMENT, sizeof(Elf64_Sym));
	if (img->gnu_hash)
		dyn(dl, DT_GNU_HASH, img->gnu_hash);
	if (img->sysv_hash)
		dyn(dl, DT_HASH, img->sysv_hash);
	if (img->versym)
		dyn(dl, DT_VERSYM, img->versym);
	if (spec->nverdefs) {
		dyn(dl, DT_VERDEF, img->verdef);
		dyn(dl, DT_VERDEFNUM, spec->nverdefs);
	}
	if (spec->nverneeds) {
		dyn(dl, DT_VERNEED, img->verneed);
		dyn(dl, DT_VERNEEDNUM, nverneed_files);
	}
	if (spec->nrelas) {
		dyn(dl, DT_RELA, img->rela);
		dyn(dl, DT_RELASZ, spec->nrelas * sizeof(Elf64_Rela));
		dyn(dl, DT_RELAENT, sizeof(Elf64_Rela));
	}
	if (spec->nplt_relas) {
		dyn(dl, DT_PLTGOT, img->got);
		dyn(dl, DT_JMPREL, img->jmprel);
		dyn(dl, DT_PLTRELSZ, spec->nplt_relas * sizeof(Elf64_Rela));
		dyn(dl, DT_PLTREL, DT_RELA);
	}
	free(strs.p);
	free(order);
}

/* The two program headers: everything in one RW PT_LOAD, and .dynamic. */
static void
put_headers(struct eb_image *img)
{
	struct eb_segment segs[] = {
		{ PT_LOAD, PF_R | PF_W, 0, 0, img->file.size, img->file.size,
		  EB_PAGE },
		{ PT_DYNAMIC, PF_R | PF_W, img->dynamic, img->dynamic,
		  (img->ndyn + EB_SPARE_DYN) * sizeof(Elf64_Dyn),
		  (img->ndyn + EB_SPARE_DYN) * sizeof(Elf64_Dyn), 8 },
	};
	size_t len = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
	struct eb_file hdr;

	eb_file_init(&hdr, segs, 2, len);
	memcpy(img->file.data, hdr.data, len);
	eb_file_free(&hdr);
}

void
eb_image_map(struct eb_image *img, const struct eb_spec *spec,
	     struct elf_object *obj)
{
	struct buf b = { 0 };
	struct dyn_list dl = { .n = 0 };
	size_t i;

	memset(img, 0, sizeof(*img));
	buf_put(&b, NULL, EB_DATA, 1);
	buf_put(&b, NULL, spec->data_size, 8);
	if (spec->nplt_relas)
		img->got = buf_put(&b, NULL, 3 * sizeof(uint64_t), 8);
	lay_out_tables(&b, img, spec, &dl);
	img->ndyn = dl.n;
	img->dyn_cap = dl.n + EB_SPARE_DYN;
	for (i = 0; i < EB_SPARE_DYN; i++)
		dyn(&dl, DT_NULL, 0);
	img->dynamic = buf_put(&b, dl.d, dl.n * sizeof(Elf64_Dyn), 8);
	img->file.data = b.p;
	img->file.size = b.len;
	put_headers(img);

	img->size = (b.len + EB_PAGE - 1) & ~(size_t)(EB_PAGE - 1);
	img->mem = mmap(NULL, img->size + EB_PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(img->mem, MAP_FAILED);
	memcpy(img->mem, b.p, b.len);
	/* A read past the span faults instead of passing unnoticed. */
	ck_assert_int_eq(mprotect(img->mem + img->size, EB_PAGE, PROT_NONE), 0);

	ck_assert_ptr_nonnull(obj);
	obj->base = (uintptr_t)img->mem;
	obj->map_start = (uintptr_t)img->mem;
	obj->map_end = (uintptr_t)img->mem + img->size;
	obj->phdr = (const Elf64_Phdr *)(img->mem + sizeof(Elf64_Ehdr));
	obj->phnum = 2;
	obj->dynamic = (Elf64_Dyn *)(img->mem + img->dynamic);
	obj->e_type = ET_DYN;
	img->obj = obj;
}

void
eb_image_unmap(struct eb_image *img)
{
	if (img->mem)
		munmap(img->mem, img->size + EB_PAGE);
	free(img->names);
	eb_file_free(&img->file);
	memset(img, 0, sizeof(*img));
}

size_t
eb_symbol_index(const struct eb_image *img, const char *name)
{
	size_t i;

	for (i = 1; i < img->nnames; i++)
		if (strcmp(img->names[i], name) == 0)
			return i;
	ck_abort_msg("no symbol %s in the image", name);
	return 0;
}

Elf64_Dyn *
eb_dyn_find(const struct eb_image *img, int64_t tag)
{
	Elf64_Dyn *d = eb_at(img, img->dynamic);
	size_t i;

	for (i = 0; i < img->ndyn; i++)
		if (d[i].d_tag == tag)
			return &d[i];
	return NULL;
}

void
eb_dyn_add(struct eb_image *img, int64_t tag, uint64_t value)
{
	Elf64_Dyn *d = eb_at(img, img->dynamic);

	/* Keep at least one DT_NULL. */
	ck_assert_uint_lt(img->ndyn + 1, img->dyn_cap);
	d[img->ndyn].d_tag = tag;
	d[img->ndyn].d_un.d_val = value;
	img->ndyn++;
}

void *
eb_at(const struct eb_image *img, uint64_t vaddr)
{
	return img->mem + vaddr;
}
