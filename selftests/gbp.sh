#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Group Based Policy ("gbp"), against the kernel's vxlan: host 1's device
# under test and host 2's vxlan, both "gbp", VNI 42.  For each mark a
# ping carries (ping -m), the first word of the VXLAN header on the wire
# must be what vxlan's mapping gives (G flag, D and A bits, policy ID;
# only the I flag for mark 0), from ovl and from vxlan alike, and the
# receiver must give the frame that mark (D, A and the ID), each way.
# VNI 43: host 1's device without gbp, host 2's vxlan with it, on the
# same port: marks are not sent, and frames with a policy ID are taken
# without one (ovl follows RFC 7348 on flags it does not use; vxlan
# without gbp drops them).  Turning gbp on later fails as on vxlan, and
# ip -d and ovlctl show it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/capture.bash"

need_ovl_args
for t in tcpdump iptables python3; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct
must ovl_add "$H1" ovl0 id 42 local "$(u4 1)" remote "$(u4 2)" dev eth0 gbp
must vxlan_add "$H2" vx0 id 42 local "$(u4 2)" remote "$(u4 1)" dev eth0 gbp
ovl_up "$H1" ovl0 "$(o4 1)/24"
ovl_up "$H2" vx0 "$(o4 2)/24"
# No ARP in the captures: permanent neighbours, both ways.
must ip -n "$H1" neigh replace "$(o4 2)" lladdr "$(mac_of "$H2" vx0)" dev ovl0 nud permanent
must ip -n "$H2" neigh replace "$(o4 1)" lladdr "$(mac_of "$H1" ovl0)" dev vx0 nud permanent
ping_ok "$H1" "$(o4 2)" || die "no ping over VNI 42"

# counter NS DEV MARK: an iptables rule counting the echo requests that
# arrive on DEV with MARK (added once), then its count.
rule() {
	q "$1" iptables -w -A INPUT -i "$2" -p icmp --icmp-type echo-request \
		-m mark --mark "$3/0xffffffff"
}
count() {
	q "$1" iptables -w -nvxL INPUT |
		awk -v d=" $2 " -v m="mark match $3" 'index($0, d) && index($0, m) { n += $1 } END { print n + 0 }'
}

# word MARK: the first header word vxlan sends for MARK.
word() {
	if [ "$(($1))" = 0 ]; then
		printf '0x08000000'
	else
		printf '0x%08x' $(( 0x88000000 | ($1 & 0x0048ffff) ))
	fi
}

# One capture per mark on host 2's eth0: three pings from host 1 (ovl)
# and three from host 2 (vxlan), both with the mark.
for m in 0 0x480123 0x400000 0x80000 0x1000000 0x1000beef 0xffffffff; do
	w=$(word $m)
	rx=$(printf '0x%x' $((m & 0x0048ffff)))
	if [ "$rx" != 0x0 ]; then
		rule "$H2" vx0 "$rx"
		rule "$H1" ovl0 "$rx"
	fi
	f=$TMP_DIR/gbp-$m.pcap
	# ping -m takes a decimal mark.
	capture_during "$H2" eth0 "$f" sh -c "
		ip netns exec $H1 ping -q -c 3 -i 0.2 -W 2 -m $((m)) $(o4 2) &&
		ip netns exec $H2 ping -q -c 3 -i 0.2 -W 2 -m $((m)) $(o4 1)" ||
		fail "mark $m: pings with the mark" "no answer"
	mine=$(capture_count "$f" "src host $(u4 1) and udp dst port 4789 and udp[8:4] = $w")
	theirs=$(capture_count "$f" "src host $(u4 2) and udp dst port 4789 and udp[8:4] = $w")
	check "mark $m: ovl sends header word $w ($mine packets, 3 requests)" [ "$mine" -ge 3 ]
	check "mark $m: vxlan sends the same word ($theirs packets)" [ "$theirs" -ge 3 ]
	if [ "$rx" != 0x0 ]; then
		check "mark $m: vxlan gives ovl's frames the mark $rx" [ "$(count "$H2" vx0 "$rx")" -ge 3 ]
		check "mark $m: ovl gives vxlan's frames the mark $rx" [ "$(count "$H1" ovl0 "$rx")" -ge 3 ]
	fi
