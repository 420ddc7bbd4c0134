# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Packet captures for the scenario tests, sourced after lib.sh: record
# what crosses an interface while a command runs, then count the packets
# that match a pcap filter.  Counting from a saved file, not from a live
# "tcpdump -c N", lets one capture answer several questions (what was
# there AND what was not) without racing the traffic.

# capture_during NS IF FILE CMD...: capture on IF of NS into FILE while
# CMD runs; returns CMD's status (1 when the capture can not start).
capture_during() {
	local ns=$1 ifc=$2 file=$3 pid rc
	shift 3
	# -Z root: tcpdump drops to user tcpdump by default, who can not
	# write into our 0700 TMP_DIR.  --immediate-mode -U: each packet is
	# read and written at once instead of in blocks a stop would lose.
	spawn "$ns" "$file.log" tcpdump --immediate-mode -Z root -U -nn -i "$ifc" -w "$file"
	pid=$SPAWNED
	if ! wait_for 10 grep -q 'listening on' "$file.log"; then
		stop "$pid"
		cat "$file.log"
		return 1
	fi
	"$@"
	rc=$?
	# Everything CMD caused is in the file once a frame sent after it is.
	capture_mark "$ns" "$ifc"
	if ! wait_for 10 capture_has_mark "$file"; then
		echo "capture: the end marker did not reach $file"
		rc=1
	fi
	stop "$pid"
	return $rc
}

# capture_mark NS IF: send the end marker out of IF: a frame of the local
# experimental EtherType 0x88b5 to 01:80:c2:00:00:0e, an address bridges
# never forward, so that it goes no further than the next hop.
capture_mark() {
	q "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
s.send(bytes.fromhex("0180c200000e" "020000000001" "88b5") + b"ovl-capture-end".ljust(46, b"\0"))' "$2"
}

capture_has_mark() {
	[ "$(capture_count "$1" "ether proto 0x88b5")" -ge 1 ]
}

# capture_count FILE FILTER: how many packets of FILE match FILTER.
capture_count() {
	tcpdump -nn -r "$1" "$2" 2>/dev/null | wc -l
}

# capture_show FILE FILTER [TCPDUMP OPTIONS]: print the matching packets
# (for the log of a failing case, or the demo).
capture_show() {
	local file=$1 filter=$2
	shift 2
	tcpdump -nn -r "$file" "$@" "$filter" 2>/dev/null
}

# ip_hex A.B.C.D: the address as the 0x######## a pcap filter compares a
# 4-byte field with.
ip_hex() {
	local IFS=.
	# shellcheck disable=SC2086
	printf '0x%02x%02x%02x%02x' $1
}
