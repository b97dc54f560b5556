#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run one launch cache scenario (issue 10) under a loader, in one mode.

Usage:
  run_launch.py --loader LOADER --mode explicit|interp --scenario NAME
                --bindir DIR [--patchelf PATH] [--keep] [--verbose]

LOADER is the loader under test (myld.so), or the system loader
/lib64/ld-linux-x86-64.so.2 (the reference suite): glibc ignores
MYLD_CACHE, so there only the output comparisons apply, the checks of
"launch cache:" lines are skipped, and the cache directory must stay
untouched (no entry is ever written). MODE says how LOADER runs a program:
explicit `LOADER [OPTIONS] PROG ARGS`, interp through PT_INTERP (NAME-interp,
or a patchelf copy of a system program). runner.py (shared with the other
suites) runs, compares and proves which loader ran.

How the cache is seen. Every cached run sets LD_DEBUG=statistics and
LD_DEBUG_OUTPUT (so the program's own stdout and stderr stay comparable
with glibc's) and parses the lines "launch cache: used DIR/X.mlc",
"launch cache: not used (REASON)", "launch cache: written DIR/X.mlc" and
"launch cache: not written (REASON)" (X: 16 hex digits; the text after
the pid prefix, leading spaces free). A cold start must say "not used"
with the expected REASON and normally "written"; a warm start "used",
naming the entry, and never "written"; a line with "launch cache:" in
another shape is a failure. Every run's exit status, stdout and stderr
must equal the system loader's (the program's path as @PROG@), so a warm
start that loaded or bound anything differently shows.

Scenarios (the program "launch" links liblaunch_dso_a.so, found beside it,
and liblaunch_dso_b.so, found in the second LD_LIBRARY_PATH directory; the
first is empty and probed for both):
  cold_warm  off by default (no lines, no ~/.cache/myld); MYLD_CACHE=DIR
             creates DIR (0700), the cold start writes one 0600 entry named
             X.mlc owned by us and nothing else (no temporary file left),
             the warm start uses that entry and leaves it alone, and a
             third run uses it again; the lines also come on stderr without
             LD_DEBUG_OUTPUT; LD_DEBUG=bindings lines (pids and addresses
             masked) are identical cold and warm, lazily and with
             LD_BIND_NOW=1; explicit mode: --cache DIR works like
             MYLD_CACHE, and shares its entries; an empty MYLD_CACHE means
             $XDG_CACHE_HOME/myld, else $HOME/.cache/myld; a DIR whose
             parent is missing is not created and nothing is written; list
             mode (LD_TRACE_LOADED_OBJECTS=1) writes no entry.
  changed    lib a replaced at its path (a new inode, another variant):
             "changed: PATH", the new variant's output, rewritten, then
             used; lib a touched (only its mtime, by one nanosecond):
             changed; a copy of lib b (another variant) moved into the
             first, empty LD_LIBRARY_PATH directory: changed (that
             directory), the moved copy's output; moved out again: changed,
             the first variant's output again.
  key        another LD_LIBRARY_PATH (reordered), LD_BIND_NOW=1,
             LD_BIND_NOT=1, LD_PRELOAD, GLIBC_TUNABLES, and explicitly
             --library-path, --inhibit-cache, --preload: "no entry" (another
             key), the right output, then used; the first environment still
             uses the first entry; a relative LD_LIBRARY_PATH from another
             cwd (whose directory of that name holds the other variant):
             no entry, the other variant's output.
  ldcache    /etc/ld.so.cache rebuilt: in a private mount namespace
             (unshare -m, root) a copy of it bind-mounted over it (a new
             identity, the same content): not used, the same output,
             written; in a second namespace with the same copy: used;
             outside again: the first entry is used. Skipped (77) unless
             root and unshare -m and mount --bind work.
  tamper     the entry truncated (to half, to nothing), a byte flipped (at
             the start, the middle, the end): "bad file: ...", the same
             output, the entry rewritten (safe again), then used; made
             group- or other-writable, or chowned to nobody (root):
             "unsafe: ...", the same output, and either rewritten (then
             used) or not written (then still not used); DIR made group- or
             other-writable, or chowned to nobody (root): "unsafe: ...",
             "not written", DIR and its entry unchanged.
  secure     a set-user-ID copy (owned by nobody) of launch_sys (libc and
             libm only), or in explicit mode of LOADER itself, run with
             MYLD_CACHE=DIR (and --cache DIR explicitly) where DIR and a
             valid entry are nobody's: under inotify, nothing in DIR is
             opened, created or changed, and the output is glibc's in
             secure mode; the control run as nobody without the bit (with
             setpriv) writes and then uses that entry. Skipped (77) unless
             root on a mount that allows set-user-ID, and under the system
             loader in explicit mode (glibc's ld.so refuses to be
             set-user-ID explicitly).
  system     /bin/ls -la /, python3 -c "import json,ssl; print(1)" and
             git --version, cold then warm (traced: their maps prove which
             loader ran them), each equal to the system loader's run.