done

# VNI 43: ovl1 has no gbp, vx1 has, on the port of ovl0 and vx0.  vxlan
# cannot run that host 1 side: its devices on one port share a socket
# whose flags, gbp among them, must agree (the second one gets
# EADDRINUSE); ovl reads gbp per device.
nogbp() {
	must ovl_add "$H1" ovl1 id 43 local "$(u4 1)" remote "$(u4 2)" dev eth0
	must vxlan_add "$H2" vx1 id 43 local "$(u4 2)" remote "$(u4 1)" dev eth0 gbp
	ovl_up "$H1" ovl1 192.168.2.1/24
	ovl_up "$H2" vx1 192.168.2.2/24
	must ip -n "$H1" neigh replace 192.168.2.2 lladdr "$(mac_of "$H2" vx1)" dev ovl1 nud permanent
	must ip -n "$H2" neigh replace 192.168.2.1 lladdr "$(mac_of "$H1" ovl1)" dev vx1 nud permanent
	ping_ok "$H1" 192.168.2.2 || die "no ping over VNI 43"
	rule "$H1" ovl1 0x480123

	f=$TMP_DIR/nogbp.pcap
	capture_during "$H2" eth0 "$f" sh -c "
		ip netns exec $H1 ping -q -c 3 -i 0.2 -W 2 -m $((0x480123)) 192.168.2.2 &&
		ip netns exec $H2 ping -q -c 3 -i 0.2 -W 2 -m $((0x480123)) 192.168.2.1"
	rc=$?
	check "without gbp: the pings both ways are answered" [ "$rc" = 0 ]
	n=$(capture_count "$f" "src host $(u4 1) and udp dst port 4789 and udp[8:4] = 0x08000000 and udp[12:4] = 0x00002b00")
	check "without gbp: ovl sends no policy ID for a marked frame ($n)" [ "$n" -ge 6 ]
	n=$(capture_count "$f" "src host $(u4 2) and udp dst port 4789 and udp[8:4] = 0x88480123")
	check "without gbp: vxlan's frames with a policy ID reached ovl ($n)" [ "$n" -ge 3 ]
	check "without gbp: ovl gives them no mark" [ "$(count "$H1" ovl1 0x480123)" = 0 ]
	check "ip -d link shows no gbp without it" sh -c "! ip -n $H1 -d link show dev ovl1 | grep -qw gbp"
	before=$(link_json "$H1" ovl1)
	check_err "gbp cannot be turned on later (ovl)" "cannot change GBP flag" \
		ip -n "$H1" link set dev ovl1 type ovl gbp
	check "a refused gbp changes nothing" [ "$(link_json "$H1" ovl1)" = "$before" ]
}
if ovl_only "a device without gbp on the port of one with it" \
	"vxlan devices on a port must agree on gbp"; then
	nogbp
fi

# Configuration.
check "ip -d link shows gbp" sh -c "ip -n $H1 -d link show dev ovl0 | grep -qw gbp"
check "ip -d -j link has the gbp key, as vxlan's" sh -c \
	"ip -n $H1 -d -j link show dev ovl0 | grep -q '\"gbp\"' &&
	 ip -n $H2 -d -j link show dev vx0 | grep -q '\"gbp\"'"
must vxlan_add "$H2" vx2 id 44 local "$(u4 2)" dev eth0 gbp
check_err "gbp cannot be changed later (vxlan, the reference)" "cannot change GBP flag" \
	ip -n "$H2" link set dev vx2 type vxlan gbp
if ovl_only "ovlctl shows and creates gbp" "ovlctl drives ovl only"; then
	OVLCTL=$TOP_DIR/tools/ovlctl/ovlctl
	check "ovlctl show: gbp" sh -c "$OVLCTL -n $H1 show ovl0 | grep -qw 'gbp on'"
	check "ovlctl -j show: gbp true" sh -c "$OVLCTL -n $H1 -j show ovl0 | grep -q '\"gbp\": *true'"
	must "$OVLCTL" -n "$H1" add ovl9 vni 99 gbp
	check "ovlctl add ... gbp creates a gbp device" sh -c \
		"ip -n $H1 -d link show dev ovl9 | grep -qw gbp"
fi
finish
