#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Make sure the two kernels the suite runs on are ready, and record their
# ABIs in $OVL_CACHE/abi/{6.1,6.12} for kernel-abi.sh / kernel-kdir.sh:
#   6.1   the ABI of the installed linux-headers-amd64 (bookworm)
#   6.12  the newest linux-headers-6.12.*+deb12-amd64 in bookworm-backports,
#         installed on the host so that `make KDIR=...` works
# and for each, linux-image-<abi>-unsigned unpacked (dpkg -x, depmod -b) in
# $OVL_CACHE/kernels/<abi>/ for tools/vm/run.sh to boot.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
mkdir -p "$OVL_CACHE/abi" "$OVL_CACHE/kernels"

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" = "ii " ]
}

# ABI of the 6.1 headers that linux-headers-amd64 currently pulls in.
abi_61() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		tr ',' '\n' | sed -n 's/^ *linux-headers-\([^ ]*-amd64\).*/\1/p' |
		head -n 1
}

# Unpack linux-image-<abi>-unsigned into kernels/<abi>; no-op when done.
# Fails (non-zero) when the archive no longer has that image.
unpack_image() {
	abi=$1 dst=$OVL_CACHE/kernels/$1
	[ -f "$dst/.complete" ] && return 0
	ovl_apt_update || return 1
	pkg=linux-image-$abi-unsigned
	(cd "$OVL_APT/debs" && rm -f "$pkg"_*.deb &&
		ovl_apt_get -q download "$pkg" >&2) || return 1
	echo "deps: unpacking $pkg into $dst" >&2
	rm -rf "$dst" "$dst.tmp"
	dpkg -x "$OVL_APT/debs/$pkg"_*.deb "$dst.tmp"
	# Newer packages ship /usr/lib/modules; modprobe -d and depmod -b
	# look under ROOT/lib/modules.
	if [ ! -d "$dst.tmp/lib/modules" ] && [ -d "$dst.tmp/usr/lib/modules" ]; then
		ln -s usr/lib "$dst.tmp/lib"
	fi
	[ -f "$dst.tmp/boot/vmlinuz-$abi" ] || { echo "deps: $pkg has no vmlinuz" >&2; return 1; }
	# The package's postinst would run depmod; dpkg -x does not.
	depmod -b "$dst.tmp" "$abi"
	rm -f "$OVL_APT/debs/$pkg"_*.deb
	touch "$dst.tmp/.complete"
	mv "$dst.tmp" "$dst"
}

# --- 6.1 (bookworm) ---------------------------------------------------------
abi=$(abi_61)
[ -n "$abi" ] || { echo "deps: cannot tell the ABI of linux-headers-amd64" >&2; exit 1; }
if ! unpack_image "$abi"; then
	# Debian keeps only the current kernel ABI in the archive: move the
	# headers to it so that headers and image match.
	echo "deps: image for $abi is gone from the archive; upgrading linux-headers-amd64" >&2
	ovl_apt_get -q install --no-install-recommends linux-headers-amd64 >&2
	abi=$(abi_61)
	unpack_image "$abi"
fi
echo "$abi" > "$OVL_CACHE/abi/6.1"

# --- 6.12 (bookworm-backports) ----------------------------------------------
abi=$(cat "$OVL_CACHE/abi/6.12" 2>/dev/null || true)
if [ -z "$abi" ] || ! installed "linux-headers-$abi" ||
   [ ! -f "$OVL_CACHE/kernels/$abi/.complete" ]; then
	ovl_apt_update
	abi=$(ovl_apt_cache pkgnames linux-headers-6.12. |
		sed -n 's/^linux-headers-\(6\.12\.[0-9.]*+deb12-amd64\)$/\1/p' |
		sort -V | tail -n 1)
	[ -n "$abi" ] || { echo "deps: no linux-headers-6.12.*+deb12-amd64 in bookworm-backports" >&2; exit 1; }
	# These headers depend on their kernel image (signed or unsigned), which
	# brings initramfs-tools and udev along: a one-time ~200 MB install.
	installed "linux-headers-$abi" ||
		ovl_apt_get -q install --no-install-recommends "linux-headers-$abi" >&2
	unpack_image "$abi"
	echo "$abi" > "$OVL_CACHE/abi/6.12"
fi

for k in 6.1 6.12; do
	echo "deps: kernel $k: $(cat "$OVL_CACHE/abi/$k")" >&2
done
