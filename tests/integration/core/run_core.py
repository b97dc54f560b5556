#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The core loader's integration scenarios (issue #2), libc-free programs.

Usage: run_core.py --myld MYLD.SO --mode explicit|interp|system
                   --scenario NAME [--src DIR] [--work DIR] [--keep]

Each scenario compiles its program and libraries (tests/integration/core/
*.c, with the rt runtime) with gcc into a fresh directory, twice: a normal
program (PT_INTERP = the system loader) and a "-interp" copy whose
PT_INTERP is MYLD.SO. In mode explicit, programs run as `myld.so prog`; in
mode interp, the -interp copy runs directly, through ../runner.py (the
suites' shared runner: a clean environment, a timeout, the comparison).
Programs get T_EXPECT_LOADER, so each one checks /proc/self/maps and fails
unless myld.so's file is mapped: the test proves which loader ran it. Where
glibc's ld.so must behave the same, the normal program is also run under
the system loader and stdout and the exit status must be equal. Exit
status 0 = pass, 1 = fail.

Mode system (meson suite 'reference') runs the same scenarios with the
system loader alone, expecting glibc's behaviour where it differs from
myld's on purpose (no finalisers for libc-free programs, no "needed by"
in messages, exit 1 for a missing version, one undefined symbol reported,
the program's own constructors left to libc): it needs no myld.so and
proves that the programs and the expectations are right.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import runner  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CFLAGS = ["-O1", "-nostdlib", "-ffreestanding", "-fno-stack-protector",
          "-fno-builtin", "-fno-asynchronous-unwind-tables"]
SYSTEM_LOADER = "ld-linux-x86-64.so.2"
SYSTEM_LOADER_PATH = runner.SYSTEM_LOADER
ORIGIN = ["-Wl,-rpath,$ORIGIN"]     # a program finds its libraries beside it


class Failure(Exception):
    pass


class Run:
    def __init__(self, args):
        self.myld = os.path.abspath(args.myld)
        self.mode = args.mode
        self.system = args.mode == "system"
        # Seconds a program may run; expected failures get 10 (a loader
        # that hangs on a broken file fails the test).
        self.timeout = 60
        self.src = args.src
        self.dir = tempfile.mkdtemp(prefix="myld-core-", dir=args.work)
        self.rt = None
        # The loader the programs must prove ran them (T_EXPECT_LOADER).
        self.loader = SYSTEM_LOADER_PATH if self.system else self.myld

    # Building ---------------------------------------------------------
    def sh(self, cmd):
        r = runner.run(cmd, None, timeout=600)
        if r.rc != 0:
            raise Failure("build failed: %s\n%s" % (" ".join(cmd), r.err))

    def readelf(self, *args):
        return runner.run(["readelf", "-W"] + list(args), None).out

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
        if not self.system:
            self.sh(base + ["-Wl,--dynamic-linker=" + self.myld, "-o", out + "-interp"])
        self.check_program(out)
        return out

    def check_program(self, path):
        """The test programs must be dynamic (ld makes a non-PIE program
        that links no library static: no loader would run it) and must not
        need the C library: they test the loader alone (and glibc's ld.so
        cannot run libc-free programs' finalisers)."""
        dyn = self.readelf("-dl", path)
        if "Requesting program interpreter" not in dyn:
            raise Failure("%s has no PT_INTERP (a static program?)" % path)
        needed = re.findall(r"\(NEEDED\).*\[(.*)\]", dyn)
        if any(n.startswith(("libc.so", "libm.so", "libpthread")) for n in needed):
            raise Failure("%s needs the C library: %s" % (path, needed))

    def mine(self, text):
        """text in myld's modes, "" in system mode: for what myld adds to
        glibc's messages (who needed a library, where it looked)."""
        return "" if self.system else text

    # Running ----------------------------------------------------------
    def execute(self, cmd, env_extra, expect_loader, cwd=None, timeout=None):
        """Runs cmd (runner.py: a clean environment plus env_extra, and
        T_EXPECT_LOADER for expect_loader): a timeout or a signal fails."""
        r = runner.run(cmd, runner.clean_env(self.dir, env_extra, expect_loader),
                       cwd or self.dir, timeout or self.timeout)
        if r.rc == "timeout" or r.rc < 0:
            raise Failure("%s:\n%s" % ("timed out" if r.rc == "timeout" else
                                       "killed by signal %d" % -r.rc, r.describe()))
        return r

    def run(self, prog, args=(), env=None, cwd=None):
        """Runs prog under myld in the current mode (mode system: under its
        own PT_INTERP, the system loader)."""
        if self.system:
            return self.run_system(prog, args, env, cwd)
        if self.mode == "explicit":
            cmd = [self.myld, prog] + list(args)
        else:
            cmd = [prog + "-interp"] + list(args)
        return self.execute(cmd, env, self.myld, cwd)

    def run_file(self, path, args=(), env=None, cwd=None):
        """Gives path to the loader explicitly as the program: myld.so in
        mode explicit, the system loader in mode system."""
        if self.system:
            env = dict(env or {}, T_NO_FINI="1")
        return self.execute([self.loader, path] + list(args), env, self.loader, cwd)

    def run_direct(self, path, args=(), env=None, cwd=None):
        """Executes path itself, whose PT_INTERP is myld.so."""
        return self.execute([path] + list(args), env, self.myld, cwd)

    def run_system(self, prog, args=(), env=None, cwd=None):
        env = dict(env or {}, T_NO_FINI="1")
        return self.execute([prog] + list(args), env, SYSTEM_LOADER_PATH, cwd)

    def expect_ok(self, prog, args=(), env=None, stdout=None, compare=True,
                  cwd=None, system_stdout=None):
        """Runs under myld: exit 0, optional exact stdout, and the same
        stdout and status as the system loader when compare is set
        (compare "prefix": the system's stdout is a prefix of ours;
        a function: maps our stdout to the system's). In mode system, the
        program runs under the system loader alone and must print
        system_stdout if given, else stdout."""
        r = self.run(prog, args, env, cwd)
        if self.system and system_stdout is not None:
            stdout = system_stdout
        if r.rc != 0:
            raise Failure("exit status %s:\n%s" % (r.rc, r.describe()))
        if stdout is not None and r.out != stdout:
            raise Failure("stdout of %s:\n%s\nexpected:\n%s" % (prog, r.out, stdout))
        if compare and not self.system:
            s = self.run_system(prog, args, env, cwd)
            if callable(compare):
                ours = compare(r.out)
            else:
                ours = r.out[:len(s.out)] if compare == "prefix" else r.out
            problems = runner.compare(s, runner.Result(r.argv, r.rc, ours, r.err),
                                      streams=("out",))
            if problems:
                raise Failure("differs from the system loader for %s:\n%s" %
                              (prog, "\n".join(problems)))
        return r

    def expect_fail(self, prog, patterns, args=(), env=None, lines=None,
                    cwd=None, status=127, explicit=False, via=None):
        """Runs under myld: exit status (127) and each regex in patterns
        found in stderr (one line each, or `lines` lines in all). With
        explicit, prog is given to the loader on its command line
        (run_file) whatever the mode; via replaces run altogether."""
        via = via or (self.run_file if explicit else self.run)
        saved, self.timeout = self.timeout, 10
        try:
            r = via(prog, args, env, cwd)
        finally:
            self.timeout = saved
        err = r.err
        if r.rc != status:
            raise Failure("expected exit %d, got %s:\n%s" % (status, r.rc, r.describe()))
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
        return prog + "-interp" if self.mode == "interp" else prog

    def require(self, path, readelf_opt, regex, what):
        """Fails unless `readelf readelf_opt path` matches regex: proves a
        scenario builds what it claims to test (a COPY relocation, an
        IRELATIVE...), so a toolchain change cannot make it vacuous."""
        out = self.readelf(readelf_opt, path)
        m = re.search(regex, out, re.M)
        if not m:
            raise Failure("%s has no %s (readelf %s):\n%s" %
                          (path, what, readelf_opt, out))
        return m


# The scenarios ------------------------------------------------------------

def chain(t, pie=True):
    t.dso("libchainc.so", ["chain_dso_c.c"])
    t.dso("libchainb.so", ["chain_dso_b.c"], libs=["-lchainc"])
    t.dso("libchaina.so", ["chain_dso_a.c"], libs=["-lchainb"])
    p = t.prog("chain", ["chain.c"], ["-lchaina"], pie=pie,
               flags=["-Wl,-rpath-link," + t.dir, "-Wl,-rpath,$ORIGIN"])
    # The calls between libraries go through PLT slots (JUMP_SLOT), bound
    # lazily or, with LD_BIND_NOW, at start-up: both must work.
    for lib in ("libchaina.so", "libchainb.so"):
        t.require(t.path(lib), "-r", r"R_X86_64_JUMP_SLO", "JUMP_SLOT relocation")
    out = "init c\ninit b\ninit a\nchain: 1111\n"
    t.expect_ok(p, stdout=out)
    t.expect_ok(p, env={"LD_BIND_NOW": "1"}, stdout=out)


def diamond(t):
    t.dso("libdiamondc.so", ["diamond_dso_c.c"])
    t.dso("libdiamonda.so", ["diamond_dso_a.c"], libs=["-ldiamondc"])
    t.dso("libdiamondb.so", ["diamond_dso_b.c"], libs=["-ldiamondc"])
    p = t.prog("diamond", ["diamond.c"], ["-ldiamonda", "-ldiamondb", "-ldiamondc"],
               flags=ORIGIN)
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
    # glibc exits 1 here (a version check failure is not a "fatal" error
    # to it); myld exits 127 like for every start-up failure.
    t.expect_fail(new, [r"^%s: %s: version `V2' not found \(required by %s\)$" %
                        (re.escape(t.name(new)), re.escape(t.path("lib/libfoo.so")),
                         re.escape(t.name(new)))], ["new"],
                  status=1 if t.system else 127)


def copyreloc(t):
    t.dso("libcopy.so", ["copyreloc_dso.c"])
    p = t.prog("copyreloc", ["copyreloc.c"], ["-lcopy"], pie=False, flags=ORIGIN)
    t.require(p, "-r", r"R_X86_64_COPY .* shared_counter", "COPY relocation")
    t.expect_ok(p, stdout="copy relocation ok\n")


def ifunc(t, pie=True):
    t.dso("libifunc.so", ["ifunc_dso.c"])
    p = t.prog("ifunc", ["ifunc.c"], ["-lifunc"], pie=pie, flags=ORIGIN)
    t.require(p, "-r", r"R_X86_64_IRELATIV", "IRELATIVE relocation")
    t.require(t.path("libifunc.so"), "--dyn-syms", r"IFUNC .* lib_pick$", "IFUNC symbol")
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
    # glibc's order for prog -> a -> b, prog -> c (breadth-first list
    # prog a c b, depth-first from its end): b, c, a; finalisers reversed.
    inits = ("b: DT_INIT\nb: constructor\nc: DT_INIT\nc: constructor\n"
             "a: DT_INIT\na: constructor\nmain\n")
    finis = ("a: destructor\na: DT_FINI\nc: destructor\nc: DT_FINI\n"
             "b: destructor\nb: DT_FINI\n")
    t.expect_ok(p, compare="prefix", stdout=inits + finis, system_stdout=inits)


def progctor(t):
    # glibc's ld.so runs the program's DT_PREINIT_ARRAY but leaves its
    # DT_INIT_ARRAY to libc (__libc_start_main), so under the system loader
    # a libc-free program's own constructor never runs: the comparison
    # takes that one line out of our output.
    t.dso("libprogctor.so", ["progctor_dso.c"])
    p = t.prog("progctor", ["progctor.c"], ["-lprogctor"], flags=ORIGIN)
    t.expect_ok(p, compare=lambda out: out.replace("program constructor\n", ""),
                stdout="preinit\nlibrary constructor\nprogram constructor\nmain\n",
                system_stdout="preinit\nlibrary constructor\nmain\n")


def align(t):
    t.dso("libalign.so", ["align_dso.c"],
          flags=["-Wl,-z,max-page-size=0x200000", "-Wl,-z,common-page-size=0x200000"])
    p = t.prog("align", ["align.c"], ["-lalign"], flags=ORIGIN)
    t.require(t.path("libalign.so"), "-l", r"^\s*LOAD .* 0x200000$", "2 MiB PT_LOAD alignment")
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
        r"shared object file: No such file or directory%s$" %
        (re.escape(t.name(chain_runpath)),
         t.mine(r" \(needed by %s; searched .*\)" % re.escape(t.path("mid/libmid.so"))))])


