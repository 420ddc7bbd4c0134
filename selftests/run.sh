#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the whole selftest suite, as root, in a VM (tools/vm/run.sh) or on a
# host that has ovl installed:
#
#   OVL_KO=/path/ovl.ko sh selftests/run.sh   insmod it first, rmmod at end
#   sh selftests/run.sh                       ovl already loaded/installed
#   KIND=vxlan sh selftests/run.sh            the in-kernel vxlan instead
#   sh selftests/run.sh fdb vni               only these scripts
#   sh selftests/run.sh --list                print the scripts' names
#
# Every selftests/*.sh but lib.sh and run.sh runs, in C-locale name order,
# each under a timeout (OVL_TEST_TIMEOUT seconds, default 600: TCG is slow).
# Their [PASS]/[FAIL]/[SKIP] lines (format: see lib.sh) are shown and
# counted; a script that exits non-zero without a [FAIL] line counts as
# one failure, and so does a kernel splat (WARN, BUG, Oops, KASAN, UBSAN,
# refcount, lockdep) in dmesg while it ran.  Full logs are kept in
# OVL_TEST_LOGDIR (default /tmp/ovl-selftests) and the tail of a failing
# script's log is printed.  The last line is "N passed, N failed, N
# skipped" (cases); the exit code is 1 when anything failed.

set -u

cd "$(dirname "$0")" || exit 1

# The suite: every script here but the library and this runner.
all_scripts() {
	LC_ALL=C ls ./*.sh | sed 's|^\./||' | grep -vx 'lib.sh\|run.sh'
}
if [ "${1:-}" = --list ]; then
	all_scripts | sed 's/\.sh$//'
	exit 0
fi
KIND=${KIND:-ovl}
export KIND
TIMEOUT=${OVL_TEST_TIMEOUT:-600}
LOGDIR=${OVL_TEST_LOGDIR:-/tmp/ovl-selftests}
PASSED=0
FAILED=0
SKIPPED=0

pass() { echo "[PASS] $1"; PASSED=$((PASSED + 1)); }
failed() { echo "[FAIL] $1: $2"; FAILED=$((FAILED + 1)); }
skipped() { echo "[SKIP] $1: $2"; SKIPPED=$((SKIPPED + 1)); }

summary() {
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" = 0 ]
	exit $?
}

# Kernel messages that mean a bug, whatever test provoked them.  Not
# KCSAN's data-race reports: the core kernel has its own, and
# tools/vm/vm-selftests.sh tells ovl's from those after the run.
SPLAT='WARNING:|BUG:|Oops|KASAN|UBSAN|refcount_t|general protection|kernel BUG|possible circular locking|unreferenced object|list_del corruption'

# mark NAME: write a marker into the kernel log; splats_since NAME prints
# the bad lines logged after it.  A marker, not a line count, because the
# ring buffer wraps; it holds this run's pid and must end the line, so
# that neither an earlier run nor a script whose name starts the same
# ("flannel" and "flannel-ovlctl") is mistaken for it.
mark() { echo "ovl-selftests[$$]: begin $1" >/dev/kmsg 2>/dev/null; }
splats_since() {
	dmesg 2>/dev/null | awk -v m="ovl-selftests[$$]: begin $1" '
		length($0) >= length(m) && substr($0, length($0) - length(m) + 1) == m {
			found = 1; n = 0; next
		}
		found { line[n++] = $0 }
		END { for (i = 0; i < n; i++) print line[i] }' |
		grep -v 'BUG: KCSAN: ' | grep -E "$SPLAT"
}

if [ "$(id -u)" != 0 ]; then
	failed run.sh "must run as root"
	summary
fi
if ! echo "ovl-selftests: probe" >/dev/kmsg 2>/dev/null; then
	echo "# /dev/kmsg not writable: kernel splats are not checked"
fi
mkdir -p "$LOGDIR" || exit 1

# Module under test.
LOADED=0
if [ "$KIND" = ovl ] && [ -n "${OVL_KO:-}" ]; then
	mark insmod
	if insmod "$OVL_KO"; then
		pass "insmod $(basename "$OVL_KO")"
		LOADED=1
	else
		failed "insmod $OVL_KO" "insmod failed"
		summary
	fi
	if splats_since insmod; then failed "insmod: kernel log" "splat above"; fi
fi

# Scripts to run: the arguments (names, with or without .sh), or all.
if [ $# -gt 0 ]; then
	SCRIPTS=
	for s in "$@"; do SCRIPTS="$SCRIPTS ${s%.sh}.sh"; done
else
	SCRIPTS=$(all_scripts)
fi

START=$(date +%s)
for s in $SCRIPTS; do
	name=${s%.sh}
	log=$LOGDIR/$name.log
	echo "# $s"
	if [ ! -f "$s" ]; then
		failed "$name" "no such test script"
		continue
	fi
	t0=$(date +%s)
	mark "$name"
	OVL_NS_PREFIX="ovlst-$$-$name" timeout -k 10 "$TIMEOUT" bash "$s" >"$log" 2>&1
	rc=$?
	t=$(($(date +%s) - t0))
	# A killed script may leave netns and their processes: sweep ours.
	for ns in $(ip netns list | awk -v p="ovlst-$$-$name-" 'index($1, p) == 1 { print $1 }'); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done

	grep -E '^\[(PASS|FAIL|SKIP)\] ' "$log" | sed "s|^\(\[[A-Z]*\]\) |\1 $name: |"
	p=$(grep -c '^\[PASS\] ' "$log")
	f=$(grep -c '^\[FAIL\] ' "$log")
	k=$(grep -c '^\[SKIP\] ' "$log")
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SKIPPED=$((SKIPPED + k))
	before=$FAILED
	case $rc in
	0) [ $((p + f + k)) = 0 ] && failed "$name" "exited 0 but reported no case" ;;
	4) [ $((p + f + k)) = 0 ] && skipped "$name" "exited 4 (skip) without a reason" ;;
	124|137) failed "$name" "timed out after ${TIMEOUT}s" ;;
	*) [ "$f" = 0 ] && failed "$name" "exited $rc without a [FAIL] line" ;;
	esac
	if splats_since "$name"; then
		failed "$name: kernel log" "WARN/BUG/Oops/refcount splat above"
	fi
	if [ "$FAILED" != "$before" ] || [ "$f" != 0 ]; then
		echo "# --- last lines of $log ---"
		tail -n 40 "$log" | sed 's/^/#   /'
		verdict=FAIL
	elif [ "$rc" = 4 ]; then
		verdict=SKIP
	else
		verdict=ok
	fi
	echo "# $s: $verdict, exit $rc, $p pass $f fail $k skip, ${t}s"
done

# The module must go away after all that: a leaked reference keeps it.
if [ "$KIND" != ovl ]; then
	skipped "rmmod after use" "KIND=$KIND"
elif [ "$LOADED" = 1 ] || grep -qs '^ovl ' /proc/modules; then
	mark rmmod
	if rmmod ovl; then pass "rmmod after use"; else failed "rmmod after use" "rmmod ovl failed"; fi
	if splats_since rmmod; then failed "rmmod: kernel log" "splat above"; fi
else
	skipped "rmmod after use" "ovl is not loaded as a module"
fi

echo "# $(($(date +%s) - START))s for $(echo "$SCRIPTS" | wc -w) scripts, logs in $LOGDIR"
summary
