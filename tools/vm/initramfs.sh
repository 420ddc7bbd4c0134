#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the initramfs that boots a kernel series in a VM:
# busybox-static, tools/vm/init, and the modules needed to mount the host's
# root over virtio-9p with an overlay on top, decompressed (busybox insmod
# cannot read .ko.xz) and listed in load order.  Cached in
# $OVL_CACHE/initramfs/<abi>.cpio, rebuilt when any input changes.
# Prints the path of the image.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
abi=$(sh "$here/kernel-abi.sh" "$1")
root=$(sh "$here/modroot.sh" "$1")
cache=${OVL_CACHE:-$HOME/.cache/ovl}/initramfs
out=$cache/$abi.cpio
busybox=/bin/busybox
if [ ! -x "$busybox" ] || ! "$busybox" --list | grep -qx insmod; then
	echo "$0: $busybox (busybox-static) is missing" >&2
	exit 1
fi

# insmod paths in dependency order, each once; builtins print "builtin".
mods=$(modprobe -d "$root" -S "$abi" -a --show-depends \
	virtio_pci 9pnet_virtio 9p overlay |
	awk '$1 == "insmod" && !seen[$2]++ { print $2 }')

key=$( { cat "$here/init" "$busybox" "$0"; echo "$mods"; } | sha256sum)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/lib/ovl-modules"
cp "$busybox" "$tmp/bin/busybox"
cp "$here/init" "$tmp/init"
chmod 755 "$tmp/init"
: > "$tmp/lib/ovl-modules/order"
for m in $mods; do
	name=$(basename "$m")
	case $name in
	*.ko.xz) xz -dc "$m" > "$tmp/lib/ovl-modules/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$m" > "$tmp/lib/ovl-modules/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$m" > "$tmp/lib/ovl-modules/${name%.gz}" ;;
	*.ko) cp "$m" "$tmp/lib/ovl-modules/$name" ;;
	*) echo "$0: unexpected module file $m" >&2; exit 1 ;;
	esac
	echo "${name%.ko*}.ko" >> "$tmp/lib/ovl-modules/order"
done
# Two VMs of one kernel may build it at once: each writes its own file and
# renames it into place whole.
(cd "$tmp" && find . -mindepth 1 | cpio --quiet -o -H newc) > "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "$key" > "$out.key.$$" && mv "$out.key.$$" "$out.key"
echo "$out"
