#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything myld's build and tests need on a Debian 12 machine
# (idempotent: skips apt when every tool is already there). Run as root, or
# with sudo available.
set -euo pipefail

packages=(meson ninja-build gcc g++ libc6-dev pkg-config check patchelf
          binutils python3 file git
          # the libFuzzer harnesses (scripts/fuzz.sh, test suite fuzz)
          clang libclang-rt-14-dev)
need=()
for p in "${packages[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -eq 0 ]; then
	exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
