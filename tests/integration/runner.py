# SPDX-License-Identifier: MIT
"""runner.py: running a program under the loader being tested and under the
system loader, comparing the two runs and proving which loader ran: the one
implementation the integration suites share (core/run_core.py,
env/run_env.py, system/run_system.py, which also runs dl's python3 and perl
tests). A script imports it after putting its parent directory first in
sys.path (meson runs the scripts by absolute path).

API. SYSTEM_LOADER: /lib64/ld-linux-x86-64.so.2. Broken: raised when the
test itself cannot run (a tool missing, patchelf failing). Result: one run;
argv, rc (the exit status, -N when signal N killed it, 'timeout' when it
was killed for running too long), out and err (text, bad bytes as \\xNN),
prog (the program's path as the loader sees it, which normalisers replace),
maps and execs (traced runs), describe() (command, status, both streams).
clean_env(home, extra, loader): PATH=/usr/bin:/bin, LC_ALL=C, TZ=UTC,
HOME=home, expect_loader(loader), then extra; nothing inherited (no LD_*,
not meson's MALLOC_PERTURB_). run(argv, env, cwd, timeout, trace, path,
prog): runs argv (the file path, default argv[0]) with stdin /dev/null,
killed after timeout seconds; never raises for the program's status.
InterpCopies(loader, into): copies of programs with PT_INTERP = loader, for
programs a test did not link itself (those get -Wl,--dynamic-linker).
replace_paths, real, mask_addresses, mask_pids: normalising output.
compare(want, got, norm, streams): how got (the tested loader's run)
differs from want (the system loader's) in exit status and each stream, a
list of readable problems (unified diffs from diff()), empty when alike.

The loader proof. From inside: expect_loader(loader) is T_EXPECT_LOADER =
the real path of loader's file; the test programs (t.h's t_check_loader,
core/rt.c's rt_mapped, system/system_maps.c) fail unless their
/proc/self/maps maps that file. From outside, for any program (also
/bin/true, which prints nothing): run(..., trace=True) runs it under ptrace
(PTRACE_TRACEME, options TRACEEXIT|TRACEEXEC, nothing else intercepted,
every signal re-delivered unchanged) and reads /proc/PID/maps at the exit
stop, while the address space is whole; proof_problems(r, loader, image)
then requires loader's and image's files mapped and, unless loader is the
system loader's file, the system loader not mapped. A program that execs
another fails the proof. LD_DEBUG output was rejected as a proof: myld
prints glibc's line shapes on purpose. PTRACE_TRACEME needs no privilege
(a seccomp filter forbidding it fails traced tests loudly); a traced
set-user-ID program gains no privileges, so secure-mode tests use the
inside proof alone.
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
import tempfile

SYSTEM_LOADER = '/lib64/ld-linux-x86-64.so.2'
SKIP = 77                            # meson's exit status for a skipped test
BASE_PATH = '/usr/bin:/bin'


class Broken(Exception):
    """The test itself cannot run (not the loader's failure)."""


class Result:
    """One finished run (see the module's docstring)."""

    def __init__(self, argv, rc, out, err, prog=None, maps=None, execs=0):
        self.argv, self.rc, self.out, self.err = list(argv), rc, out, err
        self.prog = prog or argv[0]
        self.maps, self.execs = maps, execs

    def describe(self):
        return ('$ %s\n[exit %s]\n[stdout]\n%s[stderr]\n%s' %
                (' '.join(self.argv), self.rc, self.out, self.err))


def expect_loader(loader):
    """The variable that has a test program check which loader mapped it."""
    return {'T_EXPECT_LOADER': os.path.realpath(loader)}


def clean_env(home, extra=None, loader=None):
    env = {'PATH': BASE_PATH, 'LC_ALL': 'C', 'TZ': 'UTC', 'HOME': home}
    if loader:
        env.update(expect_loader(loader))
    env.update(extra or {})
    return env


def _text(data):
    return data.decode('utf-8', 'backslashreplace')


def run(argv, env, cwd=None, timeout=60, trace=False, path=None, prog=None):
    if trace:
        rc, out, err, maps, execs = _run_traced(path or argv[0], argv, env,
                                                cwd, timeout)
    else:
        maps, execs = None, 0
        try:
            p = subprocess.run(argv, executable=path, env=env, cwd=cwd,
                               stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=timeout)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as e:
            rc, out, err = 'timeout', e.stdout or b'', e.stderr or b''
    return Result(argv, rc, _text(out), _text(err), prog, maps, execs)


# -- the proof from outside: ptrace ------------------------------------------

PTRACE_TRACEME, PTRACE_CONT, PTRACE_SETOPTIONS = 0, 7, 0x4200
PTRACE_O_TRACEEXEC, PTRACE_O_TRACEEXIT, PTRACE_O_EXITKILL = 0x10, 0x40, 0x100000
PTRACE_EVENT_EXEC, PTRACE_EVENT_EXIT = 4, 6
_libc = ctypes.CDLL(None, use_errno=True)
_libc.ptrace.restype = ctypes.c_long
_libc.ptrace.argtypes = [ctypes.c_long] * 2 + [ctypes.c_void_p] * 2


def _ptrace(request, pid, data=0):
    """ptrace(2); ESRCH (the tracee was killed meanwhile) is not an error:
    the next waitpid reports how it ended."""
    if _libc.ptrace(request, pid, None, data) == -1:
        err = ctypes.get_errno()
        if err != errno.ESRCH or request == PTRACE_TRACEME:
            raise OSError(err, 'ptrace(%d, %d): %s' % (request, pid,
                                                       os.strerror(err)))


def _run_traced(path, argv, env, cwd, timeout):
    """fork, PTRACE_TRACEME, execve. Returns (rc, stdout, stderr, maps at
    the exit stop or None, how many further execve the process made)."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:
        try:
            # Python ignores SIGPIPE and SIGXFSZ; an exec'd program must
            # start with the default disposition, as subprocess ensures.
            for s in (signal.SIGPIPE, signal.SIGXFSZ):
                signal.signal(s, signal.SIG_DFL)
            if cwd:
                os.chdir(cwd)
            os.dup2(os.open('/dev/null', os.O_RDONLY), 0)
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            os.closerange(3, 4096)
            _ptrace(PTRACE_TRACEME, 0)
            os.execve(path, argv, env)
        except BaseException as e:  # noqa: B036 - the child must not return
            os.write(2, ('runner.py: exec %s: %s\n' % (path, e)).encode())
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
                rc = os.WEXITSTATUS(status)
                break
            if os.WIFSIGNALED(status):
                rc = -os.WTERMSIG(status)
                break
            sig = os.WSTOPSIG(status)
            event = status >> 16
            if not res['started']:
                # The SIGTRAP that follows the successful execve.
                res['started'] = True
                _ptrace(PTRACE_SETOPTIONS, pid, PTRACE_O_TRACEEXIT |
                        PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL)
                _ptrace(PTRACE_CONT, pid, 0)
            elif sig == signal.SIGTRAP and event == PTRACE_EVENT_EXIT:
                try:
                    with open('/proc/%d/maps' % pid) as f:
                        res['maps'] = f.read()
                except OSError:
                    pass
                _ptrace(PTRACE_CONT, pid, 0)
            elif sig == signal.SIGTRAP and event == PTRACE_EVENT_EXEC:
                res['execs'] += 1
                _ptrace(PTRACE_CONT, pid, 0)
            else:
                # A signal on its way to the program: deliver it unchanged.
                _ptrace(PTRACE_CONT, pid, sig)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    out.seek(0)
    err.seek(0)
    return ('timeout' if res['timeout'] else rc, out.read(), err.read(),
            res['maps'], res['execs'])


def mapped_files(maps):
    """The files that /proc/PID/maps text maps (a deleted one by its name)."""
    fields = (line.split(None, 5) for line in maps.splitlines())
    return {re.sub(r' \(deleted\)$', '', f[5]) for f in fields
            if len(f) == 6 and f[5].startswith('/')}


def proof_problems(r, loader, image, system_loader=SYSTEM_LOADER,
                   what='proof'):
    """What is wrong with the maps of traced run r at exit (empty list when
    they prove that loader ran program image)."""
    if r.execs:
        return ['%s: the program exec\'d another program, so its maps at '
                'exit say nothing about it' % what]
    if r.maps is None:
        return ['%s: no exit stop (the program never started or was '
                'killed), so nothing proves which loader ran it' % what]
    files = mapped_files(r.maps)
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


# -- interp copies -----------------------------------------------------------

def elf_field(flag, path, patchelf='patchelf'):
    """patchelf --print-interpreter / --print-rpath; '' when absent."""
    r = subprocess.run([patchelf, flag, path], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else ''


class InterpCopies:
    """Copies of programs whose PT_INTERP is loader, made with patchelf, one
    per program when first asked for (calling the object with its path).
    A copy has the program's file name, in a fresh directory under into;
    but it goes beside the program, as a hidden file, when the program's
    RPATH/RUNPATH uses $ORIGIN (the kernel reports the copy as
    /proc/self/exe, and $ORIGIN follows it). remove() deletes those."""

    def __init__(self, loader, into, patchelf=None):
        self.loader, self.into = loader, into
        self.patchelf = patchelf or shutil.which('patchelf')
        self.made = {}

    def __call__(self, prog):
        if prog in self.made:
            return self.made[prog]
        if not self.patchelf:
            raise Broken('patchelf is missing (scripts/setup.sh installs it): '
                         'cannot make an interp copy of ' + prog)
        if '$ORIGIN' in elf_field('--print-rpath', prog, self.patchelf):
            if prog.startswith(('/usr/', '/bin/', '/sbin/', '/lib')):
                raise Broken('%s uses $ORIGIN: its interp copy would have to '
                             'go beside it, in a system directory' % prog)
            fd, dest = tempfile.mkstemp(dir=os.path.dirname(prog), prefix='.'
                                        '%s.interp-' % os.path.basename(prog))
            os.close(fd)
        else:
            dest = os.path.join(tempfile.mkdtemp(dir=self.into, prefix='interp-'),
                                os.path.basename(prog))
        r = subprocess.run([self.patchelf, '--set-interpreter', self.loader,
                            '--output', dest, prog], capture_output=True, text=True)
        if r.returncode != 0:
            raise Broken('patchelf %s: %s' % (prog, r.stderr.strip()))
        os.chmod(dest, 0o755)
        if elf_field('--print-interpreter', dest, self.patchelf) != self.loader:
            raise Broken('patchelf did not set the interpreter of ' + dest)
        self.made[prog] = dest
        return dest

    def remove(self):
        for copy in self.made.values():
            if not copy.startswith(self.into + '/'):
                os.unlink(copy)


# -- normalising and comparing -----------------------------------------------

def real(path, new):
    """The pairs replacing path and its real path by new."""
    return [(path, new), (os.path.realpath(path), new)]


def replace_paths(text, pairs):
    """Each (old, new) of pairs applied, the longest old first, so that a
    path is not half-replaced by one of its prefixes."""
    for old, new in sorted(set(pairs), key=lambda p: -len(p[0])):
        if old and old != new:
            text = text.replace(old, new)
    return text


def mask_addresses(text):
    """ldd's load addresses, (0x7f...), as (ADDR)."""
    return re.sub(r'\(0x[0-9a-f]+\)', '(ADDR)', text)


def mask_pids(text):
    """LD_DEBUG's pid prefix as PID."""
    return re.sub(r'^ *\d+:\t', 'PID:\t', text, flags=re.M)


def diff(a, b, what, limit=80):
    """a (the system loader's) against b (the tested loader's), unified."""
    lines = list(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                      'system loader', 'tested loader'))
    if len(lines) > limit:
        lines = lines[:limit] + ['... (%d more diff lines)\n' %
                                 (len(lines) - limit)]
    return '%s differs:\n%s' % (what, '\n'.join(
        '    ' + l.rstrip('\n') for l in lines))