Exit status: 0 pass, 1 failure, 77 skipped, 2 bad usage or broken setup.
"""

import ctypes
import os
import pwd
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import runner  # noqa: E402

SYSTEM_LOADER = runner.SYSTEM_LOADER
SKIP = runner.SKIP
ENTRY_NAME = re.compile(r'[0-9a-f]{16}\.mlc')
CACHE_LINE = re.compile(r'launch cache:(.*)$')
# The four shapes of the text after "launch cache:".
SHAPES = [('used', re.compile(r' *used (\S.*)')),
          ('not used', re.compile(r' *not used \((.+)\)')),
          ('written', re.compile(r' *written (\S.*)')),
          ('not written', re.compile(r' *not written \((.+)\)'))]
# A fixed old time for directories the test changes, so that a change
# always gives another mtime, however coarse the file system's clock.
OLD_TIME_NS = 981173106 * 10 ** 9  # 2001-02-03 04:05:06 UTC
LIB_A = 'liblaunch_dso_a.so'
LIB_B = 'liblaunch_dso_b.so'


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
        self.work = tempfile.mkdtemp(prefix='launch-%s-%s-' % (args.scenario,
                                                                 args.mode))
        self.failures = 0
        self.runs = 0
        self.bumps = 0
        os.mkdir(os.path.join(self.work, 'copies'))
        self.copies = runner.InterpCopies(self.loader, os.path.join(
            self.work, 'copies'), args.patchelf)

    # -- running ----------------------------------------------------------

    def run(self, argv, extra=None, cwd=None, loader=None, prog=None,
            trace=False, timeout=180):
        """argv in a clean environment (T_EXPECT_LOADER = loader, default
        LOADER) plus extra; never raises for its status."""
        r = runner.run(argv, runner.clean_env(self.work, extra,
                                              loader or self.loader),
                       cwd or self.work, timeout, trace, prog=prog)
        if self.verbose:
            print(r.describe())
        return r

    def argv(self, path, args=(), options=(), reference=False):
        """How LOADER (or the system loader) runs path in this mode."""
        if self.mode == 'explicit':
            loader = SYSTEM_LOADER if reference else self.loader
            return [loader] + list(options) + [path] + list(args)
        return [path] + list(args)

    def app_prog(self, app, name='launch', reference=False):
        """The copy of program NAME in directory app this mode runs."""
        if self.mode == 'interp' and not (reference or self.reference):
            name += '-interp'
        return os.path.join(app, name)

    def system_prog(self, path, reference=False):
        if self.mode == 'explicit' or reference or self.reference:
            return path
        return self.copies(path)

    def launch(self, path, args=(), extra=None, cache=None, via='env',
               options=(), cwd=None, debug='statistics', to_stderr=False,
               trace=False, wrap=(), reference=False):
        """Run program path under LOADER (or the system loader) with the
        cache in DIR cache (None: off), given by MYLD_CACHE (via 'env') or
        --cache (via 'option', explicit mode), and LD_DEBUG=debug written
        to a fresh LD_DEBUG_OUTPUT (or to stderr). wrap goes before the
        command (unshare). The result also has .debug (the LD_DEBUG text),
        .cache (the launch cache lines as (kind, text)) and .bad (lines
        with "launch cache:" in no known shape)."""
        env = dict(extra or {})
        options = list(options)
        if cache is not None:
            if via == 'option':
                options = ['--cache', cache] + options
            else:
                env['MYLD_CACHE'] = cache
        self.runs += 1
        out = os.path.join(self.work, 'debug', str(self.runs))
        os.makedirs(out)
        if debug:
            env['LD_DEBUG'] = debug
            if not to_stderr:
                env['LD_DEBUG_OUTPUT'] = os.path.join(out, 'trace')
        loader = SYSTEM_LOADER if reference else self.loader
        r = self.run(list(wrap) + self.argv(path, args, options, reference),
                     env, cwd, loader, path, trace)
        texts = []
        for f in sorted(os.listdir(out)):
            with open(os.path.join(out, f), errors='backslashreplace') as fh:
                texts.append(fh.read())
        r.debug = ''.join(texts) + (r.err if to_stderr else '')
        r.cache, r.bad = parse_cache_lines(r.debug)
        if self.verbose and r.debug:
            print('[LD_DEBUG]\n' + r.debug)
        return r

    def run_system(self, path, args=(), cache=None, reference=False):
        """A system program under LOADER (or the system loader), traced:
        its maps at exit must prove which loader ran it."""
        p = self.system_prog(path, reference)
        loader = SYSTEM_LOADER if reference else self.loader
        r = self.launch(p, args, cache=cache, trace=True, reference=reference,
                        debug='statistics' if cache else None)
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
            if getattr(r, 'debug', ''):
                print('[LD_DEBUG]\n' + r.debug)

    def check(self, cond, msg, *results):
        if cond:
            print('ok: ' + msg)
        else:
            self.fail(msg, *results)
        return cond

    def normalise(self, text, r):
        return runner.replace_paths(text, runner.real(r.prog, '@PROG@'))

    def same(self, what, got, want):
        """got (LOADER) and want (the system loader's run) alike: exit
        status, stdout, stderr (the program's path as @PROG@)."""
        problems = runner.compare(want, got, self.normalise)
        return self.check(not problems, '%s: exit status, stdout, stderr as '
                          'under glibc%s' % (what, ''.join(
                              '\n  ' + p for p in problems)), got, want)

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

    def bump(self, path):
        """Give directory path an mtime no run has seen (a fresh old time:
        a change the kernel stamped within the same clock tick as the
        recorded one would otherwise look like no change)."""
        self.bumps += 1
        when = OLD_TIME_NS + self.bumps * 10 ** 9
        os.utime(path, ns=(when, when))


def parse_cache_lines(text):
    """([(kind, argument)], [lines in no known shape]) of LD_DEBUG text."""
    found, bad = [], []
    for line in text.splitlines():
        m = CACHE_LINE.search(line)
        if not m:
            continue
        for kind, shape in SHAPES:
            s = shape.fullmatch(m.group(1).rstrip())
            if s:
                found.append((kind, s.group(1)))
                break
        else:
            bad.append(line)
    return found, bad


def entries(cache):
    """The entry files in DIR cache (none when it is missing)."""
    if not os.path.isdir(cache):
        return []
    return sorted(f for f in os.listdir(cache) if ENTRY_NAME.fullmatch(f))


def identity(path):
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode,
            st.st_uid)


def in_dir(path, cache):
    return (os.path.realpath(os.path.dirname(path)) == os.path.realpath(cache)
            and ENTRY_NAME.fullmatch(os.path.basename(path)) is not None)


# -- what a run must say about the cache ----------------------------------------

class Reason:
    """What "not used (REASON)" must say: a regex for the whole REASON,
    and how messages show it."""

    def __init__(self, pattern, text):
        self.pattern, self.text = pattern, text

    def matches(self, reason):
        return re.fullmatch(self.pattern, reason) is not None


def changed(*paths):
    """"changed: PATH" for any of paths (as given or real, with or without
    a trailing slash)."""
    alts = set()
    for p in paths:
        for q in (p, os.path.realpath(p)):
            q = re.escape(q.rstrip('/'))
            alts.update({q, q + '/'})
    return Reason('changed: (%s)' % '|'.join(sorted(alts)),
                  'changed: ' + ' or '.join(paths))


def either(*reasons):
    return Reason('|'.join('(%s)' % r.pattern for r in reasons),
                  ' | '.join(r.text for r in reasons))


NO_ENTRY = Reason('no entry', 'no entry')
BAD_FILE = Reason(r'bad file: .+', 'bad file: ...')
UNSAFE = Reason(r'unsafe: .+', 'unsafe: ...')
ANY = Reason(r'.+', '...')


def expect(t, r, what, cache, used, reason=None, written=None):
    """Check r's launch cache lines: used (the warm start, naming an entry
    in cache), or not used for reason (a Reason); then
    written (True: "written" naming an entry in cache, which is then a safe
    file of ours; False: "not written"; None: either, "written" checked as
    True). Returns the entry
    named (used or written), or None. Under the system loader: no line at
    all, and no entry in cache."""
    if t.reference:
        t.check(not r.cache and not r.bad and not entries(cache),
                '%s: glibc ignores MYLD_CACHE (no launch cache line, no '
                'entry in %s)' % (what, cache), r)
        return None
    t.check(not r.bad, '%s: every "launch cache:" line has one of the four '
            'shapes (bad: %s)' % (what, r.bad), r)
    first = [(k, a) for k, a in r.cache if k in ('used', 'not used')]
    last = [(k, a) for k, a in r.cache if k in ('written', 'not written')]
    entry = None
    if used:
        ok = (len(first) == 1 and first[0][0] == 'used' and
              in_dir(first[0][1], cache) and os.path.isfile(first[0][1]))
        t.check(ok, '%s: warm start, "launch cache: used %s/X.mlc" (got %s)'
                % (what, cache, r.cache), r)
        t.check(not [k for k, _ in last if k == 'written'],
                '%s: a warm start writes no entry' % what, r)
        if ok:
            entry = first[0][1]
    else:
        t.check(len(first) == 1 and first[0][0] == 'not used' and
                reason.matches(first[0][1]),
                '%s: cold start, "launch cache: not used (%s)" (got %s)'
                % (what, reason.text, r.cache), r)
    if written is None and [k for k, _ in last if k == 'written']:
        written = True
    if written is True:
        ok = (len(last) == 1 and last[0][0] == 'written' and
              in_dir(last[0][1], cache) and os.path.isfile(last[0][1]))
        t.check(ok, '%s: "launch cache: written %s/X.mlc" (got %s)'
                % (what, cache, r.cache), r)
        if ok:
            entry = last[0][1]
            check_entry(t, what, entry, r)
    elif written is False:
        t.check(len(last) == 1 and last[0][0] == 'not written',
                '%s: "launch cache: not written (...)" (got %s)'
                % (what, r.cache), r)
    if not used and written is not None and first and last:
        t.check(r.cache.index(first[0]) < r.cache.index(last[0]),
                '%s: "used"/"not used" comes before "written"' % what, r)
    if os.path.isdir(cache):
        left = [f for f in os.listdir(cache) if not ENTRY_NAME.fullmatch(f)]
        t.check(not left, '%s: no other file in %s (a temporary file left?): '
                '%s' % (what, cache, left), r)
    return entry


def check_entry(t, what, entry, r):
    st = os.lstat(entry)
    t.check(stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o600
            and st.st_uid == os.geteuid() and st.st_size > 0,
            '%s: the entry is a regular file of ours, mode 0600, not empty '
            '(mode %o, uid %d, %d bytes)' % (what, st.st_mode, st.st_uid,
                                            st.st_size), r)


def cold_warm(t, what, path, want, cache, reason=NO_ENTRY, **kw):
    """A cold start (not used for reason, written), then a warm start that
    uses what it wrote; both as under glibc (want). Returns the entry."""
    cold = t.launch(path, cache=cache, **kw)
    t.same(what + ', cold', cold, want)
    entry = expect(t, cold, what + ', cold', cache, False, reason, True)
    before = identity(entry) if entry else None
    warm = t.launch(path, cache=cache, **kw)
    t.same(what + ', warm', warm, want)
    used = expect(t, warm, what + ', warm', cache, True)
    if entry and used:
        t.check(os.path.realpath(used) == os.path.realpath(entry),
                '%s: the warm start uses the entry the cold one wrote'
                % what, warm)
        t.check(identity(entry) == before,
                '%s: the warm start leaves the entry as it was' % what, warm)
    return entry


# -- the test program's directories ----------------------------------------------

class App:
    """work/NAME/app: launch and launch-interp beside lib a (variant a);
    work/NAME/early (empty) and work/NAME/llp (lib b, variant b), the
    LD_LIBRARY_PATH early:llp; work/NAME/stash holds the other variants."""

    def __init__(self, t, name, a='a', b='b'):
        top = os.path.join(t.work, name)
        self.app, self.early, self.llp, self.stash = (
            os.path.join(top, d) for d in ('app', 'early', 'llp', 'stash'))
        for d in (self.app, self.early, self.llp, self.stash):
            os.makedirs(d)
        for p in ('launch', 'launch-interp'):
            shutil.copy2(os.path.join(t.bindir, p), self.app)
        self.lib_a = os.path.join(self.app, LIB_A)
        self.lib_b = os.path.join(self.llp, LIB_B)
        shutil.copy(lib_file(t, a), self.lib_a)
        shutil.copy(lib_file(t, b), self.lib_b)
        for v in ('a', 'a2', 'b', 'b2'):
            shutil.copy(lib_file(t, v), os.path.join(self.stash, v + '.so'))
        self.env = {'LD_LIBRARY_PATH': self.early + ':' + self.llp}
        t.bump(self.early)
        self.top = top

    def prog(self, t, reference=False):
        return t.app_prog(self.app, 'launch', reference)


def lib_file(t, variant):
    return os.path.join(t.bindir, 'liblaunch_dso_%s.so' % variant)


def replace_file(src, dest):
    """src copied to a new file renamed over dest: a new inode at dest."""
    tmp = dest + '.new'
    shutil.copy(src, tmp)
    os.rename(tmp, dest)


def want_of(t, app, extra=None, options=(), cwd=None):
    """The system loader's run of the app's program, without the cache."""
    return t.launch(app.prog(t, True), extra=dict(app.env, **(extra or {})),
                    options=options, cwd=cwd, reference=True, debug=None)


def says(t, r, what, *parts):
    """The reference run prints parts (the test means something)."""
    t.check(r.rc == 0 and all(p in r.out for p in parts),
            '%s: glibc\'s run prints %s' % (what, ', '.join(parts)), r)


# -- 1: cold then warm -------------------------------------------------------

def binding_lines(r):
    """The LD_DEBUG=bindings lines of r, pids and addresses masked."""
    text = runner.mask_pids(r.debug)
    text = re.sub(r'0x[0-9a-f]+', 'ADDR', text)
    return [l for l in text.splitlines() if 'binding file ' in l]


def scenario_cold_warm(t):
    app = App(t, 'one')
    prog = app.prog(t)
    want = want_of(t, app)
    says(t, want, 'launch', 'a says a1', 'b says b1, value 1011, tls 31',
         'interposed 71, weak undefined null')

    # Off by default.
    r = t.launch(prog, extra=app.env)
    t.same('cache off', r, want)
    t.check(not r.cache and not r.bad, 'cache off: no launch cache line', r)
    t.check(not os.path.exists(os.path.join(t.work, '.cache')),
            'cache off: nothing made under $HOME/.cache', r)

    cache = os.path.join(t.work, 'cache')
    entry = cold_warm(t, 'MYLD_CACHE=DIR', prog, want, cache, extra=app.env)
    if not t.reference and os.path.isdir(cache):
        mode = stat.S_IMODE(os.stat(cache).st_mode)
        t.check(mode == 0o700, 'MYLD_CACHE=DIR: DIR made with mode 0700 '
                '(got %o)' % mode)
        t.check(entries(cache) == [os.path.basename(entry or '')],
                'MYLD_CACHE=DIR: exactly one entry (got %s)' % entries(cache))
    elif t.reference:
        t.check(not os.path.exists(cache), 'glibc: DIR is not created')
    r = t.launch(prog, extra=app.env, cache=cache)
    t.same('MYLD_CACHE=DIR, third run', r, want)
    expect(t, r, 'MYLD_CACHE=DIR, third run', cache, True)
    r = t.launch(prog, extra=app.env, cache=cache, to_stderr=True)
    expect(t, r, 'MYLD_CACHE=DIR, lines on stderr', cache, True)
    t.check(r.rc == 0 and r.out == want.out, 'MYLD_CACHE=DIR, lines on '
            'stderr: stdout as under glibc', r, want)

    # LD_DEBUG=bindings: the same lines cold and warm.
    for extra in ({}, {'LD_BIND_NOW': '1'}):
        what = 'LD_DEBUG=bindings' + ''.join(' %s=%s' % kv for kv in extra.items())
        d = os.path.join(t.work, 'cache-bind%d' % len(extra))
        env = dict(app.env, **extra)
        w = want_of(t, app, extra)
        cold = t.launch(prog, extra=env, cache=d, debug='bindings,statistics')
        warm = t.launch(prog, extra=env, cache=d, debug='bindings,statistics')
        t.same(what + ', cold', cold, w)
        t.same(what + ', warm', warm, w)
        expect(t, cold, what + ', cold', d, False, NO_ENTRY, True)
        expect(t, warm, what + ', warm', d, True)
        if t.reference:
            continue
        lc, lw = binding_lines(cold), binding_lines(warm)
        t.check(any('launch_b_value' in l for l in lc) and
                any('launch_a_data' in l for l in lc),
                what + ': the cold start shows the bindings of launch_b_value '
                'and launch_a_data', cold)
        t.check(lc == lw, what + ': the warm start shows the same binding lines '
                'as the cold start%s' % ''.join('\n  ' + l for l in (
                    runner.diff('\n'.join(lc) + '\n', '\n'.join(lw) + '\n',
                                'binding lines (cold, then warm)'),)),
                cold, warm)

    # --cache DIR, explicitly: like MYLD_CACHE, the same entries.
    if t.mode == 'explicit' and not t.reference:
        d = os.path.join(t.work, 'cache-option')
        cold_warm(t, '--cache DIR', prog, want, d, extra=app.env, via='option')
        r = t.launch(prog, extra=app.env, cache=d)
        t.same('MYLD_CACHE=DIR after --cache DIR', r, want)
        expect(t, r, 'MYLD_CACHE=DIR after --cache DIR (the same key)', d, True)

    # An empty MYLD_CACHE: $XDG_CACHE_HOME/myld, else $HOME/.cache/myld.
    xdg = os.path.join(t.work, 'xdg')
    home = os.path.join(t.work, 'home')
    os.makedirs(xdg)
    os.makedirs(os.path.join(home, '.cache'))
    cold_warm(t, 'MYLD_CACHE= with XDG_CACHE_HOME', prog, want,
              os.path.join(xdg, 'myld'), extra=dict(app.env, MYLD_CACHE='',
                                                    XDG_CACHE_HOME=xdg))
    cold_warm(t, 'MYLD_CACHE= with HOME', prog, want,
              os.path.join(home, '.cache', 'myld'),
              extra=dict(app.env, MYLD_CACHE='', HOME=home))
    t.check(not os.path.exists(os.path.join(xdg, '.cache')) and
            not os.path.exists(os.path.join(home, 'myld')),
            'MYLD_CACHE=: only the one directory is used each time')

    # DIR's parent must exist.
    d = os.path.join(t.work, 'nonexistent', 'cache')
    r = t.launch(prog, extra=app.env, cache=d)
    t.same('MYLD_CACHE=DIR whose parent is missing', r, want)
    if not t.reference:
        expect(t, r, 'MYLD_CACHE=DIR whose parent is missing', d, False, ANY,
               False)
    t.check(not os.path.exists(os.path.dirname(d)),
            'MYLD_CACHE=DIR whose parent is missing: nothing is created', r)

    # No entry from list mode.
    d = os.path.join(t.work, 'cache-list')
    for _ in range(2):
        r = t.launch(prog, extra=dict(app.env, LD_TRACE_LOADED_OBJECTS='1'),
                     cache=d)
        t.check(r.rc == 0 and LIB_B in r.out and 'launch: a says' not in r.out,
                'LD_TRACE_LOADED_OBJECTS=1: the list, the program not run', r)
        t.check(not entries(d), 'LD_TRACE_LOADED_OBJECTS=1 with MYLD_CACHE: '
                'no entry written (got %s)' % entries(d), r)
        t.check(not [k for k, _ in r.cache if k == 'written'],
                'LD_TRACE_LOADED_OBJECTS=1: no "written" line', r)


# -- 2: changed files ------------------------------------------------------------

def scenario_changed(t):
    app = App(t, 'chg')
    prog = app.prog(t)
    cache = os.path.join(t.work, 'cache')
    want = want_of(t, app)
    says(t, want, 'first variants', 'a says a1', 'b says b1')
    cold_warm(t, 'first variants', prog, want, cache, extra=app.env)

    # Lib a replaced at the same path: a new inode, the other variant.
    replace_file(os.path.join(app.stash, 'a2.so'), app.lib_a)
    want2 = want_of(t, app)
    says(t, want2, 'lib a replaced', 'a says a2, value 22, data 200, fnptr(5) 10',
         'b says b1, value 1022', 'interposed 72')
    # Its directory changed too (probed in vain for libc.so.6).
    cold_warm(t, 'lib a replaced', prog, want2, cache,
              changed(app.lib_a, app.app), extra=app.env)

    # Lib a touched: the same file, its mtime one nanosecond later.
    st = os.stat(app.lib_a)
    os.utime(app.lib_a, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    if os.stat(app.lib_a).st_mtime_ns == st.st_mtime_ns:
        print('note: this file system keeps no nanoseconds; touching by 1 s')
        os.utime(app.lib_a, ns=(st.st_atime_ns, st.st_mtime_ns + 10 ** 9))
    cold_warm(t, 'lib a touched', prog, want2, cache, changed(app.lib_a),
              extra=app.env)

    # Another variant of lib b moved into the first LD_LIBRARY_PATH
    # directory, probed before the one where lib b was found.
    moved = os.path.join(app.early, LIB_B)
    os.rename(os.path.join(app.stash, 'b2.so'), moved)
    t.bump(app.early)
    want3 = want_of(t, app)
    says(t, want3, 'lib b moved earlier', 'a says a2', 'b says b2, value 2022, '
         'tls 32')
    cold_warm(t, 'lib b (other variant) moved into an earlier LD_LIBRARY_PATH '
              'directory', prog, want3, cache, changed(app.early), extra=app.env)

    # Moved out again: the first variant, from the later directory.
    os.rename(moved, os.path.join(app.stash, 'b2.so'))
    t.bump(app.early)
    cold_warm(t, 'lib b moved out of the earlier directory', prog, want2,
              cache, changed(app.early, moved), extra=app.env)


# -- 3: another key --------------------------------------------------------------

def scenario_key(t):
    app = App(t, 'key')
    prog = app.prog(t)
    cache = os.path.join(t.work, 'cache')
    want = want_of(t, app)
    first = cold_warm(t, 'first environment', prog, want, cache, extra=app.env)
    seen = {first}
    preload = os.path.join(app.stash, 'b.so')
    cases = [
        ('LD_LIBRARY_PATH reordered',
         {'LD_LIBRARY_PATH': app.llp + ':' + app.early}, ()),
        ('LD_BIND_NOW=1', dict(app.env, LD_BIND_NOW='1'), ()),
        ('LD_BIND_NOT=1', dict(app.env, LD_BIND_NOT='1'), ()),
        ('LD_PRELOAD', dict(app.env, LD_PRELOAD=preload), ()),
        ('GLIBC_TUNABLES', dict(app.env, GLIBC_TUNABLES='glibc.malloc.'
                                'tcache_count=0'), ()),
    ]
    if t.mode == 'explicit':
        cases += [
            ('--library-path', app.env,
             ('--library-path', app.llp + ':' + app.early)),
            ('--inhibit-cache', app.env, ('--inhibit-cache',)),
            ('--preload', app.env, ('--preload', preload)),
        ]
    for what, env, options in cases:
        w = t.launch(app.prog(t, True), extra=env, options=options,
                     reference=True, debug=None)
        says(t, w, what, 'a says a1', 'b says b1')
        e = cold_warm(t, what, prog, w, cache, NO_ENTRY, extra=env,
                      options=options)
        if e:
            t.check(e not in seen, '%s: an entry of its own (%s)'
                    % (what, os.path.basename(e)))
            seen.add(e)
    r = t.launch(prog, extra=app.env, cache=cache)
    t.same('the first environment again', r, want)
    e = expect(t, r, 'the first environment again', cache, True)
    if first and e:
        t.check(os.path.realpath(e) == os.path.realpath(first),
                'the first environment again: its own entry', r)

    # A relative LD_LIBRARY_PATH: the cwd is checked (myld keeps it in the
    # entry, beside the relative paths it recorded: the same key from
    # another directory is a changed entry).
    cwds = []
    for name, variant in (('cwd1', 'b'), ('cwd2', 'b2')):
        d = os.path.join(app.top, name)
        os.makedirs(os.path.join(d, 'rel'))
        shutil.copy(lib_file(t, variant), os.path.join(d, 'rel', LIB_B))
        cwds.append(d)
    env = {'LD_LIBRARY_PATH': 'rel'}
    w1 = want_of(t, app, env, cwd=cwds[0])
    w2 = want_of(t, app, env, cwd=cwds[1])
    says(t, w1, 'relative LD_LIBRARY_PATH from cwd1', 'b says b1')
    says(t, w2, 'relative LD_LIBRARY_PATH from cwd2', 'b says b2')
    cold_warm(t, 'relative LD_LIBRARY_PATH from cwd1', prog, w1, cache,
              extra=env, cwd=cwds[0])
    cold_warm(t, 'relative LD_LIBRARY_PATH from cwd2', prog, w2, cache,
              reason=Reason('changed: the current directory',
                            'changed: the current directory'),
              extra=env, cwd=cwds[1])


# -- 4: /etc/ld.so.cache rebuilt --------------------------------------------------

LDCACHE = '/etc/ld.so.cache'
BIND = 'mount --bind "$0" %s && exec "$@"' % LDCACHE


def scenario_ldcache(t):
    if os.geteuid() != 0:
        print('SKIP: not root: cannot make a private mount namespace')
        return SKIP
    if not os.path.isfile(LDCACHE):
        print('SKIP: there is no %s' % LDCACHE)
        return SKIP
    copy = os.path.join(t.work, 'ld.so.cache.copy')
    shutil.copy(LDCACHE, copy)
    os.chmod(copy, 0o644)
    wrap = ['unshare', '-m', '--propagation', 'private', 'sh', '-c', BIND, copy]
    probe = t.run(wrap + ['stat', '-c', '%d %i', LDCACHE], loader=SYSTEM_LOADER)
    st = os.stat(copy)
    if probe.rc != 0 or probe.out.split() != [str(st.st_dev), str(st.st_ino)]:
        print('SKIP: unshare -m with mount --bind does not work here')
        print(probe.describe())
        return SKIP
    print('ok: in the namespace, %s is the copy (dev %d, inode %d)'
          % (LDCACHE, st.st_dev, st.st_ino))

    app = App(t, 'ldc')
    prog = app.prog(t)
    cache = os.path.join(t.work, 'cache')
    want = want_of(t, app)
    first = cold_warm(t, 'outside', prog, want, cache, extra=app.env)
    inside = t.launch(app.prog(t, True), extra=app.env, wrap=wrap,
                      reference=True, debug=None)
    t.same('glibc, in the namespace', inside, want)
    reason = either(NO_ENTRY, changed(LDCACHE))
    r = t.launch(prog, extra=app.env, cache=cache, wrap=wrap)
    t.same('/etc/ld.so.cache rebuilt', r, want)
    e = expect(t, r, '/etc/ld.so.cache rebuilt (a copy bind-mounted over it)',
               cache, False, reason, True)
    r = t.launch(prog, extra=app.env, cache=cache, wrap=wrap)
    t.same('/etc/ld.so.cache rebuilt, a second namespace', r, want)
    used = expect(t, r, '/etc/ld.so.cache rebuilt, a second namespace with '
                  'the same copy', cache, True)
    if e and used:
        t.check(os.path.realpath(e) == os.path.realpath(used),
                'the second namespace uses the entry the first wrote', r)
    r = t.launch(prog, extra=app.env, cache=cache)
    t.same('outside again', r, want)
    used = expect(t, r, 'outside again', cache, True)
    if first and used and e != first:
        t.check(os.path.realpath(first) == os.path.realpath(used),
                'outside again: the first entry (another key)', r)
    return None


# -- 5: untrusted files ----------------------------------------------------------

def truncate(size):
    def apply(path):
        with open(path, 'r+b') as f:
            f.truncate(size(os.path.getsize(path)))
    return apply


def flip(where):
    def apply(path):
        with open(path, 'r+b') as f:
            data = bytearray(f.read())
            i = where(len(data))
            data[i] ^= 0xff
            f.seek(0)
            f.write(data)
    return apply


def chmod_add(bits):
    def apply(path):
        os.chmod(path, stat.S_IMODE(os.stat(path).st_mode) | bits)
    return apply


def chown_nobody(path):
    os.chown(path, nobody_ids()[0], -1)


def nobody_ids():
    try:
        p = pwd.getpwnam('nobody')
        return p.pw_uid, p.pw_gid
    except KeyError:
        return None


def scenario_tamper(t):
    app = App(t, 'tam')
    prog = app.prog(t)
    cache = os.path.join(t.work, 'cache')
    want = want_of(t, app)
    entry = cold_warm(t, 'a good entry', prog, want, cache, extra=app.env)
    if t.reference or not entry:
        if not t.reference:
            t.fail('no entry to tamper with')
        return None
    root = os.geteuid() == 0 and nobody_ids()
    cases = [('truncated to half', truncate(lambda n: n // 2), BAD_FILE),
             ('truncated to nothing', truncate(lambda n: 0), BAD_FILE),
             ('first byte flipped', flip(lambda n: 0), BAD_FILE),
             ('middle byte flipped', flip(lambda n: n // 2), BAD_FILE),
             ('last byte flipped', flip(lambda n: n - 1), BAD_FILE),
             ('group-writable', chmod_add(0o020), UNSAFE),
             ('writable by others', chmod_add(0o002), UNSAFE)]
    if root:
        cases.append(('owned by nobody', chown_nobody, UNSAFE))
    else:
        print('note: not root: the entry owned by another user is not tested')
    for what, apply, reason in cases:
        what = 'entry ' + what
        apply(entry)
        r = t.launch(prog, extra=app.env, cache=cache)
        t.same(what, r, want)
        # A bad file is rewritten; an unsafe one may be replaced or left.
        again = expect(t, r, what, cache, False, reason,
                       True if reason == BAD_FILE else None)
        if [k for k, _ in r.cache if k == 'written']:
            t.check(again and os.path.realpath(again) == os.path.realpath(entry),
                    '%s: rewritten at the same name (the same key)' % what, r)
            r = t.launch(prog, extra=app.env, cache=cache)
            t.same(what + ', rewritten, warm', r, want)
            expect(t, r, what + ', rewritten, then used', cache, True)
        else:
            # Not written: the entry is still the unsafe one, still unused.
            r = t.launch(prog, extra=app.env, cache=cache)
            t.same(what + ', again', r, want)
            expect(t, r, what + ', not rewritten, so still not used', cache,
                   False, reason)
            os.unlink(entry)
            cold_warm(t, what + ', removed', prog, want, cache, extra=app.env)

    # An unsafe DIR: not read, not written.
    dir_cases = [('group-writable', lambda: os.chmod(cache, 0o770)),
                 ('writable by others', lambda: os.chmod(cache, 0o703))]
    if root:
        dir_cases.append(('owned by nobody',
                          lambda: os.chown(cache, nobody_ids()[0], -1)))
    for what, apply in dir_cases:
        what = 'DIR ' + what
        apply()
        before = identity(entry)
        names = sorted(os.listdir(cache))
        r = t.launch(prog, extra=app.env, cache=cache)
        t.same(what, r, want)
        expect(t, r, what, cache, False, UNSAFE, False)
        t.check(identity(entry) == before and sorted(os.listdir(cache)) == names,
                '%s: DIR and its entry are left as they were' % what, r)
        os.chown(cache, os.geteuid(), -1)
        os.chmod(cache, 0o700)
        r = t.launch(prog, extra=app.env, cache=cache)
        expect(t, r, what + ', made safe again: used', cache, True)
    return None


# -- 6: secure mode --------------------------------------------------------------

IN_ALL_EVENTS = 0xfff
_libc = ctypes.CDLL(None, use_errno=True)


class Watch:
    """inotify on one directory: every event (open, access, create,
    change, move, delete) of it or of a file in it."""

    def __init__(self, path):
        self.fd = _libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise runner.Broken('inotify_init1: ' +
                                os.strerror(ctypes.get_errno()))
        if _libc.inotify_add_watch(self.fd, path.encode(), IN_ALL_EVENTS) < 0:
            err = ctypes.get_errno()
            os.close(self.fd)
            raise runner.Broken('inotify_add_watch %s: %s' %
                                (path, os.strerror(err)))

    def events(self):
        found = []
        while True:
            try:
                data = os.read(self.fd, 65536)
            except BlockingIOError:
                return found
            off = 0
            while off + 16 <= len(data):
                _, mask, _, n = struct.unpack_from('iIII', data, off)
                name = data[off + 16:off + 16 + n].rstrip(b'\0').decode()
                found.append('%s (mask %#x)' % (name or '.', mask))
                off += 16 + n

    def close(self):
        os.close(self.fd)


def suid_base(t):
    """A directory on a mount without nosuid, every parent searchable."""
    for base in (tempfile.gettempdir(), '/tmp', '/var/tmp', t.bindir):
        if not os.path.isdir(base):
            continue
        opts = subprocess.run(['findmnt', '-n', '-o', 'OPTIONS', '-T', base],
                              capture_output=True, text=True).stdout
        if 'nosuid' in opts.strip().split(','):
            continue
        p, ok = os.path.realpath(base), True
        while p != '/':
            ok = ok and bool(os.stat(p).st_mode & stat.S_IXOTH)
            p = os.path.dirname(p)
        if ok:
            return base
    return None


def scenario_secure(t):
    if t.reference and t.mode == 'explicit':
        print('SKIP: glibc\'s ld.so cannot run set-user-ID explicitly')
        return SKIP
    ids = nobody_ids()
    if os.geteuid() != 0 or not ids:
        print('SKIP: not root, or no user nobody: no set-user-ID copy')
        return SKIP
    if not shutil.which('setpriv', path='/usr/bin:/bin'):
        print('SKIP: setpriv is missing (the control run as nobody)')
        return SKIP
    base = suid_base(t)
    if not base:
        print('SKIP: no directory on a mount that allows set-user-ID')
        return SKIP
    d = tempfile.mkdtemp(prefix='launch-secure-', dir=base)
    try:
        return secure_in(t, d, ids)
    finally:
        if not t.keep:
            shutil.rmtree(d, ignore_errors=True)


def secure_in(t, d, ids):
    uid, gid = ids
    os.chmod(d, 0o755)
    prog = os.path.join(d, 'launch_sys')
    ref = os.path.join(d, 'launch_sys-glibc')
    shutil.copy(t.app_prog(t.bindir, 'launch_sys'), prog)
    shutil.copy(os.path.join(t.bindir, 'launch_sys'), ref)
    if t.mode == 'explicit':
        loader = os.path.join(d, os.path.basename(t.loader))
        shutil.copy(t.loader, loader)
        suid, argv = loader, [loader, prog, 'ids']
    else:
        loader, suid, argv = t.loader, prog, [prog, 'ids']
        if not t.reference:
            # PT_INTERP names a copy of the loader in d: nobody may not
            # reach the build directory (a checkout private to root).
            loader = os.path.join(d, os.path.basename(t.loader))
            shutil.copy(t.loader, loader)
            copies = runner.InterpCopies(loader, d, t.copies.patchelf)
            shutil.copy(copies(os.path.join(t.bindir, 'launch_sys')), prog)
    for f in (prog, ref, loader):
        os.chmod(f, 0o755)
    cache = os.path.join(d, 'cache')
    os.mkdir(cache, 0o700)
    os.chown(cache, uid, gid)
    out = os.path.join(d, 'out')
    os.mkdir(out)
    os.chmod(out, 0o1777)

    def go(argv, as_nobody=False):
        sub = tempfile.mkdtemp(dir=out)
        os.chmod(sub, 0o777)
        env = {'MYLD_CACHE': cache, 'LD_DEBUG': 'statistics',
               'LD_DEBUG_OUTPUT': os.path.join(sub, 'trace')}
        if as_nobody:
            # setpriv itself gets none of it (its LD_DEBUG file, as root,
            # would be the one its exec'd program as nobody cannot open).
            argv = ['setpriv', '--reuid=%d' % uid, '--regid=%d' % gid,
                    '--clear-groups', '--', 'env'] + [
                        '%s=%s' % kv for kv in env.items()] + argv
            env = {}
        r = t.run(argv, env, cwd=d, loader=loader, prog=prog)
        r.debug = ''.join(open(os.path.join(sub, f)).read()
                          for f in sorted(os.listdir(sub)))
        r.cache, r.bad = parse_cache_lines(r.debug)
        return r

    # Control: as nobody without the bit, the entry is written, then used.
    want = t.run([ref, 'ids'], cwd=d, loader=SYSTEM_LOADER, prog=prog,
                 extra={'MYLD_CACHE': cache})
    cold = go(argv, True)
    warm = go(argv, True)
    for what, r in (('control run as nobody, cold', cold),
                    ('control run as nobody, warm', warm)):
        t.check(r.rc == 0 and 'launch_sys: uid=%d euid=%d\n' % (uid, uid)
                in r.out, what + ': runs as nobody', r)
    t.check(cold.out.replace('uid=%d euid=%d' % (uid, uid), '') ==
            want.out.replace('uid=0 euid=0', ''),
            'control run as nobody: the output of glibc\'s run', cold, want)
    if not t.reference:
        t.check([k for k, _ in cold.cache] == ['not used', 'written'] and
                [k for k, _ in warm.cache] == ['used'],
                'control run as nobody: not used and written, then used '
                '(cold %s, warm %s)' % (cold.cache, warm.cache), cold, warm)
    names = sorted(os.listdir(cache))
    if t.reference:
        t.check(not names, 'control run as nobody: glibc wrote nothing in '
                'DIR (%s)' % names)
    else:
        t.check(len(names) == 1 and ENTRY_NAME.fullmatch(names[0]) and
                os.stat(os.path.join(cache, names[0])).st_uid == uid,
                'control run as nobody: one entry, nobody\'s, in DIR (%s)'
                % names)
    ids_before = {n: identity(os.path.join(cache, n)) for n in names}

    # The set-user-ID runs: glibc's reference, then LOADER's.
    for f in (suid, ref):
        os.chown(f, uid, gid)
        os.chmod(f, 0o4755)
    want = t.run([ref, 'ids'], cwd=d, loader=SYSTEM_LOADER, prog=prog,
                 extra={'MYLD_CACHE': cache})
    runs = [('set-user-ID, MYLD_CACHE', argv)]
    if t.mode == 'explicit':
        runs.append(('set-user-ID, MYLD_CACHE and --cache DIR',
                     [loader, '--cache', cache, prog, 'ids']))
    watch = Watch(cache)
    try:
        watch.events()
        os.listdir(cache)
        t.check(watch.events(), 'inotify sees DIR opened (the watch works)')
        for what, args in runs:
            watch.events()
            r = go(args)
            events = watch.events()
            if 'launch_sys: uid=0 euid=%d\n' % uid not in r.out:
                print('SKIP: the set-user-ID bit took no effect here '
                      '(no_new_privs, a user namespace?)')
                print(r.describe())
                return SKIP
            t.same(what, r, want)
            t.check(not events, '%s: nothing in DIR opened, read, created or '
                    'changed (inotify: %s)' % (what, events), r)
            t.check(sorted(os.listdir(cache)) == names and all(
                identity(os.path.join(cache, n)) == ids_before[n]
                for n in names), what + ': DIR as it was', r)
            t.check(not r.cache and not r.debug, what + ': LD_DEBUG ignored, '
                    'no launch cache line', r)
    finally:
        watch.close()
    return None


# -- 7: the system's programs ------------------------------------------------------

# ls lists /usr/share/doc/libc6: / and /tmp change while other tests run
# (their link counts change the column widths).
SYSTEM_PROGRAMS = [('/bin/ls', ['-la', '/usr/share/doc/libc6']),
                   ('/usr/bin/python3', ['-c', 'import json,ssl; print(1)']),
                   ('/usr/bin/git', ['--version'])]


def scenario_system(t):
    cache = os.path.join(t.work, 'cache')
    for path, args in SYSTEM_PROGRAMS:
        if not os.path.exists(path):
            t.fail('%s is not installed (scripts/setup.sh installs it)' % path)
            continue
        what = ' '.join([os.path.basename(path)] + args)
        want = t.run_system(path, args, reference=True)
        t.check(want.rc == 0 and want.out, what + ': the reference run works',
                want)
        for step, used in (('cold', False), ('warm', True)):
            r = t.run_system(path, args, cache=cache)
            if runner.compare(want, r, t.normalise) and path == '/bin/ls':
                # ls -la / shows the mtimes of /, /tmp...: other tests may
                # have changed one meanwhile. Compare with a fresh run.
                want = t.run_system(path, args, reference=True)
            t.same('%s, %s' % (what, step), r, want)
            expect(t, r, '%s, %s' % (what, step), cache, used,
                   None if used else NO_ENTRY, None if used else True)


SCENARIOS = {
    'cold_warm': scenario_cold_warm,
    'changed': scenario_changed,
    'key': scenario_key,
    'ldcache': scenario_ldcache,
    'tamper': scenario_tamper,
    'secure': scenario_secure,
    'system': scenario_system,
}


def main():
    return runner.scenario_main(__doc__, SCENARIOS, Runner,
                                'the system loader: output comparisons only')


if __name__ == '__main__':
    sys.exit(main())
