#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one env scenario (issue 5: lazy binding, LD_DEBUG, ldd mode, the
LD_* environment, secure mode) under a loader, in one mode.

Usage:
  run_env.py --loader LOADER --mode explicit|interp --scenario NAME
             --bindir DIR [--patchelf PATH] [--keep] [--verbose]

LOADER is the loader under test (myld.so), or the system loader
/lib64/ld-linux-x86-64.so.2, which must pass every scenario too: that proves
the expectations are glibc's. MODE says how LOADER runs a program:
  explicit  `LOADER PROG ARGS` (test programs: DIR/NAME);
  interp    through PT_INTERP: DIR/NAME-interp, linked with
            --dynamic-linker=LOADER, and for the system's programs a copy
            made by `patchelf --set-interpreter LOADER` (under the system
            loader: DIR/NAME and the system programs themselves).
Most checks run the same command under the system loader as well and
compare: exit status, stdout, stderr, after replacing the program's path
with @PROG@ (and masking what must differ: pids, addresses). The test
programs check T_EXPECT_LOADER from the inside; the system's programs run
traced, and their maps at exit must prove which loader ran them (runner.py,
shared with the other suites, runs, compares and proves).

Scenarios, and what each would catch:
  lazy_float  float/double/__m128/varargs/long double/__m256d/__m512d
              arguments through unresolved PLT slots (lazy_float.c checks
              every argument), lazily, LD_BIND_NOT=1 and LD_BIND_NOW=1: a
              trampoline that clobbers an argument register.
  lazy_undef  a function the program or its library lacks, on a path not
              taken: runs lazily; LD_BIND_NOW=1 fails at start-up, taking the
              path fails at the call, both with glibc's "symbol lookup error"
              line and status 127: a loader that is not lazy, or reports the
              failure differently.
  lazy_race   16 threads calling the same 64 fresh PLT slots at once, in 16
              forked children, lazily and with LD_BIND_NOT=1: a resolver
              that is not thread-safe.
  bindnow     /usr/bin/python3 and /bin/ls -la print the same under the
              system loader and, under LOADER, lazily, with LD_BIND_NOW=1 and
              with LD_BIND_NOT=1.
  debug       LD_DEBUG=bindings: glibc's lines for the program's and the
              library's lazy bindings, at the call (between two markers the
              program prints), twice under LD_BIND_NOT, at start-up under
              LD_BIND_NOW, plus the "calling init" lines glibc adds;
              LD_DEBUG=help lists every category and exits 0 without running
              the program; an unknown category gives glibc's warning;
              LD_DEBUG_OUTPUT=FILE writes FILE.PID and nothing on stderr.
  list        --list and LD_TRACE_LOADED_OBJECTS=1 against glibc's ldd, line
              by line with addresses masked, for /bin/ls, /usr/bin/python3,
              test programs, a program whose library is missing ("=> not
              found") and libraries; no code of the program or its libraries
              runs (constructors and an IFUNC resolver would leave files);
              --verify's exit status for each kind of file.
  ldd_modes   ldd's -v, -d, -r and -u modes: LD_TRACE_LOADED_OBJECTS=1 plus
              LD_VERBOSE (-v), LD_WARN (-d), LD_WARN + LD_BIND_NOW (-r) or
              LD_DEBUG=unused (-u), for /bin/ls, /usr/bin/python3 and
              programs built here (one with a function and a data object
              its library no longer has, one with unused dependencies):
              exit status, stdout and stderr as under glibc's ld.so run
              explicitly, addresses masked: a missing mode, a wrong line
              format, undefined symbols not reported (or reported for
              functions under -d), IFUNC resolvers or initialisers run in
              list mode (the program would print).
  preload     LD_PRELOAD interposing libc functions (time, getuid, getgid,
              puts, clock_gettime) in a test program, /usr/bin/id and
              /usr/bin/date: a path, a name found via LD_LIBRARY_PATH, space-
              and colon-separated lists in order, --preload (explicit), and
              glibc's message for a preload that is missing; dlsym(RTLD_NEXT)
              in one preload finds the next preload's definition.
  auxv        LD_SHOW_AUXV=1: the same keys, in the same order, with the same
              spacing and value formats as glibc, and the same values where
              they cannot differ.
  secure      a set-user-ID copy (owned by nobody) of a test program (or, in
              explicit mode, of LOADER itself) run with LD_PRELOAD,
              LD_LIBRARY_PATH, LD_DEBUG, LD_DEBUG_OUTPUT, LD_SHOW_AUXV, TMPDIR
              and glibc's other unsafe variables set: none takes effect, none
              is left in the program's environment, $ORIGIN is not expanded;
              the same run without the set-user-ID bit shows each would have
              been seen. Skipped (77) unless root on a mount without nosuid,
              and under the system loader in explicit mode (glibc's ld.so
              asserts when it is itself set-user-ID).
  command     explicit invocation only: the loader run on itself ("loader
              cannot load itself", --list, --verify); static programs (and
              ldconfig, a static PIE) handed to the kernel with their
              arguments, --argv0 and environment, and glibc's line when
              that fails; --list-tunables prints what glibc's does (the
              same tunables, values, bounds and format); --help prints
              glibc's text and its search path and glibc-hwcaps sections
              for LD_LIBRARY_PATH, --library-path, --glibc-hwcaps-prepend
              and --glibc-hwcaps-mask, and the legacy HWCAP section.
  hwcaps      libraries in the glibc-hwcaps subdirectories (x86-64-v2,
              -v3, -v4, a prepended name) of an LD_LIBRARY_PATH or
              DT_RUNPATH directory, needed and dlopen'ed: the variant glibc
              picks on this CPU; glibc 2.36's legacy tls/ and x86_64/
              subdirectories; explicitly also --library-path,
              --glibc-hwcaps-prepend and --glibc-hwcaps-mask.
  valgrind    `valgrind -q --error-exitcode=1` on a test program (with and
              without a preload) and /usr/bin/id, the loader given
              explicitly or as PT_INTERP: valgrind starts (it insists on a
              strlen symbol in ld-linux-x86-64.so.2), reports nothing, and
              libc's __libc_freeres at exit finds the loader state it frees
              consistent. Skipped (77) without valgrind.

Exit status: 0 pass, 1 failure, 77 skipped, 2 bad usage or broken setup.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import runner  # noqa: E402

SYSTEM_LOADER = runner.SYSTEM_LOADER
SKIP = runner.SKIP

# glibc 2.36's LD_DEBUG=help lines (each must appear in LOADER's help).
GLIBC_DEBUG_CATEGORIES = ['libs', 'reloc', 'files', 'symbols', 'bindings',
                          'versions', 'scopes', 'all', 'statistics',
                          'unused', 'help']

# What glibc 2.36 removes from a set-user-ID program's environment
# (unsecvars.h, and MALLOC_CHECK_ as a tunable alias glibc erases), with
# the harmless values the secure test gives them.
UNSAFE_ENV = dict.fromkeys(
    ['GCONV_PATH', 'GETCONF_DIR', 'HOSTALIASES', 'LD_ORIGIN_PATH', 'LOCPATH',
     'NIS_PATH', 'NLSPATH', 'RESOLV_HOST_CONF', 'TMPDIR', 'TZDIR'],
    '/nonexistent-env-secure')
UNSAFE_ENV.update({
    'LD_AUDIT': '/nonexistent-env-secure/libaudit.so',
    'LD_DYNAMIC_WEAK': '1',
    'LD_HWCAP_MASK': '0xffffffff',
    'LD_PROFILE': 'libnonexistent-env-secure.so.1',
    'LOCALDOMAIN': 'env-secure.invalid',
    'MALLOC_TRACE': '/nonexistent-env-secure/mtrace',
    'RES_OPTIONS': 'ndots:3',
    'MALLOC_CHECK_': '3',
    # Set by the test itself: LD_PRELOAD, LD_LIBRARY_PATH, LD_DEBUG,
    # LD_DEBUG_OUTPUT, LD_SHOW_AUXV.
})

