#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# localbypass: a remote that is an address of the device's own netns is
# short-cut, as vxlan does it: the frame goes to the device of its VNI on
# the socket of the remote's port without being encapsulated (no UDP
# datagram is received).  Host H has ova (VNI 42, 192.168.1.1) whose
# remote is H's own address with VNI 43, and ovb (VNI 43) in a bridge
# with a veth to container C (192.168.1.2), whose remote is H with VNI
# 42.  With nolocalbypass (ovl: ip's vxlan keyword through the plugin)
# the frames take the loopback path and UDP instead; a local port with
# no device of the VNI drops the frame, counted.  Unlike vxlan, ovl does
# not learn from short-cut frames (see send.c).

. "$(dirname "$0")/lib.sh"
need_ovl_args

H=$(ns_of 1)
C=$(ns_of c)
ns_add "$H"
ns_add "$C"
must ip -n "$H" link add eth0 type veth peer name eth1
must ip -n "$H" link set eth1 up
must ip -n "$H" addr add 10.0.0.1/24 dev eth0
must ip -n "$H" link set eth0 up

# udp_in: UDP datagrams received in the host's netns so far (tunnel
# sockets count theirs too).
udp_in() {
	q "$H" awk '$1 == "Udp:" && n++ { print $2 }' /proc/net/snmp
}

must ovl_add "$H" ova id 42 local 10.0.0.1 nolearning
must ovl_add "$H" ovb id 43 local 10.0.0.1 nolearning
must bridge -n "$H" fdb append 00:00:00:00:00:00 dev ova dst 10.0.0.1 vni 43 self permanent
must bridge -n "$H" fdb append 00:00:00:00:00:00 dev ovb dst 10.0.0.1 vni 42 self permanent
must ip -n "$H" link add br0 type bridge
must ip -n "$H" link add vc0 type veth peer name eth0 netns "$C"
for l in ovb vc0; do must ip -n "$H" link set "$l" master br0 up; done
must ip -n "$H" link set br0 up
must ip -n "$C" addr add 192.168.1.2/24 dev eth0
must ip -n "$C" link set eth0 up
ovl_up "$H" ova 192.168.1.1/24

before=$(udp_in)
rx=$(counter "$H" ovb rx_packets)
if ping_ok "$H" 192.168.1.2 && q "$H" ping -c 5 -i 0.2 -W 1 -q 192.168.1.2 >/dev/null; then
	ok "a local remote is reached"
else
	fail "a local remote is reached" "no reply"
fi
after=$(udp_in)
if [ "$after" = "$before" ] && counter_ge "$H" ovb rx_packets $((rx + 5)); then
	ok "short-cut: received by the other device, no UDP datagram"
else
	fail "short-cut: received by the other device, no UDP datagram" \
		"UDP in $before -> $after, ovb rx $rx -> $(counter "$H" ovb rx_packets)"
fi

# vxlan learns ova's MAC behind 127.0.0.1 on ovb and sends its replies
# there, to VNI 43: to ovb itself.
if ovl_only "learning on: nothing learned from a short-cut frame" "vxlan learns and loops"; then
	must ovl_set "$H" ovb learning
	q "$H" ip neigh flush dev ova
	if ping_ok "$H" 192.168.1.2 && ! fdb_has "$H" ovb "127\.0\.0\.1"; then
		ok "learning on: nothing learned from a short-cut frame"
	else
		fail "learning on: nothing learned from a short-cut frame" "$(fdb "$H" ovb)"
	fi
	must ovl_set "$H" ovb nolearning
fi

if ovl_only "nolocalbypass encapsulates" "Debian's ip has no nolocalbypass keyword for vxlan"; then
	must ovl_set "$H" ova nolocalbypass
	must ovl_set "$H" ovb nolocalbypass
	if info_has "$H" ova '"localbypass":false'; then
		ok "nolocalbypass is reported"
	else
		fail "nolocalbypass is reported" "$(ip -n "$H" -d link show dev ova)"
	fi
	before=$(udp_in)
	if q "$H" ping -c 5 -i 0.2 -W 1 -q 192.168.1.2 >/dev/null &&
	   [ "$(udp_in)" -ge $((before + 10)) ]; then
		ok "nolocalbypass: encapsulated through the loopback path"
	else
		fail "nolocalbypass: encapsulated through the loopback path" \
			"UDP in $before -> $(udp_in)"
	fi
	must ovl_set "$H" ova localbypass
	must ovl_set "$H" ovb localbypass
fi

# No device has VNI 45 on the local port: dropped, counted.
must ovl_add "$H" ovc id 44 local 10.0.0.1 nolearning
must bridge -n "$H" fdb append 00:00:00:00:00:00 dev ovc dst 10.0.0.1 vni 45 self permanent
ovl_up "$H" ovc 192.168.3.1/24
before=$(udp_in)
if is_ovl_kind; then
	drops() { ip -n "$H" -s -d -j link show dev ovc | sed -n 's/.*"tx_drop_no_dest":\([0-9]*\).*/\1/p'; }
else
	drops() { counter "$H" ovc tx_errors; }
fi
d0=$(drops)
if ping_fails "$H" 192.168.3.2 && [ "$(drops)" -gt "$d0" ] && [ "$(udp_in)" = "$before" ]; then
	ok "no device of the VNI on the local port: dropped and counted"
else
	fail "no device of the VNI on the local port: dropped and counted" \
		"drops $d0 -> $(drops), UDP in $before -> $(udp_in)"
fi

finish
