#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the native tests: every selftests/native/*.sh but this one, on this
# host (no VM, no ovl module), in C-locale name order.  Each prints one
# "[PASS] case", "[FAIL] case: why" or "[SKIP] case: why" line per case
# (selftests/lib.sh) and exits 0 (pass), 1 (a case failed) or 4 (skipped).
# A script that exits otherwise, or non-zero without a [FAIL] line, counts
# as one failure.  The last line is "N passed, N failed, N skipped".

cd "$(dirname "$0")" || exit 1
LC_ALL=C
export LC_ALL
PASSED=0
FAILED=0
SKIPPED=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in *.sh; do
	[ "$t" = run.sh ] && continue
	echo "# $t"
	bash "./$t" >"$log" 2>&1
	rc=$?
	grep -E '^\[(PASS|FAIL|SKIP)\] ' "$log"
	p=$(grep -c '^\[PASS\] ' "$log")
	f=$(grep -c '^\[FAIL\] ' "$log")
	s=$(grep -c '^\[SKIP\] ' "$log")
	case $rc in
	0|4) ;;
	1) [ "$f" -gt 0 ] || { echo "[FAIL] $t: exit 1 without a [FAIL] line"; f=$((f + 1)); } ;;
	*) echo "[FAIL] $t: exit status $rc"; f=$((f + 1)) ;;
	esac
	[ "$f" -gt 0 ] && tail -n 30 "$log" | sed 's/^/#   /'
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SKIPPED=$((SKIPPED + s))
done

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
