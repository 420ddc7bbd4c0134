#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What of this host the harness must leave as it found it, recorded
# before a run and compared after it:
#   host-state.sh save FILE       record it in FILE
#   host-state.sh compare FILE    say whether it is still so: exit 0, or
#                                 exit 1 with the differences (diff -u)
# Recorded: `git status --porcelain` of this tree; every entry under
# /boot, /lib/modules and /usr/lib/modules (path, type, size, mtime, link
# target, and for /boot's files a sha256); the /vmlinuz* and
# /initrd.img* links; the kernel packages dpkg has (linux-image-*,
# linux-headers-*, linux-modules-*, linux-kbuild-*); the sha256 of apt's
# source lists.  OVL_HOST_STATE_DIRS replaces the three directories and
# OVL_HOST_STATE_REPO the tree (selftests/native/host-state.sh uses
# scratch ones).
set -u
repo=${OVL_HOST_STATE_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
dirs=${OVL_HOST_STATE_DIRS:-/boot /lib/modules /usr/lib/modules}

state() {
	echo "# git status --porcelain ($repo)"
	if git -C "$repo" rev-parse --git-dir > /dev/null 2>&1; then
		git -C "$repo" status --porcelain
	else
		echo "(not a git tree)"
	fi
	for d in $dirs; do
		echo "# $d"
		[ -e "$d" ] || { echo "(absent)"; continue; }
		find "$d" -xdev -printf '%p %y %s %T@ %l\n' 2>/dev/null | LC_ALL=C sort
		case $d in
		*/boot) find "$d" -xdev -type f -exec sha256sum {} + 2>/dev/null | LC_ALL=C sort -k 2 ;;
		esac
	done
	echo "# / kernel links"
	ls -l --time-style=+%s /vmlinuz* /initrd.img* 2>/dev/null | awk '{ $2 = $3 = $4 = ""; print }'
	echo "# dpkg: kernel packages"
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' \
		'linux-image-*' 'linux-headers-*' 'linux-modules-*' 'linux-kbuild-*' 2>/dev/null |
		grep -v '^un' | LC_ALL=C sort
	echo "# apt sources"
	find /etc/apt -xdev -type f \( -name '*.list' -o -name '*.sources' \) \
		-exec sha256sum {} + 2>/dev/null | LC_ALL=C sort -k 2
}

case ${1:-} in
save)
	[ $# = 2 ] || { echo "usage: $0 save FILE" >&2; exit 2; }
	state > "$2"
	;;
compare)
	[ $# = 2 ] || { echo "usage: $0 compare FILE" >&2; exit 2; }
	[ -f "$2" ] || { echo "$0: no recorded state $2" >&2; exit 2; }
	now=$(mktemp)
	trap 'rm -f "$now"' EXIT
	state > "$now"
	cmp -s "$2" "$now" && exit 0
	diff -u "$2" "$now" | tail -n +3
	exit 1
	;;
*)
	echo "usage: $0 save|compare FILE" >&2
	exit 2
	;;
esac
