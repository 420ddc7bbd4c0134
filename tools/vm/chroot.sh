#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A minimal chroot of a Debian release, to build for a kernel of that
# release with the compiler its headers were built with (this host's gcc
# is another one):
#   chroot.sh RELEASE [PKG...]   make it (once), install the PKGs it lacks,
#                                print its directory
#   chroot.sh --cached RELEASE   print its directory if it is made
# debootstrap --variant=minbase from the system's own Debian mirror
# (apt-env.sh), into $OVL_CACHE/chroots/RELEASE, with make, sparse, dkms
# and kmod.  The mounts debootstrap and apt need are made in a private
# mount namespace (unshare -m): none outlives the command or is seen by
# the host.  kbuild.sh runs commands in it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
base="make sparse dkms kmod"

cached_only=0
[ "${1:-}" = --cached ] && { cached_only=1; shift; }
[ $# -ge 1 ] || { echo "usage: $0 [--cached] RELEASE [PKG...]" >&2; exit 2; }
rel=$1
shift
case $rel in
''|*[!a-z]*) echo "$0: bad release name '$rel'" >&2; exit 2 ;;
esac
top=$OVL_CACHE/chroots
dir=$top/$rel

if [ "$cached_only" = 1 ]; then
	[ -f "$dir/.complete" ] || { echo "$0: no $rel chroot: run 'make deps'" >&2; exit 1; }
	echo "$dir"
	exit 0
fi

# missing PKG...: those not installed in the chroot.
missing() {
	for p in "$@"; do
		[ "$(chroot "$dir" dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] ||
			printf '%s ' "$p"
	done
}

if [ -f "$dir/.complete" ] && [ -z "$(missing $base "$@")" ]; then
	echo "$dir"
	exit 0
fi

mkdir -p "$top"
exec 9> "$top/.$rel.lock"
flock 9

if [ ! -f "$dir/.complete" ]; then
	command -v debootstrap > /dev/null ||
		{ echo "$0: debootstrap is not installed (make deps)" >&2; exit 1; }
	mirror=$(ovl_mirror debian | awk '{ print $1 }')
	[ -n "$mirror" ] || { echo "$0: no Debian mirror in this system's apt sources (OVL_DEBIAN_MIRROR=URI)" >&2; exit 1; }
	log=$top/$rel.log
	inc=$(echo $base "$@" | tr ' ' ',')
	echo "deps: debootstrap --variant=minbase $rel into $dir (with $inc; log: $log)" >&2
	rm -rf "$dir.tmp"
	if ! unshare -m debootstrap --variant=minbase --include="$inc" \
		"$rel" "$dir.tmp" "$mirror" > "$log" 2>&1; then
		tail -n 20 "$log" | sed 's/^/deps:   /' >&2
		echo "deps: debootstrap $rel failed (log: $log)" >&2
		exit 1
	fi
	touch "$dir.tmp/.complete"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi

need=$(missing $base "$@")
if [ -n "$need" ]; then
	echo "deps: installing in the $rel chroot: $need" >&2
	# shellcheck disable=SC2086 # package names
	unshare -m sh -c '
		d=$1
		shift
		mount -t proc proc "$d/proc" && mount --rbind /dev "$d/dev" || exit 1
		[ -f /etc/resolv.conf ] && [ -f "$d/etc/resolv.conf" ] &&
			mount --bind /etc/resolv.conf "$d/etc/resolv.conf"
		DEBIAN_FRONTEND=noninteractive chroot "$d" apt-get -q update &&
		DEBIAN_FRONTEND=noninteractive chroot "$d" apt-get -q -y \
			install --no-install-recommends "$@"' _ "$dir" $need >&2 ||
		{ echo "deps: cannot install $need in the $rel chroot" >&2; exit 1; }
fi
echo "$dir"
