#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stage 1 (loader/boot.c) runs before myld.so is relocated, so it may
# reference nothing outside its own file except the hand-off to stage 2
# (main_start) and the linker-defined _DYNAMIC and __ehdr_start; and the
# compiler must not have emitted calls to memcpy/memset in it.
# Usage: check-boot.sh BUILDDIR. Fails (exit 1) if libboot.a has any other
# undefined symbol, e.g. a call to crt_strlen added to boot.c, or a memcpy
# the compiler emits for a large struct copy. Shown by hand: a libboot.a
# whose object does `*dst = *src` on a 100000-byte struct (gcc -O2 calls
# memcpy) fails with "stage 1 (boot.c) references symbols outside itself:
# memcpy".
set -euo pipefail
build=$(cd "$1" && pwd)
# nm reads meson's thin archives directly.
undefined=$(nm -u "$build/libboot.a" | awk 'NF == 2 {print $2}' | sort -u)
allowed=$'_DYNAMIC\n__ehdr_start\nmain_start'
bad=$(comm -23 <(echo "$undefined") <(echo "$allowed" | sort) | grep -v '^$' || true)
if [ -n "$bad" ]; then
	echo "stage 1 (boot.c) references symbols outside itself:" $bad >&2
	if echo "$bad" | grep -qxE 'mem(cpy|set|move|cmp)'; then
		echo "(compiler-emitted memory calls: stage 1 runs before crt is relocated;" \
			"copy or clear by hand in boot.c)" >&2
	fi
	exit 1
fi
echo "stage 1 references only: $(echo $undefined)"
