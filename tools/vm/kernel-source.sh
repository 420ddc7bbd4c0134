#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debian's kernel source for checkpatch.pl and the debug kernel, fetched
# with apt-get download and unpacked (dpkg -x) into $OVL_CACHE/source/
# once, never installed on this host:
#   kernel-source.sh [SERIES]            fetch it unless cached; print the tarball
#   kernel-source.sh --cached [SERIES]   print it only if it is cached
#   kernel-source.sh --version [SERIES]  print its package version (cached only)
# SERIES (kernels.sh; default 6.1) names the package, linux-source-X.Y of
# the series' release: linux-source-6.1 from bookworm, linux-source-7.2
# from sid.  OVL_KERNEL_REFRESH=1 fetches the archive's current version
# again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
. "$here/kernels.sh"

mode=fetch
case ${1:-} in --cached|--version) mode=$1; shift ;; -*) mode=bad ;; esac
[ "$mode" != bad ] && [ $# -le 1 ] || { echo "usage: $0 [--cached|--version] [SERIES]" >&2; exit 2; }
series=${1:-6.1}
ovl_kernel_check "$series" || exit 2
pkg=linux-source-${series%-rt}
rel=$(ovl_kernel_field "$series" 2)
set_=$rel
[ "$rel" = "$(ovl_host_release)" ] && set_=host
dir=$OVL_CACHE/source/$pkg

tarball() { ls "$dir"/usr/src/linux-source-*.tar.* 2>/dev/null | head -n 1; }
if [ -f "$dir/.version" ] && [ -n "$(tarball)" ] &&
   { [ "$mode" != fetch ] || [ "${OVL_KERNEL_REFRESH:-0}" != 1 ]; }; then
	if [ "$mode" = --version ]; then cat "$dir/.version"; else tarball; fi
	exit 0
fi
[ "$mode" = fetch ] || { echo "$0: $pkg is not fetched (make deps)" >&2; exit 1; }

ovl_apt_update "$set_"
mkdir -p "$OVL_CACHE/source"
tmp=$(mktemp -d "$OVL_CACHE/source/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "deps: downloading $pkg ($rel) into $dir" >&2
ovl_apt_download "$set_" "$tmp" "$pkg" || { echo "$0: cannot download $pkg" >&2; exit 1; }
deb=$(ls "$tmp"/*.deb)
dpkg -x "$deb" "$tmp/root"
dpkg-deb -f "$deb" Version > "$tmp/root/.version"
rm -rf "$dir"
mv "$tmp/root" "$dir"
tarball
