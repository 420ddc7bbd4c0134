#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1, fetched
# into ~/.cache/ovl by tools/vm/kernel-source.sh) over the module and the
# uapi header.
# Exits non-zero on any error, warning or check.
set -eu
cd "$(dirname "$0")/.."
cache=${OVL_CACHE:-$HOME/.cache/ovl}/checkpatch
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	tarball=$(sh tools/vm/kernel-source.sh) || exit 1
	mkdir -p "$cache"
	tar -C "$cache" --strip-components=1 -xf "$tarball" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
out=$(perl "$cache/scripts/checkpatch.pl" --no-tree --terse --strict -f \
	$(find drivers/net/ovl -name '*.[ch]' | LC_ALL=C sort) include/uapi/linux/ovl.h |
	grep -v '^total:' || true)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
echo "checkpatch: drivers/net/ovl and include/uapi/linux/ovl.h are clean"
