#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every allocation of a request failed in turn: for each netlink request
# ovl handles (create with many attributes, IPv4 and IPv6; changelink of
# each parameter on a running device, MTU, down, up, a move into another
# namespace, creation there (link-netns), multicast groups; FDB add (with
# port, VNI and via), append, replace, delete; an FDB dump; device
# delete), run the real tool with the Nth fault-
# injection point of that request failed (tools/fuzz/libfailnth.so:
# /proc/thread-self/fail-nth; slab, page and user-copy faults), for
# N = 1, 2, ... until a run reaches its end without a failure.  Each run
# must either succeed or fail with a message, and leave the device and
# its FDB either exactly as before the request or exactly as a clean
# run of it leaves them (when the failure is the kernel's answer, the
# shim ends the tool, which would wait forever: the state is checked
# all the same); no splat in the kernel log (the debug kernel's
# KASAN, lockdep and kmemleak look at every error path on the way).
# Needs a kernel with CONFIG_FAULT_INJECTION (the debug kernel, make
# check-debug); elsewhere it skips.
#
#   FAILNTH_MAX   the bound on N per request (default 2000)
#   FAILNTH_ONLY  an extended regex: only the requests whose case name
#                 matches it (default: all)

. "$(dirname "$0")/lib.sh"
. "$TOP_DIR/tools/fuzz/lib.sh"

is_ovl_kind || skip_all "ovl-only: injects into ovl's request handling (KIND=$KIND)"
need_ovl_args
[ -e /proc/self/fail-nth ] ||
	skip_all "no fault injection in this kernel (/proc/self/fail-nth): the debug kernel has it (make check-debug)"
failnth_setup || skip_all "no failslab in debugfs"

MAX=${FAILNTH_MAX:-2000}
LIB=$TMP_DIR/libfailnth.so
cc -O2 -Wall -shared -fPIC -o "$LIB" "$TOP_DIR/tools/fuzz/failnth.c" -ldl ||
	die "cannot build tools/fuzz/failnth.c"

RTM_NEWLINK=16 RTM_DELLINK=17 RTM_NEWNEIGH=28 RTM_DELNEIGH=29 RTM_GETNEIGH=30

NS=$(ns_of 1)
NS2=$(ns_of 2)
ns_add "$NS"
ns_add "$NS2"
must ip -n "$NS" link add eth0 type dummy
must ip -n "$NS" addr add 10.0.0.1/24 dev eth0
must ip -n "$NS" addr add 10.0.0.3/24 dev eth0
must ip -n "$NS" addr add fd00::1/64 dev eth0 nodad
must ip -n "$NS" link set eth0 up

none() {
	ip -n "$NS" link del ovl0 2>/dev/null
	ip -n "$NS2" link del ovl0 2>/dev/null
	true
}

# state: the device's link attributes and its FDB, without the index
# every new device gets, and the device of that name in NS2 (a move's
# or a link-netns creation's).  Plain text, sorted: a python or jq per step
# would cost more than the request under test in the debug guest.
state() {
	ip -n "$NS" -d link show dev ovl0 2>/dev/null | sed 's/^[0-9]*: //'
	echo --
	bridge -n "$NS" fdb show dev ovl0 2>/dev/null | sort
	echo --
	# There ip names its lower by the index in NS2, where that index is
	# another device or none ("ovl0@ifN", "dev ifN" or a name), so the
	# lower is left out: it is NS's eth0, which the create checks.
	ip -n "$NS2" -d link show dev ovl0 2>/dev/null |
		sed -E 's/^[0-9]*: //; s/@if[0-9]+//; s/ dev [^ ]+ / dev LOWER /'
}

# The device every case but "create" starts from: up, two entries and a
# default remote in its FDB; none in NS2 (a moved one keeps VNI 42 on
# NS's socket).
base() {
	none
	ip -n "$NS" link add ovl0 address 02:00:00:00:00:aa type ovl id 42 \
		local 10.0.0.1 remote 10.0.0.2 dev eth0 &&
	bridge -n "$NS" fdb add 02:00:00:00:00:01 dev ovl0 dst 10.0.0.5 self permanent &&
	bridge -n "$NS" fdb append 00:00:00:00:00:00 dev ovl0 dst 10.0.0.6 self permanent &&
	ip -n "$NS" link set ovl0 up
}
# base_down: the same device, down (no socket).
base_down() { base && ip -n "$NS" link set ovl0 down; }

