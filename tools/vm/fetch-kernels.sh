#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Make the kernels the suite runs on ready, without installing any of
# them on this host:
#   fetch-kernels.sh [SERIES...]     (default: all of kernels.sh)
# For each series (kernels.sh): the newest ABI its Debian release has
# (recorded in $OVL_CACHE/abi/SERIES, for kernel-abi.sh), and in one root,
# $OVL_CACHE/kernels/<abi>/, what the VM boots and what a build needs,
# fetched with apt-get download and unpacked with dpkg -x:
#   boot/vmlinuz-<abi>, lib/modules/<abi>/   the image (depmod -b run)
#   usr/src/linux-headers-<abi>{,-common}    the headers: KDIR
#   usr/lib/linux-kbuild-*                   kbuild (scripts, modpost)
# The headers' Makefile includes /usr/src/...-common/Makefile by absolute
# path: it is pointed at the root's copy, so KDIR works where it is.
# The tools the headers name (the compiler they were built with, pahole,
# libraries) are installed: on this host for a kernel of its release,
# in a chroot of the kernel's release otherwise (chroot.sh).
# A series already in the cache is used as it is (no network);
# OVL_KERNEL_REFRESH=1 looks for a newer ABI.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
. "$here/kernels.sh"
[ $# -gt 0 ] || set -- $OVL_KERNELS_ALL
ovl_kernel_check "$@" || exit 2
mkdir -p "$OVL_CACHE/abi" "$OVL_CACHE/kernels"
host_rel=$(ovl_host_release)

die() {
	echo "deps: $*" >&2
	exit 1
}

# apt_set RELEASE: the private apt configuration that has its packages.
apt_set() {
	if [ "$1" = "$host_rel" ]; then echo host; else echo "$1"; fi
}

# candidate SET PKG: the candidate version of PKG, empty if none.
candidate() {
	ovl_apt_cache "$1" show --no-all-versions "$2" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1
}

# kernel_pkg NAME: a package of a kernel's own (not a tool, not the
# linux-base scripts).
kernel_pkg() {
	case $1 in
	linux-headers-[0-9]*|linux-kbuild-[0-9]*|linux-image-[0-9]*|\
	linux-binary-[0-9]*|linux-binary-unsigned-[0-9]*|linux-modules-[0-9]*|\
	linux-base-[0-9]*) return 0 ;;
	esac
	return 1
}

# discover SET REGEX: the newest ABI matching REGEX with both headers and
# an image.
discover() {
	ovl_apt_cache "$1" pkgnames linux-headers- |
		sed -nE "s/^linux-headers-($2)\$/\\1/p" | sort -V -r |
	while read -r a; do
		if [ -n "$(candidate "$1" "linux-image-$a-unsigned")" ] ||
		   [ -n "$(candidate "$1" "linux-image-$a")" ]; then
			echo "$a"
			break
		fi
	done
}

# closure SET PKG...: the kernel packages PKGs are and depend on, as
# "kernel NAME VERSION" lines, and the tools the headers and kbuild need,
# as "tool NAME" lines (linux-compiler-* stands for the compiler it
# depends on).  An alternative is the first one the archive has.
closure() {
	cs_set=$1
	shift
	todo=" $* " seen=' '
	while :; do
		p=$(echo "$todo" | awk '{ print $1 }')
		[ -n "$p" ] || break
		todo=$(echo "$todo" | sed "s/^ *[^ ]* */ /")
		case $seen in *" $p "*) continue ;; esac
		seen="$seen$p "
		info=$(ovl_apt_cache "$cs_set" show --no-all-versions "$p" 2>/dev/null) ||
			die "$p is not in the archive"
		echo "kernel $p $(echo "$info" | sed -n 's/^Version: //p' | head -n 1)"
		echo "$info" | sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
		while read -r group; do
			[ -n "$group" ] || continue
			pick=
			for alt in $(echo "$group" | tr '|' '\n' | sed 's/(.*)//; s/ //g'); do
				if kernel_pkg "$alt"; then
					[ -n "$(candidate "$cs_set" "$alt")" ] && { pick=$alt; break; }
				elif [ -z "$pick" ]; then
					pick=$alt
				fi
			done
			[ -n "$pick" ] || continue
			if kernel_pkg "$pick"; then
				echo "dep $pick"
			else
				case $p in linux-headers-*|linux-kbuild-*) ;; *) continue ;; esac
				case $pick in
				linux-base) ;; # the image's maintainer scripts
				linux-compiler-*)
					ovl_apt_cache "$cs_set" show --no-all-versions "$pick" |
						sed -n 's/^Depends: //p' | tr ',' '\n' |
						sed 's/(.*)//; s/|.*//; s/ //g; /^$/d; s/^/tool /' ;;
				*) echo "tool $pick" ;;
				esac
			fi
		done > "$work/deps"
		grep '^tool ' "$work/deps" || true
		todo="$todo $(sed -n 's/^dep //p' "$work/deps" | tr '\n' ' ')"
	done
}

