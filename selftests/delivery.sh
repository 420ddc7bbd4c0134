#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# How received frames reach the stack.  ovl hands a frame GRO cannot merge
# straight to the stack and queues the others on its GRO cells (vxlan
# queues every frame; see Documentation/performance.rst), so:
# - a UDP socket that asked for GRO (UDP_GRO) still gets merged datagrams,
#   and one that did not gets every datagram;
# - a tunnel inside the tunnel works (the inner one's frames arrive while
#   the outer one's delivery is still on the stack);
# - a datagram of 170 tunnelled frames nested in each other, all for the
#   same device, is unwrapped to the last one: a direct hand-over per
#   layer would recurse 170 times and overflow the kernel stack.
# The same cases pass for vxlan.

. "$(dirname "$0")/lib.sh"
need_ovl_args
command -v python3 >/dev/null || skip_all "python3 is needed to send and receive"
command -v tc >/dev/null || skip_all "tc is needed to send in bursts"

PY="python3 $SELFTESTS_DIR/delivery.py"
H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

for i in 1 2; do
	must ovl_add "$(ns_of $i)" ovl0 id 42 local "$(u4 $i)" remote "$(u4 $((3 - i)))" nolearning
	ovl_up "$(ns_of $i)" ovl0 "$(o4 $i)/24"
done
ping_ok "$H1" "$(o4 2)" || fail "overlay ping" "no reply"

# recv_case NAME PORT GRO COUNT CHECK SEND...: host 2 receives on PORT
# until COUNT datagrams came (or 30 s passed) while host 1 runs SEND;
# CHECK (awk, on the fields d(atagrams), r(eads) and most) must hold for
# the case to pass.  GRO is "gro" for a UDP_GRO socket, else "".
recv_case() {
	local name=$1 port=$2 gro=$3 count=$4 check=$5 log=$TMP_DIR/recv-$2.log
	shift 5
	# shellcheck disable=SC2086 # PY is a command line, gro may be empty
	spawn "$H2" "$log" $PY recv "$(o4 2)" "$port" "$count" 30 $gro
	local pid=$SPAWNED
	if ! wait_for 10 grep -q ready "$log"; then
		stop "$pid"
		fail "$name" "receiver did not start: $(cat "$log")"
		return
	fi
	if ! on "$H1" "$@"; then
		stop "$pid"
		fail "$name" "sender failed: $*"
		return
	fi
	wait "$pid"
	cat "$log"
	if awk '/^datagrams/ { d = $2; r = $4; most = $6; found = 1 }
		END { exit !(found && ('"$check"')) }' "$log"; then
		ok "$name ($(grep ^datagrams "$log"))"
	else
		fail "$name" "$(grep ^datagrams "$log" || echo 'no result')"
	fi
}

# Bursts: host 1's eth0 releases its packets in netem slots, so that one
# softirq run on host 2 takes many of them to the overlay device, where
# GRO can merge them.
must tc -n "$H1" qdisc add dev eth0 root netem slot 200ms 200ms
# shellcheck disable=SC2086 # PY is a command line
recv_case "UDP_GRO socket: merged datagrams, none lost" 9000 gro 64 \
	'd == 64 && most > 1' $PY burst "$(o4 2)" 9000 64 512
# shellcheck disable=SC2086 # PY is a command line
recv_case "plain UDP socket: every datagram, one per read" 9001 "" 64 \
	'd == 64 && r == 64' $PY burst "$(o4 2)" 9001 64 512
must tc -n "$H1" qdisc del dev eth0 root

# A tunnel in the tunnel: in0 (VNI 7, port 4790) runs between the two
# hosts' ovl0 addresses.
for i in 1 2; do
	must ovl_add "$(ns_of $i)" in0 id 7 local "$(o4 $i)" remote "$(o4 $((3 - i)))" dstport 4790 nolearning
	ovl_up "$(ns_of $i)" in0 "192.168.2.$i/24"
done
if ping_ok "$H1" 192.168.2.2; then
	ok "tunnel in the tunnel: ping"
else
	fail "tunnel in the tunnel: ping" "no reply from 192.168.2.2"
fi
if tcp_transfer "$H1" "$H2" 192.168.2.2; then
	ok "tunnel in the tunnel: tcp"
else
	fail "tunnel in the tunnel: tcp" "iperf3 failed"
fi

# 170 frames deep (50 bytes of headers each) in a 9000-byte underlay.
for h in "$H1" "$H2"; do
	must ip -n "$h" link set eth0 mtu 9000
done
# shellcheck disable=SC2086 # PY is a command line
recv_case "170 nested frames unwrapped to the innermost datagram" 9999 "" 1 \
	'd == 1' $PY nested "$(u4 2)" 42 "$(mac_of "$H2" ovl0)" "$(o4 1)" "$(o4 2)" 170

finish
