#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The core loader's integration scenarios (issue #2), libc-free programs.

Usage: run_core.py --myld MYLD.SO --mode explicit|interp --scenario NAME
                   [--src DIR] [--work DIR]

Each scenario compiles its program and libraries (tests/integration/core/
*.c, with the rt runtime) with gcc into a fresh directory, twice: a normal
program (PT_INTERP = the system loader) and a "-interp" copy whose
PT_INTERP is MYLD.SO. In mode explicit, programs run as `myld.so prog`; in
mode interp, the -interp copy runs directly. Programs get T_EXPECT_LOADER,
so each one checks /proc/self/maps and fails unless myld.so is mapped:
the test proves which loader ran it. Where glibc's ld.so must behave the
same, the normal program is also run under the system loader and stdout
and the exit status must be equal. Exit status 0 = pass, 1 = fail.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
CFLAGS = ["-O1", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
          "-fno-builtin", "-fno-asynchronous-unwind-tables"]
SYSTEM_LOADER = "ld-linux-x86-64.so.2"


class Failure(Exception):
    pass


class Run:
    def __init__(self, args):
        self.myld = os.path.abspath(args.myld)
        self.mode = args.mode
        self.src = args.src
        self.dir = tempfile.mkdtemp(prefix="myld-core-", dir=args.work)
        self.rt = None

    # Building ---------------------------------------------------------
    def sh(self, cmd, **kw):
        r = subprocess.run(cmd, capture_output=True, text=True, **kw)
        if r.returncode != 0:
            raise Failure("build failed: %s\n%s" % (" ".join(cmd), r.stderr))

    def rt_object(self):
        if not self.rt:
            self.rt = os.path.join(self.dir, "rt.o")
            self.sh(["gcc", *CFLAGS, "-fPIC", "-fvisibility=hidden", "-c",
                     os.path.join(self.src, "rt.c"), "-o", self.rt])
        return self.rt

    def path(self, *parts):
        p = os.path.join(self.dir, *parts)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def dso(self, out, sources, flags=(), libs=(), soname=None, runpath=True):
        """Builds a shared library at out (relative to the work dir), with
        DT_RUNPATH $ORIGIN unless runpath is false."""
        out = self.path(out)
        cmd = ["gcc", *CFLAGS, "-I", self.src, "-shared",
               "-Wl,-soname," + (soname or os.path.basename(out))]
        if runpath:
            cmd.append("-Wl,-rpath,$ORIGIN")
        cmd += list(flags) + [os.path.join(self.src, s) for s in sources]
        cmd += [self.rt_object(), "-L", self.dir] + list(libs) + ["-o", out]
        if "-fno-pic" not in flags:
            cmd.insert(1, "-fPIC")
        self.sh(cmd)
        return out

    def prog(self, out, sources, libs=(), flags=(), pie=True, libdirs=()):
        """Builds out and out-interp; returns the path of out."""
        out = self.path(out)
        base = ["gcc", *CFLAGS, "-I", self.src]
        base += ["-fPIE", "-pie"] if pie else ["-fno-pie", "-no-pie"]
        base += [os.path.join(self.src, s) for s in sources]
        base += [self.rt_object(), os.path.join(self.src, "rt_start.c")]
        base += ["-L", self.dir] + ["-L" + d for d in libdirs] + list(libs)
        base += list(flags)
        self.sh(base + ["-o", out])
        self.sh(base + ["-Wl,--dynamic-linker=" + self.myld, "-o", out + "-interp"])
        return out

    # Running ----------------------------------------------------------
    def execute(self, cmd, env_extra, expect_loader, cwd=None):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("LD_") and k != "T_EXPECT_LOADER"}
        env.update(env_extra or {})
        if expect_loader:
            env["T_EXPECT_LOADER"] = expect_loader
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, env=env,
                               timeout=60, cwd=cwd or self.dir)
        except subprocess.TimeoutExpired:
            raise Failure("timed out: %s" % " ".join(cmd))
        if r.returncode < 0:
            raise Failure("killed by signal %d: %s\n%s" %
                          (-r.returncode, " ".join(cmd), r.stderr))
        return r

    def run(self, prog, args=(), env=None, cwd=None):
        """Runs prog under myld in the current mode."""
        if self.mode == "explicit":
            cmd = [self.myld, prog] + list(args)
        else:
            cmd = [prog + "-interp"] + list(args)
        return self.execute(cmd, env, "myld.so", cwd)

    def run_system(self, prog, args=(), env=None, cwd=None):
        env = dict(env or {}, T_NO_FINI="1")
        return self.execute([prog] + list(args), env, SYSTEM_LOADER, cwd)

    def expect_ok(self, prog, args=(), env=None, stdout=None, compare=True,
                  cwd=None):
        """Runs under myld: exit 0, optional exact stdout, and the same
        stdout and status as the system loader when compare is set."""
        r = self.run(prog, args, env, cwd)
        if r.returncode != 0:
            raise Failure("%s exited %d\nstdout:\n%s\nstderr:\n%s" %
                          (prog, r.returncode, r.stdout, r.stderr))
        if stdout is not None and r.stdout != stdout:
            raise Failure("stdout of %s:\n%s\nexpected:\n%s" %
                          (prog, r.stdout, stdout))
        if compare:
            s = self.run_system(prog, args, env, cwd)
            same = r.stdout.startswith(s.stdout) if compare == "prefix" \
                else r.stdout == s.stdout
            if s.returncode != r.returncode or not same:
                raise Failure("differs from the system loader for %s:\n"
                              "myld (%d):\n%s\nsystem (%d):\n%s" %
                              (prog, r.returncode, r.stdout, s.returncode,
                               s.stdout))
        return r

    def expect_fail(self, prog, patterns, args=(), env=None, lines=None,
                    cwd=None):
        """Runs under myld: exit 127 and each regex in patterns found in
        stderr (one line each, or `lines` lines in all)."""
        r = self.run(prog, args, env, cwd)
        err = r.stderr
        if r.returncode != 127:
            raise Failure("%s: expected exit 127, got %d\nstderr:\n%s" %
                          (prog, r.returncode, err))
        for pat in patterns:
            if not re.search(pat, err, re.M):
                raise Failure("%s: stderr lacks /%s/:\n%s" % (prog, pat, err))
        n = len(err.splitlines())
        if n != (lines if lines is not None else len(patterns)):
            raise Failure("%s: expected %s line(s) on stderr, got %d:\n%s" %
                          (prog, lines or len(patterns), n, err))
        return r

    def name(self, prog):
        """How the loader names prog in messages (its argv[0])."""
        return prog if self.mode == "explicit" else prog + "-interp"


