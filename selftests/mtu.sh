#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MTU: 1450 by default; lower device MTU - 50 with "dev" over IPv4 and - 70
# over IPv6.  The largest ping that fits passes with DF set, one byte more
# fails; with the outer DF set, the encapsulation adds exactly 50 bytes.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

mtu_is() {	# CASE NS DEV EXPECTED
	local got
	got=$(q "$2" cat "/sys/class/net/$3/mtu")
	if [ "$got" = "$4" ]; then ok "$1"; else fail "$1" "mtu $got, expected $4"; fi
}

if ovl_only "default MTU 1450 without a lower device" "vxlan uses 1500"; then
	must ovl_add "$H1" d0 id 1
	mtu_is "default MTU 1450 without a lower device" "$H1" d0 1450
	must ip -n "$H1" link del d0
fi

for i in 1 2; do
	j=$((3 - i))
	h=$(ns_of $i)
	must ovl_add "$h" m4 id 4 local "$(u4 $i)" remote "$(u4 $j)" dev eth0
	must ovl_add "$h" m6 id 6 local "$(u6 $i)" remote "$(u6 $j)" dev eth0
	ovl_up "$h" m4 "$(o4 $i)/24"
	ovl_up "$h" m6 "192.168.6.$i/24"
done
mtu_is "dev eth0 (1500), IPv4: MTU 1450" "$H1" m4 1450
mtu_is "dev eth0 (1500), IPv6: MTU 1430" "$H1" m6 1430

# ping -s is the ICMP payload: IPv4 (20) + ICMP (8) headers come on top.
fits() {	# CASE DST MTU
	ping_ok "$H1" "$2" || { fail "$1" "no overlay connectivity"; return; }
	if ! on "$H1" ping -c 1 -W 2 -M "do" -s $(($3 - 28)) "$2"; then
		fail "$1" "$(($3 - 28)) bytes did not pass"
	elif on "$H1" ping -c 1 -W 2 -M "do" -s $(($3 - 27)) "$2"; then
		fail "$1" "$(($3 - 27)) bytes passed a $3 MTU with DF"
	else
		ok "$1"
	fi
}
fits "largest DF ping fits, one byte more fails (IPv4 underlay)" "$(o4 2)" 1450
fits "largest DF ping fits, one byte more fails (IPv6 underlay)" 192.168.6.2 1430

# Overhead on the wire: raise the overlay MTU past what the underlay
# carries, with the outer DF set.  A 1450-byte inner packet is a 1500-byte
# outer one and passes; 1451 can not.
for i in 1 2; do
	j=$((3 - i))
	must ovl_add "$(ns_of $i)" x4 id 44 local "$(u4 $i)" remote "$(u4 $j)" df set
	must ip -n "$(ns_of $i)" link set x4 mtu 1500
	ovl_up "$(ns_of $i)" x4 "192.168.44.$i/24"
done
fits "outer DF: 1450 inner bytes fit a 1500 underlay, 1451 do not" 192.168.44.2 1450

# A smaller lower device: the MTU follows it.
must ip -n "$H1" link set eth0 mtu 1400
must ovl_add "$H1" s4 id 7 local "$(u4 1)" remote "$(u4 2)" dev eth0
must ovl_add "$H1" s6 id 8 local "$(u6 1)" remote "$(u6 2)" dev eth0
mtu_is "dev eth0 (1400), IPv4: MTU 1350" "$H1" s4 1350
mtu_is "dev eth0 (1400), IPv6: MTU 1330" "$H1" s6 1330

finish
