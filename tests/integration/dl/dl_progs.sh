#!/bin/sh
# SPDX-License-Identifier: MIT
# dl_progs.sh: run a system program under the tested loader and under the
# system loader, and compare.
#
# Usage: dl_progs.sh MODE LOADER CMD ARGS...
#   MODE  explicit: run `LOADER CMD ARGS`;
#         interp:   run a copy of CMD whose PT_INTERP is LOADER (made with
#                   `patchelf --set-interpreter LOADER --output COPY CMD`,
#                   patchelf taken from $PATCHELF, else from PATH).
# CMD must print `loader=<names>` first: the loaders mapped in its own
# /proc/self/maps (dl_python.py and dl_perl.pl do). The reference run,
# plain `CMD ARGS`, must exit 0 and name ld-linux-x86-64.so.2; the tested
# run must exit 0 and name only LOADER's file name; the rest of stdout must
# be identical. Both run with LC_ALL=C in a fresh temporary directory.
# Exit status: 0 pass, 1 a difference, 2 bad usage or a broken reference.
set -u
if [ $# -lt 3 ]; then
	echo "usage: dl_progs.sh explicit|interp LOADER CMD ARGS..." >&2
	exit 2
fi
mode=$1 loader=$2 cmd=$3
shift 3

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
export LC_ALL=C PYTHONDONTWRITEBYTECODE=1
unset T_EXPECT_LOADER LD_LIBRARY_PATH

case $mode in
explicit) ;;
interp)
	copy=$tmp/$(basename "$cmd")
	"${PATCHELF:-patchelf}" --set-interpreter "$loader" --output "$copy" \
		"$cmd" || exit 2
	;;
*)
	echo "dl_progs.sh: unknown mode $mode" >&2
	exit 2
	;;
esac

ref=$("$cmd" "$@" 2>"$tmp/ref.err")
ref_status=$?
if [ "$mode" = explicit ]; then
	out=$("$loader" "$cmd" "$@" 2>"$tmp/out.err")
else
	out=$("$copy" "$@" 2>"$tmp/out.err")
fi
out_status=$?

printf '%s\n' "--- reference (system loader), status $ref_status:" "$ref"
cat "$tmp/ref.err"
printf '%s\n' "--- $mode under $loader, status $out_status:" "$out"
cat "$tmp/out.err"

if [ $ref_status -ne 0 ] ||
   [ "$(printf '%s\n' "$ref" | head -n 1)" != "loader=ld-linux-x86-64.so.2" ]; then
	echo "FAIL: the reference run is broken (status $ref_status)"
	exit 2
fi
status=0
want="loader=$(basename "$loader")"
got=$(printf '%s\n' "$out" | head -n 1)
if [ "$got" != "$want" ]; then
	echo "FAIL: loader proof: '$got', want '$want'"
	status=1
fi
if [ $out_status -ne 0 ]; then
	echo "FAIL: exit status $out_status under $loader, 0 under the system loader"
	status=1
fi
printf '%s\n' "$ref" | tail -n +2 >"$tmp/ref.out"
printf '%s\n' "$out" | tail -n +2 >"$tmp/out.out"
if ! diff -u "$tmp/ref.out" "$tmp/out.out"; then
	echo "FAIL: output differs from the system loader's (diff above)"
	status=1
fi
exit $status