def weak(t):
    t.dso("libweak_a.so", ["weak_dso_a.c"])
    t.dso("libweak_b.so", ["weak_dso_b.c"])
    p = t.prog("weak", ["weak.c"], ["-lweak_a", "-lweak_b"], flags=ORIGIN)
    t.expect_ok(p, stdout="weak ok\n")


def textrel(t):
    lib = t.dso("libtextrel.so", ["textrel_dso.c"],
                flags=["-fno-pic", "-mcmodel=large", "-Wl,-z,notext"])
    t.require(lib, "-d", r"TEXTREL", "DT_TEXTREL")
    p = t.prog("textrel", ["textrel.c"], ["-ltextrel"], flags=ORIGIN)
    t.expect_ok(p, stdout="textrel ok\n")


def funcptr(t):
    t.dso("libfuncptr.so", ["funcptr_dso.c"])
    p = t.prog("funcptr", ["funcptr.c"], ["-lfuncptr"], pie=False, flags=ORIGIN)
    # The canonical PLT entry: an undefined symbol with a non-zero value,
    # which the library's own references must bind to (psABI 5.2).
    m = t.require(p, "--dyn-syms", r"^\s*\d+: ([0-9a-f]+) .* UND lib_function$",
                  "dynamic symbol lib_function")
    if int(m.group(1), 16) == 0:
        raise Failure("lib_function has no canonical PLT entry in %s" % p)
    t.expect_ok(p, stdout="funcptr ok\n")


