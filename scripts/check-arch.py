#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-arch.py SRCDIR: generic code names no architecture.

Every architecture fact lives under loader/arch/ARCH/ or crt/arch/ARCH/
and is reached through the include path ("machdep.h", "syscall_arch.h").
This check fails when a C file or header outside those folders includes a
path under an arch folder, or uses, in code (comments are ignored), a
name or string only one architecture has: x86-64 relocation types, the
machine number, the multiarch directory, CPUID/XGETBV, x86 builtins or
registers. Files still waiting to move are listed in PENDING, each with
the reason; the list may only shrink: an entry that no longer needs to be
there is an error too.
"""
import os
import re
import sys

PATTERNS = [
    (r'#\s*include\s*"(loader|crt)/arch/', "includes an arch folder by path"),
    (r'\bR_X86_64_\w+', "an x86-64 relocation type"),
    (r'\bEM_X86_64\b', "the x86-64 machine number"),
    (r'__x86_64__', "the x86-64 predefined macro"),
    (r'x86_64-linux-gnu', "the x86-64 multiarch directory"),
    (r'\b(__cpuid\w*|cpuid|xgetbv)\b', "CPUID/XGETBV"),
    (r'__builtin_ia32_\w+', "an x86 builtin"),
    (r'"%?(rax|rbx|rcx|rdx|rdi|rsi|r8|r9|r10|r11|fs|gs)"', "an x86 register"),
    (r'\bSYS_(open|stat|lstat|access|readlink|unlink|mkdir|rename|pipe|dup2|'
     r'fork|poll|getdents)\b',
     "a system call newer architectures lack (use its *at or newer form)"),
]

# Files still waiting to move under an arch folder, with the reason.
PENDING = {
}


def code_only(text):
    """text without comments (C and C++), keeping string literals."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text[i] in "\"'":
            q, j = text[i], i + 1
            while j < n and text[j] != q:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def main():
    src = sys.argv[1]
    problems, pending_used = [], set()
    for top in ("loader", "crt"):
        for root, dirs, files in os.walk(os.path.join(src, top)):
            rel_root = os.path.relpath(root, src)
            if rel_root.split(os.sep)[1:2] == ["arch"]:
                dirs[:] = []
                continue
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                rel = os.path.join(rel_root, f)
                code = code_only(open(os.path.join(root, f)).read())
                hits = [why for pat, why in PATTERNS if re.search(pat, code)]
                if hits and rel in PENDING:
                    pending_used.add(rel)
                elif hits:
                    problems.append("%s: %s" % (rel, "; ".join(sorted(set(hits)))))
    for rel in sorted(set(PENDING) - pending_used):
        problems.append("%s: listed as pending but names no architecture: "
                        "drop it from PENDING" % rel)
    for p in problems:
        print("check-arch: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
