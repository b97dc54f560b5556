#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ldd's -v, -d, -r and -u modes under myld, compared with glibc's ld.so.

Usage: ldd_modes.py MYLD.SO explicit|interp
ldd runs the loader with LD_TRACE_LOADED_OBJECTS=1 plus LD_VERBOSE (-v),
LD_WARN (-d), LD_WARN + LD_BIND_NOW (-r) or LD_DEBUG=unused (-u). For
system programs and for test programs built here (one with a function and
a data object its library no longer has, one with unused dependencies),
stdout, stderr and the exit status must equal glibc's, addresses masked.
In interp mode a patchelf'ed copy runs with LD_TRACE_LOADED_OBJECTS set.
Catches: a missing mode, a wrong line format, undefined symbols not
reported (or reported for functions under -d), IFUNC resolvers or
initialisers run in list mode (the program would print).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

GLIBC = "/lib64/ld-linux-x86-64.so.2"
MODES = {
    "-v": {"LD_VERBOSE": "yes"},
    "-d": {"LD_WARN": "yes"},
    "-r": {"LD_WARN": "yes", "LD_BIND_NOW": "yes"},
    "-u": {"LD_DEBUG": "unused"},
}


def sh(*cmd, cwd=None):
    subprocess.run(cmd, check=True, cwd=cwd, capture_output=True)


def build(d):
    """Programs whose libraries lost a function and a data object."""
    with open(os.path.join(d, "lib.c"), "w") as f:
        f.write("int gone(void) { return 1; }\nint gone_data = 2;\n")
    with open(os.path.join(d, "libnew.c"), "w") as f:
        f.write("int other(void) { return 3; }\n")
    with open(os.path.join(d, "prog.c"), "w") as f:
        f.write('#include <stdio.h>\nint gone(void); extern int gone_data;\n'
                'int main(int c, char **v) { puts("ran");\n'
                ' return c > 5 ? gone() + gone_data : 0; }\n')
    with open(os.path.join(d, "unused.c"), "w") as f:
        f.write('int main(void) { return 0; }\n')
    sh("gcc", "-shared", "-fPIC", "-o", "libold.so", "lib.c",
       "-Wl,-soname,libold.so", cwd=d)
    sh("gcc", "-o", "prog", "prog.c", "-L.", "-lold", "-Wl,-rpath,$ORIGIN",
       "-Wl,-z,lazy", cwd=d)
    sh("gcc", "-shared", "-fPIC", "-o", "libold.so", "libnew.c",
       "-Wl,-soname,libold.so", cwd=d)
    sh("gcc", "-o", "unused", "unused.c", "-Wl,--no-as-needed", "-lm", "-lz",
       cwd=d)
    return [os.path.join(d, "prog"), os.path.join(d, "unused")]


def run(loader, prog, env_extra, mode, d):
    env = {"PATH": "/usr/bin:/bin", "LD_TRACE_LOADED_OBJECTS": "1"}
    env.update(env_extra)
    copy = None
    if mode == "interp" and loader != GLIBC:
        copy = os.path.join(d, "interp-" + os.path.basename(prog))
        shutil.copy(prog, copy)
        sh("patchelf", "--set-interpreter", loader, copy)
        cmd = [copy]
    else:
        cmd = [loader, prog]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)

    def mask(s):
        # The copy is the program; its PT_INTERP (myld.so) is the loader
        # ldd lists where glibc lists its own.
        if copy:
            s = s.replace(copy, prog).replace(loader, GLIBC)
        return re.sub(r"\(0x[0-9a-f]+\)", "(ADDR)", s)
    return r.returncode, mask(r.stdout), mask(r.stderr)


def main():
    myld, mode = os.path.abspath(sys.argv[1]), sys.argv[2]
    d = tempfile.mkdtemp(prefix="myld-ldd-")
    failures = 0
    progs = ["/bin/ls", "/usr/bin/python3"] + build(d)
    for prog in progs:
        for flag, env in MODES.items():
            want = run(GLIBC, prog, env, "explicit", d)
            got = run(myld, prog, env, mode, d)
            if got != want:
                failures += 1
                print("FAIL: ldd %s %s (%s)\nglibc: %r\nmyld:  %r" %
                      (flag, prog, mode, want, got))
    if "ran" in "".join(run(myld, p, {}, mode, d)[1] for p in progs[2:]):
        failures += 1
        print("FAIL: a program ran in list mode")
    shutil.rmtree(d, ignore_errors=True)
    print("%d passed, %d failed" % (len(progs) * len(MODES) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