def startup(t):
    """The initial stack and auxv the program sees (startup.c checks
    them), PIE and not, with arguments and an environment variable;
    explicitly also with `--` before the program."""
    args = ["one", "two words", "--", "-x"]
    out = ("argc 5\nargv[1] one\nargv[2] two words\nargv[3] --\nargv[4] -x\n"
           "T_STARTUP yes\n")
    env = {"T_STARTUP": "yes"}
    t.dso("libstartup.so", ["startup_dso.c"])
    for name, pie in (("startup", True), ("startup_nopie", False)):
        p = t.prog(name, ["startup.c"], ["-lstartup"], pie=pie, flags=ORIGIN)
        t.expect_ok(p, args, env=env, stdout=out)
        if t.mode == "interp":
            continue
        cmds = [[t.loader, p]]
        if not t.system:
            cmds.append([t.loader, "--", p])     # glibc 2.36 lacks "--"
        for cmd in cmds:
            r = t.execute(cmd + args, dict(env, T_NO_FINI="1") if t.system else env,
                          t.loader)
            if r.rc != 0 or r.out != out:
                raise Failure("expected exit 0, stdout:\n%s\n%s" % (out, r.describe()))


def bfs(t):
    t.dso("libbfsc.so", ["bfs_dso_c.c"])
    t.dso("libbfsb.so", ["bfs_dso_b.c"])
    t.dso("libbfsa.so", ["bfs_dso_a.c"], libs=["-lbfsc"])
    p = t.prog("bfs", ["bfs.c"], ["-lbfsa", "-lbfsb"],
               flags=["-Wl,-rpath,$ORIGIN", "-Wl,-rpath-link," + t.dir])
    t.expect_ok(p, stdout="program: b\na: b\nc: b\n")


