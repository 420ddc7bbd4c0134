#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what building and testing ovl needs on Debian 12, idempotently:
# host packages, the bookworm-backports 6.12 headers, and the 6.1 and 6.12
# kernel images the VM tests boot (extracted under ~/.cache/ovl/kernels).
# When everything is present it runs no apt command at all.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vm/apt-env.sh"

# kmod: modprobe -d/depmod -b for the extracted images; rsync: the per-kernel
# build trees; libcurl, json-c: ovl-agent; etcd, the CNI plugins and
# iptables: what the agent's tests run; the rest is the build, the tools and
# what the other tests run.
PKGS="build-essential linux-headers-amd64 kmod qemu-system-x86 busybox-static
libmnl-dev pkg-config iproute2 tcpdump iperf3 ethtool sparse python3 cpio
xz-utils zstd socat procps rsync strace iputils-ping
linux-source-6.1 flex bison bc libelf-dev libssl-dev dkms lintian
libcurl4-openssl-dev libjson-c-dev etcd-server etcd-client
containernetworking-plugins iptables"

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "$st" = "ii " ] || missing="$missing $p"
done

if [ -n "$missing" ]; then
	[ "$(id -u)" = 0 ] || { echo "deps: missing:$missing (run as root)" >&2; exit 1; }
	echo "deps: installing:$missing" >&2
	ovl_apt_update
	# shellcheck disable=SC2086
	ovl_apt_get -q install --no-install-recommends $missing >&2
fi

sh "$here/vm/fetch-kernels.sh"
