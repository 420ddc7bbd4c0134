#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the Debian kernel ABI (e.g. 6.1.0-56-amd64) that the suite uses for
# kernel series 6.1 or 6.12, as recorded by tools/deps.sh, or of the debug
# kernel ("debug"), as recorded by tools/vm/debug-kernel.sh.
set -eu
case ${1:-} in
6.1|6.12) ;;
debug) ;;
*) echo "usage: $0 6.1|6.12|debug" >&2; exit 2 ;;
esac
f=${OVL_CACHE:-$HOME/.cache/ovl}/abi/$1
[ "$1" != debug ] || [ -s "$f" ] ||
	{ echo "$0: no debug kernel: run tools/vm/debug-kernel.sh first" >&2; exit 1; }
[ -s "$f" ] || { echo "$0: no kernel recorded for $1: run 'make deps' first" >&2; exit 1; }
cat "$f"