def filters(t):
    """Filters at start-up (ld --filter: DT_FILTER; --auxiliary:
    DT_AUXILIARY): the filtee is loaded with its filter and searched before
    it; a missing DT_FILTER filtee stops the program, a missing
    DT_AUXILIARY one is ignored. ldd lists a filtee before its filter (a
    missing one as not found) and LD_DEBUG=libs,files shows glibc's lines."""
    name = re.escape
    t.dso("libfilt_filtee.so", ["filter_filtee.c"])
    for lib, opt, filtee in (("std", "--filter", "libfilt_filtee.so"),
                             ("aux", "--auxiliary", "libfilt_filtee.so"),
                             ("auxmiss", "--auxiliary", "libfilt_absent.so"),
                             ("stdmiss", "--filter", "libfilt_absent.so")):
        t.dso("libfilt_%s.so" % lib, ["filter_dso.c"],
              flags=["-DFN=filt_" + lib, "-Wl,%s=%s" % (opt, filtee)])
    t.require(t.path("libfilt_std.so"), "-d", r"\(FILTER\).*\[libfilt_filtee.so\]",
              "DT_FILTER")
    t.require(t.path("libfilt_aux.so"), "-d",
              r"\(AUXILIARY\).*\[libfilt_filtee.so\]", "DT_AUXILIARY")
    p = t.prog("filter", ["filter.c"], ["-lfilt_std", "-lfilt_aux", "-lfilt_auxmiss"],
               flags=ORIGIN)
    t.expect_ok(p, stdout="std: filtee\nstd own: filter\nstd via: filtee\n"
                          "aux: filtee\naux own: filter\naux via: filtee\n"
                          "auxmiss: filter\nauxmiss via: filter\n")
    # ldd (LD_TRACE_LOADED_OBJECTS): the order of the loaded objects,
    # without addresses, directories and the loader's own line.
    r = t.run(p, env={"LD_TRACE_LOADED_OBJECTS": "1"})
    listed = []
    for line in r.out.splitlines():
        line = runner.mask_addresses(line.strip()).replace(" (ADDR)", "")
        line = re.sub(r"=> \S*/", "=> ", line)
        if SYSTEM_LOADER not in line and "myld" not in line:
            listed.append(line)
    want = ["linux-vdso.so.1", "libfilt_filtee.so => libfilt_filtee.so",
            "libfilt_std.so => libfilt_std.so", "libfilt_aux.so => libfilt_aux.so",
            "libfilt_absent.so => not found",
            "libfilt_auxmiss.so => libfilt_auxmiss.so"]
    if r.rc != 0 or listed != want:
        raise Failure("ldd listing of %s (exit %s):\n%s\nexpected:\n%s" %
                      (p, r.rc, "\n".join(listed), "\n".join(want)))
    r = t.run(p, env={"LD_DEBUG": "libs,files,scopes"})
    for pat in (r"load auxiliary object=libfilt_filtee.so requested by "
                r"file=\S*/libfilt_std.so$",
                r"file=libfilt_filtee.so \[0\];  needed by \S*/libfilt_std.so \[0\]$",
                r"load auxiliary object=libfilt_filtee.so requested by "
                r"file=\S*/libfilt_aux.so$",
                r"load auxiliary object=libfilt_absent.so requested by "
                r"file=\S*/libfilt_auxmiss.so$",
                r"find library=libfilt_absent.so \[0\]; searching$",
                r"scope 0: \S+ \S*/libfilt_filtee.so \S*/libfilt_std.so "
                r"\S*/libfilt_aux.so \S*/libfilt_auxmiss.so( |$)"):
        if r.rc != 0 or not re.search(pat, r.err, re.M):
            raise Failure("LD_DEBUG=libs,files,scopes of %s (exit %s) lacks /%s/:\n%s"
                          % (p, r.rc, pat, r.err))
    m = t.prog("filter_miss", ["filter_miss.c"], ["-lfilt_stdmiss"], flags=ORIGIN)
    t.expect_fail(m, [r"^%s: error while loading shared libraries: libfilt_absent.so: "
                      r"cannot open shared object file: No such file or directory"
                      r"%s$" % (name(t.name(m)),
                                t.mine(r" \(needed by \S*/libfilt_stdmiss.so; "
                                       r"searched .*\)"))])


