#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl (from Debian's linux-source-6.1, extracted
# once into ~/.cache/ovl) over the module and the uapi header.
# Exits non-zero on any error, warning or check.
set -eu
cd "$(dirname "$0")/.."
cache=${OVL_CACHE:-$HOME/.cache/ovl}/checkpatch
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
if [ ! -x "$cache/scripts/checkpatch.pl" ]; then
	[ -n "$tarball" ] || { echo "checkpatch: install linux-source-6.1 (make deps)" >&2; exit 1; }
	mkdir -p "$cache"
	tar -C "$cache" --strip-components=1 -xf "$tarball" \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
fi
out=$(perl "$cache/scripts/checkpatch.pl" --no-tree --terse --strict -f \
	drivers/net/ovl/*.c drivers/net/ovl/*.h include/uapi/linux/ovl.h |
	grep -v '^total:' || true)
if [ -n "$out" ]; then
	echo "$out"
	exit 1
fi
echo "checkpatch: drivers/net/ovl and include/uapi/linux/ovl.h are clean"
