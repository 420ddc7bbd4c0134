#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under load: delete the receiving device, the sending device and
# whole netns while a ping flood runs through the overlay; afterwards the
# kind still works in fresh namespaces (and run.sh then checks that the
# module unloads and that the kernel logged no splat).

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

mk() {	# I: the overlay device of host I, up
	local i=$1 j=$((3 - $1))
	must ovl_add "$(ns_of $i)" t0 id 5 local "$(u4 $i)" remote "$(u4 $j)" dev eth0
	ovl_up "$(ns_of $i)" t0 "$(o4 $i)/24"
}

# flood NS DST: start a ping flood (bounded to 60 s) and return once the
# receiving side has seen 100 more packets, so deletions hit live traffic.
FLOOD=
flood() {
	local peer=$3 rx
	rx=$(counter "$peer" eth0 rx_packets)
	spawn "$1" "$TMP_DIR/flood.log" ping -f -w 60 "$2"
	FLOOD=$SPAWNED
	wait_for 20 counter_ge "$peer" eth0 rx_packets $((rx + 100))
}

mk 1
mk 2
ping_ok "$H1" "$(o4 2)" || die "no overlay connectivity"

if flood "$H1" "$(o4 2)" "$H2" && pp ip -n "$H2" link del t0; then
	ok "delete the receiving device under a flood"
else
	fail "delete the receiving device under a flood" "flood did not start or delete failed"
fi
stop "$FLOOD"
mk 2
# The new device has a new MAC: forget the old one rather than wait for
# neighbour reachability to time out.
must ip -n "$H1" neigh flush dev t0
if ping_ok "$H1" "$(o4 2)"; then ok "recreated receiving device works"; else fail "recreated receiving device works" "no reply"; fi

if flood "$H1" "$(o4 2)" "$H2" && pp ip -n "$H1" link del t0; then
	ok "delete the sending device under a flood"
else
	fail "delete the sending device under a flood" "flood did not start or delete failed"
fi
stop "$FLOOD"
mk 1
if ping_ok "$H1" "$(o4 2)"; then ok "recreated sending device works"; else fail "recreated sending device works" "no reply"; fi

# Floods both ways, then delete both netns with their devices in them;
# the flood processes hold the namespaces until they are stopped.
flood "$H2" "$(o4 1)" "$H1"
F2=$FLOOD
if flood "$H1" "$(o4 2)" "$H2" && pp ip netns del "$H2" && pp ip netns del "$H1"; then
	ok "delete both netns under a flood"
else
	fail "delete both netns under a flood" "flood did not start or netns delete failed"
fi
stop "$FLOOD"
stop "$F2"

# Fresh hosts: the kind is still usable, on the same port and VNI.
NS_PREFIX=$NS_PREFIX-again
hosts_direct
mk 1
mk 2
if ping_ok "$(ns_of 1)" "$(o4 2)"; then ok "usable again after the teardowns"; else fail "usable again after the teardowns" "no reply"; fi

finish
