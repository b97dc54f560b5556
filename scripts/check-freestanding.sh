#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The loader is built without libc: every symbol its objects leave
# undefined must be defined by another of its objects (crt provides
# memcpy and friends). Usage: check-freestanding.sh BUILDDIR. Lists the
# outsiders and fails (exit 1) otherwise, e.g. after a stray call to the
# host's strlen or a compiler-inserted __stack_chk_fail. Shown by hand: a
# copy of the build's object directories plus one object calling strlen
# (or built with -fstack-protector-all) fails, naming the symbol.
set -euo pipefail
build=$(cd "$1" && pwd)
objs=$(find "$build/myld.so.p" "$build/libloader_core.a.p" "$build/libcrt.a.p" \
	"$build/libcrtmem.a.p" "$build/libboot.a.p" -name '*.o')
defined=$(nm --defined-only $objs | awk 'NF == 3 {print $3}' | sort -u)
undefined=$(nm -u $objs | awk 'NF == 2 {print $2}' | sort -u)
linker=$'_DYNAMIC\n__ehdr_start\n_GLOBAL_OFFSET_TABLE_'
outside=$(comm -23 <(echo "$undefined") <(printf '%s\n%s\n' "$defined" "$linker" | sort -u) | grep -v '^$' || true)
if [ -n "$outside" ]; then
	echo "loader objects reference symbols nothing in the loader defines:" $outside >&2
	exit 1
fi
echo "freestanding: $(echo "$undefined" | wc -l) undefined references, all resolved inside the loader"
