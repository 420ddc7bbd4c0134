#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire compatibility with the in-kernel vxlan driver: host 1 runs the kind
# under test, host 2 runs "type vxlan ... dstport 4789".  Ping and TCP both
# ways, over an IPv4 and an IPv6 underlay.  (With KIND=vxlan this is
# vxlan against vxlan: the baseline the ovl run must match.)

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

must ovl_add "$H1" t4 id 4242 local "$(u4 1)" remote "$(u4 2)" dev eth0
must ovl_add "$H1" t6 id 6666 local "$(u6 1)" remote "$(u6 2)" dev eth0
must vxlan_add "$H2" t4 id 4242 local "$(u4 2)" remote "$(u4 1)" dev eth0
must vxlan_add "$H2" t6 id 6666 local "$(u6 2)" remote "$(u6 1)" dev eth0
for i in 1 2; do
	ovl_up "$(ns_of $i)" t4 "$(o4 $i)/24"
	ovl_up "$(ns_of $i)" t6 "192.168.6.$i/24" "fd06::$i/64"
done

for under in 4 6; do
	if [ $under = 4 ]; then a1=$(o4 1); a2=$(o4 2); else a1=192.168.6.1; a2=192.168.6.2; fi
	c="1($KIND)->2(vxlan), IPv$under underlay"
	r="2(vxlan)->1($KIND), IPv$under underlay"
	if ping_ok "$H1" "$a2"; then ok "ping $c"; else fail "ping $c" "no reply from $a2"; fi
	if ping_ok "$H2" "$a1"; then ok "ping $r"; else fail "ping $r" "no reply from $a1"; fi
	if tcp_transfer "$H1" "$H2" "$a2"; then ok "tcp $c"; else fail "tcp $c" "iperf3 failed"; fi
	if tcp_transfer "$H2" "$H1" "$a1"; then ok "tcp $r"; else fail "tcp $r" "iperf3 failed"; fi
done

if ping_ok "$H2" fd06::1; then
	ok "ping6 2(vxlan)->1($KIND) in the overlay"
else
	fail "ping6 2(vxlan)->1($KIND) in the overlay" "no reply from fd06::1"
fi

finish