def errors(t):
    name = re.escape
    # A missing library: glibc's message, plus who needed it.
    t.dso("libmissing.so", ["missing_dso.c"])
    p = t.prog("missing", ["missing.c"], ["-lmissing"], flags=ORIGIN)
    os.unlink(t.path("libmissing.so"))
    t.expect_fail(p, [r"^%s: error while loading shared libraries: libmissing.so: "
                      r"cannot open shared object file: No such file or directory"
                      r"%s$" % (name(t.name(p)),
                                t.mine(r" \(needed by %s; searched .*\)" % name(t.name(p))))])
    # Two missing symbols, both reported (bound at start-up: -z now);
    # glibc stops at the first.
    t.dso("libundef.so", ["undef_dso.c"])
    p = t.prog("undef", ["undef.c"], ["-lundef"], flags=["-Wl,-rpath,$ORIGIN", "-Wl,-z,now"])
    t.dso("libundef.so", ["missing_dso.c"], soname="libundef.so")
    undef = r"^%s: symbol lookup error: %s: undefined symbol: %%s$" % (
        name(t.name(p)), name(t.name(p)))
    if t.system:
        t.expect_fail(p, [undef % "gone_(one|two)"])
    else:
        t.expect_fail(p, [undef % "gone_one", undef % "gone_two"])
    # A needed library that is garbage, truncated, or a directory.
    t.dso("libbad.so", ["missing_dso.c"])
    p = t.prog("needs_bad", ["needsbad.c"], ["-Wl,--no-as-needed", "-lbad"], flags=ORIGIN)
    good = open(t.path("libbad.so"), "rb").read()
    for content, why in ((b"not an ELF file\n" * 8, "invalid ELF header"),
                         (good[:300], r"(program headers extend past the end of "
                                      r"the file|file too short|past the end|"
                                      r"cannot read file data)")):
        with open(t.path("libbad.so"), "wb") as f:
            f.write(content)
        t.expect_fail(p, [r"^%s: error while loading shared libraries: %s: %s$" %
                          (name(t.name(p)), name(t.path("libbad.so")), why)])
    os.unlink(t.path("libbad.so"))
    os.mkdir(t.path("libbad.so"))
    # glibc's ld.so has no strerror table: it says "Error 21" for EISDIR.
    eisdir = "Error 21" if t.system else "Is a directory"
    t.expect_fail(p, [r"^%s: error while loading shared libraries: \S*/libbad.so: "
                      r"cannot read file data: %s$" % (name(t.name(p)), eisdir)])
    if t.mode != "interp":
        # Bad programs given on the command line.
        garbage = t.path("garbage")
        with open(garbage, "w") as f:
            f.write("#!/bin/sh\n# longer than an ELF header, so not 'too short'\n"
                    "echo this is a shell script, not an ELF program\n")
        t.expect_fail(garbage, [r"^%s: error while loading shared libraries: %s: "
                                r"invalid ELF header$" % (name(garbage), name(garbage))],
                      explicit=True)
        trunc = t.path("truncated")
        with open(trunc, "wb") as f:
            f.write(open(p, "rb").read()[:100])
        t.expect_fail(trunc, [r"^%s: error while loading shared libraries: %s: .+$" %
                              (name(trunc), name(trunc))], explicit=True)
        d = os.path.dirname(t.path("a-directory", "x"))
        t.expect_fail(d, [r"^%s: error while loading shared libraries: %s: "
                          r"cannot read file data: %s$" % (name(d), name(d), eisdir)],
                      explicit=True)
        # Bad command lines: glibc's two-line usage message; exit 127
        # (glibc's own ld.so exits 1, a difference the README explains).
        loader = t.loader
        me = name(loader)
        for args, first in ((["--bogus", p], "unrecognized option '--bogus'"),
                            ([], "missing program name"),
                            # glibc calls a valueless option unrecognized;
                            # myld says what is wrong with it.
                            (["--library-path"],
                             "unrecognized option '--library-path'" if t.system
                             else "option '--library-path' requires an argument")):
            r = t.execute([loader] + args, None, None)
            want = r"^%s: %s\nTry '%s --help' for more information\.\n$" % (
                me, re.escape(first), me)
            if r.rc != (1 if t.system else 127) or not re.match(want, r.err):
                raise Failure("wrong exit status or usage message:\n" + r.describe())