PYTHON_SCRIPT = r'''
import collections, decimal, fractions, hashlib, json, math, re, struct, zlib
print(2 ** 100 % 1000003, math.factorial(25), math.sqrt(2), math.pi * 1e10)
print(fractions.Fraction(3, 7) ** 3, decimal.Decimal(2).sqrt())
d = {"k": [1, 2.5, None, "\u00e9"], "z": {"n": -0.0}}
print(json.dumps(d, sort_keys=True))
print(hashlib.sha256(b"myld lazy binding").hexdigest(), hashlib.md5(b"").hexdigest())
print(zlib.crc32(b"env" * 1000), len(zlib.compress(b"abc" * 10000)))
print(re.sub(r"(\w+)@(\w+)", r"\2 at \1", "user@host, other@place"))
print(struct.pack("<dQ", 1.5, 2 ** 40).hex())
print(collections.Counter("mississippi").most_common(3))
print(sorted({"%.3e" % (x / 7) for x in range(1, 20)}))
'''


class Runner:
    """The loader, the mode, the build directory and the failures so far."""

    def __init__(self, args):
        self.loader = os.path.abspath(args.loader)
        self.mode = args.mode
        self.bindir = os.path.abspath(args.bindir)
        self.keep = args.keep
        self.verbose = args.verbose
        self.reference = (os.path.realpath(self.loader) ==
                          os.path.realpath(SYSTEM_LOADER))
        self.work = tempfile.mkdtemp(prefix='env-%s-%s-' % (args.scenario,
                                                              args.mode))
        self.failures = 0
        # Made now, so that later copies do not change the work directory
        # (bindnow lists it as tree/..).
        os.mkdir(os.path.join(self.work, 'copies'))
        self.copies = runner.InterpCopies(self.loader, os.path.join(
            self.work, 'copies'), args.patchelf)

    # -- running ----------------------------------------------------------

    def run(self, argv, extra=None, cwd=None, loader=None, prog=None,
            timeout=180, trace=False):
        """Run argv in a clean environment whose T_EXPECT_LOADER is loader
        (default LOADER) plus extra; never raises for its status. prog is
        the program's path as the loader sees it (default argv[0])."""
        r = runner.run(argv, runner.clean_env(self.work, extra,
                                              loader or self.loader),
                       cwd or self.work, timeout, trace, prog=prog)
        if self.verbose:
            print(r.describe())
        return r

    def prog(self, name, reference=False):
        """The test program NAME (or at path NAME) as this mode runs it."""
        if self.mode == 'interp' and not (reference or self.reference):
            name += '-interp'
        return os.path.join(self.bindir, name)

    def system_prog(self, path, reference=False):
        """A system program as this mode runs it (interp: a patched copy)."""
        if self.mode == 'explicit' or reference or self.reference:
            return path
        return self.copies(path)

    def argv(self, path, args=(), options=(), reference=False):
        """How LOADER (or the system loader) runs path in this mode."""
        if self.mode == 'explicit':
            loader = SYSTEM_LOADER if reference else self.loader
            return [loader] + list(options) + [path] + list(args)
        return [path] + list(args)

    def run_prog(self, name, args=(), extra=None, options=(), cwd=None,
                 reference=False):
        """Run test program NAME (or the one at path NAME) under LOADER (or
        the system loader)."""
        path = self.prog(name, reference)
        return self.run(self.argv(path, args, options, reference), extra,
                        cwd, SYSTEM_LOADER if reference else None, path)

    def run_system(self, path, args=(), extra=None, options=(), cwd=None,
                   reference=False):
        """Run a system program under LOADER (or the system loader),
        traced: its maps at exit must prove which loader ran it."""
        p = self.system_prog(path, reference)
        loader = SYSTEM_LOADER if reference else self.loader
        r = self.run(self.argv(p, args, options, reference), extra, cwd,
                     loader, p, trace=True)
        problems = runner.proof_problems(r, loader, p)
        if problems:
            self.fail('\n'.join(problems), r)
        return r

    # -- checking ---------------------------------------------------------

    def fail(self, msg, *results):
        self.failures += 1
        print('FAIL: ' + msg)
        for r in results:
            print(r.describe())

    def check(self, cond, msg, *results):
        if cond:
            print('ok: ' + msg)
        else:
            self.fail(msg, *results)
        return cond

    def normalise(self, text, r):
        """Replace the program's path with @PROG@."""
        return runner.replace_paths(text, runner.real(r.prog, '@PROG@'))

    def same(self, what, got, want, stderr=True):
        """got (LOADER) and want (system loader) behave alike: exit status,
        stdout and (with stderr) stderr after normalise."""
        problems = runner.compare(want, got, self.normalise,
                                  ('out', 'err') if stderr else ('out',))
        return self.check(not problems, '%s: exit status, stdout%s as under '
                          'glibc%s' % (what, ', stderr' if stderr else '',
                                       ''.join('\n  ' + p for p in problems)),
                          got, want)

    def finish(self):
        self.copies.remove()
        if self.keep:
            print('kept ' + self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)
        if self.failures:
            print('%d check(s) failed' % self.failures)
            return 1
        print('all checks passed')
        return 0


# -- lazy binding ------------------------------------------------------------

def how(extra):
    """The variables a run sets, for messages."""
    return ' '.join('%s=%s' % kv for kv in extra.items()) or 'lazily'


def scenario_lazy_float(t):
    want = t.run_prog('lazy_float', reference=True)
    for extra in ({}, {'LD_BIND_NOT': '1'}, {'LD_BIND_NOW': '1'}):
        what = 'lazy_float ' + how(extra)
        r = t.run_prog('lazy_float', extra=extra)
        t.check(r.rc == 0 and 'FAILED' not in r.out,
                what + ': every argument arrived intact', r)
        t.same(what, r, want)


def scenario_lazy_undef(t):
    lib = os.path.realpath(os.path.join(t.bindir, 'liblazy_undef_dso.so'))

    def error_lines(r, name):
        """The symbol lookup error lines, each checked for glibc's shape."""
        prog = r.prog
        pat = re.compile(r'^%s: symbol lookup error: (\S+): undefined symbol: '
                         r'(lazy_undef_gone|lazy_undef_nowhere)$' % re.escape(prog))
        found = []
        for line in r.err.splitlines():
            m = pat.match(line)
            t.check(m is not None, '%s: stderr line in glibc\'s shape: %r'
                    % (name, line), r)
            if m:
                obj = os.path.realpath(m.group(1))
                want_obj = lib if m.group(2) == 'lazy_undef_nowhere' \
                    else os.path.realpath(prog)
                t.check(obj == want_obj, '%s: %s is reported for %s'
                        % (name, m.group(2), m.group(1)), r)
                found.append(m.group(2))
        return found

    r = t.run_prog('lazy_undef')
    t.check(r.rc == 0 and 'reached the end' in r.out and r.err == '',
            'lazily, the missing functions on untaken paths are never bound', r)
    t.same('lazy_undef', r, t.run_prog('lazy_undef', reference=True))

    for path, sym, last in (
            ('prog', 'lazy_undef_gone', 'program calls lazy_undef_gone'),
            ('lib', 'lazy_undef_nowhere', 'library calls lazy_undef_nowhere')):
        name = 'lazy_undef %s' % path
        r = t.run_prog('lazy_undef', [path])
        lines = r.out.splitlines()
        t.check(r.rc == 127, name + ': exit status 127', r)
        t.check(lines and lines[-1] == 'lazy_undef: ' + last,
                name + ': fails at the call, right after the line before it', r)
        t.check(error_lines(r, name) == [sym],
                name + ': exactly one error line, for ' + sym, r)
        t.same(name, r, t.run_prog('lazy_undef', [path], reference=True))

    name = 'LD_BIND_NOW=1 lazy_undef'
    r = t.run_prog('lazy_undef', extra={'LD_BIND_NOW': '1'})
    want = t.run_prog('lazy_undef', extra={'LD_BIND_NOW': '1'}, reference=True)
    t.check(r.rc == 127 and r.out == '',
            name + ': fails at start-up with 127, before main', r)
    found = error_lines(r, name)
    t.check(len(found) >= 1, name + ': reports a missing symbol', r)
    # glibc stops at the first missing symbol; myld reports every one.
    got = set(t.normalise(r.err, r).splitlines())
    t.check(set(t.normalise(want.err, want).splitlines()) <= got,
            name + ': glibc\'s error line is among the ones reported', r, want)


