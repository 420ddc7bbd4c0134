#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What building and testing ovl needs on Debian 12, idempotently:
#   tools/deps.sh [SERIES...]     (make deps [KERNELS="..."])
#   tools/deps.sh --no-kernels    the tools only
# installs the host's tools with apt (saying first what apt will install,
# dependencies included; never a kernel image or headers), then has
# vm/fetch-kernels.sh fetch and unpack the kernels (default: all of
# vm/kernels.sh) under ~/.cache/ovl.  When everything is present it runs
# no apt command at all.  OVL_DEPS_DRY_RUN=1 says what it would install
# and installs nothing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vm/apt-env.sh"
. "$here/vm/kernels.sh"
kernels=1
if [ "${1:-}" = --no-kernels ]; then
	[ $# = 1 ] || { echo "usage: $0 [--no-kernels | SERIES...]" >&2; exit 2; }
	kernels=0
	shift
fi
[ $# -gt 0 ] || [ "$kernels" = 0 ] || set -- $OVL_KERNELS_ALL
ovl_kernel_check "$@" || exit 2

# kmod: modprobe -d/depmod -b for the unpacked images; rsync: the
# per-kernel build trees; debootstrap: the chroots of other releases'
# kernels; libcurl, json-c: ovl-agent; etcd, the CNI plugins and
# iptables: what the agent's tests run; the rest is the build, the tools
# and what the other tests run.  No kernel headers: they are fetched
# into ~/.cache/ovl with the kernels.
PKGS="build-essential kmod qemu-system-x86 busybox-static
libmnl-dev pkg-config iproute2 tcpdump iperf3 ethtool sparse python3 cpio
xz-utils zstd socat procps rsync strace iputils-ping debootstrap
flex bison bc libelf-dev libssl-dev dkms lintian
libcurl4-openssl-dev libjson-c-dev etcd-server etcd-client
containernetworking-plugins iptables"

# shellcheck disable=SC2086 # package names
ovl_install $PKGS
[ "$kernels" = 1 ] || exit 0
if [ "${OVL_DEPS_DRY_RUN:-0}" = 1 ]; then
	echo "deps: would fetch into $OVL_CACHE/kernels (not install) the kernels: $*" >&2
	exit 0
fi

sh "$here/vm/fetch-kernels.sh" "$@"
