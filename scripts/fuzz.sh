#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan, in a
# build directory of their own configured with -Dfuzz=true), writes their
# seed corpora from this system (scripts/gen-fuzz-corpus.py) and runs each
# harness for SECONDS (default 60) over its corpus, on one core at low
# priority. Fails when a harness reports a crash, a leak or undefined
# behaviour; the input is kept as BUILD/artifacts/<harness>-crash-*.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]
#   harnesses: elf symbols cache env search launch (default: all)
#   FUZZ_BUILD=DIR   build directory (default: build-fuzz)
#   FUZZ_RUNS=N      stop each harness after N inputs instead (-runs=N)
#   FUZZ_SKIP=77     exit status when clang cannot build a fuzzer (the meson
#                    test sets it, so a machine without clang skips it)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
shift || true
harnesses=("$@")
if [ "${#harnesses[@]}" -eq 0 ]; then
	harnesses=(elf symbols cache env search launch)
fi
build=${FUZZ_BUILD:-$top/build-fuzz}
case "$build" in /*) ;; *) build=$PWD/$build ;; esac

if [ -z "${FUZZ_SKIP:-}" ]; then
	"$top/scripts/setup.sh"
fi
# Can clang link a fuzzer here (libclang-rt-14-dev)?
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' \
	>"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" \
	>/dev/null 2>&1; then
	echo "fuzz.sh: clang cannot build a libFuzzer program here" >&2
	exit "${FUZZ_SKIP:-1}"
fi

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" -Dfuzz=true >/dev/null
fi
ninja -C "$build" >/dev/null
rm -rf "$build/seeds"
python3 "$top/scripts/gen-fuzz-corpus.py" "$build/seeds"
# The launch cache's seed is an entry the module itself recorded on this
# machine (its identities are this machine's files): the harness writes it.
mkdir -p "$build/seeds/launch"
FUZZ_LAUNCH_SEED="$build/seeds/launch" "$build/tests/fuzz/fuzz-launch"
mkdir -p "$build/artifacts"

status=0
for h in "${harnesses[@]}"; do
	exe="$build/tests/fuzz/fuzz-$h"
	if [ ! -x "$exe" ]; then
		echo "fuzz.sh: no harness '$h'" >&2
		exit 1
	fi
	mkdir -p "$build/corpus/$h" "$build/seeds/$h"
	limit=(-max_total_time="$secs")
	if [ -n "${FUZZ_RUNS:-}" ]; then
		limit=(-runs="$FUZZ_RUNS")
	fi
	log="$build/fuzz-$h.log"
	# -close_fd_mask=3: the loader's own warnings (LD_DEBUG's unknown
	# words, ...) would flood the log; libFuzzer and the sanitizers
	# keep a duplicate of stderr for their reports.
	if nice -n 10 "$exe" "${limit[@]}" -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$h-" \
		"$build/corpus/$h" "$build/seeds/$h" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "fuzz-$h: ok, ${runs:-?} executions"
	else
		echo "fuzz-$h: FAILED (log: $log)"
		grep -E -A20 'ERROR:|runtime error|deadly signal' "$log" | head -40 || true
		status=1
	fi
done
exit $status
