#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The test command: installs the tools, configures a fresh build directory,
# builds myld.so and runs every test suite (checks, unit, integration).
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