# fixup ROOT FINAL ABI: make the headers in ROOT (to be renamed FINAL)
# work where they are.  Idempotent: run on every root, every time, so a
# root unpacked by an older version of this script is mended too.
fixup() {
	r=$1 final=$2 abi=$3
	kdir=$r/usr/src/linux-headers-$abi
	# Paths the packages write as absolute, pointed into this root: the
	# headers' include of the -common Makefile (and KBUILD_OUTPUT), and
	# the build and source links of lib/modules.
	sed -i -E "s#^(include |KBUILD_OUTPUT=)/usr/src/#\\1$final/usr/src/#" "$kdir/Makefile"
	for l in build source; do
		t=$(readlink "$r/lib/modules/$abi/$l" 2>/dev/null) || continue
		case $t in /*) ln -sfn "../../..$t" "$r/lib/modules/$abi/$l" ;; esac
	done
	# Newer kernels' Makefile runs scripts/checker-valid.sh before
	# sparse (C=1/2) and, when it is missing, checks nothing; Debian's
	# kbuild does not ship it.  A stand-in: the checker is valid when it
	# checks an empty file without an error.
	common=$(sed -n "s#^include $final/usr/src/\\(.*\\)/Makefile\$#\\1#p" "$kdir/Makefile")
	[ -n "$common" ] || return 0
	if grep -q 'scripts/checker-valid.sh' "$r/usr/src/$common/Makefile" &&
	   [ ! -e "$r/usr/src/$common/scripts/checker-valid.sh" ]; then
		cv=$(cd "$r/usr/src/$common/scripts" && pwd -P)/checker-valid.sh
		cat > "$cv" <<-'CV'
		#!/bin/sh
		# Written by ovl's tools/vm/fetch-kernels.sh: Debian's kbuild
		# lacks it.  Prints 1 when the checker $1 checks an empty file
		# cleanly, else 0.
		command -v "$1" > /dev/null 2>&1 || { echo 0; exit 0; }
		if "$@" -Werror -x c /dev/null > /dev/null 2>&1; then echo 1; else echo 0; fi
		CV
		chmod 755 "$cv"
	fi
}

# unpack SET ABI: fetch and unpack the kernel's packages into its root.
unpack() {
	u_set=$1 abi=$2 dst=$OVL_CACHE/kernels/$2
	img=linux-image-$abi-unsigned
	[ -n "$(candidate "$u_set" "$img")" ] || img=linux-image-$abi
	closure "$u_set" "linux-headers-$abi" "$img" > "$work/closure"
	debs=$OVL_APT/$u_set/debs/$abi
	rm -rf "$debs" "$dst.tmp"
	mkdir -p "$debs" "$dst.tmp"
	# shellcheck disable=SC2046 # NAME=VERSION words
	echo "deps: downloading kernel $abi:" $(awk '$1 == "kernel" { print $2 }' "$work/closure") >&2
	# shellcheck disable=SC2046
	ovl_apt_download "$u_set" "$debs" \
		$(awk '$1 == "kernel" { print $2 "=" $3 }' "$work/closure") ||
		die "cannot download the packages of $abi"
	echo "deps: unpacking them into $dst" >&2
	for d in "$debs"/*.deb; do
		dpkg -x "$d" "$dst.tmp" || die "dpkg -x $d failed"
	done
	rm -rf "$debs"
	r=$dst.tmp
	# Newer packages ship /usr/lib/modules; modprobe -d and depmod -b
	# look under ROOT/lib/modules.
	if [ ! -e "$r/lib" ] && [ -d "$r/usr/lib/modules" ]; then
		ln -s usr/lib "$r/lib"
	fi
	# Newer packages put the kernel beside its modules; run.sh boots
	# boot/vmlinuz-<abi>.
	if [ ! -e "$r/boot/vmlinuz-$abi" ] && [ -f "$r/usr/lib/modules/$abi/vmlinuz" ]; then
		mkdir -p "$r/boot"
		ln -s "../usr/lib/modules/$abi/vmlinuz" "$r/boot/vmlinuz-$abi"
	fi
	[ -f "$r/boot/vmlinuz-$abi" ] || die "the packages of $abi have no boot/vmlinuz-$abi"
	[ -f "$r/usr/src/linux-headers-$abi/Makefile" ] ||
		die "the packages of $abi have no usr/src/linux-headers-$abi/Makefile"
	fixup "$r" "$dst" "$abi"
	# The image's postinst would run depmod; dpkg -x does not.
	depmod -b "$r" "$abi" || die "depmod -b for $abi failed"
	awk '$1 == "tool" { print $2 }' "$work/closure" | sort -u > "$r/.tools"
	awk '$1 == "kernel" { print $2 "=" $3 }' "$work/closure" > "$r/.packages"
	rm -rf "$dst"
	mv "$r" "$dst"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One run at a time: two would unpack into the same directories.
exec 9> "$OVL_CACHE/kernels/.lock"
flock 9
host_tools=
for series in "$@"; do
	rel=$(ovl_kernel_field "$series" 2)
	set_=$(apt_set "$rel")
	abi=$(cat "$OVL_CACHE/abi/$series" 2>/dev/null || true)
	# A root whose headers lost their configuration (a "make mrproper"
	# run in them, or .config emptied, as dkms 2.8 does with
	# --kernelsourcedir unless told not to) is fetched again.
	h=$OVL_CACHE/kernels/$abi/usr/src/linux-headers-$abi
	if [ -n "$abi" ] && [ -f "$OVL_CACHE/kernels/$abi/.packages" ] &&
	   { [ ! -f "$h/include/config/auto.conf" ] ||
	     [ ! -f "$h/include/generated/autoconf.h" ] ||
	     ! grep -q '^CONFIG_' "$h/.config" 2>/dev/null; }; then
		echo "deps: kernel $series: the headers in $OVL_CACHE/kernels/$abi are damaged, fetching them again" >&2
		rm -f "$OVL_CACHE/kernels/$abi/.packages"
	fi
	if [ -z "$abi" ] || [ ! -f "$OVL_CACHE/kernels/$abi/.packages" ] ||
	   [ "${OVL_KERNEL_REFRESH:-0}" = 1 ]; then
		old=$abi
		ovl_apt_update "$set_" || die "apt-get update for $set_ failed"
		abi=$(discover "$set_" "$(ovl_kernel_field "$series" 3)")
		[ -n "$abi" ] || die "kernel $series: no linux-headers-ABI with an image in $rel"
		[ -f "$OVL_CACHE/kernels/$abi/.packages" ] || unpack "$set_" "$abi"
		echo "$abi" > "$OVL_CACHE/abi/$series"
		# The root of the ABI this one replaces, unless another series
		# still uses it.
		if [ -n "$old" ] && [ "$old" != "$abi" ] &&
		   ! grep -qxF "$old" "$OVL_CACHE/abi/"* 2>/dev/null; then
			echo "deps: kernel $series: $old replaced by $abi, deleting its root" >&2
			rm -rf "${OVL_CACHE:?}/kernels/$old"
		fi
	fi
	fixup "$OVL_CACHE/kernels/$abi" "$OVL_CACHE/kernels/$abi" "$abi"
	tools=$(cat "$OVL_CACHE/kernels/$abi/.tools")
	if [ "$rel" = "$host_rel" ]; then
		host_tools="$host_tools $tools"
	else
		# shellcheck disable=SC2086 # package names
		sh "$here/chroot.sh" "$rel" $tools > /dev/null ||
			die "kernel $series: the $rel chroot is not ready"
	fi
	echo "deps: kernel $series: $abi" >&2
done
# shellcheck disable=SC2086 # package names
[ -z "$host_tools" ] || ovl_install $host_tools