# The scenarios ------------------------------------------------------------

def chain(t, pie=True):
    t.dso("libchainc.so", ["chain_dso_c.c"])
    t.dso("libchainb.so", ["chain_dso_b.c"], libs=["-lchainc"])
    t.dso("libchaina.so", ["chain_dso_a.c"], libs=["-lchainb"])
    p = t.prog("chain", ["chain.c"], ["-lchaina"], pie=pie,
               flags=["-Wl,-rpath-link," + t.dir, "-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="init c\ninit b\ninit a\nchain: 1111\n")


def diamond(t):
    t.dso("libdiamondc.so", ["diamond_dso_c.c"])
    t.dso("libdiamonda.so", ["diamond_dso_a.c"], libs=["-ldiamondc"])
    t.dso("libdiamondb.so", ["diamond_dso_b.c"], libs=["-ldiamondc"])
    p = t.prog("diamond", ["diamond.c"], ["-ldiamonda", "-ldiamondb", "-ldiamondc"],
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p)


def versions(t):
    v = "-Wl,--version-script=" + os.path.join(t.src, "versions_%s.map")
    t.dso("old/libfoo.so", ["versions_dso_v1.c"], flags=[v % "v1"])
    old = t.prog("prog_old", ["versions.c"], ["-lfoo"], libdirs=[t.path("old")],
                 flags=["-Wl,-rpath,$ORIGIN/lib"])
    t.dso("lib/libfoo.so", ["versions_dso_v2.c"], flags=[v % "v2"])
    new = t.prog("prog_new", ["versions.c"], ["-lfoo"], libdirs=[t.path("lib")],
                 flags=["-Wl,-rpath,$ORIGIN/lib"])
    t.expect_ok(old, stdout="foo() = 1\n")
    t.expect_ok(new, ["new"], stdout="foo() = 2\n")
    # A library that lacks the version the program needs.
    t.dso("lib/libfoo.so", ["versions_dso_v1.c"], flags=[v % "v0"])
    t.expect_fail(new, [r"^%s: %s: version `V2' not found \(required by %s\)$" %
                        (re.escape(t.name(new)), re.escape(t.path("lib/libfoo.so")),
                         re.escape(t.name(new)))], ["new"])


def copyreloc(t):
    t.dso("libcopy.so", ["copyreloc_dso.c"])
    p = t.prog("copyreloc", ["copyreloc.c"], ["-lcopy"], pie=False,
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="copy relocation ok\n")


def ifunc(t, pie=True):
    t.dso("libifunc.so", ["ifunc_dso.c"])
    p = t.prog("ifunc", ["ifunc.c"], ["-lifunc"], pie=pie,
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="ifunc ok\n")


def initfini(t):
    for l, deps in (("b", []), ("a", ["-linitfinib"]), ("c", [])):
        t.dso("libinitfini%s.so" % l, ["initfini_dso_%s.c" % l], libs=deps,
              flags=["-Wl,-init,initfini_%s_dt_init" % l,
                     "-Wl,-fini,initfini_%s_dt_fini" % l])
    p = t.prog("initfini", ["initfini.c"], ["-linitfinia", "-linitfinic"],
               flags=["-Wl,-rpath,$ORIGIN", "-Wl,-rpath-link," + t.dir])
    # The system loader runs no finalisers here (T_NO_FINI): its output
    # must be the initialisation part of ours.
    r = t.expect_ok(p, compare="prefix")
    # glibc's order for prog -> a -> b, prog -> c (breadth-first list
    # prog a c b, depth-first from its end): b, c, a; finalisers reversed.
    expected = ("b: DT_INIT\nb: constructor\nc: DT_INIT\nc: constructor\n"
                "a: DT_INIT\na: constructor\nmain\n"
                "a: destructor\na: DT_FINI\nc: destructor\nc: DT_FINI\n"
                "b: destructor\nb: DT_FINI\n")
    if r.stdout != expected:
        raise Failure("init/fini order:\n%s\nexpected:\n%s" % (r.stdout, expected))


def progctor(t):
    # glibc's ld.so leaves a program's own constructors to libc, so a
    # libc-free program only runs them under myld: no comparison here.
    t.dso("libprogctor.so", ["progctor_dso.c"])
    p = t.prog("progctor", ["progctor.c"], ["-lprogctor"],
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, compare=False, stdout="preinit\nlibrary constructor\n"
                "program constructor\nmain\n")


def align(t):
    t.dso("libalign.so", ["align_dso.c"],
          flags=["-Wl,-z,max-page-size=0x200000", "-Wl,-z,common-page-size=0x200000"])
    p = t.prog("align", ["align.c"], ["-lalign"], flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="aligned ok\n")


def search(t):
    for d in ("r", "l", "run"):
        t.dso("%s/libwhere.so" % d, ["search_dso.c"], flags=['-DWHERE="%s"' % d])
    lr = ["-lwhere", "-L" + t.path("r")]
    rpath = t.prog("p_rpath", ["search.c"], lr,
                   flags=["-Wl,--disable-new-dtags,-rpath,$ORIGIN/r"])
    runpath = t.prog("p_runpath", ["search.c"], lr,
                     flags=["-Wl,--enable-new-dtags,-rpath,$ORIGIN/run"])
    brace = t.prog("p_brace", ["search.c"], lr,
                   flags=["-Wl,--enable-new-dtags,-rpath,${ORIGIN}/run"])
    bare = t.prog("p_bare", ["search.c"], lr)
    llp = {"LD_LIBRARY_PATH": t.path("l")}
    t.expect_ok(rpath, env=llp, stdout="r\n")       # DT_RPATH before LD_LIBRARY_PATH
    t.expect_ok(runpath, env=llp, stdout="l\n")     # LD_LIBRARY_PATH before DT_RUNPATH
    t.expect_ok(runpath, stdout="run\n")
    t.expect_ok(brace, stdout="run\n")
    t.expect_ok(bare, env=llp, stdout="l\n")
    # Through a library without paths: the program's DT_RPATH applies to
    # it (the loader chain), its DT_RUNPATH does not.
    t.dso("mid/libmid.so", ["search_dso_mid.c"], libs=["-lwhere", "-L" + t.path("r")],
          runpath=False)
    lm = ["-lmid", "-L" + t.path("mid"), "-Wl,-rpath-link," + t.path("r")]
    chain_rpath = t.prog("p_chain_rpath", ["search_chain.c"], lm,
                         flags=["-Wl,--disable-new-dtags,-rpath,$ORIGIN/mid:$ORIGIN/r"])
    chain_runpath = t.prog("p_chain_runpath", ["search_chain.c"], lm,
                           flags=["-Wl,--enable-new-dtags,-rpath,$ORIGIN/mid:$ORIGIN/r"])
    t.expect_ok(chain_rpath, stdout="r\n")
    t.expect_fail(chain_runpath, [
        r"^%s: error while loading shared libraries: libwhere.so: cannot open "
        r"shared object file: No such file or directory \(needed by %s;" %
        (re.escape(t.name(chain_runpath)), re.escape(t.path("mid/libmid.so")))])


def weak(t):
    t.dso("libweak_a.so", ["weak_dso_a.c"])
    t.dso("libweak_b.so", ["weak_dso_b.c"])
    p = t.prog("weak", ["weak.c"], ["-lweak_a", "-lweak_b"],
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="weak ok\n")


def textrel(t):
    lib = t.dso("libtextrel.so", ["textrel_dso.c"],
                flags=["-fno-pic", "-mcmodel=large", "-Wl,-z,notext"])
    dyn = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True).stdout
    if "TEXTREL" not in dyn:
        raise Failure("the test library has no DT_TEXTREL:\n" + dyn)
    p = t.prog("textrel", ["textrel.c"], ["-ltextrel"], flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="textrel ok\n")


def funcptr(t):
    t.dso("libfuncptr.so", ["funcptr_dso.c"])
    p = t.prog("funcptr", ["funcptr.c"], ["-lfuncptr"], pie=False,
               flags=["-Wl,-rpath,$ORIGIN"])
    t.expect_ok(p, stdout="funcptr ok\n")


def errors(t):
    name = re.escape
    # A missing library: glibc's message, plus who needed it.
    t.dso("libmissing.so", ["missing_dso.c"])
    p = t.prog("missing", ["missing.c"], ["-lmissing"], flags=["-Wl,-rpath,$ORIGIN"])
    os.unlink(t.path("libmissing.so"))
    t.expect_fail(p, [r"^%s: error while loading shared libraries: libmissing.so: "
                      r"cannot open shared object file: No such file or directory "
                      r"\(needed by %s; searched .*\)$" % (name(t.name(p)), name(t.name(p)))])
    # Two missing symbols, both reported (bound at start-up: -z now).
    t.dso("libundef.so", ["undef_dso.c"])
    p = t.prog("undef", ["undef.c"], ["-lundef"], flags=["-Wl,-rpath,$ORIGIN", "-Wl,-z,now"])
    t.dso("libundef.so", ["missing_dso.c"], soname="libundef.so")
    t.expect_fail(p, [r"^%s: symbol lookup error: %s: undefined symbol: gone_one$" %
                      (name(t.name(p)), name(t.name(p))),
                      r"^%s: symbol lookup error: %s: undefined symbol: gone_two$" %
                      (name(t.name(p)), name(t.name(p)))])
    # A needed library that is garbage, truncated, or a directory.
    t.dso("libbad.so", ["missing_dso.c"])
    p = t.prog("needs_bad", ["needsbad.c"], ["-Wl,--no-as-needed", "-lbad"],
               flags=["-Wl,-rpath,$ORIGIN"])
    good = open(t.path("libbad.so"), "rb").read()
    for content, why in ((b"not an ELF file\n" * 8, "invalid ELF header"),
                         (good[:300], r"(program headers extend past the end of "
                                      r"the file|file too short|past the end)")):
        with open(t.path("libbad.so"), "wb") as f:
            f.write(content)
        t.expect_fail(p, [r"^%s: error while loading shared libraries: %s: %s$" %
                          (name(t.name(p)), name(t.path("libbad.so")), why)])
    os.unlink(t.path("libbad.so"))
    os.mkdir(t.path("libbad.so"))
    t.expect_fail(p, [r"^%s: error while loading shared libraries: .*libbad.so: .*$" %
                      name(t.name(p))])
    if t.mode == "explicit":
        # Bad programs given on the command line.
        garbage = t.path("garbage")
        with open(garbage, "w") as f:
            f.write("#!/bin/sh\n# longer than an ELF header, so not 'too short'\n"
                    "echo this is a shell script, not an ELF program\n")
        t.expect_fail(garbage, [r"^%s: error while loading shared libraries: %s: "
                                r"invalid ELF header$" % (name(garbage), name(garbage))])
        trunc = t.path("truncated")
        with open(trunc, "wb") as f:
            f.write(open(p, "rb").read()[:100])
        t.expect_fail(trunc, [r"^%s: error while loading shared libraries: %s: .+$" %
                              (name(trunc), name(trunc))])
        d = t.path("a-directory", "x")
        t.expect_fail(os.path.dirname(d), [r"cannot read file data: Is a directory$"])


def bad_elf(t):
    """Every variant of the broken-ELF corpus, as the program (explicit
    mode) and as a needed library: exit 127, one line, no signal."""
    t.dso("libbad.so", ["missing_dso.c"])
    p = t.prog("needs_bad", ["needsbad.c"], ["-Wl,--no-as-needed", "-lbad"],
               flags=["-Wl,-rpath,$ORIGIN"])
    gen = os.path.join(t.src, "..", "..", "..", "scripts", "gen-bad-elf.py")
    for kind, base in (("lib", t.path("libbad.so")), ("prog", p)):
        corpus = t.path("corpus-" + kind)
        t.sh([sys.executable, gen, base, corpus])
        original = open(base, "rb").read()
        for variant in sorted(os.listdir(corpus)):
            bad = os.path.join(corpus, variant)
            if open(bad, "rb").read() == original:
                continue        # nothing to break in this file (no DT_NEEDED...)
            if variant == "dyn-no-null":
                # The walk of .dynamic stops at the mapping's end: what
                # follows decides between a clean run and a clean error;
                # never a crash (execute() fails on any signal).
                if kind == "lib":
                    shutil.copy(bad, t.path("libbad.so"))
                    t.run(p)
                elif t.mode == "explicit":
                    t.run(bad)
                continue
            if kind == "lib":
                shutil.copy(bad, t.path("libbad.so"))
                t.expect_fail(p, [r"^%s: error while loading shared libraries: .+$" %
                                  re.escape(t.name(p))])
            elif t.mode == "explicit":
                t.expect_fail(bad, [r"^%s: error while loading shared libraries: .+$" %
                                    re.escape(bad)])


def workload(t, nlibs=100, nfuncs=400):
    gen = os.path.join(t.src, "..", "..", "..", "scripts", "gen-workload.py")
    w = t.path("w", "x")
    wdir = os.path.dirname(w)
    t.sh([sys.executable, gen, wdir, str(nlibs), str(nfuncs)])

    # Libraries depend on the one before: build in order, compiling each
    # to an object in parallel first.
    def compile_obj(i):
        t.sh(["gcc", "-O0", "-fPIC", "-c", os.path.join(wdir, "libw%d.c" % i),
              "-o", os.path.join(wdir, "libw%d.o" % i)])
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        list(ex.map(compile_obj, range(nlibs)))
    for i in range(nlibs):
        cmd = ["gcc", "-shared", "-nostdlib", os.path.join(wdir, "libw%d.o" % i),
               "-Wl,-soname,libw%d.so" % i, "-Wl,-rpath,$ORIGIN", "-L" + wdir, "-o",
               os.path.join(wdir, "libw%d.so" % i)]
        if i:
            cmd.append("-lw%d" % (i - 1))
        t.sh(cmd)
    with open(os.path.join(wdir, "rt.h"), "w") as f:
        f.write(open(os.path.join(t.src, "rt.h")).read())
    out = os.path.join(wdir, "workload")
    base = ["gcc", *CFLAGS, "-fPIE", "-pie", "-I", t.src, os.path.join(wdir, "main.c"),
            t.rt_object(), os.path.join(t.src, "rt_start.c"), "-L" + wdir,
            "-lw%d" % (nlibs - 1), "-Wl,-rpath,$ORIGIN", "-Wl,-rpath-link," + wdir]
    t.sh(base + ["-o", out])
    t.sh(base + ["-Wl,--dynamic-linker=" + t.myld, "-o", out + "-interp"])
    r = t.expect_ok(out)
    if not r.stdout.startswith("checksum 0x"):
        raise Failure("unexpected workload output: " + r.stdout)


SCENARIOS = {
    "chain": chain,
    "chain_nopie": lambda t: chain(t, pie=False),
    "diamond": diamond,
    "versions": versions,
    "copyreloc": copyreloc,
    "ifunc": ifunc,
    "ifunc_nopie": lambda t: ifunc(t, pie=False),
    "initfini": initfini,
    "progctor": progctor,
    "align": align,
    "search": search,
    "weak": weak,
    "textrel": textrel,
    "funcptr": funcptr,
    "errors": errors,
    "bad_elf": bad_elf,
    "workload": workload,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--myld", required=True)
    ap.add_argument("--mode", choices=("explicit", "interp"), required=True)
    ap.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    ap.add_argument("--src", default=HERE)
    ap.add_argument("--work", default=None)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    t = Run(args)
    try:
        SCENARIOS[args.scenario](t)
    except Failure as e:
        print("FAIL %s (%s): %s" % (args.scenario, args.mode, e))
        print("work directory kept: " + t.dir)
        return 1
    print("PASS %s (%s)" % (args.scenario, args.mode))
    if not args.keep:
        shutil.rmtree(t.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