def scenario_lazy_race(t):
    for extra in ({}, {}, {'LD_BIND_NOT': '1'}):
        r = t.run_prog('lazy_race', extra=extra)
        t.check(r.rc == 0 and r.out.endswith(': ok\n') and r.err == '',
                'lazy_race %s: every thread ended in the right function'
                % how(extra), r)


def make_tree(base):
    """A directory tree whose ls -la output is fixed (names, modes, dates)."""
    tree = os.path.join(base, 'tree')
    os.makedirs(os.path.join(tree, 'sub', 'deeper'))
    files = {'a.txt': b'hello\n', 'big.bin': b'x' * 5000, 'zero': b'',
             'sub/run.sh': b'#!/bin/sh\n'}
    for name, data in files.items():
        with open(os.path.join(tree, name), 'wb') as f:
            f.write(data)
    os.chmod(os.path.join(tree, 'a.txt'), 0o600)
    os.chmod(os.path.join(tree, 'sub/run.sh'), 0o4755)
    os.symlink('a.txt', os.path.join(tree, 'link'))
    os.symlink('nowhere', os.path.join(tree, 'dangling'))
    when = 981173106  # 2001-02-03 04:05:06 UTC
    for name in ['link', 'dangling']:
        os.utime(os.path.join(tree, name), (when, when), follow_symlinks=False)
    for name in list(files) + ['sub/deeper', 'sub', '.', '..']:
        os.utime(os.path.join(tree, name), (when, when))
    return tree


def scenario_bindnow(t):
    make_tree(t.work)
    cmds = [('/usr/bin/python3', ['-c', PYTHON_SCRIPT]),
            ('/bin/ls', ['-la', '--time-style=long-iso', 'tree'])]
    for path, args in cmds:
        want = t.run_system(path, args, reference=True)
        t.check(want.rc == 0 and want.out, '%s: the reference run works' % path,
                want)
        for extra in ({}, {'LD_BIND_NOW': '1'}, {'LD_BIND_NOT': '1'}):
            what = '%s %s' % (how(extra), os.path.basename(path))
            t.same(what, t.run_system(path, args, extra), want)


# -- LD_DEBUG ----------------------------------------------------------------

MARK_BEFORE = 'debug_bind: before the first call'
MARK_AFTER = 'debug_bind: after the calls'


def debug_parts(t, r, what):
    """(lines before the first marker, lines between the markers)."""
    lines = r.err.splitlines()
    if not t.check(MARK_BEFORE in lines and MARK_AFTER in lines,
                   what + ': both markers on stderr', r):
        return [], []
    i, j = lines.index(MARK_BEFORE), lines.index(MARK_AFTER)
    return lines[:i], lines[i + 1:j]


def program_pid(r):
    m = re.search(r'^debug_bind: pid (\d+)$', r.out, re.M)
    return int(m.group(1)) if m else -1


def binding_lines(t, r, lines):
    """The lines that bind debug_bind_foo or the library's getpid, as
    (kind, line); a line with the right symbol but a wrong shape is 'bad'."""
    prog = r.prog
    lib = os.path.realpath(os.path.join(t.bindir, 'libdebug_bind_dso.so'))
    prefix = '%10d:\t' % program_pid(r)
    found = []
    for line in lines:
        # The library's getpid, not the program's (bound later).
        if 'debug_bind_foo' not in line and not (
                '`getpid\'' in line and
                'libdebug_bind_dso' in line.split(' to ')[0]):
            continue
        m = re.match(r'^%sbinding file %s \[0\] to (\S+) \[0\]: normal symbol '
                     r'`debug_bind_foo\'$' % (re.escape(prefix), re.escape(prog)),
                     line)
        if m and os.path.realpath(m.group(1)) == lib:
            found.append(('foo', line))
            continue
        m = re.match(r'^%sbinding file (\S+) \[0\] to \S+/libc\.so\.6 \[0\]: '
                     r'normal symbol `getpid\' \[GLIBC_2\.2\.5\]$'
                     % re.escape(prefix), line)
        if m and os.path.realpath(m.group(1)) == lib:
            found.append(('getpid', line))
            continue
        found.append(('bad', line))
    return found


def norm_debug(t, r, text):
    return runner.mask_pids(t.normalise(text, r))


# Runs ARGV with this process's environment plus two settings of LD_DEBUG,
# which only execve itself can pass (a shell, env(1) and Python's
# subprocess keep one value per name).
DUP_DEBUG_LAUNCHER = r'''
import ctypes, os, sys
env = [b"%s=%s" % kv for kv in os.environb.items()]
env += [b"LD_DEBUG=libs", b"LD_DEBUG=bindings"]
args = [a.encode() for a in sys.argv[1:]]
arr = lambda l: (ctypes.c_char_p * (len(l) + 1))(*l, None)
ctypes.CDLL(None).execve(args[0], arr(args), arr(env))
sys.exit(126)
'''


def debug_twice(t):
    """LD_DEBUG set twice in one environment: both settings count, as in
    glibc (the libs lines of the first and the bindings of the second)."""
    for reference in (False, True):
        what = 'LD_DEBUG=libs and LD_DEBUG=bindings%s' % (
            ' (glibc)' if reference else '')
        path = t.prog('debug_bind', reference)
        r = t.run([sys.executable, '-c', DUP_DEBUG_LAUNCHER] +
                  t.argv(path, reference=reference),
                  loader=SYSTEM_LOADER if reference else None, prog=path)
        t.check(r.rc == 0, what + ': exit status 0', r)
        t.check(re.search(r'^\s*\d+:\tfind library=libdebug_bind_dso\.so',
                          r.err, re.M) is not None,
                what + ': the first setting\'s libs lines', r)
        pre, mid = debug_parts(t, r, what)
        t.check([k for k, _ in binding_lines(t, r, mid)] == ['foo', 'getpid'],
                what + ': the second setting\'s bindings at the calls', r)


