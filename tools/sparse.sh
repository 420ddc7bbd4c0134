#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make sparse: sparse (C=2, with __CHECK_ENDIAN__) over the module, for
# each kernel series given (default: all of tools/vm/kernels.sh), each in
# its build tree under ~/.cache/ovl/build and with the sparse of the
# release the kernel belongs to (tools/vm/kbuild.sh).  One line per
# kernel; exits non-zero on any warning or error, and when sparse did not
# check every source file (a kernel tree may turn sparse off silently).
#   sh tools/sparse.sh [SERIES...]
set -u
cd "$(dirname "$0")/.." || exit 1
. tools/vm/kernels.sh
[ $# -gt 0 ] || set -- $OVL_KERNELS_ALL
ovl_kernel_check "$@" || exit 2
logs=${OVL_CACHE:-$HOME/.cache/ovl}/logs
mkdir -p "$logs"
want=$(ls drivers/net/ovl/*.c | wc -l)
rc=0
for k in "$@"; do
	log=$logs/sparse-$k.log
	if ! sh tools/vm/build-module.sh --sparse "$k" > "$log" 2>&1; then
		echo "sparse $k: the build failed ($log):"
		grep -E 'error|Error' "$log" | head -n 10 | sed 's/^/  /'
		rc=1
		continue
	fi
	n=$(grep -c '^  CHECK ' "$log")
	bad=$(grep -E 'warning:|error:' "$log" | sed "s|^.*/build/[^/]*/||")
	if [ -n "$bad" ]; then
		echo "sparse $k: $(echo "$bad" | wc -l) reports ($log):"
		echo "$bad" | head -n 20 | sed 's/^/  /'
		rc=1
	elif [ "$n" -lt "$want" ]; then
		echo "sparse $k: checked $n of $want files ($log)"
		rc=1
	else
		echo "sparse $k: clean ($n files)"
	fi
done
exit $rc
