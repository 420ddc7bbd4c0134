#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's kernel source for checkpatch.pl and the debug kernel, fetched
# with apt-get download and unpacked (dpkg -x) into $OVL_CACHE/source/
# once, never installed on this host:
#   kernel-source.sh             fetch it unless cached; print the tarball
#   kernel-source.sh --cached    print it only if it is cached
#   kernel-source.sh --version   print its package version (cached only)
# The package is linux-source-6.1, from the host's release (bookworm).
# OVL_KERNEL_REFRESH=1 fetches the archive's current version again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
pkg=linux-source-6.1
dir=$OVL_CACHE/source/$pkg

mode=${1:-fetch}
case $mode in fetch|--cached|--version) ;; *) echo "usage: $0 [--cached|--version]" >&2; exit 2 ;; esac

tarball() { ls "$dir"/usr/src/linux-source-*.tar.* 2>/dev/null | head -n 1; }
if [ -f "$dir/.version" ] && [ -n "$(tarball)" ] &&
   { [ "$mode" != fetch ] || [ "${OVL_KERNEL_REFRESH:-0}" != 1 ]; }; then
	if [ "$mode" = --version ]; then cat "$dir/.version"; else tarball; fi
	exit 0
fi
[ "$mode" = fetch ] || { echo "$0: $pkg is not fetched (make deps)" >&2; exit 1; }

ovl_apt_update host
mkdir -p "$OVL_CACHE/source"
tmp=$(mktemp -d "$OVL_CACHE/source/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "deps: downloading $pkg into $dir" >&2
ovl_apt_download host "$tmp" "$pkg" || { echo "$0: cannot download $pkg" >&2; exit 1; }
deb=$(ls "$tmp"/*.deb)
dpkg -x "$deb" "$tmp/root"
dpkg-deb -f "$deb" Version > "$tmp/root/.version"
rm -rf "$dir"
mv "$tmp/root" "$dir"
tarball
