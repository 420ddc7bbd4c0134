#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VNI isolation.  Each host has two devices on the same UDP port (so one
# shared socket per netns), VNI 100 and VNI 200.  Traffic of one VNI must
# not reach the device of the other; a second device with a VNI already in
# use on the port is refused; changing a device's VNI at runtime moves it
# to the other segment (ovl only: vxlan refuses to change the VNI).

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

for i in 1 2; do
	j=$((3 - i))
	h=$(ns_of $i)
	must ovl_add "$h" va id 100 local "$(u4 $i)" remote "$(u4 $j)"
	must ovl_add "$h" vb id 200 local "$(u4 $i)" remote "$(u4 $j)"
	ovl_up "$h" va "192.168.10.$i/24"
	ovl_up "$h" vb "192.168.20.$i/24"
done

if ping_ok "$H1" 192.168.10.2; then ok "VNI 100 reaches its peer"; else fail "VNI 100 reaches its peer" "no reply"; fi
if ping_ok "$H1" 192.168.20.2; then ok "VNI 200 reaches its peer"; else fail "VNI 200 reaches its peer" "no reply"; fi

# VNI 200 must stay silent while we count on it: pin its neighbours, or
# a late ARP probe from the ping above lands in the count.
for i in 1 2; do
	j=$((3 - i))
	must ip -n "$(ns_of $i)" neigh replace "192.168.20.$j" \
		lladdr "$(mac_of "$(ns_of $j)" vb)" dev vb nud permanent
done

# Broadcast ARP and unicast ICMP in VNI 100; the VNI 200 device of host 2
# must receive none of it.
on "$H1" ip neigh flush dev va
before_b=$(counter "$H2" vb rx_packets)
before_a=$(counter "$H2" va rx_packets)
on "$H1" ping -c 5 -i 0.2 -W 1 -q 192.168.10.2
if wait_for 5 counter_ge "$H2" va rx_packets $((before_a + 5)) &&
   [ "$(counter "$H2" vb rx_packets)" = "$before_b" ]; then
	ok "VNI 100 traffic does not reach VNI 200"
else
	fail "VNI 100 traffic does not reach VNI 200" \
		"va rx $before_a -> $(counter "$H2" va rx_packets), vb rx $before_b -> $(counter "$H2" vb rx_packets)"
fi

check_err "second device with a VNI in use refused" "exist|in use|already used" \
	ovl_add "$H2" vc id 200 local "$(u4 2)" remote "$(u4 1)"
# The IPv6 socket of the port has VNIs of its own: vxlan takes a VNI once
# per family, and Flannel's dual stack (flannel.1 and flannel-v6.1, the
# same VNI and port) needs it.
if ovl_add "$H2" vc6 id 200 local "$(u6 2)" remote "$(u6 1)"; then
	ok "a VNI in use over IPv4 is free over IPv6 on the same port"
	check_err "second IPv6 device with that VNI refused" "exist|in use|already used" \
		ovl_add "$H2" vd6 id 200 local "$(u6 2)" remote "$(u6 1)"
	must ip -n "$H2" link del vc6
else
	fail "a VNI in use over IPv4 is free over IPv6 on the same port" "refused"
fi

# A device with a VNI nobody else has: its traffic reaches no one.  Pin
# VNI 100's neighbours too, so that no late ARP probe is counted.
for i in 1 2; do
	j=$((3 - i))
	must ip -n "$(ns_of $i)" neigh replace "192.168.10.$j" \
		lladdr "$(mac_of "$(ns_of $j)" va)" dev va nud permanent
done
must ovl_add "$H1" vz id 300 local "$(u4 1)" remote "$(u4 2)"
ovl_up "$H1" vz "192.168.30.1/24"
rx_a=$(counter "$H2" va rx_packets)
rx_b=$(counter "$H2" vb rx_packets)
if ping_fails "$H1" 192.168.30.2 && [ "$(counter "$H2" va rx_packets)" = "$rx_a" ] &&
   [ "$(counter "$H2" vb rx_packets)" = "$rx_b" ]; then
	ok "unknown VNI 300 is delivered to no device"
else
	fail "unknown VNI 300 is delivered to no device" "a device of host 2 received it"
fi

# Runtime VNI change: move host 2's va to 300, then host 1's va too.
if ovl_only "VNI change at runtime" "vxlan can not change the VNI"; then
	if ovl_set "$H2" va id 300 && ping_fails "$H1" 192.168.10.2; then
		ok "VNI change at runtime cuts the old segment"
	else
		fail "VNI change at runtime cuts the old segment" "still reachable over VNI 100"
	fi
	# host 1 has vz on 300: move it away first, then va onto 300.
	if ovl_set "$H1" vz id 301 && ovl_set "$H1" va id 300 && ping_ok "$H1" 192.168.10.2; then
		ok "VNI change at runtime joins the new segment"
	else
		fail "VNI change at runtime joins the new segment" "no reply over VNI 300"
	fi
	check_err "VNI change to a VNI in use refused" "exist|in use|already used" ovl_set "$H2" va id 200
	if ip -n "$H2" -d link show va | grep -q "id 300"; then
		ok "refused VNI change left the device unchanged"
	else
		fail "refused VNI change left the device unchanged" "VNI is no longer 300"
	fi
fi

finish
