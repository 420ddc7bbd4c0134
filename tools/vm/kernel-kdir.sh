#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the KDIR to build ovl.ko against for a kernel series of
# kernels.sh: the headers fetch-kernels.sh unpacked into the kernel's root
# in $OVL_CACHE/kernels/<abi>/usr/src/linux-headers-<abi> (build there
# through kbuild.sh: a kernel of another Debian release needs its
# chroot's compiler).  For "debug" and "kcsan": the tree
# tools/vm/debug-kernel.sh built.
set -eu
case ${1:-} in debug|kcsan)
	d=$(sh "$(dirname "$0")/debug-kernel.sh" --cached "$1")
	echo "$d/linux"
	exit 0
esac
abi=$(sh "$(dirname "$0")/kernel-abi.sh" "$@")
kdir=${OVL_CACHE:-$HOME/.cache/ovl}/kernels/$abi/usr/src/linux-headers-$abi
[ -f "$kdir/Makefile" ] || { echo "$0: $kdir is missing: run 'make deps KERNELS=$1'" >&2; exit 1; }
echo "$kdir"