# What gen-bad-elf.py must produce (the list); a variant missing
# from the corpus, or identical to its input, fails the test instead of
# passing silently.
BAD_ELF_VARIANTS = {
    "bad-magic", "class32", "big-endian", "wrong-machine", "phentsize",
    "phoff-past-eof", "phnum-absurd", "load-offset-past-eof", "filesz-gt-memsz",
    "overlapping-loads", "unsorted-loads", "offset-vaddr-mismatch",
    "align-not-power-of-two", "vaddr-overflow", "no-load", "truncated-10",
    "truncated-64", "truncated-100", "dynamic-outside", "dyn-strtab-outside",
    "dyn-needed-past-strsz", "dyn-relasz-huge", "empty", "garbage",
    "relro-past-object", "dyn-jmprel-zero", "dyn-relacount-huge",
}
# Only what the kind uses can be broken: a program's entry point, a
# library's exported functions (the program calls one).
BAD_ELF_ONLY = {"prog": {"entry-outside", "entry-not-exec"},
                "lib": {"sym-value-outside"}}
# Program variants the kernel maps without looking at what is broken, so
# that in interp mode they reach myld too.
BAD_ELF_KERNEL_IGNORES = {"relro-past-object", "entry-outside", "entry-not-exec"}
# Where the broken part may be harmless: a clean run or a clean error.
BAD_ELF_EITHER = {"dyn-no-null"}
# The variants glibc 2.36's ld.so itself rejects with 127 and one line
# (measured on Debian 12); it runs, or crashes on, the others, so mode
# system checks only these.
GLIBC_REJECTS = {
    "lib": {"bad-magic", "big-endian", "class32", "empty", "garbage",
            "ident-version", "load-offset-past-eof", "no-load",
            "offset-vaddr-mismatch", "phentsize", "phnum-absurd", "phnum-zero",
            "phoff-past-eof", "truncated-10", "truncated-63", "truncated-64",
            "truncated-100", "type-rel", "unsorted-loads", "vaddr-overflow",
            "wrong-machine"},
    "prog": {"bad-magic", "big-endian", "class32", "empty", "garbage",
             "ident-version", "phentsize", "phnum-absurd", "phoff-past-eof",
             "truncated-10", "truncated-63", "truncated-64", "truncated-100",
             "type-rel", "wrong-machine"},
}