progress() {
	echo "# $*"
	echo "ovl-fail-nth: $*" > /dev/kmsg 2>/dev/null
}

# inject CASE SETUP TYPE CMD...: the loop described at the top.
inject() {
	local name=$1 setup=$2 type=$3 before after n rc s injected bad="" lost=0
	shift 3
	[[ $name =~ ${FAILNTH_ONLY:-.} ]] || return 0
	progress "$name: start"
	"$setup" || { fail "$name" "setup failed"; return; }
	before=$(state)
	if ! "$@" > /dev/null 2>&1; then
		fail "$name" "the request fails without injection: $*"
		return
	fi
	after=$(state)
	if [ "$before" = "$after" ] && [ "$type" != $RTM_GETNEIGH ]; then
		fail "$name" "the request changes nothing: $*"
		return
	fi
	s=$after
	for n in $(seq 1 "$MAX"); do
		# A request that failed cleanly left the state it started
		# from: the next N starts from there without a new setup.
		if [ "$s" != "$before" ]; then
			"$setup" || { bad="setup failed before N=$n"; break; }
		fi
		# Progress on the console too: a run can take many minutes
		# in the debug guest, and run.sh shows the log at the end.
		[ $((n % 10)) = 1 ] && progress "$name: N=$n"
		# A tool waiting forever for an answer is a finding too.
		FAILNTH_N=$n FAILNTH_TYPE=$type FAILNTH_OUT=$TMP_DIR/injected \
			LD_PRELOAD=$LIB timeout 60 "$@" > /dev/null 2> "$TMP_DIR/err"
		rc=$?
		if [ "$rc" = 124 ]; then
			bad="N=$n: the request did not return in 60 s"
			break
		fi
		injected=$(sed -n 's/^injected //p' "$TMP_DIR/injected")
		s=$(state)
		# The failure hit the kernel's answer (the shim's "lost"):
		# the request ran, ip would wait forever for the ack.  Its
		# state must still be the old or the new one.
		if grep -q '^lost 1' "$TMP_DIR/injected"; then
			if [ "$rc" != 75 ]; then
				bad="N=$n: answer lost, but exit $rc"
				break
			fi
			lost=$((lost + 1))
		fi
		if [ "$injected" = -1 ]; then
			bad="N=$n: the tool sent no request of type $type"
			break
		fi
		if [ "$rc" != 0 ] && [ ! -s "$TMP_DIR/err" ]; then
			bad="N=$n: exit $rc without a message"
			break
		fi
		if [ "$s" != "$before" ] && [ "$s" != "$after" ]; then
			bad="N=$n (exit $rc: $(head -c 200 "$TMP_DIR/err")): a state that is neither the old nor the new one"
			printf '# before:\n%s\n# after:\n%s\n# N=%s:\n%s\n' "$before" "$after" "$n" "$s"
			break
		fi
		if [ "$injected" = 0 ]; then
			# The request ran to its end: it must have done its work.
			if [ "$rc" != 0 ] || [ "$s" != "$after" ]; then
				bad="N=$n, nothing injected: exit $rc, state $([ "$s" = "$after" ] && echo new || echo old)"
			fi
			break
		fi
	done
	if [ -n "$bad" ]; then
		fail "$name" "$bad"
	elif [ "$injected" != 0 ]; then
		fail "$name" "still failing at N=$MAX (FAILNTH_MAX)"
	else
		ok "$name: $((n - 1)) failures injected, each clean ($lost of them the answer)"
		progress "$name: done at N=$n"
	fi
}

