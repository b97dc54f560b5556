#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a corpus of broken ELF files derived from a valid one.

Usage: gen-bad-elf.py VALID_ELF OUTDIR
Each output file is VALID_ELF with one thing broken (the file name says
what). A loader must reject every one with a one-line message and exit
status 127: never crash, hang or run it. Nothing here is committed as a
binary: the corpus is generated from the build's own objects.

The .dynamic variants (dyn-*) only break something the input has: give
an input with DT_NEEDED, RELA and JMPREL relocations, DT_GNU_HASH and
DT_INIT_ARRAY (run_core.py's bad_elf scenario builds one), or the variant
comes out identical to the input, which the test driver reports as a
failure rather than skipping it.
"""
import os
import struct
import sys

EHDR = struct.Struct("<16sHHIQQQIHHHHHH")
PHDR = struct.Struct("<IIQQQQQQ")
SHDR = struct.Struct("<IIQQQQIIQQ")
SYM = struct.Struct("<IBBHQQ")
PT_LOAD, PT_DYNAMIC, PT_GNU_RELRO = 1, 2, 0x6474e552
PF_X = 1
SHT_DYNSYM = 11
# Far outside any object, and not canonical in user space either.
FAR = 0x7fff00000000


def dynsym_func_offsets(data):
    """File offsets of the st_value fields of the defined function symbols
    in .dynsym (found through the section headers)."""
    eh = EHDR.unpack_from(data, 0)
    shoff, shentsize, shnum = eh[6], eh[11], eh[12]
    if not shoff or shentsize != SHDR.size or shoff + shnum * SHDR.size > len(data):
        return []
    out = []
    for i in range(shnum):
        sh = SHDR.unpack_from(data, shoff + i * SHDR.size)
        if sh[1] != SHT_DYNSYM:
            continue
        off, size = sh[4], sh[5]
        for k in range(off, off + size - SYM.size + 1, SYM.size):
            name, info, other, shndx, value, sz = SYM.unpack_from(data, k)
            if info & 0xf == 2 and shndx != 0 and value:   # STT_FUNC, defined
                out.append(k + 8)
    return out


def parse(data):
    eh = list(EHDR.unpack_from(data, 0))
    phoff, phnum = eh[5], eh[10]
    phdrs = [list(PHDR.unpack_from(data, phoff + i * PHDR.size))
             for i in range(phnum)]
    return eh, phdrs


def build(data, eh, phdrs):
    """The file with header eh; the program headers stay where they were
    (a variant may point e_phoff elsewhere on purpose)."""
    out = bytearray(data)
    phoff = EHDR.unpack_from(data, 0)[5]
    EHDR.pack_into(out, 0, *eh)
    for i, ph in enumerate(phdrs):
        PHDR.pack_into(out, phoff + i * PHDR.size, *ph)
    return bytes(out)


def loads(phdrs):
    return [p for p in phdrs if p[0] == PT_LOAD]


def variants(data):
    """Yields (name, bytes) for each broken variant."""
    eh, ph = parse(data)

    def with_ident(off, value):
        b = bytearray(data)
        b[off] = value
        return bytes(b)

    def edit(fn):
        e, p = parse(data)
        fn(e, p)
        return build(data, e, p)

    yield "bad-magic", b"\x7fELG" + data[4:]
    yield "class32", with_ident(4, 1)
    yield "big-endian", with_ident(5, 2)
    yield "ident-version", with_ident(6, 0)
    yield "wrong-machine", edit(lambda e, p: e.__setitem__(2, 0x28))
    yield "type-rel", edit(lambda e, p: e.__setitem__(1, 1))
    yield "phentsize", edit(lambda e, p: e.__setitem__(9, 32))
    yield "phoff-past-eof", edit(lambda e, p: e.__setitem__(5, len(data) + 4096))
    yield "phnum-absurd", edit(lambda e, p: e.__setitem__(10, 0xffff))
    yield "phnum-zero", edit(lambda e, p: e.__setitem__(10, 0))

    def first_load(fn):
        def f(e, p):
            fn(loads(p)[0], p)
        return edit(f)

    def last_load(fn):
        def f(e, p):
            fn(loads(p)[-1], p)
        return edit(f)

    yield "load-offset-past-eof", last_load(lambda l, p: l.__setitem__(2, len(data) + 0x10000))
    yield "load-filesz-past-eof", last_load(lambda l, p: l.__setitem__(5, len(data) * 4))
    yield "filesz-gt-memsz", last_load(lambda l, p: l.__setitem__(6, l[5] // 2 if l[5] > 1 else 0) or l.__setitem__(5, max(l[5], 2)))
    yield "offset-vaddr-mismatch", last_load(lambda l, p: l.__setitem__(3, l[3] + 0x10))
    yield "align-not-power-of-two", first_load(lambda l, p: l.__setitem__(7, 0x3000))
    yield "vaddr-overflow", last_load(lambda l, p: (l.__setitem__(3, 0xfffffffffffff000 + (l[2] & 0xfff)), l.__setitem__(4, 0xfffffffffffff000 + (l[2] & 0xfff)), l.__setitem__(6, 0x10000)))

    def overlap(e, p):
        ls = loads(p)
        if len(ls) > 1:
            ls[1][3] = ls[0][3]
            ls[1][4] = ls[0][4]
            ls[1][2] = ls[0][2]
    yield "overlapping-loads", edit(overlap)

    def unsorted(e, p):
        ls = loads(p)
        if len(ls) > 1:
            a, b = ls[0], ls[-1]
            a[:], b[:] = b[:], a[:]
    yield "unsorted-loads", edit(unsorted)

    def relro_past(e, p):
        for x in p:
            if x[0] == PT_GNU_RELRO:
                x[6] = x[5] = 1 << 40
    if any(x[0] == PT_GNU_RELRO for x in ph):
        yield "relro-past-object", edit(relro_past)

    # Entry points a program would be started at (only a program's is
    # used, so these are made only for inputs with an entry point).
    if eh[4]:
        yield "entry-outside", edit(lambda e, p: e.__setitem__(4, FAR))
        data_loads = [x for x in loads(ph) if not x[1] & PF_X]
        if data_loads:
            yield "entry-not-exec", edit(
                lambda e, p: e.__setitem__(4, data_loads[-1][3] + 8))

    # Every defined function's value far outside the object: what binds
    # to one (a lazily bound call, dlsym) must be refused, never jumped to.
    syms = dynsym_func_offsets(data)
    if syms:
        b = bytearray(data)
        for off in syms:
            struct.pack_into("<Q", b, off, FAR)
        yield "sym-value-outside", bytes(b)

    def no_load(e, p):
        for x in p:
            if x[0] == PT_LOAD:
                x[0] = 0x6474e551  # PT_GNU_STACK
    yield "no-load", edit(no_load)

    def dyn_outside(e, p):
        for x in p:
            if x[0] == PT_DYNAMIC:
                x[3] = x[4] = 0x7fff00000000
    yield "dynamic-outside", edit(dyn_outside)

    dyn = [x for x in ph if x[0] == PT_DYNAMIC]
    if dyn:
        start, size = dyn[0][2], dyn[0][5]

        def dyn_edit(fn):
            b = bytearray(data)
            for off in range(start, start + size - 15, 16):
                tag, val = struct.unpack_from("<qQ", b, off)
                new = fn(tag, val)
                if new is not None:
                    struct.pack_into("<qQ", b, off, *new)
                if tag == 0:
                    break
            return bytes(b)

        DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_RELASZ, DT_DEBUG = 0, 1, 5, 10, 8, 21
        DT_SYMTAB, DT_RELA, DT_JMPREL, DT_INIT_ARRAY = 6, 7, 23, 25
        DT_GNU_HASH = 0x6ffffef5
        yield "dyn-strtab-outside", dyn_edit(
            lambda t, v: (t, 0x7fff0000000) if t == DT_STRTAB else None)
        # Addresses the loader reads through (or, for DT_INIT_ARRAY,
        # calls through) pointing far outside the object.
        for tag, what in ((DT_SYMTAB, "symtab"), (DT_GNU_HASH, "gnu-hash"),
                          (DT_RELA, "rela"), (DT_JMPREL, "jmprel"),
                          (DT_INIT_ARRAY, "init-array")):
            yield "dyn-%s-outside" % what, dyn_edit(
                lambda t, v, tag=tag: (t, 0x7fff0000000) if t == tag else None)
        yield "dyn-needed-past-strsz", dyn_edit(
            lambda t, v: (t, 0xffffff) if t == DT_NEEDED else None)
        DT_PLTRELSZ, DT_RELACOUNT = 2, 0x6ffffff9
        # A table size with the table's address 0, and a count of
        # leading RELATIVE relocations larger than the table.
        yield "dyn-jmprel-zero", dyn_edit(
            lambda t, v: (t, 0) if t == DT_JMPREL else None)
        yield "dyn-relacount-huge", dyn_edit(
            lambda t, v: (t, 1 << 20) if t == DT_RELACOUNT else None)
        yield "dyn-relasz-huge", dyn_edit(
            lambda t, v: (t, 1 << 40) if t == DT_RELASZ else None)
        yield "dyn-no-null", dyn_edit(
            lambda t, v: (DT_DEBUG, 0) if t == DT_NULL else None)

    for cut in (10, 63, 64, 100, eh[5] + PHDR.size // 2, len(data) // 3):
        yield "truncated-%d" % cut, data[:cut]
    yield "empty", b""
    yield "garbage", b"this is not an ELF file\n" * 10


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = open(sys.argv[1], "rb").read()
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, blob in variants(data):
        path = os.path.join(sys.argv[2], name)
        with open(path, "wb") as f:
            f.write(blob)
        os.chmod(path, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main())
