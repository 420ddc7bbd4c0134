#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two hosts joined by a veth; on each, one overlay device over the IPv4
# underlay and one over the IPv6 underlay, both with the other host as
# static default remote.  Ping and a TCP transfer go both ways over each.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

# ovl4: VNI 42 over IPv4, overlay 192.168.1.0/24.
# ovl6: VNI 66 over IPv6, overlay 192.168.6.0/24 (and fd06::/64).
for i in 1 2; do
	j=$((3 - i))
	h=$(ns_of $i)
	must ovl_add "$h" ovl4 id 42 local "$(u4 $i)" remote "$(u4 $j)" dev eth0
	ovl_up "$h" ovl4 "$(o4 $i)/24"
	must ovl_add "$h" ovl6 id 66 local "$(u6 $i)" remote "$(u6 $j)" dev eth0
	ovl_up "$h" ovl6 "192.168.6.$i/24" "fd06::$i/64"
done

for under in 4 6; do
	if [ $under = 4 ]; then a1=$(o4 1); a2=$(o4 2); else a1=192.168.6.1; a2=192.168.6.2; fi
	if ping_ok "$H1" "$a2"; then ok "ping 1->2, IPv$under underlay"; else fail "ping 1->2, IPv$under underlay" "no reply from $a2"; fi
	if ping_ok "$H2" "$a1"; then ok "ping 2->1, IPv$under underlay"; else fail "ping 2->1, IPv$under underlay" "no reply from $a1"; fi
	if tcp_transfer "$H1" "$H2" "$a2"; then ok "tcp 1->2, IPv$under underlay"; else fail "tcp 1->2, IPv$under underlay" "iperf3 failed"; fi
	if tcp_transfer "$H2" "$H1" "$a1"; then ok "tcp 2->1, IPv$under underlay"; else fail "tcp 2->1, IPv$under underlay" "iperf3 failed"; fi
done

# IPv6 inside the tunnel too (over the IPv6 underlay).
if ping_ok "$H1" fd06::2; then ok "ping6 1->2 in the overlay"; else fail "ping6 1->2 in the overlay" "no reply from fd06::2"; fi

# The traffic must really have used the tunnels: each device both sent
# and received (a ping answered by some other path would not count here).
for h in "$H1" "$H2"; do
	for d in ovl4 ovl6; do
		if counter_ge "$h" $d tx_packets 1 && counter_ge "$h" $d rx_packets 1; then
			ok "traffic counted on $d of ${h##*-}"
		else
			fail "traffic counted on $d of ${h##*-}" "tx/rx packets stayed 0"
		fi
	done
done

finish