klog_mark fail-nth
IPN=(ip -n "$NS")
BRN=(bridge -n "$NS")
inject "create, IPv4 with every parameter" none $RTM_NEWLINK \
	"${IPN[@]}" link add ovl0 address 02:00:00:00:00:aa type ovl id 42 \
	local 10.0.0.1 remote 10.0.0.2 dev eth0 dstport 4790 srcport 5000 6000 \
	ttl 10 tos 0x10 nolearning ageing 100 maxaddress 50 udpcsum
inject "create, IPv6" none $RTM_NEWLINK \
	"${IPN[@]}" link add ovl0 address 02:00:00:00:00:aa type ovl id 43 \
	local fd00::1 remote fd00::2 dev eth0 udp6zerocsumtx udp6zerocsumrx \
	flowlabel 7 df set nolocalbypass
inject "create, IPv4 multicast group" none $RTM_NEWLINK \
	"${IPN[@]}" link add ovl0 address 02:00:00:00:00:aa type ovl id 44 \
	group 239.1.1.1 dev eth0 proxy l2miss l3miss rsc
inject "create, IPv6 multicast group" none $RTM_NEWLINK \
	"${IPN[@]}" link add ovl0 address 02:00:00:00:00:aa type ovl id 45 \
	group ff05::1 dev eth0
inject "create in another namespace (link-netns)" none $RTM_NEWLINK \
	"${IPN[@]}" link add ovl0 address 02:00:00:00:00:aa netns "$NS2" type ovl \
	id 46 local 10.0.0.1 remote 10.0.0.2 dev eth0
for change in "id 100" "dstport 5555" "local 10.0.0.3" "remote 10.0.0.9" \
	"local fd00::1 remote fd00::2" "ttl 20" "tos 0x20" "nolearning" \
	"ageing 200" "maxaddress 10" "srcport 7000 8000" "group 239.1.1.9" \
	"proxy l2miss l3miss rsc" "df set" "flowlabel 9" "noudpcsum" \
	"nolocalbypass" "ttl inherit tos inherit"; do
	# shellcheck disable=SC2086 # the parameter and its value
	inject "changelink $change, the device up" base $RTM_NEWLINK \
		"${IPN[@]}" link set ovl0 type ovl $change
done
inject "mtu, the device up" base $RTM_NEWLINK \
	"${IPN[@]}" link set ovl0 mtu 1300
inject "down (close the socket)" base $RTM_NEWLINK \
	"${IPN[@]}" link set ovl0 down
inject "up (open the socket)" base_down $RTM_NEWLINK \
	"${IPN[@]}" link set ovl0 up
inject "move into another namespace, up" base $RTM_NEWLINK \
	"${IPN[@]}" link set ovl0 netns "$NS2"
inject "fdb add with port, vni and via" base $RTM_NEWNEIGH \
	"${BRN[@]}" fdb add 02:00:00:00:00:78 dev ovl0 dst 10.0.0.7 port 4800 vni 77 \
	via eth0 self permanent
inject "fdb add" base $RTM_NEWNEIGH \
	"${BRN[@]}" fdb add 02:00:00:00:00:77 dev ovl0 dst 10.0.0.7 self permanent
inject "fdb append to the default remotes" base $RTM_NEWNEIGH \
	"${BRN[@]}" fdb append 00:00:00:00:00:00 dev ovl0 dst 10.0.0.8 self permanent
inject "fdb replace" base $RTM_NEWNEIGH \
	"${BRN[@]}" fdb replace 02:00:00:00:00:01 dev ovl0 dst 10.0.0.9 self permanent
inject "fdb del" base $RTM_DELNEIGH \
	"${BRN[@]}" fdb del 02:00:00:00:00:01 dev ovl0 dst 10.0.0.5 self
inject "fdb dump" base $RTM_GETNEIGH \
	"${BRN[@]}" fdb show dev ovl0
inject "device delete" base $RTM_DELLINK \
	"${IPN[@]}" link del ovl0

# What no request fails, a clean device still takes.
if base && [ -n "$(ip -n "$NS" link show dev ovl0 up)" ]; then
	ok "after every injection a new device is configured and up"
else
	fail "after every injection a new device is configured and up" "base setup failed"
fi
klog_case "no splat in the kernel log" fail-nth
finish
