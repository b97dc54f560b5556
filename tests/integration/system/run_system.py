#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a real program under the loader being tested and under the system
loader, and fail on any difference.

Usage:
  run_system.py [options] LOADER MODE -- CMD ARGS... [--and CMD ARGS...]...

MODE says how LOADER is put in charge of CMD:
  explicit  run `LOADER CMD ARGS` (the "no AT_BASE" start-up path);
  interp    run a copy of CMD whose PT_INTERP is LOADER (runner.py's
            InterpCopies: patchelf; beside CMD when its RPATH/RUNPATH uses
            $ORIGIN); argv[0] stays CMD, as under `LOADER CMD`;
  system    run CMD as it is (its own PT_INTERP; LOADER is then only the
            loader the proof below expects, normally the system one).
Several steps joined by `--and` run one after another in the same fresh
working directory (e.g. `git init`, then `git commit`), each under LOADER.

The reference is the same steps run as plain `CMD ARGS` (the system loader,
via the program's own PT_INTERP) in a second fresh working directory
prepared the same way. For every step the exit status, stdout and (unless
--ignore-stderr) stderr must be identical after normalisation: the working
directory becomes @WORK@, the interp copy's path becomes CMD, the loaders'
paths become @LOADER@, and each --sub REGEX=REPL is applied. Every reference
step must exit 0 (or --expect-status for the last step), so a test whose
program is missing or broken fails instead of comparing two failures.

Proof that LOADER, not the system loader, loaded the program: every step
runs traced (runner.py's proof from outside: the maps at exit must have
LOADER's file and CMD's, or the copy's, and not the system loader unless it
is LOADER; no exec). The reference run must map the system loader, which
checks the mechanism itself. The C test programs also check from the
inside (T_EXPECT_LOADER).

Each step has --timeout seconds (default 120), then it is killed and
reported. --show prints every step's normalised output, --keep keeps the
working directories: both for debugging a failure by hand.

The environment is runner.py's clean one (nothing inherited: no LD_*, no
MALLOC_PERTURB_), HOME and TMPDIR the working directory, plus each --env
K=V (@WORK@ in V is replaced).

