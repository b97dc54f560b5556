#!/bin/sh
# SPDX-License-Identifier: MIT
# dl_fault_ulimit.sh: start-up under `ulimit -v` too small to map a library.
# Usage: dl_fault_ulimit.sh explicit LOADER PROG | interp PROG | system PROG
# PROG needs libdl_fault_big.so (1 GiB .bss). Under a 256 MiB limit the
# loader itself, the program and libc fit, that library does not: the
# loader must print exactly one line, "PROG: error while loading shared
# libraries: ...libdl_fault_big.so...", and exit 127, never crash or run
# the program. 'system' runs PROG under its own PT_INTERP (the system
# loader): the reference for the message shape and the status.
set -u
mode=$1
shift
case $mode in
explicit) loader=$1; prog=$2; cmd="exec '$loader' '$prog'" ;;
interp|system) prog=$1; cmd="exec '$prog'" ;;
*) echo "usage: $0 explicit LOADER PROG | interp PROG | system PROG" >&2; exit 2 ;;
esac
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
sh -c "ulimit -v 262144; $cmd" >"$out" 2>"$err"
status=$?
fail=0
if [ "$status" -ne 127 ]; then
	echo "FAIL: $mode: status $status, not 127" >&2
	fail=1
fi
if [ "$(wc -l <"$err")" -ne 1 ]; then
	echo "FAIL: $mode: stderr is not one line" >&2
	fail=1
fi
if ! grep -q "^$prog: error while loading shared libraries: .*libdl_fault_big\.so" "$err"; then
	echo "FAIL: $mode: not the loading-error line naming libdl_fault_big.so" >&2
	fail=1
fi
if [ -s "$out" ]; then
	echo "FAIL: $mode: the program ran" >&2
	fail=1
fi
echo "--- stderr ($mode, status $status):" >&2
cat "$err" >&2
exit $fail
