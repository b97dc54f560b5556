#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Start-up benchmark: instructions of the whole process under callgrind
# (deterministic, unlike time on a shared machine), for the system ld.so
# and for myld.so in the same run, and their ratio. Both loaders are run
# explicitly ("LOADER PROG ARGS"), so the program, its arguments and its
# environment are the same.
#
# Usage: scripts/bench.sh [MYLD] [--quick]
#   MYLD     the loader to measure (default build/myld.so)
#   --quick  only the small programs (no clang, no 100-library workload)
# The workload (100 libc-free libraries x 400 functions, scripts/
# gen-workload.py) is built once with the core suite's "workload" scenario
# into /tmp/myld-bench-workload and reused; delete it to rebuild.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
myld=$top/build/myld.so
quick=false
for arg; do
	case $arg in
	--quick) quick=true ;;
	*) myld=$arg ;;
	esac
done
myld=$(realpath "$myld")
sys=/lib64/ld-linux-x86-64.so.2
wl=/tmp/myld-bench-workload

command -v valgrind >/dev/null || { echo "bench.sh: valgrind is not installed" >&2; exit 1; }

# Instructions executed by "LOADER ARGS..." (callgrind's total).
instructions() {
	local out
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 || true
	awk '/^(summary|totals):/ { print $2; exit }' "$out"
	rm -f "$out"
}

row() {
	local name=$1 g m
	shift
	g=$(instructions "$sys" "$@")
	m=$(instructions "$myld" "$@")
	awk -v n="$name" -v g="$g" -v m="$m" 'BEGIN { printf "| %s | %d | %d | %.2f |\n", n, g, m, m / g }'
}

echo "| program | glibc ld.so | myld | ratio |"
echo "|---|---:|---:|---:|"
row '/bin/true' /bin/true
command -v git >/dev/null && row 'git --version' "$(command -v git)" --version
row 'perl -e 1' /usr/bin/perl -e 1
row 'python3 -c pass' /usr/bin/python3 -c pass
$quick && exit 0
command -v clang-14 >/dev/null && row 'clang-14 --version' "$(readlink -f "$(command -v clang-14)")" --version
prog=$(ls "$wl"/myld-core-*/w/workload 2>/dev/null | head -1 || true)
if [ -z "$prog" ]; then
	rm -rf "$wl"
	mkdir -p "$wl"
	python3 "$top/tests/integration/core/run_core.py" --myld "$myld" \
		--mode explicit --scenario workload --work "$wl" --keep >/dev/null
	prog=$(ls "$wl"/myld-core-*/w/workload | head -1)
fi
row '100-library workload, lazy' "$prog"
LD_BIND_NOW=1 row 'the same, LD_BIND_NOW=1' "$prog"