Exit status: 0 all identical and proven; 1 a difference or a failed proof;
2 bad usage or a broken test (reference failed, setup failed).
"""

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import runner  # noqa: E402

BrokenTest = runner.Broken


def parse_args(argv):
    if '--' not in argv:
        raise SystemExit('usage: run_system.py [options] LOADER MODE -- '
                         'CMD ARGS... [--and CMD ARGS...]...')
    cut = argv.index('--')
    ap = argparse.ArgumentParser(prog='run_system.py')
    ap.add_argument('loader')
    ap.add_argument('mode', choices=['explicit', 'interp', 'system'])
    ap.add_argument('--setup', action='append', default=[],
                    help='sh -ec script run in each fresh working directory '
                         'before the steps (system loader, not compared)')
    ap.add_argument('--env', action='append', default=[], metavar='K=V')
    ap.add_argument('--sub', action='append', default=[], metavar='RE=REPL',
                    help='regex substitution on stdout and stderr')
    ap.add_argument('--ignore-stderr', action='store_true')
    ap.add_argument('--expect-status', type=int, default=0,
                    help='exit status the last reference step must have')
    ap.add_argument('--timeout', type=float, default=120.0,
                    help='seconds per step')
    ap.add_argument('--keep', action='store_true',
                    help='keep the working directories (debugging)')
    ap.add_argument('--show', action='store_true',
                    help='print each step\'s normalised output (debugging)')
    opts = ap.parse_args(argv[:cut])
    steps, cur = [], []
    for word in argv[cut + 1:]:
        if word == '--and':
            steps.append(cur)
            cur = []
        else:
            cur.append(word)
    steps.append(cur)
    if any(not s for s in steps):
        raise SystemExit('run_system.py: empty command')
    opts.steps = steps
    opts.subs = []
    for s in opts.sub:
        pat, sep, repl = s.partition('=')
        if not sep:
            raise SystemExit('run_system.py: --sub wants RE=REPL: ' + s)
        opts.subs.append((re.compile(pat), repl))
    return opts


def which(cmd):
    if '/' in cmd:
        path = os.path.abspath(cmd)
    else:
        path = shutil.which(cmd, path=runner.BASE_PATH)
    if not path or not os.access(path, os.X_OK):
        raise BrokenTest('%s: not found or not executable (scripts/setup.sh '
                         'should install it)' % cmd)
    return path


def make_env(opts, work, expect_loader):
    env = {'TMPDIR': work}
    for kv in opts.env:
        k, sep, v = kv.partition('=')
        if not sep:
            raise SystemExit('run_system.py: --env wants K=V: ' + kv)
        env[k] = v.replace('@WORK@', work)
    return runner.clean_env(work, env, expect_loader)


def run_all(opts, tmp, label, loader, mode, copies):
    """Runs the setup and every step in a fresh directory; one traced
    runner.Result per step, with cmd (CMD's path) and work added."""
    work = tempfile.mkdtemp(dir=tmp, prefix=label + '-')
    env = make_env(opts, work, loader)
    for script in opts.setup:
        r = runner.run(['/bin/sh', '-ec', script], env, work, opts.timeout)
        if r.rc != 0:
            raise BrokenTest('setup failed (%s): %s\n%s' % (r.rc, script, r.err))
    results = []
    for step in opts.steps:
        prog = which(step[0])
        argv = [prog] + step[1:]
        if mode == 'explicit':
            path, argv, image = loader, [loader] + argv, prog
        else:
            path = image = copies(prog) if mode == 'interp' else prog
        r = runner.run(argv, env, work, opts.timeout, trace=True, path=path,
                       prog=image)
        r.cmd, r.work = prog, work
        results.append(r)
    return results


def normalise(text, r, opts, loaders):
    reps = [(r.prog, r.cmd)] + runner.real(r.work, '@WORK@')
    for l in loaders:
        reps += runner.real(l, '@LOADER@')
    text = runner.replace_paths(text, reps)
    for pat, repl in opts.subs:
        text = pat.sub(repl, text)
    return text


def describe(step):
    s = ' '.join(step).replace('\n', ' ')
    return s if len(s) < 100 else s[:97] + '...'


def main():
    opts = parse_args(sys.argv[1:])
    loader = os.path.abspath(opts.loader)
    if not os.path.isfile(loader):
        raise BrokenTest('loader %s does not exist' % loader)
    progs = [which(s[0]) for s in opts.steps]
    system_loader = runner.elf_field('--print-interpreter', progs[0])
    if not system_loader:
        raise BrokenTest('%s has no PT_INTERP' % progs[0])
    loaders = sorted({loader, system_loader})

    tmp = tempfile.mkdtemp(prefix='myld-system-')
    copies = runner.InterpCopies(loader, tmp)
    try:
        if opts.mode == 'interp':
            for p in progs:
                copies(p)
        ref = run_all(opts, tmp, 'ref', system_loader, 'reference', copies)
        got = run_all(opts, tmp, 'test', loader, opts.mode, copies)
    finally:
        copies.remove()
        if opts.keep:
            print('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    def norm(text, r):
        return normalise(text, r, opts, loaders)

    broken, failures, passed = [], [], []
    for i, (step, a, b) in enumerate(zip(opts.steps, ref, got), 1):
        want = opts.expect_status if i == len(opts.steps) else 0
        name = 'step %d (%s)' % (i, describe(step))
        if a.rc != want:
            broken.append('%s: under the system loader it exited %s, not %d'
                          '\n%s' % (name, a.rc, want, a.err))
        broken += runner.proof_problems(a, system_loader, a.prog,
                                        system_loader, name + ' [system loader]')
        problems = ['  timed out after %gs' % opts.timeout] \
            if b.rc == 'timeout' else []
        streams = ('out',) if opts.ignore_stderr else ('out', 'err')
        problems += ['  ' + p for p in runner.compare(a, b, norm, streams)]
        if opts.ignore_stderr and b.rc != a.rc:
            problems.append('  stderr:\n' + b.err)
        problems += ['  ' + p for p in runner.proof_problems(
            b, loader, b.prog, system_loader)]
        if opts.show:
            print('--- %s stdout:\n%s' % (name, norm(b.out, b)))
            print('--- %s stderr:\n%s' % (name, norm(b.err, b)))
        if problems:
            failures.append('%s, mode %s:\n%s' % (name, opts.mode,
                                                  '\n'.join(problems)))
        else:
            passed.append('ok %s: identical (status %d, %d bytes out), %s '
                          'loaded it' % (name, b.rc, len(b.out), loader))
    if broken:
        raise BrokenTest('\n'.join(broken))
    for p in passed:
        print(p)
    for f in failures:
        print('FAIL ' + f)
    return 1 if failures else 0


if __name__ == '__main__':
    # meson's timeout sends SIGTERM: unwind, so the interp copies placed
    # beside a program are removed (the tracee dies with us: EXITKILL).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(3))
    try:
        sys.exit(main())
    except BrokenTest as e:
        print('BROKEN TEST: %s' % e)
        sys.exit(2)
