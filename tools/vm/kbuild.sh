#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run a command where modules for a kernel series are built:
#   kbuild.sh [-b DIR]... SERIES CMD [ARGS...]
#   kbuild.sh --describe SERIES     say where and with what (one line)
# For a kernel of this host's release (and "debug", "kcsan"): here, as it is.  For
# another release: in that release's chroot (chroot.sh), with the
# compiler the kernel's headers were built with, inside a private mount
# namespace where $OVL_CACHE and each DIR are mounted at the same path as
# here, so that KDIR (kernel-kdir.sh), build trees under $OVL_CACHE and
# DIRs keep their names.  CMD runs in the current directory, which must
# be under one of them; the environment is kept, PATH is the chroot's.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/apt-env.sh"
. "$here/kernels.sh"
usage() {
	echo "usage: $0 [-b DIR]... SERIES CMD [ARGS...] | --describe SERIES" >&2
	exit 2
}

describe=0 binds=
while [ $# -gt 0 ]; do
	case $1 in
	-b) [ $# -ge 2 ] || usage; binds="$binds $(cd "$2" && pwd)"; shift 2 ;;
	--describe) describe=1; shift ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
series=$1
shift
[ "$describe" = 1 ] || [ $# -ge 1 ] || usage
ovl_kernel_check --debug "$series" || exit 2

rel=$(ovl_host_release)
ovl_kernel_checker "$series" || rel=$(ovl_kernel_field "$series" 2)
cc=gcc
if ! ovl_kernel_checker "$series"; then
	abi=$(sh "$here/kernel-abi.sh" "$series")
	cc=$(grep -E '^gcc-[0-9]+' "$OVL_CACHE/kernels/$abi/.tools" 2>/dev/null |
		sed 's/-for-host$//' | head -n 1)
	cc=${cc:-gcc}
fi

if [ "$rel" = "$(ovl_host_release)" ]; then
	if [ "$describe" = 1 ]; then
		echo "$cc on this host"
		exit 0
	fi
	exec "$@"
fi

root=$(sh "$here/chroot.sh" --cached "$rel")
if [ "$describe" = 1 ]; then
	echo "$cc in the $rel chroot"
	exit 0
fi
cwd=$(pwd)
inside=0
for d in "$OVL_CACHE" $binds; do
	case $cwd/ in "$d"/*) inside=1 ;; esac
done
[ "$inside" = 1 ] || {
	echo "$0: the current directory $cwd is not under $OVL_CACHE or a -b DIR" >&2
	exit 2
}
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare -m sh -c '
	root=$1 cwd=$2 binds=$3
	shift 3
	mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 125
	for d in $binds; do
		mkdir -p "$root$d" && mount --bind "$d" "$root$d" || exit 125
	done
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export PATH
	exec chroot "$root" sh -c "cd \"\$1\" && shift && exec \"\$@\"" _ "$cwd" "$@"
' _ "$root" "$cwd" "$OVL_CACHE $binds" "$@"