def compare(want, got, norm=None, streams=('out', 'err')):
    problems = []
    if got.rc != want.rc:
        problems.append('exit status %s, the system loader\'s %s' %
                        (got.rc, want.rc))
    for s in streams:
        a, b = getattr(want, s), getattr(got, s)
        if norm:
            a, b = norm(a, want), norm(b, got)
        if a != b:
            problems.append(diff(a, b, {'out': 'stdout', 'err': 'stderr'}[s]))
    return problems


def scenario_main(doc, scenarios, make_runner, reference_note):
    """The command line of a scenario suite (run_env.py, run_launch.py):
    --loader, --mode, --scenario (a key of scenarios), --bindir,
    --patchelf, --keep, --verbose; make_runner(args) builds the suite's
    runner (with .loader, .reference, .finish()); reference_note is said
    after the loader's name when it is the system one. Returns the exit
    status: the runner's, SKIP when the scenario skipped cleanly, 2 when
    the test itself broke."""
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('--loader', required=True)
    ap.add_argument('--mode', required=True, choices=['explicit', 'interp'])
    ap.add_argument('--scenario', required=True, choices=sorted(scenarios))
    ap.add_argument('--bindir', required=True)
    ap.add_argument('--patchelf')
    ap.add_argument('--keep', action='store_true')
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    t = make_runner(args)
    print('%s, %s mode, loader %s%s' % (args.scenario, args.mode, t.loader,
                                        ' (%s)' % reference_note
                                        if t.reference else ''))
    try:
        status = scenarios[args.scenario](t)
    except Broken as e:
        t.finish()
        print('BROKEN TEST: %s' % e)
        return 2
    rc = t.finish()
    return SKIP if status == SKIP and rc == 0 else rc
