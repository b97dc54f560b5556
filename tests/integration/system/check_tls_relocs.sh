#!/bin/sh
# SPDX-License-Identifier: MIT
# check_tls_relocs.sh PROGRAM DSO1 DSO2: tls_threads only tests the TLS
# access models its build really contains. The program must read the
# libraries' variables initial-exec (R_X86_64_TPOFF64 in its GOT), dso1
# must hold general/local-dynamic pairs (DTPMOD64 + DTPOFF64) and an
# initial-exec TPOFF64, dso2 (built -mtls-dialect=gnu2) TLSDESC descriptors,
# among them one against dso1's dso1_gd. Fails, naming the missing kind,
# if a compiler or linker change relaxed any of them away.
set -eu

prog=$1 dso1=$2 dso2=$3
status=0

need() { # FILE PATTERN WHAT
	if ! readelf -rW "$1" | grep -q -E "$2"; then
		echo "FAIL: $(basename "$1") has no $3" >&2
		status=1
	fi
}

need "$prog" 'R_X86_64_TPOFF64 +[0-9a-f]+ dso1_gd' 'TPOFF64 against dso1_gd (initial-exec)'
need "$prog" 'R_X86_64_TPOFF64 +[0-9a-f]+ dso2_desc' 'TPOFF64 against dso2_desc (initial-exec)'
need "$dso1" 'R_X86_64_DTPMOD64 +[0-9a-f]+ dso1_gd' 'DTPMOD64 against dso1_gd (general-dynamic)'
need "$dso1" 'R_X86_64_DTPOFF64 +[0-9a-f]+ dso2_desc' 'DTPOFF64 against dso2_desc (GD, other module)'
need "$dso1" 'R_X86_64_DTPMOD64 +0 *$' 'module-only DTPMOD64 (local-dynamic)'
need "$dso1" 'R_X86_64_TPOFF64 +[0-9a-f]+ dso1_ie' 'TPOFF64 against dso1_ie (initial-exec)'
need "$dso2" 'R_X86_64_TLSDESC +[0-9a-f]+ dso2_desc' 'TLSDESC against dso2_desc'
need "$dso2" 'R_X86_64_TLSDESC +[0-9a-f]+ dso1_gd' 'TLSDESC against dso1_gd (other module)'
need "$dso2" 'R_X86_64_TLSDESC +0 *$' 'TLSDESC for a static variable'
[ "$status" -eq 0 ] && echo "TLS relocations present: IE, GD, LD, TLSDESC"
exit "$status"