def bad_elf(t):
    """Every variant of the broken-ELF corpus, as the program (explicit
    mode; in interp mode the kernel maps the program, so only the .dynamic
    variants, which it does not read, reach myld) and as a needed library
    (every mode): exit 127 and one line naming the broken file, never a
    signal or a hang. The inputs carry everything the variants break."""
    t.dso("libbad_dep.so", ["bad_elf_dso_dep.c"])
    lib = t.dso("libbad.so", ["bad_elf_dso.c"], libs=["-lbad_dep"])
    p = t.prog("bad_elf", ["bad_elf.c"], ["-lbad"],
               flags=["-Wl,-rpath,$ORIGIN", "-Wl,-rpath-link," + t.dir])
    t.expect_ok(p, stdout="ran\n")
    t.timeout = 10
    gen = os.path.join(t.src, "..", "..", "..", "scripts", "gen-bad-elf.py")
    good_lib = open(lib, "rb").read()
    base_prog = p + "-interp" if t.mode == "interp" else p
    failures = []
    for kind, base in (("lib", lib), ("prog", base_prog)):
        corpus = t.path("corpus-" + kind)
        t.sh([sys.executable, gen, base, corpus])
        original = open(base, "rb").read()
        variants = sorted(os.listdir(corpus))
        lost = (BAD_ELF_VARIANTS | BAD_ELF_ONLY[kind]) - set(variants)
        if lost:
            raise Failure("gen-bad-elf.py made no %s variant(s) %s" % (kind, sorted(lost)))
        if kind == "prog":
            # The broken programs find the valid libraries next to them.
            for l in ("libbad.so", "libbad_dep.so"):
                shutil.copy(t.path(l), os.path.join(corpus, l))
        for variant in variants:
            bad = os.path.join(corpus, variant)
            if open(bad, "rb").read() == original:
                raise Failure("%s variant %s is identical to its input: it tests "
                              "nothing" % (kind, variant))
            if kind == "lib":
                shutil.copy(bad, lib)
                prog, via = p, t.run
                pattern = r"^%s: error while loading shared libraries: (\S*/)?libbad\.so: .+$" % \
                    re.escape(t.name(p))
                if variant == "sym-value-outside":
                    # Found when the call binds: a symbol lookup error.
                    pattern = (r"^%s: symbol lookup error: (\S*/)?libbad\.so: symbol "
                               r"`bad_elf_lib' lies outside the object that defines it$"
                               % re.escape(t.name(p)))
            elif t.mode == "interp" and not variant.startswith("dyn") and \
                    variant not in BAD_ELF_KERNEL_IGNORES:
                continue
            else:
                prog = bad
                via = t.run_direct if t.mode == "interp" else t.run_file
                pattern = r"^%s: error while loading shared libraries: %s: .+$" % (
                    re.escape(bad), re.escape(bad))
                if t.mode == "interp":
                    # The kernel mapped the program and argv[0] names it;
                    # glibc prints the object name only when it has one
                    # ("%s%s", objname, *objname ? ": " : ""): never ": : ".
                    pattern = r"^%s: error while loading shared libraries: (?!: ).+$" % \
                        re.escape(bad)
            try:
                bad_elf_one(t, kind, variant, prog, via, pattern)
            except Failure as e:
                failures.append("%s variant %s: %s" % (kind, variant, e))
            finally:
                if kind == "lib":
                    with open(lib, "wb") as f:
                        f.write(good_lib)
    if failures:
        raise Failure("%d variant(s) failed:\n%s" % (len(failures), "\n".join(failures)))


