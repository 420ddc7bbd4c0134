#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build ovl's Debian packages with dpkg-deb, from this source tree:
#   sh tools/packaging/build-debs.sh [-k ABI]... [OUTDIR]
#
#   ovl-dkms_VERSION_all.deb          the module source in /usr/src/ovl-VERSION
#                                     with its dkms.conf
#   ovl-tools_VERSION_ARCH.deb        ovlctl (+ man page, bash completion),
#                                     the ip(8) plugin link_ovl.so, and
#                                     ovl-agent (+ man page, systemd unit)
#   ovl-modules-ABI_VERSION_ARCH.deb  one per -k: ovl.ko prebuilt against
#                                     the headers of kernel ABI (e.g.
#                                     -k 6.1.0-57-amd64): installed, or
#                                     in ~/.cache/ovl (make deps)
#
# OUTDIR defaults to ~/.cache/ovl/packaging/debs; the .deb paths are printed
# on stdout, the build log goes to stderr.  VERSION is tools/packaging/VERSION
# (or $OVL_VERSION); Maintainer is $OVL_MAINTAINER.  Nothing is built in the
# source tree: sources are copied into a scratch directory, so a build in
# progress there (another ovl.ko, tools/*.o) neither leaks into nor
# disturbs the packages.  Needs dpkg-dev (dpkg-shlibdeps), gcc, make,
# libmnl-dev, and for -k the kernel's headers.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}

usage() {
	echo "usage: $0 [-k KERNEL-ABI]... [OUTDIR]" >&2
	exit 2
}
die() {
	echo "build-debs: $*" >&2
	exit 1
}

abis=
while [ $# -gt 0 ]; do
	case $1 in
	-k) [ $# -ge 2 ] || usage; abis="$abis $2"; shift 2 ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -le 1 ] || usage
out=${1:-$cache/packaging/debs}

version=${OVL_VERSION:-$(cat "$here/VERSION")}
# A native package: no Debian revision, so no '-'.
case $version in
[0-9]*) ;;
*) die "version '$version' must start with a digit" ;;
esac
case $version in
*[!A-Za-z0-9.+~]*) die "version '$version' may only contain A-Z a-z 0-9 . + ~" ;;
esac
# Set OVL_MAINTAINER for a real release: this default address is reserved.
maintainer=${OVL_MAINTAINER:-ovl maintainers <ovl-maintainers@example.org>}
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null) ||
	multiarch=$(gcc -print-multiarch)

# kdir ABI: the headers of kernel ABI, installed or in the cache.
kdir() {
	for d in "/lib/modules/$1/build" "$cache/kernels/$1/usr/src/linux-headers-$1"; do
		[ -f "$d/Makefile" ] && { echo "$d"; return 0; }
	done
	return 1
}

# Validate every -k before building anything.
for abi in $abis; do
	case $abi in
	*[!A-Za-z0-9.+_-]*|'') die "bad kernel ABI '$abi'" ;;
	esac
	kdir "$abi" > /dev/null ||
		die "no headers for kernel $abi (/lib/modules/$abi/build, or $cache/kernels/$abi: make deps)"
done

# Timestamps and the changelog date come from the last commit, not from
# the time of the build.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	commit=$(git -C "$top" describe --always --dirty)
	SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$top" log -1 --format=%ct)}
	first=$(git -C "$top" log --reverse --format=%cd --date=format:%Y | head -n 1)
else
	commit=unknown
	SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date +%s)}
	first=
fi
export SOURCE_DATE_EPOCH
last=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y)
years=${first:-$last}
[ "$years" = "$last" ] || years=$years-$last

mkdir -p "$out" "$cache/packaging"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$cache/packaging/work.XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 022

# sources DIR PATH...: copy the files of PATHs into DIR.  From git, only
# the tracked files (as they are in the working tree); without git, every
# file but build products.
sources() {
	dir=$1
	shift
	mkdir -p "$dir"
	if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$top" && git ls-files -z -- "$@" | xargs -0 tar -cf -)
	else
		(cd "$top" && find "$@" -type f ! -name '*.o' ! -name '*.ko' \
			! -name '*.so' ! -name '*.mod*' ! -name '.*.cmd' \
			! -name compat-generated.h ! -name modules.order \
			! -name Module.symvers ! -name ovlctl -print0 |
			xargs -0 tar -cf -)
	fi | tar -xf - -C "$dir"
}

# subst FILE [ABI]: a template with its @...@ fields filled in.
subst() {
	sed -e "s|@VERSION@|$version|g" -e "s|@ARCH@|$arch|g" \
		-e "s|@MAINTAINER@|$maintainer|g" -e "s|@ABI@|${2:-}|g" \
		-e "s|@COMMIT@|$commit|g" -e "s|@SHLIBS@|${shlibs:-}|g" \
		-e "s|@YEARS@|$years|g" \
		-e "s|@DATE@|$(date -u -R -d "@$SOURCE_DATE_EPOCH")|g" "$1"
}

