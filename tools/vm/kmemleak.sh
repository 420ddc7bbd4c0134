#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kmemleak around a test run, inside a VM booted on the debug kernel; does
# nothing (exit 0, no output) on a kernel without kmemleak.
#   kmemleak.sh start   stop the scan thread, forget what boot leaked
#   kmemleak.sh check   after the run (ovl unloaded): one case line,
#                       "ok kmemleak: ..." or "FAIL kmemleak: ..." followed
#                       by the reports
# Scans are explicit: the scan thread stalls a TCG guest for tens of
# seconds at random times.  An object is reported only when it has been
# unreferenced for 5 s and a scan sees it so; scanning twice also lets
# pending RCU callbacks free what they hold, so a second scan that still
# sees an object means a leak, not an object in flight.
set -u

f=/sys/kernel/debug/kmemleak
[ -w "$f" ] || exit 0

# scan: one synchronous scan (the write returns when it is done), bounded.
scan() {
	timeout 300 sh -c "echo scan > $f"
}

case ${1:-} in
start)
	# A failure here shows again, as a FAIL, in "check".
	echo scan=off > "$f" && scan && echo clear > "$f"
	;;
check)
	t0=$(date +%s)
	# kmemleak turns itself off on an internal error; writes then fail.
	if ! scan; then
		echo "FAIL kmemleak: cannot scan (kmemleak disabled?): $(dmesg | grep -i kmemleak | tail -n 1)"
		exit 1
	fi
	# kmemleak ignores objects younger than 5 s: what ovl allocated just
	# before rmmod must be old enough for the second scan to judge it.
	left=$((t0 + 6 - $(date +%s)))
	[ "$left" -le 0 ] || sleep "$left"
	scan
	n=$(grep -c '^unreferenced object' "$f")
	if [ "$n" = 0 ]; then
		echo "ok kmemleak: no leak ($(( $(date +%s) - t0 )) s to scan)"
		exit 0
	fi
	echo "FAIL kmemleak: $n unreferenced objects:"
	head -n 200 "$f" | sed 's/^/  kmemleak: /'
	exit 1
	;;
*)
	echo "usage: $0 start|check" >&2
	exit 2
	;;
esac