def bad_elf_one(t, kind, variant, prog, via, pattern):
    if t.system:
        if variant in GLIBC_REJECTS[kind]:
            t.expect_fail(prog, [pattern], via=via)
        return
    if variant in BAD_ELF_EITHER:
        r = via(prog)
        ok = r.rc == 0 and r.out == "ran\n"
        failed = r.rc == 127 and len(r.err.splitlines()) == 1
        if not (ok or failed):
            raise Failure("neither a clean run nor a clean error:\n" + r.describe())
        return
    t.expect_fail(prog, [pattern], via=via)


def gdb(t):
    """gdb on a libc-free program and its library, the loader's debugger
    interface alone (_r_debug, DT_DEBUG, _dl_debug_state: no glibc libc
    to fill them): `break gdb_target` must stop in the library's function,
    not in the program's PLT stub, `info sharedlibrary` must list the
    library as loaded, and the program must then exit normally."""
    gdb_exe = shutil.which("gdb")
    if not gdb_exe:
        raise Failure("gdb is missing (scripts/setup.sh installs it)")
    t.dso("libgdbt.so", ["gdb_dso.c"], flags=["-g", "-O0"])
    p = t.prog("gdbt", ["gdb_prog.c"], ["-lgdbt"], flags=ORIGIN)
    t.expect_ok(p, stdout="gdb: 42\n")
    cmd = {"system": [p], "explicit": [t.myld, p], "interp": [p + "-interp"]}[t.mode]
    env = {"T_NO_FINI": "1"} if t.system else {}
    r = t.execute([gdb_exe, "-nx", "-batch",
                   "-ex", "set breakpoint pending on",
                   "-ex", "set startup-with-shell off",
                   "-ex", "set pagination off",
                   "-ex", "break gdb_target",
                   "-ex", "run",
                   "-ex", "info sharedlibrary",
                   "-ex", "continue",
                   "--args"] + cmd, env, t.loader, timeout=60)
    out = r.out + r.err
    for what, pattern in (
            ("the breakpoint is hit in the library's function",
             r"(?m)^Breakpoint 1, (0x[0-9a-f]+ in )?gdb_target \(x=21\)"),
            ("info sharedlibrary lists the library",
             r"(?m)^0x[0-9a-f]+ +0x[0-9a-f]+ +Yes.* /\S*/libgdbt\.so$"),
            ("the program exits normally", r"exited normally")):
        if not re.search(pattern, out):
            raise Failure("gdb: %s: no match for %r in:\n%s" % (what, pattern, out))


def workload(t):
    # scripts/bench.py builds other sizes through the environment.
    nlibs = int(os.environ.get("MYLD_WORKLOAD_LIBS", "100"))
    nfuncs = int(os.environ.get("MYLD_WORKLOAD_FUNCS", "400"))
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
    out = t.prog("w/workload", [os.path.join(wdir, "main.c")], ["-lw%d" % (nlibs - 1)],
                 flags=["-Wl,-rpath,$ORIGIN", "-Wl,-rpath-link," + wdir], libdirs=[wdir])
    r = t.expect_ok(out)
    if not r.out.startswith("checksum 0x"):
        raise Failure("unexpected workload output: " + r.out)


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
    "bfs": bfs,
    "startup": startup,
    "errors": errors,
    "filter": filters,
    "bad_elf": bad_elf,
    "workload": workload,
    "gdb": gdb,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--myld", required=True)
    ap.add_argument("--mode", choices=("explicit", "interp", "system"), required=True)
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
