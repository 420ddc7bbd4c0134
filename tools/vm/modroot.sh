#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the root fetch-kernels.sh unpacked a kernel series into: it holds
# boot/vmlinuz-<abi> and lib/modules/<abi> (use with modprobe -d), and the
# headers.  For "debug" and "kcsan": the one tools/vm/debug-kernel.sh built.
set -eu
case ${1:-} in debug|kcsan)
	d=$(sh "$(dirname "$0")/debug-kernel.sh" --cached "$1")
	echo "$d/root"
	exit 0
esac
abi=$(sh "$(dirname "$0")/kernel-abi.sh" "$@")
root=${OVL_CACHE:-$HOME/.cache/ovl}/kernels/$abi
[ -f "$root/.packages" ] || { echo "$0: $root is missing: run 'make deps KERNELS=$1'" >&2; exit 1; }
echo "$root"
