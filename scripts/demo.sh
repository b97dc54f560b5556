#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: installs the tools, builds myld.so, then runs a libc-free
# example program and library under it with LD_DEBUG=bindings, explicitly
# (myld.so ./hello) and as PT_INTERP, and finally a glibc program:
# LD_DEBUG=libs myld.so /bin/ls (search, initialisers, hand-over traced).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
"$top/scripts/setup.sh"
cd "$top"
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
ninja -C "$build" myld.so
myld="$build/myld.so"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
src="$top/scripts/demo"
flags=(-O1 -nostdlib -ffreestanding -fno-stack-protector)
gcc "${flags[@]}" -fPIC -shared -o "$out/libgreet.so" "$src/libgreet.c"
gcc "${flags[@]}" -fPIE -pie -o "$out/hello" "$src/hello.c" \
	-L"$out" -lgreet -Wl,-rpath,'$ORIGIN'
gcc "${flags[@]}" -fPIE -pie -o "$out/hello-interp" "$src/hello.c" \
	-L"$out" -lgreet -Wl,-rpath,'$ORIGIN' -Wl,--dynamic-linker="$myld"

echo "== $myld $out/hello   (LD_DEBUG=bindings)"
LD_DEBUG=bindings "$myld" "$out/hello"
echo
echo "== $out/hello-interp   (PT_INTERP = myld.so, LD_DEBUG=libs)"
LD_DEBUG=libs "$out/hello-interp"
echo
echo "== LD_DEBUG=libs $myld /bin/ls -l $top/README.md   (a glibc program)"
LD_DEBUG=libs "$myld" /bin/ls -l "$top/README.md"
