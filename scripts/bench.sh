#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The start-up benchmark (scripts/bench.py: callgrind instructions, the
# loader's share and wall-clock medians, myld.so against the system ld.so
# in the same run, as one markdown table). Installs what it needs, builds
# myld.so when there is no build directory, then runs it.
# Usage: scripts/bench.sh [--quick] [bench.py options: --myld PATH, --runs N,
#                          --libs N, --funcs N]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/setup.sh"
if ! command -v valgrind >/dev/null; then
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends valgrind
fi
# Without --myld, build/myld.so is measured: build it if it is not there.
if [[ " $* " != *" --myld "* && ! -x "$top/build/myld.so" ]]; then
	[ -f "$top/build/build.ninja" ] || meson setup "$top/build"
	ninja -C "$top/build"
fi
exec python3 "$top/scripts/bench.py" "$@"