def scenario_debug(t):
    cases = [({}, ['foo', 'getpid'], []),
             ({'LD_BIND_NOT': '1'}, ['foo', 'getpid', 'foo', 'getpid'], []),
             ({'LD_BIND_NOW': '1'}, [], ['foo', 'getpid'])]
    for extra, between, before in cases:
        env = dict(extra, LD_DEBUG='bindings')
        what = how(env)
        r = t.run_prog('debug_bind', extra=env)
        want = t.run_prog('debug_bind', extra=env, reference=True)
        t.check(r.rc == 0, what + ': exit status 0', r)
        pre, mid = debug_parts(t, r, what)
        got_mid = binding_lines(t, r, mid)
        got_pre = sorted(k for k, _ in binding_lines(t, r, pre))
        t.check([k for k, _ in got_mid] == between,
                '%s: binding lines at the calls are %s' % (what, between), r)
        t.check(got_pre == sorted(before),
                '%s: binding lines at start-up are %s' % (what, before), r)
        # The same lines, in the same places, as glibc's.
        wpre, wmid = debug_parts(t, want, what + ' (glibc)')
        t.check([norm_debug(t, r, l) for _, l in got_mid] ==
                [norm_debug(t, want, l) for _, l in binding_lines(t, want, wmid)],
                what + ': the lines at the calls are glibc\'s', r, want)
        # glibc's bindings category includes its "calling init" lines.
        impcalls = re.compile(r'(calling init|initialize program|'
                              r'transferring control): .*(@PROG@|debug_bind_dso)')
        wlines = [l for l in norm_debug(t, want, want.err).splitlines()
                  if impcalls.search(l)]
        glines = [l for l in norm_debug(t, r, r.err).splitlines()
                  if impcalls.search(l)]
        t.check(wlines and glines == wlines,
                what + ': the calling init / transferring control lines are '
                'glibc\'s: %s' % wlines, r)
        # glibc prints "calling fini" for every initialised object, those
        # without destructors too (libc.so.6), with its link-map name: ""
        # for the program. The loader's own line is glibc's alone.
        finis = re.compile(r'calling fini: (?!.*(ld-linux|myld))')
        wlines = [l for l in norm_debug(t, want, want.err).splitlines()
                  if finis.search(l)]
        glines = [l for l in norm_debug(t, r, r.err).splitlines()
                  if finis.search(l)]
        t.check(len(wlines) >= 3 and glines == wlines,
                what + ': the calling fini lines are glibc\'s: %s' % wlines,
                r)

    r = t.run_prog('debug_bind', extra={'LD_DEBUG': 'help'})
    want = t.run_prog('debug_bind', extra={'LD_DEBUG': 'help'}, reference=True)
    t.check(r.rc == 0 and MARK_BEFORE not in r.err and 'pid' not in r.out,
            'LD_DEBUG=help: exit 0 without running the program', r)
    for c in GLIBC_DEBUG_CATEGORIES:
        t.check(re.search(r'^  %s +\S' % c, r.out, re.M) is not None,
                'LD_DEBUG=help lists %s on stdout' % c, r)
    missing = [l for l in want.out.splitlines() if l not in r.out.splitlines()]
    t.check(want.rc == 0 and not missing,
            'LD_DEBUG=help: every line of glibc\'s help text is there '
            '(missing: %s)' % missing, r, want)

    env = {'LD_DEBUG': 'bogus,bindings'}
    r = t.run_prog('debug_bind', extra=env)
    warning = 'warning: debug option `bogus\' unknown; try LD_DEBUG=help'
    t.check(r.rc == 0 and warning in r.err.splitlines(),
            'LD_DEBUG=bogus,bindings: glibc\'s warning, and the program runs', r)
    pre, mid = debug_parts(t, r, 'LD_DEBUG=bogus,bindings')
    t.check([k for k, _ in binding_lines(t, r, mid)] == ['foo', 'getpid'],
            'LD_DEBUG=bogus,bindings: bindings still traced', r)
    want = t.run_prog('debug_bind', extra=env, reference=True)
    t.check(warning in want.err.splitlines(),
            'LD_DEBUG=bogus,bindings: glibc gives the same warning', want)

    debug_twice(t)

    out = os.path.join(t.work, 'debug-out', 'trace')
    os.makedirs(os.path.dirname(out))
    r = t.run_prog('debug_bind', extra={'LD_DEBUG': 'bindings',
                                        'LD_DEBUG_OUTPUT': out})
    pid = program_pid(r)
    files = os.listdir(os.path.dirname(out))
    t.check(r.rc == 0 and files == ['trace.%d' % pid],
            'LD_DEBUG_OUTPUT: exactly the file trace.%d (the program\'s pid), '
            'got %s' % (pid, files), r)
    t.check('binding file' not in r.err and MARK_BEFORE in r.err,
            'LD_DEBUG_OUTPUT: no trace on stderr', r)
    if files:
        with open(os.path.join(os.path.dirname(out), files[0])) as f:
            text = f.read()
        foo = [k for k, _ in binding_lines(t, r, text.splitlines())]
        t.check('foo' in foo, 'LD_DEBUG_OUTPUT: the file has the binding of '
                'debug_bind_foo', r)


# -- ldd mode ----------------------------------------------------------------

def ldd(t, path):
    return t.run(['ldd', path], loader=SYSTEM_LOADER)


def list_ctor_clean(t, what, cwd):
    left = sorted(f for f in os.listdir(cwd) if f.startswith('list_ctor.'))
    t.check(not left, what + ': no code of the program or its libraries ran '
            '(left: %s)' % left)


def fresh_dir(t, name):
    return tempfile.mkdtemp(prefix=name + '-', dir=t.work)


def scenario_list(t):
    programs = [('ls', '/bin/ls', True), ('python3', '/usr/bin/python3', True),
                ('list_ctor', None, False), ('lazy_float', None, False),
                ('list_missing', None, False)]
    libraries = ['/lib/x86_64-linux-gnu/libm.so.6',
                 os.path.join(t.bindir, 'liblist_ctor_dso.so')]
    # (name, the file ldd lists, the file LOADER lists in this mode)
    targets = []
    for name, path, system in programs:
        if system:
            targets.append((name, path, t.system_prog(path)))
        else:
            targets.append((name, t.prog(name, reference=True), t.prog(name)))
    if t.mode == 'explicit':
        targets += [(os.path.basename(p), p, p) for p in libraries]

    for name, orig, path in targets:
        want = ldd(t, orig)
        t.check(want.rc == 0 and want.out, 'ldd %s works' % name, want)
        cwd = fresh_dir(t, 'trace')
        r = t.run(t.argv(path), {'LD_TRACE_LOADED_OBJECTS': '1'}, cwd)
        # Through PT_INTERP the loader's own line names LOADER, where ldd's
        # names the system loader (the PT_INTERP of the original).
        got = (r.out + r.err).replace('\t%s (' % t.loader,
                                      '\t%s (' % SYSTEM_LOADER)
        t.check(r.rc == want.rc and runner.mask_addresses(got) ==
                runner.mask_addresses(want.out),
                'LD_TRACE_LOADED_OBJECTS=1 %s: ldd\'s lines' % name, r, want)
        list_ctor_clean(t, 'LD_TRACE_LOADED_OBJECTS=1 ' + name, cwd)
        if name == 'list_missing':
            t.check('\tlibenv_list_absent.so => not found\n' in r.out,
                    'list_missing: "libenv_list_absent.so => not found"', r)
        if t.mode != 'explicit':
            continue
        cwd = fresh_dir(t, 'list')
        r = t.run([t.loader, '--list', path], cwd=cwd)
        glibc = t.run([SYSTEM_LOADER, '--list', path], cwd=fresh_dir(t, 'list'),
                      loader=SYSTEM_LOADER)
        list_ctor_clean(t, '--list ' + name, cwd)
        # ldd's lines when glibc lists; glibc's failure otherwise (a missing
        # library: glibc's line first, which myld may extend).
        ref = want if glibc.rc == 0 else glibc
        t.check(r.rc == glibc.rc and runner.mask_addresses(r.out) ==
                runner.mask_addresses(ref.out) and
                bool(r.err) == bool(glibc.err) and
                all(r.err.startswith(l) for l in glibc.err.splitlines()[:1]),
                '--list %s: %s' % (name, 'ldd\'s lines' if glibc.rc == 0 else
                                   'exit status %d and glibc\'s error'
                                   % glibc.rc), r, ref)

    # Sanity: a normal run does leave all three files.
    cwd = fresh_dir(t, 'run')
    r = t.run_prog('list_ctor', cwd=cwd)
    left = sorted(f for f in os.listdir(cwd) if f.startswith('list_ctor.'))
    t.check(r.rc == 0 and left == ['list_ctor.dso_ctor', 'list_ctor.dso_ifunc',
                                   'list_ctor.prog_ctor'],
            'a normal run of list_ctor runs both constructors and the IFUNC '
            'resolver (%s)' % left, r)

    if t.mode == 'explicit':
        scenario_verify(t)


