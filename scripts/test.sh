#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test command: installs the tools, configures a fresh build directory,
# builds myld.so and runs every test suite (checks, unit, integration, and
# fuzz: each libFuzzer harness for a few seconds), then the unit suite
# again in a second build directory (BUILDDIR-sanitize) built with
# AddressSanitizer and UndefinedBehaviorSanitizer (-Dunits_only=true: no
# myld.so there, it must stay freestanding), and last the benchmark in its
# short mode (scripts/bench.sh --quick: it must run; no timing is asserted).
# Usage: scripts/test.sh [BUILDDIR] [extra meson test arguments...]
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
shift || true
"$top/scripts/setup.sh"
cd "$top"
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build"
fi
ninja -C "$build"
meson test -C "$build" --print-errorlogs --num-processes "$(nproc)" "$@"

sanitize="$build-sanitize"
if [ ! -f "$sanitize/build.ninja" ]; then
	meson setup "$sanitize" -Dunits_only=true -Db_sanitize=address,undefined
fi
ninja -C "$sanitize"
meson test -C "$sanitize" --print-errorlogs --num-processes "$(nproc)" --suite unit

"$top/scripts/bench.sh" --quick --myld "$build/myld.so"
