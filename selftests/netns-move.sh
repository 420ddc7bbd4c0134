#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A device that lives in another netns than its socket, as Docker's
# overlay driver uses it: the VTEP is created in the host's netns and
# moved into a container's (ip link set X netns C), or created there at
# once (ip link add X netns C type ...), then configured inside.  The
# UDP socket, the underlay device and the routes stay in the netns the
# device was created in (its link netns, which ip -d link reports);
# deleting either netns deletes the device.  Host 2's peer devices are
# moved too, and one of them is the kernel's vxlan.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
C1=$(ns_of c1)
C2=$(ns_of c2)
C3=$(ns_of c3)
hosts_direct
for c in "$C1" "$C2" "$C3"; do ns_add "$c"; done

# udp_bound NS: a UDP socket is bound to port 4789 in NS.
udp_bound() {
	q "$1" ss -Hauln "sport = :4789" | grep -q .
}
# add_for NS TARGET DEV ARGS...: create DEV of $KIND from NS straight
# into netns TARGET (the keyword comes before "type"), as ovl_add would.
add_for() {
	local ns=$1 target=$2 dev=$3
	shift 3
	is_ovl_kind || set -- "$@" dstport 4789
	pp ip -n "$ns" link add "$dev" netns "$target" type "$KIND" "$@"
}
# gone NS DEV: NS (alive or not) has no device DEV.
gone() {
	! ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# Host 1: both devices created in H1 for C1.  Host 2: created in H2,
# then moved into C2; VNI 43 is the kernel's vxlan there.
must add_for "$H1" "$C1" ovl0 id 42 local "$(u4 1)" remote "$(u4 2)" dev eth0
# VNI 43 on port 4790: in H2, port 4789 is the socket of ovl0's kind.
must pp ip -n "$H1" link add ovl3 netns "$C1" type "$KIND" id 43 \
	local "$(u4 1)" remote "$(u4 2)" dev eth0 dstport 4790
must ovl_add "$H2" ovl0 id 42 local "$(u4 2)" remote "$(u4 1)" dev eth0
must pp ip -n "$H2" link add ovl3 type vxlan id 43 local "$(u4 2)" \
	remote "$(u4 1)" dev eth0 dstport 4790
must ip -n "$H2" link set ovl0 netns "$C2"
must ip -n "$H2" link set ovl3 netns "$C2"

if ip -n "$C1" link show dev ovl0 >/dev/null 2>&1 &&
   ! ip -n "$H1" link show dev ovl0 >/dev/null 2>&1; then
	ok "created with netns: the device lives in the container's netns"
else
	fail "created with netns: the device lives in the container's netns" \
		"$(ip -n "$C1" -br link show dev ovl0 2>&1)"
fi
# The link netns is reported (IFLA_LINK_NETNSID), as for vxlan.
if ip -n "$C1" -d -j link show dev ovl0 | grep -q '"link_netnsid":'; then
	ok "ip -d link reports the link netns"
else
	fail "ip -d link reports the link netns" "$(ip -n "$C1" -d -j link show dev ovl0)"
fi

ovl_up "$C1" ovl0 "$(o4 1)/24"
ovl_up "$C2" ovl0 "$(o4 2)/24"
ovl_up "$C1" ovl3 192.168.3.1/24
ovl_up "$C2" ovl3 192.168.3.2/24

if udp_bound "$H1" && udp_bound "$H2" && ! udp_bound "$C1" && ! udp_bound "$C2"; then
	ok "the sockets stay in the netns the devices were created in"
else
	fail "the sockets stay in the netns the devices were created in" \
		"H1 $(q "$H1" ss -Hauln | wc -l), C1 $(q "$C1" ss -Hauln | wc -l) sockets"
fi
if ping_ok "$C1" "$(o4 2)"; then
	ok "moved devices reach each other over the underlay"
else
	fail "moved devices reach each other over the underlay" "no reply"
fi
if ping_ok "$C1" 192.168.3.2; then
	ok "a moved device reaches a moved kernel vxlan"
else
	fail "a moved device reaches a moved kernel vxlan" "no reply"
fi
if ping_ok "$C2" 192.168.3.1; then
	ok "a moved kernel vxlan reaches a moved device"
else
	fail "a moved kernel vxlan reaches a moved device" "no reply"
fi

# Changed from inside the container: the underlay is still looked up in
# the link netns (ttl as an example of a change the socket does not see).
if ovl_set "$C1" ovl0 ttl 9 && info_has "$C1" ovl0 '"ttl":9' &&
   ping_ok "$C1" "$(o4 2)"; then
	ok "configured from inside the container"
else
	fail "configured from inside the container" "$(ip -n "$C1" -d link show dev ovl0)"
fi

# FDB entries added from inside the container; the notification goes to
# the netns the device is in.
mon=$TMP_DIR/monitor
q "$C1" bridge monitor fdb > "$mon" 2>&1 &
monpid=$!
# Until the monitor has subscribed, an add is not seen: add and delete
# again until one is.
mac=02:00:00:00:00:31
if wait_for 5 q "$C1" sh -c "bridge fdb del $mac dev ovl0 dst $(u4 2) self 2>/dev/null
		bridge fdb add $mac dev ovl0 dst $(u4 2) self permanent &&
		grep -q $mac '$mon'"; then
	ok "FDB changes inside the container are notified there"
else
	fail "FDB changes inside the container are notified there" "$(cat "$mon")"
fi
kill "$monpid" 2>/dev/null
wait "$monpid" 2>/dev/null

# Moved again (addresses go with a move): still talks.
must ip -n "$C1" link set ovl0 netns "$C3"
ovl_up "$C3" ovl0 "$(o4 1)/24"
if ping_ok "$C3" "$(o4 2)"; then
	ok "moved a second time, the device still reaches its peer"
else
	fail "moved a second time, the device still reaches its peer" "no reply"
fi

# The netns the device lives in goes: the device goes with it (it is
# not handed back to its link netns).
must ip netns del "$C3"
if wait_for 10 gone "$H1" ovl0 && gone "$C1" ovl0 &&
   ip -n "$C1" link show dev ovl3 >/dev/null 2>&1; then
	ok "deleting the netns a device lives in deletes only that device"
else
	fail "deleting the netns a device lives in deletes only that device" \
		"$(ip -n "$H1" -br link 2>&1; ip -n "$C1" -br link 2>&1)"
fi

# The netns the device was created in goes: the device goes too, from
# the container's netns, and its socket with it.
must ip netns del "$H1"
if wait_for 10 gone "$C1" ovl3; then
	ok "deleting the link netns deletes the device in the container"
else
	fail "deleting the link netns deletes the device in the container" \
		"$(ip -n "$C1" -br link 2>&1)"
fi
# Host 2's underlay was the other end of host 1's veth, gone with H1:
# its moved devices go with their underlay device (dev eth0, in the
# link netns), and the socket closes.
if wait_for 10 gone "$C2" ovl0 && gone "$C2" ovl3 && ! udp_bound "$H2"; then
	ok "moved devices go with their underlay device"
else
	fail "moved devices go with their underlay device" \
		"$(ip -n "$C2" -br link 2>&1; q "$H2" ss -Hauln)"
fi

finish
