#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the root fetch-kernels.sh unpacked a kernel series into: it holds
# boot/vmlinuz-<abi> and lib/modules/<abi> (use with modprobe -d), and the
# headers.  For "debug": the one tools/vm/debug-kernel.sh built.
set -eu
if [ "${1:-}" = debug ]; then
	d=$(sh "$(dirname "$0")/debug-kernel.sh" --cached)
	echo "$d/root"
	exit 0
fi
abi=$(sh "$(dirname "$0")/kernel-abi.sh" "$@")
root=${OVL_CACHE:-$HOME/.cache/ovl}/kernels/$abi
[ -f "$root/.packages" ] || { echo "$0: $root is missing: run 'make deps KERNELS=$1'" >&2; exit 1; }
echo "$root"
