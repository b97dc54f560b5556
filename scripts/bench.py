#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Start-up benchmark of myld.so against the system ld.so, one markdown table.

Usage: bench.py [--myld PATH] [--quick] [--runs N] [--libs N] [--funcs N]

For each program, both loaders are run explicitly ("LOADER PROG ARGS"), so
the program, its arguments and its environment are the same, and measured
in the same run:
  - instructions of the whole process under callgrind (deterministic);
  - the loader's share: the instructions callgrind attributes to the
    loader's own object (ld-linux-x86-64.so.2 or myld.so), lazy binding
    included;
  - wall-clock time, the median of --runs runs of each loader interleaved
    (noisy on a shared machine: read it as a sanity check, not a result).
The synthetic workload (scripts/gen-workload.py: --libs libc-free
libraries of --funcs functions each, every function referenced across
libraries) is built once by the core suite's "workload" scenario into
/tmp/myld-bench-workload-LIBSxFUNCS and reused; it runs lazily and with
LD_BIND_NOW=1. Rows marked "cache warm" run myld with its launch cache
(MYLD_CACHE, a fresh directory per row) after one start that fills it,
under callgrind and outside (valgrind's LD_PRELOAD makes them two
entries); glibc's ld.so runs the same command with the variable set,
which it ignores. --quick measures /bin/true only, once, cold and warm
(what CI runs to prove the script works; it asserts nothing about the
numbers).
"""
import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = "/lib64/ld-linux-x86-64.so.2"


def callgrind(cmd, env):
    """(total instructions, instructions of the loader's object) of cmd."""
    fd, out = tempfile.mkstemp(prefix="myld-bench-cg-")
    os.close(fd)
    try:
        subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
                       + cmd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        return parse_callgrind(out, os.path.realpath(cmd[0]))
    finally:
        os.unlink(out)


def parse_callgrind(path, loader):
    """Self cost per object from a callgrind output file: cost lines count
    for the current ob=; the line after calls= is the call's inclusive
    cost and is skipped."""
    names, total, share = {}, 0, 0
    current, skip = None, False
    with open(path) as f:
        for line in f:
            if line.startswith("summary:"):
                total = int(line.split()[1])
            m = re.match(r"(c?)ob=\((\d+)\)(?: (.*))?", line)
            if m:
                # Names are given once, where an id first appears (on an
                # ob= or a cob= line), then the id alone.
                if m.group(3):
                    names[m.group(2)] = os.path.realpath(m.group(3).strip())
                if not m.group(1):
                    current = names.get(m.group(2))
                continue
            if line.startswith("calls="):
                skip = True
                continue
            if line[:1].isdigit() or line[:1] in "+-*":
                if skip:
                    skip = False
                    continue
                fields = line.split()
                if len(fields) >= 2 and current == loader:
                    share += int(fields[1])
    return total, share


def wall(cmds, env, runs):
    """Median wall-clock seconds of each command, runs interleaved."""
    times = [[] for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def workload(myld, libs, funcs):
    """The workload program, built once."""
    work = "/tmp/myld-bench-workload-%dx%d" % (libs, funcs)
    found = glob.glob(os.path.join(work, "myld-core-*", "w", "workload"))
    if found:
        return found[0]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, MYLD_WORKLOAD_LIBS=str(libs), MYLD_WORKLOAD_FUNCS=str(funcs))
    subprocess.run([sys.executable, os.path.join(TOP, "tests", "integration", "core",
                                                 "run_core.py"),
                    "--myld", myld, "--mode", "explicit", "--scenario", "workload",
                    "--work", work, "--keep"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return glob.glob(os.path.join(work, "myld-core-*", "w", "workload"))[0]


def human(n):
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= div:
            return "%.*f%s" % (2 if n < 100 * div else 1, n / div, unit)
    return str(n)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--myld", default=os.path.join(TOP, "build", "myld.so"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--libs", type=int, default=100)
    ap.add_argument("--funcs", type=int, default=400)
    args = ap.parse_args()
    myld = os.path.realpath(args.myld)
    if not shutil.which("valgrind"):
        sys.exit("bench.py: valgrind is not installed (scripts/bench.sh installs it)")

    env = dict(os.environ)
    env.pop("MYLD_CACHE", None)
    warm = {"MYLD_CACHE": None}       # a fresh directory, filled first
    programs = [("`/bin/true`", ["/bin/true"], {}),
                ("`/bin/true`, cache warm", ["/bin/true"], warm)]
    if not args.quick:
        for name, cmd in (("`git --version`", ["git", "--version"]),
                          ("`perl -e 1`", ["perl", "-e", "1"]),
                          ("`python3 -c pass`", ["python3", "-c", "pass"]),
                          ("`clang-14 --version`", ["clang-14", "--version"])):
            # The system's programs (Debian's), not another install on PATH.
            path = shutil.which(cmd[0], path="/usr/bin:/bin")
            if path:
                programs.append((name, [os.path.realpath(path)] + cmd[1:], {}))
                if cmd[0] == "clang-14":
                    programs.append((name + ", cache warm",
                                     [os.path.realpath(path)] + cmd[1:], warm))
        prog = workload(myld, args.libs, args.funcs)
        label = "%d libraries x %d functions" % (args.libs, args.funcs)
        programs.append((label + ", lazy", [prog], {}))
        programs.append((label + ", `LD_BIND_NOW=1`", [prog], {"LD_BIND_NOW": "1"}))
        programs.append((label + ", lazy, cache warm", [prog], warm))
        programs.append((label + ", `LD_BIND_NOW=1`, cache warm", [prog],
                         dict(warm, LD_BIND_NOW="1")))
    runs = 1 if args.quick else args.runs

    print("| program | instructions: glibc | myld | ratio | loader share: glibc "
          "| myld | ratio | wall median: glibc | myld |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cache_dirs = []
    for name, cmd, extra in programs:
        e = dict(env, **extra)
        if "MYLD_CACHE" in extra:
            cache_dirs.append(tempfile.mkdtemp(prefix="myld-bench-cache-"))
            e["MYLD_CACHE"] = cache_dirs[-1]
            callgrind([myld] + cmd, e)
            wall([[myld] + cmd], e, 1)
        g_total, g_share = callgrind([SYSTEM] + cmd, e)
        m_total, m_share = callgrind([myld] + cmd, e)
        g_wall, m_wall = wall([[SYSTEM] + cmd, [myld] + cmd], e, runs)
        print("| %s | %s | %s | %.2f | %s | %s | %.2f | %.2f ms | %.2f ms |" % (
            name, human(g_total), human(m_total), m_total / max(g_total, 1),
            human(g_share), human(m_share), m_share / max(g_share, 1),
            g_wall * 1e3, m_wall * 1e3))
    for d in cache_dirs:
        shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