def scenario_verify(t):
    text = os.path.join(t.work, 'text.txt')
    with open(text, 'w') as f:
        f.write('not an ELF file\n')
    # glibc: 0 has PT_INTERP, 2 dynamic without PT_INTERP, 1 not dynamic.
    cases = [(t.prog('list_ctor'), 0), ('/bin/ls', 0),
             ('/lib/x86_64-linux-gnu/libc.so.6', 0),
             (os.path.join(t.bindir, 'liblist_ctor_dso.so'), 2),
             ('/sbin/ldconfig', 2), (os.path.join(t.bindir, 'list_static'), 1),
             (text, 1), (os.path.join(t.work, 'nonexistent'), 1), (t.work, 1)]
    for path, code in cases:
        r = t.run([t.loader, '--verify', path])
        t.check(r.rc == code and r.out == '',
                '--verify %s: exit status %d (glibc\'s), got %s'
                % (path, code, r.rc), r)


# -- ldd's modes ---------------------------------------------------------------

LDD_MODES = {'-v': {'LD_VERBOSE': 'yes'}, '-d': {'LD_WARN': 'yes'},
             '-r': {'LD_WARN': 'yes', 'LD_BIND_NOW': 'yes'},
             '-u': {'LD_DEBUG': 'unused'}}


def ldd_modes_build(d):
    """Programs whose libraries lost a function and a data object."""
    sources = {
        'lib.c': 'int gone(void) { return 1; }\nint gone_data = 2;\n',
        'libnew.c': 'int other(void) { return 3; }\n',
        'prog.c': '#include <stdio.h>\nint gone(void); extern int gone_data;\n'
                  'int main(int c, char **v) { puts("ran");\n'
                  ' return c > 5 ? gone() + gone_data : 0; }\n',
        'unused.c': 'int main(void) { return 0; }\n'}
    for name, text in sources.items():
        with open(os.path.join(d, name), 'w') as f:
            f.write(text)
    for cmd in (['-shared', '-fPIC', '-o', 'libold.so', 'lib.c',
                 '-Wl,-soname,libold.so'],
                ['-o', 'prog', 'prog.c', '-L.', '-lold', '-Wl,-rpath,$ORIGIN',
                 '-Wl,-z,lazy'],
                ['-shared', '-fPIC', '-o', 'libold.so', 'libnew.c',
                 '-Wl,-soname,libold.so'],
                ['-o', 'unused', 'unused.c', '-Wl,--no-as-needed', '-lm',
                 '-lz']):
        subprocess.run(['gcc'] + cmd, check=True, cwd=d, capture_output=True)
    return [os.path.join(d, 'prog'), os.path.join(d, 'unused')]


def scenario_ldd_modes(t):
    d = os.path.join(t.work, 'ldd')
    os.mkdir(d)
    progs = ['/bin/ls', '/usr/bin/python3'] + ldd_modes_build(d)

    def trace(prog, extra, reference=False):
        """prog in list mode, under glibc's ld.so explicitly (reference),
        else under LOADER in this mode: in interp mode a patched copy, its
        path masked as prog's and its PT_INTERP (LOADER, listed where glibc
        lists itself) as the system loader."""
        env = dict(extra, LD_TRACE_LOADED_OBJECTS='1')
        if t.mode == 'interp' and not (reference or t.reference):
            copy = t.system_prog(prog)
            r = t.run([copy], env, d, prog=prog)
            pairs = [(copy, prog), (t.loader, SYSTEM_LOADER)]
        else:
            loader = SYSTEM_LOADER if reference else t.loader
            r, pairs = t.run([loader, prog], env, d, loader, prog), []
        r.out, r.err = (runner.mask_addresses(runner.replace_paths(x, pairs))
                        for x in (r.out, r.err))
        return r

    for prog in progs:
        for flag, extra in LDD_MODES.items():
            t.same('ldd %s %s' % (flag, prog), trace(prog, extra),
                   trace(prog, extra, reference=True))
    ran = [p for p in progs[2:] if 'ran' in trace(p, {}).out]
    t.check(not ran, 'no program ran in list mode (ran: %s)' % ran)


# -- LD_PRELOAD ----------------------------------------------------------------

MALLOC_DEBUG = '/lib/x86_64-linux-gnu/libc_malloc_debug.so.0'


def preload_expect(time='real', uid='real', gid='real', order='none'):
    # The fixed time says preload a is in, gid 4343 that b is. Each one's
    # puts adds its mark and goes on through RTLD_NEXT: the first preload
    # first, then the other (RTLD_NEXT from a preload searches the global
    # scope after it), then libc's.
    marks = [p for p, there in (('a', time == 'fixed'), ('b', gid == '4343'))
             if there]
    marks.sort(key=lambda p: p != order)
    puts = ''.join('[preload %s] ' % p for p in marks) + \
        'preload: this line went through puts'
    return ['preload: time=' + time, 'preload: uid=' + uid,
            'preload: gid=' + gid, puts,
            'preload: first env_preload_order: ' + order]


def scenario_preload(t):
    a = os.path.join(t.bindir, 'libenv_preload_a.so')
    b = os.path.join(t.bindir, 'libenv_preload_b.so')
    both_a = preload_expect('fixed', '4242', '4343', 'a')
    nope = ("ERROR: ld.so: object '%s' from %s cannot be preloaded "
            "(cannot open shared object file): ignored.\n")
    # A copy of a library whose EI_CLASS says 32-bit.
    wrong_class = os.path.join(t.work, 'libenv_preload_32.so')
    with open(a, 'rb') as f:
        image = bytearray(f.read())
    image[4] = 1
    with open(wrong_class, 'wb') as f:
        f.write(image)
    cases = [
        ('no preload', {}, [], preload_expect(), ''),
        ('a path', {'LD_PRELOAD': a}, [],
         preload_expect('fixed', '4242', 'real', 'a'), ''),
        ('space-separated', {'LD_PRELOAD': ' %s  %s ' % (a, b)}, [], both_a, ''),
        ('colon-separated', {'LD_PRELOAD': '%s:%s' % (b, a)}, [],
         preload_expect('fixed', '4242', '4343', 'b'), ''),
        ('names via LD_LIBRARY_PATH',
         {'LD_PRELOAD': 'libenv_preload_a.so libenv_preload_b.so',
          'LD_LIBRARY_PATH': t.bindir}, [], both_a, ''),
        ('a missing name', {'LD_PRELOAD': 'libenv_nope.so:' + a}, [],
         preload_expect('fixed', '4242', 'real', 'a'),
         nope % ('libenv_nope.so', 'LD_PRELOAD')),
        ('a missing path', {'LD_PRELOAD': '/nonexistent-env/libx.so'}, [],
         preload_expect(), nope % ('/nonexistent-env/libx.so', 'LD_PRELOAD')),
        # glibc's reason keeps its detail: "wrong ELF class: ELFCLASS32".
        ('a 32-bit file', {'LD_PRELOAD': wrong_class}, [], preload_expect(),
         "ERROR: ld.so: object '%s' from LD_PRELOAD cannot be preloaded "
         "(wrong ELF class: ELFCLASS32): ignored.\n" % wrong_class),
    ]
    # mtrace: at exit libc's __libc_freeres frees what it thinks the
    # loader allocated with libc's malloc (GL(dl_all_dirs) and more).
    if os.path.exists(MALLOC_DEBUG):
        cases.append(('malloc tracing', {'LD_PRELOAD': MALLOC_DEBUG,
                                         'MALLOC_TRACE': os.path.join(
                                             t.work, 'mtrace.txt')},
                      [], preload_expect(), ''))
    if t.mode == 'explicit':
        cases += [
            ('--preload list', {}, ['--preload', '%s:%s' % (a, b)], both_a, ''),
            ('--preload name', {}, ['--library-path', t.bindir, '--preload',
                                    'libenv_preload_b.so'],
             preload_expect('real', 'real', '4343', 'b'), ''),
            ('--preload missing', {}, ['--preload', 'libenv_nope.so'],
             preload_expect(), nope % ('libenv_nope.so', '--preload')),
        ]
    for what, extra, options, lines, err in cases:
        r = t.run_prog('preload', extra=extra, options=options)
        t.check(r.rc == 0 and r.out.splitlines() == lines and r.err == err,
                'preload, %s: %s' % (what, lines[-1]), r)
        t.same('preload, ' + what, r,
               t.run_prog('preload', extra=extra, options=options,
                          reference=True))

    dates = {'LD_PRELOAD': a, 'LD_LIBRARY_PATH': t.bindir}
    real = [('/usr/bin/id', ['-u'], {'LD_PRELOAD': a}, '4242\n'),
            ('/usr/bin/id', ['-g'], {'LD_PRELOAD': 'libenv_preload_b.so',
                                     'LD_LIBRARY_PATH': t.bindir}, '4343\n'),
            ('/usr/bin/date', ['-u', '+%s'], dates, '1000000000\n'),
            ('/usr/bin/date', ['-u'], {'LD_PRELOAD': a + ' ' + b},
             'Sun Sep  9 01:46:40 UTC 2001\n')]
    for path, args, extra, out in real:
        what = '%s %s with LD_PRELOAD=%s' % (path, ' '.join(args),
                                             extra['LD_PRELOAD'])
        r = t.run_system(path, args, extra)
        t.check(r.rc == 0 and r.out == out and r.err == '',
                '%s: prints %r' % (what, out), r)
        t.same(what, r, t.run_system(path, args, extra, reference=True))


