#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora of the libFuzzer harnesses (tests/fuzz) into
OUTDIR/<harness>/, generated from this system rather than committed:

  elf, symbols  compact images of the system's small shared libraries
                (/usr/lib/x86_64-linux-gnu/*.so*): their .dynsym, .dynstr,
                GNU and SysV hash tables and version tables copied into one
                image laid out with p_vaddr == p_offset and a new .dynamic
                pointing at them; for elf with an ELF header and program
                headers in front, for symbols with the 4-byte offset of
                .dynamic in front (the harnesses' input formats);
  cache         /etc/ld.so.cache and small caches in the three layouts;
  env, search   strings for those harnesses' formats.

Usage: gen-fuzz-corpus.py OUTDIR [MAX_LIBS]
"""
import glob
import hashlib
import os
import struct
import sys

LIBDIR = "/usr/lib/x86_64-linux-gnu"
MAX_IMAGE = 48 * 1024          # larger images slow every execution

SHT_HASH, SHT_DYNAMIC, SHT_DYNSYM = 5, 6, 11
SHT_GNU_HASH, SHT_VERDEF, SHT_VERNEED, SHT_VERSYM = (
    0x6ffffff6, 0x6ffffffd, 0x6ffffffe, 0x6fffffff)
DT_NULL, DT_NEEDED, DT_HASH, DT_STRTAB, DT_SYMTAB = 0, 1, 4, 5, 6
DT_STRSZ, DT_SYMENT, DT_SONAME, DT_RPATH, DT_RUNPATH = 10, 11, 14, 15, 29
DT_FLAGS, DT_FLAGS_1 = 30, 0x6ffffffb
DT_GNU_HASH, DT_VERSYM = 0x6ffffef5, 0x6ffffff0
DT_VERDEF, DT_VERDEFNUM = 0x6ffffffc, 0x6ffffffd
DT_VERNEED, DT_VERNEEDNUM = 0x6ffffffe, 0x6fffffff
# Entries copied from the library's own .dynamic (values unchanged: they
# are string offsets, counts or flags, not addresses).
KEEP = {DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH, DT_FLAGS, DT_FLAGS_1,
        DT_VERDEFNUM, DT_VERNEEDNUM}
PT_LOAD, PT_DYNAMIC, PT_GNU_STACK = 1, 2, 0x6474e551


def sections(data):
    """The section headers of an ELF64 little-endian file, or []."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    if shoff == 0 or shentsize != 64 or shoff + shnum * 64 > len(data):
        return []
    out = []
    for i in range(shnum):
        (name, typ, flags, addr, off, size, link, info, align,
         entsize) = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * 64)
        out.append(dict(type=typ, off=off, size=size, link=link))
    return out


def compact(data, prefix_size):
    """(tables, dynamic entries) laid out after prefix_size bytes, or None."""
    secs = sections(data)
    by_type = {}
    for s in secs:
        by_type.setdefault(s["type"], s)
    if SHT_DYNSYM not in by_type or SHT_DYNAMIC not in by_type:
        return None
    dynsym = by_type[SHT_DYNSYM]
    dynstr = secs[dynsym["link"]]
    parts = [(DT_SYMTAB, dynsym), (DT_STRTAB, dynstr)]
    for typ, tag in ((SHT_GNU_HASH, DT_GNU_HASH), (SHT_HASH, DT_HASH),
                     (SHT_VERSYM, DT_VERSYM), (SHT_VERDEF, DT_VERDEF),
                     (SHT_VERNEED, DT_VERNEED)):
        if typ in by_type:
            parts.append((tag, by_type[typ]))
    body = bytearray(prefix_size)
    dyn = []
    for tag, s in parts:
        body += b"\0" * (-len(body) % 8)
        dyn.append((tag, len(body)))
        body += data[s["off"]:s["off"] + s["size"]]
    dyn.append((DT_STRSZ, dynstr["size"]))
    dyn.append((DT_SYMENT, 24))
    d = by_type[SHT_DYNAMIC]
    for i in range(d["size"] // 16):
        tag, val = struct.unpack_from("<qQ", data, d["off"] + i * 16)
        if tag == DT_NULL:
            break
        if tag in KEEP:
            dyn.append((tag, val))
    dyn.append((DT_NULL, 0))
    body += b"\0" * (-len(body) % 8)
    dyn_off = len(body)
    for tag, val in dyn:
        body += struct.pack("<qQ", tag, val)
    return body, dyn_off, len(dyn) * 16


def elf_image(data):
    nph = 3
    hdr = 64 + nph * 56
    c = compact(data, hdr)
    if not c:
        return None
    body, dyn_off, dyn_size = c
    size = len(body)
    eh = struct.pack("<4sBBBBB7sHHIQQQIHHHHHH", b"\x7fELF", 2, 1, 1, 0, 0,
                     b"\0" * 7, 3, 62, 1, 0, 64, 0, 0, 64, 56, nph, 64, 0, 0)
    ph = struct.pack("<IIQQQQQQ", PT_LOAD, 5, 0, 0, 0, size, size, 0x1000)
    ph += struct.pack("<IIQQQQQQ", PT_DYNAMIC, 6, dyn_off, dyn_off, dyn_off,
                      dyn_size, dyn_size, 8)
    ph += struct.pack("<IIQQQQQQ", PT_GNU_STACK, 6, 0, 0, 0, 0, 0, 16)
    body[0:hdr] = eh + ph
    return bytes(body)


def symbols_image(data):
    c = compact(data, 8)
    if not c:
        return None
    body, dyn_off, _ = c
    body[0:4] = struct.pack("<I", dyn_off)
    return bytes(body)


def write(outdir, harness, blob, name=None):
    d = os.path.join(outdir, harness)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(blob).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(blob)


def new_cache(entries, base=0):
    """A current-format table; string offsets are from its own header."""
    n = len(entries)
    strings = bytearray()
    offs = []
    for name, path in entries:
        k = 48 + n * 24 + len(strings)
        strings += name.encode() + b"\0"
        v = 48 + n * 24 + len(strings)
        strings += path.encode() + b"\0"
        offs.append((k, v))
    out = bytearray(b"glibc-ld.so.cache1.1")
    out += struct.pack("<IIB3xI12x", n, len(strings), 2, 0)
    for k, v in offs:
        out += struct.pack("<iIIIQ", 0x0303, k, v, 0, 0)
    return bytes(out + strings)


def old_cache(entries):
    n = len(entries)
    strings = bytearray()
    table = bytearray()
    for name, path in entries:
        k = len(strings)
        strings += name.encode() + b"\0"
        v = len(strings)
        strings += path.encode() + b"\0"
        table += struct.pack("<iII", 0x0303, k, v)
    return bytes(b"ld.so-1.7.0\0" + struct.pack("<I", n) + table), bytes(strings)


def caches(outdir):
    if os.path.exists("/etc/ld.so.cache"):
        with open("/etc/ld.so.cache", "rb") as f:
            write(outdir, "cache", f.read(), "system-ld.so.cache")
    entries = sorted([("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1"),
                      ("libm.so.6", "/lib/x86_64-linux-gnu/libm.so.6"),
                      ("libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6"),
                      ("libc.so.10", "/opt/libc.so.10")], reverse=True)
    write(outdir, "cache", new_cache(entries), "new")
    table, strings = old_cache(entries)
    write(outdir, "cache", table + strings, "old")
    pad = b"\0" * (-len(table) % 8)
    write(outdir, "cache", table + pad + new_cache(entries), "compat")


def strings(outdir):
    env = [
        [b"LD_LIBRARY_PATH=/opt/lib:$ORIGIN/../lib::/usr/lib/",
         b"LD_PRELOAD=libfake.so /tmp/libhook.so:libz.so.1",
         b"LD_DEBUG=libs,bindings:files all", b"LD_BIND_NOW=1",
         b"GLIBC_TUNABLES=glibc.malloc.check=3:glibc.cpu.hwcaps=-AVX2",
         b"--library-path", b"/opt", b"--preload", b"a.so b.so", b"--",
         b"./prog", b"arg"],
        [b"LD_DEBUG=help", b"--inhibit-cache", b"--argv0", b"sh", b"--list",
         b"/bin/ls"],
        [b"LD_DEBUG=unknown,,statistics", b"LD_SHOW_AUXV=1", b"TMPDIR=/tmp",
         b"--audit", b"x.so", b"--verify", b"prog"],
    ]
    for i, words in enumerate(env):
        write(outdir, "env", bytes([i & 1]) + b"\0".join(words), "env%d" % i)
    search = [
        (0x7e, [b"/opt/app/bin", b"$ORIGIN/../lib:${ORIGIN}/x:/usr/$LIB",
                b"$PLATFORM/lib:/opt", b"/a::/b/:$ORIGINAL", b"prog:libfuzz.so",
                b"$ORIGIN", b"${LIB}/${PLATFORM}/$ORIGIN.d/$", b"rel/path/x"]),
        (0x81, [b"", b"$ORIGIN", b"", b"::", b"", b"/usr/lib//", b"${ORIGIN",
                b"/"]),
    ]
    for i, (flags, words) in enumerate(search):
        write(outdir, "search", bytes([flags]) + b"\0".join(words),
              "search%d" % i)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    max_libs = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    done = set()
    images = []
    for path in sorted(glob.glob(os.path.join(LIBDIR, "*.so*"))):
        real = os.path.realpath(path)
        if real in done or not os.path.isfile(real):
            continue
        done.add(real)
        try:
            with open(real, "rb") as f:
                data = f.read()
            elf, sym = elf_image(data), symbols_image(data)
        except (OSError, struct.error, IndexError):
            continue
        if elf and sym and len(elf) <= MAX_IMAGE:
            images.append((len(elf), elf, sym))
    # The smallest ones, and a spread of larger ones, up to max_libs.
    images.sort(key=lambda t: t[0])
    step = max(1, len(images) // max_libs)
    for _, elf, sym in images[::step][:max_libs]:
        write(outdir, "elf", elf)
        write(outdir, "symbols", sym)
    caches(outdir)
    strings(outdir)


if __name__ == "__main__":
    main()
