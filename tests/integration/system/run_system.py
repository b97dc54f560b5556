#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a real program under the loader being tested and under the system
loader, and fail on any difference.

Usage:
  run_system.py [options] LOADER MODE -- CMD ARGS... [--and CMD ARGS...]...

MODE says how LOADER is put in charge of CMD:
  explicit  run `LOADER CMD ARGS` (the "no AT_BASE" start-up path);
  interp    run a copy of CMD whose PT_INTERP is LOADER
            (`patchelf --set-interpreter LOADER --output COPY CMD`); the copy
            goes beside CMD when CMD's RPATH/RUNPATH uses $ORIGIN (so its
            libraries are still found), else into a temporary directory;
            argv[0] stays CMD, as under `LOADER CMD`;
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
runs under ptrace (PTRACE_TRACEME, options TRACEEXIT|TRACEEXEC, nothing else
intercepted, every signal re-delivered unchanged). At the exit stop
(PTRACE_EVENT_EXIT) the address space is still whole, and the runner reads
/proc/PID/maps. The tested run must map LOADER's file and CMD's file (or the
interp copy), and, when LOADER is not the system loader's file, must not map
the system loader at all. A step that execs another program fails the proof
(its maps would no longer be CMD's). The reference run must map the system
loader, which checks the mechanism itself. This works for any program, also
/bin/true, which prints nothing; LD_DEBUG output was rejected as the proof
because myld deliberately prints glibc's line shapes, so it cannot tell the
two loaders apart. The C test programs also check /proc/self/maps from the
inside: the runner passes the expected loader's real path in
MYLD_SYSTEM_EXPECT_LOADER. PTRACE_TRACEME needs no privilege (only a
seccomp filter forbidding ptrace would stop it, and then every test fails
loudly rather than passing unproven).

Each step has --timeout seconds (default 120), then it is killed and
reported. --show prints every step's normalised output, --keep keeps the
working directories: both for debugging a failure by hand.

The environment is not inherited: PATH=/usr/bin:/bin, LC_ALL=C, TZ=UTC,
HOME and TMPDIR = the working directory, plus each --env K=V (@WORK@ in V is
replaced). meson's MALLOC_PERTURB_ and any LD_* variable thus never leak in.

Exit status: 0 all identical and proven; 1 a difference or a failed proof;
2 bad usage or a broken test (reference failed, setup failed).
"""

import argparse
import ctypes
import difflib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

PTRACE_TRACEME = 0
PTRACE_CONT = 7
PTRACE_SETOPTIONS = 0x4200
PTRACE_O_TRACEEXEC = 0x10
PTRACE_O_TRACEEXIT = 0x40
PTRACE_O_EXITKILL = 0x100000
PTRACE_EVENT_EXEC = 4
PTRACE_EVENT_EXIT = 6

BASE_PATH = '/usr/bin:/bin'

libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                        ctypes.c_void_p]


class BrokenTest(Exception):
    """The test itself is wrong (exit 2), not the loader."""


def ptrace(request, pid, data=0):
    """ptrace(2); ESRCH (the tracee was killed meanwhile) is not an error:
    the next waitpid reports how it ended."""
    if libc.ptrace(request, pid, None, data) == -1:
        err = ctypes.get_errno()
        if err == errno.ESRCH and request != PTRACE_TRACEME:
            return
        raise OSError(err, 'ptrace(%d, %d): %s' % (request, pid,
                                                   os.strerror(err)))


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
        path = shutil.which(cmd, path=BASE_PATH)
    if not path or not os.access(path, os.X_OK):
        raise BrokenTest('%s: not found or not executable (scripts/setup.sh '
                         'should install it)' % cmd)
    return path


def elf_field(flag, path):
    """patchelf --print-interpreter / --print-rpath; '' when absent."""
    r = subprocess.run(['patchelf', flag, path], capture_output=True,
                       text=True)
    return r.stdout.strip() if r.returncode == 0 else ''


def make_interp_copy(prog, loader, tmp):
    """A copy of prog whose PT_INTERP is loader. Beside prog when its
    RPATH/RUNPATH uses $ORIGIN (the kernel reports the copy as
    /proc/self/exe, and $ORIGIN follows it), else in tmp."""
    if '$ORIGIN' in elf_field('--print-rpath', prog):
        if prog.startswith(('/usr/', '/bin/', '/sbin/', '/lib')):
            raise BrokenTest('%s uses $ORIGIN: its interp copy would have '
                             'to go beside it, in a system directory' % prog)
        fd, dest = tempfile.mkstemp(dir=os.path.dirname(prog),
                                    prefix='.%s.interp-' %
                                    os.path.basename(prog))
        os.close(fd)
    else:
        d = tempfile.mkdtemp(dir=tmp, prefix='interp-')
        dest = os.path.join(d, os.path.basename(prog))
    r = subprocess.run(['patchelf', '--set-interpreter', loader,
                        '--output', dest, prog],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise BrokenTest('patchelf %s: %s' % (prog, r.stderr.strip()))
    os.chmod(dest, 0o755)
    if elf_field('--print-interpreter', dest) != loader:
        raise BrokenTest('patchelf did not set the interpreter of ' + dest)
    return dest


def run_traced(path, argv, env, cwd, timeout):
    """fork, PTRACE_TRACEME, execve. Returns a dict with status (exit code,
    or -signal), stdout, stderr (bytes), maps (text read at the exit stop,
    or None) and execs (how many further execve the process made)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        try:
            # Python ignores SIGPIPE and SIGXFSZ; an exec'd program must
            # start with the default disposition, as subprocess ensures.
            for s in (signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(s, signal.SIG_DFL)
            os.chdir(cwd)
            fd = os.open('/dev/null', os.O_RDONLY)
            os.dup2(fd, 0)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.closerange(3, 4096)
            ptrace(PTRACE_TRACEME, 0)
            os.execve(path, argv, env)
        except BaseException as e:  # noqa: B036 - the child must not return
            os.write(2, ('run_system.py: exec %s: %s\n' % (path, e)).encode())
        os._exit(127)

    res = {'maps': None, 'execs': 0, 'started': False, 'timeout': False}

    def on_alarm(signum, frame):
        # SIGKILL works on a traced process too; waitpid (retried after
        # the handler, PEP 475) then reports the death.
        res['timeout'] = True
        os.kill(pid, signal.SIGKILL)

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        while True:
            _, status = os.waitpid(pid, 0)
            if os.WIFEXITED(status):
                res['status'] = os.WEXITSTATUS(status)
                break
            if os.WIFSIGNALED(status):
                res['status'] = -os.WTERMSIG(status)
                break
            sig = os.WSTOPSIG(status)
            event = status >> 16
            if not res['started']:
                # The SIGTRAP that follows the successful execve.
                res['started'] = True
                ptrace(PTRACE_SETOPTIONS, pid, PTRACE_O_TRACEEXIT |
                       PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)
                ptrace(PTRACE_CONT, pid, 0)
            elif sig == signal.SIGTRAP and event == PTRACE_EVENT_EXIT:
                try:
                    with open('/proc/%d/maps' % pid) as f:
                        res['maps'] = f.read()
                except OSError:
                    pass
                ptrace(PTRACE_CONT, pid, 0)
            elif sig == signal.SIGTRAP and event == PTRACE_EVENT_EXEC:
                res['execs'] += 1
                ptrace(PTRACE_CONT, pid, 0)
            else:
                # A signal on its way to the program: deliver it unchanged.
                ptrace(PTRACE_CONT, pid, sig)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    out.seek(0)
    err.seek(0)
    res['stdout'] = out.read()
    res['stderr'] = err.read()
    return res


def mapped_files(maps):
    files = set()
    for line in maps.splitlines():
        parts = line.split(None, 5)
        if len(parts) == 6 and parts[5].startswith('/'):
            name = parts[5]
            if name.endswith(' (deleted)'):
                name = name[:-len(' (deleted)')]
            files.add(name)
    return files


def check_proof(res, loader, image, system_loader, what):
    """Problems with the maps at exit (empty list when proven)."""
    if res['execs']:
        return ['%s: the program exec\'d another program, so its maps at '
                'exit say nothing about CMD' % what]
    if res['maps'] is None:
        return ['%s: no exit stop (the program never started or was '
                'killed), so nothing proves which loader ran it' % what]
    files = mapped_files(res['maps'])
    bad = []
    for need, name in ((loader, 'the loader'), (image, 'the program')):
        if os.path.realpath(need) not in files:
            bad.append('%s: %s %s is not mapped' % (what, name, need))
    sysreal = os.path.realpath(system_loader)
    if os.path.realpath(loader) != sysreal and sysreal in files:
        bad.append('%s: the system loader %s is mapped: it, not %s, ran '
                   'the program' % (what, sysreal, loader))
    if bad:
        bad.append('%s: mapped files at exit:\n    %s' %
                   (what, '\n    '.join(sorted(files))))
    return bad


def make_env(opts, work, expect_loader):
    env = {'PATH': BASE_PATH, 'LC_ALL': 'C', 'TZ': 'UTC', 'HOME': work,
           'TMPDIR': work,
           'MYLD_SYSTEM_EXPECT_LOADER': os.path.realpath(expect_loader)}
    for kv in opts.env:
        k, sep, v = kv.partition('=')
        if not sep:
            raise SystemExit('run_system.py: --env wants K=V: ' + kv)
        env[k] = v.replace('@WORK@', work)
    return env


def run_all(opts, tmp, label, loader, mode, system_loader, copies):
    """Runs the setup and every step in a fresh directory. Returns the
    working directory and one result dict per step."""
    work = tempfile.mkdtemp(dir=tmp, prefix=label + '-')
    expect = loader if mode != 'reference' else system_loader
    env = make_env(opts, work, expect)
    for script in opts.setup:
        r = subprocess.run(['/bin/sh', '-ec', script], cwd=work, env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise BrokenTest('setup failed (%d): %s\n%s' %
                             (r.returncode, script, r.stderr))
    results = []
    for step in opts.steps:
        prog = which(step[0])
        argv = [prog] + step[1:]
        if mode == 'explicit':
            path, argv, image = loader, [loader] + argv, prog
        elif mode == 'interp':
            path = image = copies[prog]
        else:
            path = image = prog
        r = run_traced(path, argv, env, work, opts.timeout)
        r.update(prog=prog, image=image, work=work)
        results.append(r)
    return work, results


def normalise(data, r, opts, loaders):
    text = data.decode('utf-8', 'backslashreplace')
    reps = [(r['image'], r['prog']), (r['work'], '@WORK@'),
            (os.path.realpath(r['work']), '@WORK@')]
    for l in loaders:
        reps += [(l, '@LOADER@'), (os.path.realpath(l), '@LOADER@')]
    # Longest first, so a path is not half-replaced by one of its prefixes.
    for old, new in sorted(set(reps), key=lambda p: -len(p[0])):
        if old != new:
            text = text.replace(old, new)
    for pat, repl in opts.subs:
        text = pat.sub(repl, text)
    return text


def describe(step):
    s = ' '.join(step).replace('\n', ' ')
    return s if len(s) < 100 else s[:97] + '...'


def diff(a, b, what):
    lines = list(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                      'system loader', 'tested loader'))
    if len(lines) > 80:
        lines = lines[:80] + ['... (%d more diff lines)\n' % (len(lines) - 80)]
    return '  %s differs:\n%s' % (what, ''.join('    ' + l for l in lines))


def main():
    opts = parse_args(sys.argv[1:])
    loader = os.path.abspath(opts.loader)
    if not os.path.isfile(loader):
        raise BrokenTest('loader %s does not exist' % loader)
    progs = [which(s[0]) for s in opts.steps]
    system_loader = elf_field('--print-interpreter', progs[0])
    if not system_loader:
        raise BrokenTest('%s has no PT_INTERP' % progs[0])
    loaders = sorted({loader, system_loader})

    tmp = tempfile.mkdtemp(prefix='myld-system-')
    copies = {}
    try:
        if opts.mode == 'interp':
            for p in progs:
                if p not in copies:
                    copies[p] = make_interp_copy(p, loader, tmp)
        _, ref = run_all(opts, tmp, 'ref', system_loader, 'reference',
                         system_loader, copies)
        _, got = run_all(opts, tmp, 'test', loader, opts.mode,
                         system_loader, copies)
    finally:
        for c in copies.values():
            if not c.startswith(tmp + '/'):
                os.unlink(c)
        if opts.keep:
            print('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    broken, failures, passed = [], [], []
    for i, (step, a, b) in enumerate(zip(opts.steps, ref, got), 1):
        want = opts.expect_status if i == len(opts.steps) else 0
        name = 'step %d (%s)' % (i, describe(step))
        if a['timeout'] or a['status'] != want:
            broken.append('%s: under the system loader it exited %d, not %d'
                          '%s\n%s' % (name, a['status'], want,
                                      ' (timed out)' if a['timeout'] else '',
                                      a['stderr'].decode(errors='replace')))
        broken += check_proof(a, system_loader, a['image'], system_loader,
                              name + ' [system loader]')
        problems = []
        if b['timeout']:
            problems.append('  timed out after %gs' % opts.timeout)
        if a['status'] != b['status']:
            problems.append('  exit status %d, the system loader\'s %d' %
                            (b['status'], a['status']))
        streams = ['stdout'] + ([] if opts.ignore_stderr else ['stderr'])
        for s in streams:
            x = normalise(a[s], a, opts, loaders)
            y = normalise(b[s], b, opts, loaders)
            if x != y:
                problems.append(diff(x, y, s))
        if opts.ignore_stderr and b['status'] != a['status']:
            problems.append('  stderr:\n' + b['stderr'].decode(errors='replace'))
        problems += ['  ' + p for p in
                     check_proof(b, loader, b['image'], system_loader,
                                 'proof')]
        if opts.show:
            for s in ('stdout', 'stderr'):
                print('--- %s %s:\n%s' % (name, s,
                                         normalise(b[s], b, opts, loaders)))
        if problems:
            failures.append('%s, mode %s:\n%s' % (name, opts.mode,
                                                  '\n'.join(problems)))
        else:
            passed.append('ok %s: identical (status %d, %d bytes out), %s '
                          'loaded it' % (name, b['status'], len(b['stdout']),
                                         loader))
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
