#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# myld.so must be a self-contained shared object: ET_DYN, no DT_NEEDED, no
# undefined dynamic symbols, entry point = _start, only relative
# relocations (RELATIVE or DT_RELR: stage 1 applies nothing else), and
# exactly the exported symbols (with versions) listed in EXPECTED (the
# union of the files given: myld-fault.so adds its test-only exports).
# Usage: check-exports.sh MYLD.SO EXPECTED... Any difference fails (exit 1):
# e.g. exporting one more function, or linking in a libc call. Shown by
# hand: a copy of myld.so given `patchelf --add-needed libc.so.6`; the
# expected list minus its first line; a copy with e_entry + 1; a small
# -nostdlib .so with `int *p = &x` (R_X86_64_64) or an undefined `ext`:
# each fails with its own message.
set -euo pipefail
so=$1
shift
expected=("$@")
fail() { echo "check-exports: $*" >&2; exit 1; }

readelf -h "$so" | grep -q 'Type:.*DYN' || fail "not ET_DYN"
if readelf -d "$so" | grep -q NEEDED; then
	fail "has DT_NEEDED entries: $(readelf -d "$so" | grep NEEDED)"
fi
undef=$(readelf -W --dyn-syms "$so" | awk '$7 == "UND" && $8 != ""')
[ -z "$undef" ] || fail "undefined dynamic symbols: $undef"
entry=$(readelf -h "$so" | awk '/Entry point/ {print $4}')
start=$(nm "$so" | awk '$3 == "_start" {print "0x" $1}' | sed 's/0x0*/0x/')
[ "$(printf '%d' "$entry")" = "$(printf '%d' "$start")" ] ||
	fail "entry point $entry is not _start ($start)"
others=$(readelf -rW "$so" | awk '/^[0-9a-f]+ +[0-9a-f]+ R_/ && $3 != "R_X86_64_RELATIVE" {print $3}')
[ -z "$others" ] || fail "relocations other than RELATIVE: $(echo $others | sort -u)"
actual=$(readelf -W --dyn-syms "$so" | awk 'NR > 3 && $7 != "UND" && $7 != "ABS" {print $8}' | sort)
if ! diff -u <(cat "${expected[@]}" | sort) <(echo "$actual") >&2; then
	fail "exported symbols differ from ${expected[*]} (above: - expected, + actual)"
fi
echo "$(basename "$so"): ET_DYN, no NEEDED, no undefined symbols, entry _start, relative relocations only, $(echo "$actual" | wc -l) exports as expected"