# -- LD_SHOW_AUXV --------------------------------------------------------------

AUXV_LINE = re.compile(r'^(AT_[A-Z0-9_]+:|AT_\?\?\? \(0x[0-9a-f]+\):)( +)(.*)$')
AUXV_ADDRESSES = {'AT_SYSINFO_EHDR:', 'AT_PHDR:', 'AT_BASE:', 'AT_ENTRY:',
                  'AT_RANDOM:'}


def auxv(r):
    return [AUXV_LINE.match(l) for l in r.out.splitlines()
            if l.startswith('AT_')]


def scenario_auxv(t):
    runs = [('debug_bind', t.run_prog('debug_bind', extra={'LD_SHOW_AUXV': '1'}),
             t.run_prog('debug_bind', extra={'LD_SHOW_AUXV': '1'}, reference=True)),
            ('true', t.run_system('/bin/true', extra={'LD_SHOW_AUXV': '1'}),
             t.run_system('/bin/true', extra={'LD_SHOW_AUXV': '1'},
                          reference=True))]
    for name, r, want in runs:
        got, ref = auxv(r), auxv(want)
        t.check(r.rc == 0 and got and all(got),
                'LD_SHOW_AUXV %s: every AT_ line in glibc\'s shape' % name, r)
        t.check([m and m.group(1) for m in got] == [m and m.group(1) for m in ref],
                'LD_SHOW_AUXV %s: the same keys in the same order as glibc'
                % name, r, want)
        if not (all(got) and all(ref)) or len(got) != len(ref):
            continue
        for g, w in zip(got, ref):
            key = g.group(1)
            if g.group(2) != w.group(2):
                t.fail('LD_SHOW_AUXV %s: %s is padded as glibc\'s' % (name, key),
                       r, want)
            if key in AUXV_ADDRESSES:
                ok = re.fullmatch(r'0x[0-9a-f]+', g.group(3)) is not None
            elif key == 'AT_PHNUM:':
                # patchelf may add program headers to the interp copy.
                ok = re.fullmatch(r'[0-9]+', g.group(3)) is not None
            elif key == 'AT_EXECFN:':
                ok = g.group(3).startswith('/')
            else:
                ok = g.group(3) == w.group(3)
            if not ok:
                t.fail('LD_SHOW_AUXV %s: %s value %r, glibc %r'
                       % (name, key, g.group(3), w.group(3)), r, want)
        if t.mode == 'explicit':
            # glibc prints the vector as the kernel gave it to the loader,
            # before adjusting it for the program it then loads.
            execfn = [m.group(3) for m in got if m.group(1) == 'AT_EXECFN:']
            t.check(execfn == [r.argv[0]],
                    'LD_SHOW_AUXV %s: explicit mode shows the kernel\'s '
                    'vector, AT_EXECFN = the loader, as glibc (got %s)'
                    % (name, execfn), r, want)
        rest = [l for l in r.out.splitlines() if not l.startswith('AT_')]
        wrest = [l for l in want.out.splitlines() if not l.startswith('AT_')]
        t.check([re.sub(r'\d+', 'N', l) for l in rest] ==
                [re.sub(r'\d+', 'N', l) for l in wrest],
                'LD_SHOW_AUXV %s: then the program runs as usual' % name, r, want)


# -- secure mode ---------------------------------------------------------------

def suid_capable_dir(t):
    """A directory on a mount without nosuid that nobody can traverse."""
    for base in [tempfile.gettempdir(), '/tmp', '/var/tmp', t.bindir]:
        if not os.path.isdir(base):
            continue
        try:
            opts = subprocess.run(['findmnt', '-n', '-o', 'OPTIONS', '-T', base],
                                  capture_output=True, text=True).stdout
        except OSError:
            opts = ''
        if 'nosuid' in opts.split(','):
            print('note: %s is mounted nosuid' % base)
            continue
        p, ok = os.path.realpath(base), True
        while p != '/':
            ok &= bool(os.stat(p).st_mode & stat.S_IXOTH)
            p = os.path.dirname(p)
        if ok:
            return base
    return None


def secure_env(d, out):
    env = dict(UNSAFE_ENV)
    env.update({'LD_PRELOAD': os.path.join(d, 'libenv_secure_preload.so'),
                'LD_LIBRARY_PATH': os.path.join(d, 'llp'),
                'LD_DEBUG': 'all', 'LD_DEBUG_OUTPUT': os.path.join(out, 'dbg'),
                'LD_SHOW_AUXV': '1', 'ENV_SECURE_KEEP': 'kept'})
    return env


def environ_of(r):
    return dict(l[4:].split('=', 1) for l in r.out.splitlines()
                if l.startswith('env ') and '=' in l)


def scenario_secure(t):
    if t.reference and t.mode == 'explicit':
        print('SKIP: glibc\'s ld.so cannot run set-user-ID explicitly '
              '(rtld.c: _dl_start_args_adjust asserts)')
        return SKIP
    if os.geteuid() != 0:
        print('SKIP: not root: cannot make a set-user-ID copy owned by nobody')
        return SKIP
    try:
        import pwd
        nobody = pwd.getpwnam('nobody').pw_uid
    except (ImportError, KeyError):
        print('SKIP: no user nobody')
        return SKIP
    base = suid_capable_dir(t)
    if not base:
        print('SKIP: no directory on a mount that allows set-user-ID')
        return SKIP
    d = tempfile.mkdtemp(prefix='env-secure-', dir=base)
    try:
        return secure_in(t, d, nobody)
    finally:
        if not t.keep:
            shutil.rmtree(d, ignore_errors=True)


