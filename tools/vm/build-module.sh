#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build ovl.ko for a kernel series in a copy of the tree:
#   build-module.sh [--sparse] SERIES [DIR]
# Copies the tree (without .git and build products: an object built for
# another kernel must not come along; those of the last build in DIR
# stay) to DIR (default $OVL_CACHE/build/<abi>) and runs `make module`
# there against the series' headers (kernel-kdir.sh), where its compiler
# is (kbuild.sh).  --sparse: then sparse over every file (C=2: nothing
# is compiled again).  The build's output goes to stdout; the exit status
# is make's.  SERIES "debug" or "kcsan": that checker kernel's tree.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sparse=0
[ "${1:-}" = --sparse ] && { sparse=1; shift; }
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 [--sparse] SERIES [DIR]" >&2; exit 2; }
k=$1
abi=$(sh "$here/kernel-abi.sh" "$k") || exit $?
kdir=$(sh "$here/kernel-kdir.sh" "$k") || exit 1
b=${2:-${OVL_CACHE:-$HOME/.cache/ovl}/build/$abi}
mkdir -p "$b" || exit 1
rsync -a --delete --exclude=.git --exclude=.cache \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
	--exclude='compat-generated.h*' --exclude='*.so' --exclude='*.a' \
	"$repo/" "$b/" || exit 1
cd "$b" || exit 1
if [ "$sparse" = 0 ]; then
	rm -f ovl.ko
	sh "$here/kbuild.sh" -b "$b" "$k" make -j2 module KDIR="$kdir"
else
	sh "$here/kbuild.sh" -b "$b" "$k" make -j2 module KDIR="$kdir" &&
		sh "$here/kbuild.sh" -b "$b" "$k" make -C "$kdir" M="$b" C=2 \
			CF="-D__CHECK_ENDIAN__" modules
fi
