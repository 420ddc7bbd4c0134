#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the KDIR to build ovl.ko against for kernel series 6.1 or 6.12:
# the host-installed headers of the ABI recorded by tools/deps.sh.
# For "debug": the tree tools/vm/debug-kernel.sh built.
set -eu
if [ "${1:-}" = debug ]; then
	d=$(sh "$(dirname "$0")/debug-kernel.sh" --cached)
	echo "$d/linux"
	exit 0
fi
abi=$(sh "$(dirname "$0")/kernel-abi.sh" "$@")
kdir=/usr/src/linux-headers-$abi
[ -f "$kdir/Makefile" ] || { echo "$0: $kdir is missing: run 'make deps'" >&2; exit 1; }
echo "$kdir"