def secure_in(t, d, nobody):
    os.chmod(d, 0o755)
    out = os.path.join(d, 'out')
    os.makedirs(os.path.join(d, 'llp'))
    os.mkdir(out)
    os.chmod(out, 0o1777)
    prog = os.path.join(d, 'secure')
    shutil.copy(t.prog('secure'), prog)
    shutil.copy(os.path.join(t.bindir, 'libenv_secure_dso.so'), d)
    shutil.copy(os.path.join(t.bindir, 'libenv_secure_dso_llp.so'),
                os.path.join(d, 'llp', 'libenv_secure_dso.so'))
    shutil.copy(os.path.join(t.bindir, 'libenv_secure_preload.so'), d)
    if t.mode == 'explicit':
        suid = os.path.join(d, os.path.basename(t.loader))
        shutil.copy(t.loader, suid)
        loader, argv = suid, [suid, prog]
    else:
        suid, loader = prog, t.loader
        argv = [prog]
    env = secure_env(d, out)

    # The same run without the set-user-ID bit: everything takes effect.
    r = t.run(argv, env, cwd=d, loader=loader)
    seen = environ_of(r)
    t.check(r.rc == 0 and 'secure: uid=4242 euid=0' in r.out and
            'secure: the preload library was loaded' in r.err,
            'control run: LD_PRELOAD interposes getuid', r)
    t.check('secure: dlopen found llp' in r.out,
            'control run: dlopen finds the library in LD_LIBRARY_PATH', r)
    t.check(all(k in seen for k in env), 'control run: every variable is in '
            'the environment (missing %s)' % [k for k in env if k not in seen], r)
    t.check(any(l.startswith('AT_') for l in r.out.splitlines()),
            'control run: LD_SHOW_AUXV prints the auxiliary vector', r)
    traces = os.listdir(out)
    t.check(traces, 'control run: LD_DEBUG writes to LD_DEBUG_OUTPUT', r)
    for f in traces:
        os.unlink(os.path.join(out, f))
    r = t.run(argv, dict(env, LD_LIBRARY_PATH=''), cwd=d, loader=loader)
    t.check('secure: dlopen found origin' in r.out,
            'control run: dlopen finds the library through $ORIGIN', r)
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))

    os.chown(suid, nobody, -1)
    os.chmod(suid, 0o4755)
    r = t.run(argv, env, cwd=d, loader=loader)
    if 'secure: uid=' in r.out and ' euid=%d\n' % nobody not in r.out:
        print('SKIP: the set-user-ID bit took no effect here (no_new_privs, '
              'a user namespace?)')
        print(r.describe())
        return SKIP
    seen = environ_of(r)
    t.check(r.rc == 0 and 'secure: uid=0 euid=%d' % nobody in r.out,
            'set-user-ID run: runs, getuid not interposed', r)
    t.check('secure: the preload library was loaded' not in r.err,
            'set-user-ID run: LD_PRELOAD ignored', r)
    t.check('secure: dlopen found nothing' in r.out,
            'set-user-ID run: LD_LIBRARY_PATH and $ORIGIN ignored', r)
    t.check(not re.search(r'^ *\d+:\t', r.err, re.M) and not os.listdir(out),
            'set-user-ID run: LD_DEBUG and LD_DEBUG_OUTPUT ignored', r)
    t.check(not any(l.startswith('AT_') for l in r.out.splitlines()),
            'set-user-ID run: LD_SHOW_AUXV ignored', r)
    left = sorted(k for k in env if k in seen and
                  k not in ('ENV_SECURE_KEEP', 'MALLOC_CHECK_'))
    t.check(not left, 'set-user-ID run: glibc\'s unsafe variables '
            '(unsecvars.h) are gone from the environment (left: %s)' % left, r)
    t.check('MALLOC_CHECK_' not in seen, 'set-user-ID run: MALLOC_CHECK_ '
            '(alias of a tunable glibc erases in secure mode) is gone', r)
    t.check(seen.get('ENV_SECURE_KEEP') == 'kept',
            'set-user-ID run: other variables are kept', r)
    return None


# -- the explicit command line -------------------------------------------------

def loader_run(t, args, extra=None, reference=False, cwd=None):
    """`LOADER ARGS` (or the system loader's), outputs with the loader's
    path as @LOADER@."""
    loader = SYSTEM_LOADER if reference else t.loader
    r = t.run([loader] + list(args), extra, cwd,
              SYSTEM_LOADER if reference else None)
    r.out, r.err = (runner.replace_paths(x, runner.real(loader, '@LOADER@'))
                    for x in (r.out, r.err))
    return r


def command_self(t):
    """The loader run on itself (glibc's tst-rtld-load-self)."""
    for target in (t.loader, SYSTEM_LOADER):
        name = 'LOADER' if target == t.loader else 'glibc\'s ld.so'
        r = loader_run(t, [target])
        t.check(r.rc == 127 and r.out == '' and r.err ==
                'ld-linux-x86-64.so.2: loader cannot load itself\n',
                'LOADER %s: glibc\'s "loader cannot load itself", 127' % name, r)
        r = loader_run(t, ['--list', target])
        t.check(r.rc == 0 and r.out == '\tstatically linked\n' and r.err == '',
                '--list %s: "statically linked", 0' % name, r)
        r = loader_run(t, ['--verify', target])
        t.check(r.rc == 2 and r.out == '' and r.err == '',
                '--verify %s: 2 (dynamic, no PT_INTERP)' % name, r)
    r = loader_run(t, [SYSTEM_LOADER])
    t.same('LOADER LOADER', r, loader_run(t, [SYSTEM_LOADER], reference=True))


def command_static(t):
    """Static programs run explicitly are handed to the kernel (glibc's
    tst-rtld-run-static)."""
    prog = os.path.join(t.bindir, 'static_args')
    nox = os.path.join(t.work, 'static_args-noexec')
    shutil.copy(prog, nox)
    os.chmod(nox, 0o644)
    env = {'T_STATIC': 'kept'}
    cases = [('static_args', [prog, 'one', 'two words'], 3),
             ('--argv0', ['--argv0', 'renamed', prog, 'x'], 3),
             ('options before it', ['--library-path', '/nonexistent-env',
                                    '--preload', 'libnope.so', prog], 3),
             ('ldconfig (static PIE)', ['/sbin/ldconfig', '--help'], 0),
             ('ldconfig --argv0', ['--argv0', 'ldconfig-argv0',
                                   '/sbin/ldconfig', '--help'], 0),
             ('not executable', [nox], 127)]
    for what, args, rc in cases:
        r = loader_run(t, args, env)
        want = loader_run(t, args, env, reference=True)
        t.check(r.rc == rc, 'static program, %s: exit status %d' % (what, rc), r)
        t.same('static program, ' + what, r, want)
    r = loader_run(t, ['--argv0', 'ldconfig-argv0', '/sbin/ldconfig', '--help'])
    t.check(r.out.startswith('Usage: ldconfig-argv0 [OPTION...]\n'),
            'ldconfig sees argv[0] from --argv0', r)
    r = loader_run(t, [nox])
    t.check(r.err == 'ld-linux-x86-64.so.2: cannot execute %s: EACCES\n' % nox,
            'a static program that cannot be executed: glibc\'s line', r)


def command_tunables(t):
    """--list-tunables: glibc 2.36's list, each tunable with the value libc
    gets (glibc's list-tunables test)."""
    for args in (['--list-tunables'], ['--list-tunables', '/bin/true'],
                 ['--inhibit-cache', '--list-tunables']):
        r = loader_run(t, args)
        want = loader_run(t, args, reference=True)
        t.check(r.rc == 0 and len(r.out.splitlines()) >= 30,
                '%s: the list, exit 0' % ' '.join(args), r)
        t.same(' '.join(args), r, want)


def command_help(t):
    """--help: glibc's text, search path, glibc-hwcaps and legacy HWCAP
    sections line for line (glibc's tst-rtld-help)."""
    llp = {'LD_LIBRARY_PATH': '/nonexistent-e1::/nonexistent-e2/;/e3'}
    cases = [('--help', ['--help'], None),
             ('--help with LD_LIBRARY_PATH', ['--help'], llp),
             ('--library-path then --help',
              ['--library-path', '/nonexistent-x/:/z', '--help'], llp),
             ('--help then --library-path',
              ['--help', '--library-path', '/nonexistent-x'], None),
             ('--inhibit-cache --help', ['--inhibit-cache', '--help'], None),
             ('--help with prepend and mask',
              ['--glibc-hwcaps-prepend', 'foo::bar', '--glibc-hwcaps-mask',
               'x86-64-v3:zz', '--help'], None),
             ('--help with an empty mask',
              ['--glibc-hwcaps-mask', '', '--help'], None)]
    def usage_line(text):
        # The Usage line names the loader as invoked; nothing else may.
        return re.sub(r'^Usage: \S+ ', 'Usage: @LOADER@ ', text)

    for what, args, extra in cases:
        r = t.run([t.loader] + args, extra)
        want = t.run([SYSTEM_LOADER] + args, extra, loader=SYSTEM_LOADER)
        t.check(r.rc == 0 and r.err == '' and
                '\nLegacy HWCAP subdirectories' in r.out,
                '%s: exit 0, every section there' % what, r)
        t.check(usage_line(r.out) == usage_line(want.out),
                '%s: the text and sections glibc prints, line for line'
                % what, r, want)


