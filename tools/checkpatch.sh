#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl --strict over the module and the uapi
# header, with the checkpatch.pl of the oldest source ovl has always been
# checked with (Debian's linux-source-6.1) and of the newest kernel it
# builds for (linux-source-7.2, sid), whose newer checks (e.g. typed
# allocators) the core is written to.  The sources are fetched into
# ~/.cache/ovl by tools/vm/kernel-source.sh; OVL_CHECKPATCH_KERNELS
# replaces the list.  Exits non-zero on any error, warning or check.
set -eu
cd "$(dirname "$0")/.."
rc=0
for k in ${OVL_CHECKPATCH_KERNELS:-6.1 7.2}; do
	cache=${OVL_CACHE:-$HOME/.cache/ovl}/checkpatch-$k
	if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
		tarball=$(sh tools/vm/kernel-source.sh "$k") || exit 1
		mkdir -p "$cache"
		tar -C "$cache" --strip-components=1 -xf "$tarball" \
			--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
	fi
	out=$(perl "$cache/scripts/checkpatch.pl" --no-tree --terse --strict -f \
		$(find drivers/net/ovl -name '*.[ch]' | LC_ALL=C sort) include/uapi/linux/ovl.h |
		grep -v '^total:' || true)
	if [ -n "$out" ]; then
		echo "$out" | sed "s/^/checkpatch ($k): /"
		rc=1
	else
		echo "checkpatch ($k): drivers/net/ovl and include/uapi/linux/ovl.h are clean"
	fi
done
exit $rc
