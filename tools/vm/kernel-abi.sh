#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the Debian kernel ABI (e.g. 6.1.0-57-amd64) that the suite uses for
# a kernel series of kernels.sh, as recorded by fetch-kernels.sh (make
# deps), or of a checker kernel ("debug", "kcsan"), as recorded by
# tools/vm/debug-kernel.sh.
set -eu
. "$(dirname "$0")/kernels.sh"
[ $# = 1 ] || { echo "usage: $0 SERIES|debug|kcsan (SERIES: $OVL_KERNELS_ALL)" >&2; exit 2; }
ovl_kernel_check --debug "$1" || exit 2
f=${OVL_CACHE:-$HOME/.cache/ovl}/abi/$1
! ovl_kernel_checker "$1" || [ -s "$f" ] ||
	{ echo "$0: no $1 kernel: run tools/vm/debug-kernel.sh $1 first" >&2; exit 1; }
[ -s "$f" ] || { echo "$0: no kernel recorded for $1: run 'make deps KERNELS=$1' first" >&2; exit 1; }
cat "$f"