def scenario_command(t):
    if t.mode != 'explicit':
        return SKIP
    command_self(t)
    command_static(t)
    command_tunables(t)
    command_help(t)


# -- glibc-hwcaps subdirectories ----------------------------------------------

HWCAPS_SUBDIRS = {'v2': 'x86-64-v2', 'v3': 'x86-64-v3', 'v4': 'x86-64-v4',
                  'prepend': 'prepend'}


def hwcaps_tree(t, name, subdirs=('v2', 'v3', 'v4', 'prepend')):
    """A directory NAME/hwcaps-lib holding the base variants of both
    hwcaps libraries, and the other variants in the glibc-hwcaps
    subdirectories given; copies of the hwcaps programs beside it (their
    DT_RUNPATH finds hwcaps-lib). Returns the directory NAME."""
    top = os.path.join(t.work, name)
    lib = os.path.join(top, 'hwcaps-lib')
    for who in ('base',) + tuple(subdirs):
        d = lib if who == 'base' else os.path.join(lib, 'glibc-hwcaps',
                                                    HWCAPS_SUBDIRS[who])
        os.makedirs(d, exist_ok=True)
        for kind in ('needed', 'dl'):
            shutil.copy(os.path.join(t.bindir, 'libenv_hwcaps_%s_%s.so'
                                     % (kind, who)),
                        os.path.join(d, 'libenv_hwcaps_%s.so' % kind))
    for prog in ('hwcaps', 'hwcaps-interp'):
        shutil.copy(os.path.join(t.bindir, prog), top)
    return top


def scenario_hwcaps(t):
    top = hwcaps_tree(t, 'all')
    lib = os.path.join(top, 'hwcaps-lib')
    prog = os.path.join(t.bindir, 'hwcaps')
    copy = os.path.join(top, 'hwcaps')
    llp = {'LD_LIBRARY_PATH': lib}
    cases = [('LD_LIBRARY_PATH', prog, (), llp),
             ('DT_RUNPATH', copy, (), None)]
    if t.mode == 'explicit':
        cases += [
            ('--library-path', prog, ('--library-path', lib), None),
            ('--glibc-hwcaps-prepend', copy,
             ('--glibc-hwcaps-prepend', 'nothere:prepend'), None),
            ('--glibc-hwcaps-mask x86-64-v2', copy,
             ('--glibc-hwcaps-mask', 'x86-64-v2'), None),
            ('--glibc-hwcaps-mask with no such name', copy,
             ('--glibc-hwcaps-mask', 'nothere'), None),
            ('prepend and mask', prog,
             ('--glibc-hwcaps-prepend', 'prepend', '--glibc-hwcaps-mask',
              'x86-64-v3'), llp)]
    for what, path, options, extra in cases:
        r = t.run_prog(path, (), extra, options)
        want = t.run_prog(path, (), extra, options, reference=True)
        t.check(want.rc == 0 and 'needed base' not in want.out or
                'mask' in what,
                'hwcaps %s: glibc finds a glibc-hwcaps variant (the test '
                'means something on this CPU)' % what, want)
        t.same('hwcaps, ' + what, r, want)
    # Only some levels installed: the best one there.
    top = hwcaps_tree(t, 'v2only', subdirs=('v2',))
    r = t.run_prog(os.path.join(top, 'hwcaps'))
    t.same('hwcaps, only x86-64-v2 installed', r,
           t.run_prog(os.path.join(top, 'hwcaps'), reference=True))
    t.check(r.out.splitlines()[:2] == ['hwcaps: needed v2', 'hwcaps: dlopen v2'],
            'hwcaps, only x86-64-v2 installed: v2 for both', r)
    # glibc 2.36's legacy subdirectories: tls/ before x86_64/, both before
    # the directory itself (the "prepend" and "v3" variants stand in).
    top = hwcaps_tree(t, 'legacy', subdirs=())
    lib = os.path.join(top, 'hwcaps-lib')
    for who, sub in (('prepend', 'tls'), ('v3', 'x86_64')):
        os.makedirs(os.path.join(lib, sub), exist_ok=True)
        for kind in ('needed', 'dl'):
            shutil.copy(os.path.join(t.bindir, 'libenv_hwcaps_%s_%s.so'
                                     % (kind, who)),
                        os.path.join(lib, sub, 'libenv_hwcaps_%s.so' % kind))
    r = t.run_prog(os.path.join(top, 'hwcaps'))
    t.same('hwcaps, legacy tls/ and x86_64/', r,
           t.run_prog(os.path.join(top, 'hwcaps'), reference=True))
    t.check(r.out.splitlines()[:2] == ['hwcaps: needed prepend',
                                       'hwcaps: dlopen prepend'],
            'hwcaps, legacy tls/ and x86_64/: the tls/ variant for both', r)
    os.rename(os.path.join(lib, 'tls'), os.path.join(lib, 'tls-off'))
    r = t.run_prog(os.path.join(top, 'hwcaps'))
    t.same('hwcaps, legacy x86_64/', r,
           t.run_prog(os.path.join(top, 'hwcaps'), reference=True))
    t.check(r.out.splitlines()[:2] == ['hwcaps: needed v3', 'hwcaps: dlopen v3'],
            'hwcaps, legacy x86_64/: the x86_64/ variant for both', r)


# -- valgrind -----------------------------------------------------------------

def scenario_valgrind(t):
    valgrind = shutil.which('valgrind', path='/usr/bin:/bin')
    if not valgrind:
        print('SKIP: valgrind is not installed')
        return SKIP
    vg = [valgrind, '-q', '--error-exitcode=1']
    a = os.path.join(t.bindir, 'libenv_preload_a.so')
    runs = [('preload', 'preload', [], {}),
            ('preload with LD_PRELOAD', 'preload', [], {'LD_PRELOAD': a}),
            ('/usr/bin/id -u', '/usr/bin/id', ['-u'], {})]
    for what, name, args, extra in runs:
        which = t.system_prog if name.startswith('/') else t.prog
        got = t.run(vg + t.argv(which(name), args), extra)
        want = t.run(vg + t.argv(which(name, True), args, (), True), extra,
                     loader=SYSTEM_LOADER)
        t.check(want.rc == 0, 'valgrind %s under glibc\'s loader works' % what,
                want)
        t.check(got.rc == 0 and got.err == '',
                'valgrind %s: starts (strlen in the loader\'s symbols), no '
                'error, __libc_freeres at exit is clean' % what, got)
        t.same('valgrind ' + what, got, want)


SCENARIOS = {
    'lazy_float': scenario_lazy_float,
    'lazy_undef': scenario_lazy_undef,
    'lazy_race': scenario_lazy_race,
    'bindnow': scenario_bindnow,
    'debug': scenario_debug,
    'list': scenario_list,
    'ldd_modes': scenario_ldd_modes,
    'preload': scenario_preload,
    'auxv': scenario_auxv,
    'secure': scenario_secure,
    'valgrind': scenario_valgrind,
    'command': scenario_command,
    'hwcaps': scenario_hwcaps,
}


def main():
    return runner.scenario_main(__doc__, SCENARIOS, Runner,
                                'the system loader')


if __name__ == '__main__':
    sys.exit(main())