# package STAGE PKG TEMPLATE-DIR [ABI]: add the documentation, control
# files and md5sums to STAGE and build the .deb into OUTDIR.
package() {
	stage=$1 pkg=$2 tdir=$3 abi=${4:-}
	doc=$stage/usr/share/doc/$pkg
	mkdir -p "$doc" "$stage/DEBIAN"
	subst "$here/debian/copyright.in" >"$doc/copyright"
	subst "$here/debian/changelog.in" | gzip -9n >"$doc/changelog.gz"
	for s in postinst prerm postrm; do
		[ -f "$tdir/$s" ] || continue
		subst "$tdir/$s" "$abi" >"$stage/DEBIAN/$s"
		chmod 0755 "$stage/DEBIAN/$s"
	done
	(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -print |
		sed 's|^\./||' | LC_ALL=C sort | xargs md5sum) >"$stage/DEBIAN/md5sums"
	size=$(du -sk --apparent-size --exclude=DEBIAN "$stage" | cut -f1)
	subst "$tdir/control.in" "$abi" | sed "s|@SIZE@|$size|" >"$stage/DEBIAN/control"
	find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	deb=$out/${pkg}_${version}_$(sed -n 's/^Architecture: //p' "$stage/DEBIAN/control").deb
	dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >&2
	echo "$deb"
}

# ovl-dkms: the module's sources and dkms.conf, nothing built.
stage=$work/ovl-dkms
src=$stage/usr/src/ovl-$version
sources "$src" Kbuild Makefile drivers include
subst "$here/dkms.conf.in" >"$src/dkms.conf"
package "$stage" ovl-dkms "$here/debian/ovl-dkms"

# ovl-tools: built with Debian's hardening flags.  They go in through the
# environment: on make's command line they would replace the Makefiles'
# own additions (-shared, libmnl's flags) instead of being extended.
# The stage is where dpkg-shlibdeps expects a package's files to be.
stage=$work/tools-src/debian/ovl-tools
sources "$work/tools-src" tools/ovlctl tools/iproute2 tools/agent tools/include tools/packaging/VERSION include
DEB_BUILD_MAINT_OPTIONS=hardening=+all
export DEB_BUILD_MAINT_OPTIONS
CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)"
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
export CFLAGS LDFLAGS
for t in ovlctl iproute2 agent; do
	# VERSION: what ovlctl -V says, the package's (OVL_VERSION included).
	make -s -C "$work/tools-src/tools/$t" VERSION="$version" >&2
	# ip looks for plugins in one place only, its build-time libdir.
	make -s -C "$work/tools-src/tools/$t" install DESTDIR="$stage" \
		PREFIX=/usr IPLIBDIR="/usr/lib/$multiarch/ip" >&2
done
unset CFLAGS LDFLAGS DEB_BUILD_MAINT_OPTIONS
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$stage/usr/sbin/ovlctl" "$stage/usr/sbin/ovl-agent" "$stage/usr/lib/$multiarch/ip/link_ovl.so"
gzip -9n "$stage/usr/share/man/man8/ovlctl.8" "$stage/usr/share/man/man8/ovl-agent.8"
# dpkg-shlibdeps wants a debian/control (a stub will do), and finds the
# package's root by its DEBIAN directory.
mkdir -p "$stage/DEBIAN"
printf 'Source: ovl\n\nPackage: ovl-tools\nArchitecture: any\n' >"$work/tools-src/debian/control"
shlibs=$(cd "$work/tools-src" && dpkg-shlibdeps -O -edebian/ovl-tools/usr/sbin/ovlctl \
	-edebian/ovl-tools/usr/sbin/ovl-agent \
	-edebian/ovl-tools/usr/lib/"$multiarch"/ip/link_ovl.so | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || die "dpkg-shlibdeps found no dependency"
package "$stage" ovl-tools "$here/debian/ovl-tools"

# ovl-modules-ABI: ovl.ko as "make module" builds it, debug info stripped
# as dkms does, where depmod's default search order ("updates" first) makes
# it win over any in-tree namesake.
for abi in $abis; do
	build=$work/module-$abi
	sources "$build" Kbuild Makefile drivers include
	# A kernel of the cache is built for with its own compiler (in its
	# release's chroot when that is not this host's: tools/vm/kbuild.sh).
	series=$(grep -lxF "$abi" "$cache/abi/"* 2>/dev/null | head -n 1)
	run=
	[ -n "$series" ] && run="sh $top/tools/vm/kbuild.sh -b $build ${series##*/}"
	(cd "$build" && $run make -s module KDIR="$(kdir "$abi")") >&2
	stage=$work/ovl-modules-$abi
	install -D -m 0644 "$build/ovl.ko" "$stage/lib/modules/$abi/updates/ovl.ko"
	strip -g "$stage/lib/modules/$abi/updates/ovl.ko"
	package "$stage" "ovl-modules-$abi" "$here/debian/ovl-modules" "$abi"
done
