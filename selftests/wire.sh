#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bytes on the wire (RFC 7348): capture the encapsulated packets that
# host 1 sends on its underlay veth and check, for an IPv4 and an IPv6
# underlay, UDP destination port 4789, flags 0x08 (I), the VNI, reserved
# bits zero, and a UDP source port that depends on the inner flow and stays
# in the configured srcport range.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

VNI4=1193046	# 0x123456: every byte of the VNI field differs
VNI6=11259375	# 0xabcdef
SP_LO=40000
SP_HI=40100
FLOWS=16

must ovl_add "$H1" w4 id $VNI4 local "$(u4 1)" remote "$(u4 2)" dev eth0 srcport $SP_LO $SP_HI
must ovl_add "$H1" w6 id $VNI6 local "$(u6 1)" remote "$(u6 2)" dev eth0 srcport $SP_LO $SP_HI
must vxlan_add "$H2" w4 id $VNI4 local "$(u4 2)" remote "$(u4 1)" dev eth0
must vxlan_add "$H2" w6 id $VNI6 local "$(u6 2)" remote "$(u6 1)" dev eth0
for i in 1 2; do
	ovl_up "$(ns_of $i)" w4 "$(o4 $i)/24"
	ovl_up "$(ns_of $i)" w6 "192.168.6.$i/24"
done
# Resolve ARP first so the capture holds the flows, not only ARP.
ping_ok "$H1" "$(o4 2)" || die "no overlay connectivity over IPv4"
ping_ok "$H1" 192.168.6.2 || die "no overlay connectivity over IPv6"

PCAP=$TMP_DIR/wire.pcap
# -Z root: tcpdump would otherwise write as user tcpdump, who can not
# write into TMP_DIR (mode 0700).
spawn "$H1" "$TMP_DIR/tcpdump.log" tcpdump -Z root -i eth0 -nn -U -w "$PCAP" \
	"udp and (src host $(u4 1) or src host $(u6 1))"
TCPDUMP=$SPAWNED
wait_for 20 grep -q "listening on" "$TMP_DIR/tcpdump.log" || die "tcpdump did not start"

# FLOWS inner UDP flows per underlay, told apart by their destination port.
on "$H1" bash -c "for p in \$(seq 10001 $((10000 + FLOWS))); do
	echo flow >/dev/udp/$(o4 2)/\$p; echo flow >/dev/udp/192.168.6.2/\$p; done"

captured() {
	[ "$(tcpdump -r "$PCAP" -nn 2>/dev/null | wc -l)" -ge $((2 * FLOWS)) ]
}
wait_for 20 captured || echo "fewer packets captured than flows sent"
stop "$TCPDUMP"

# One line per packet: "ipver sport dport flags reserved vni", the header
# fields read from the bytes (tcpdump -x prints from the IP header on).
decode() {
	tcpdump -r "$PCAP" -nn -x 2>/dev/null | awk '
	function hex(s,   i, v) {
		v = 0
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	function flush(   off, v) {
		if (n == 0)
			return
		if (substr(b[0], 1, 1) == "4") {
			v = 4; off = hex(substr(b[0], 2, 1)) * 4
			if (hex(b[9]) != 17) { n = 0; return }
		} else {
			v = 6; off = 40
			if (hex(b[6]) != 17) { n = 0; return }
		}
		printf "%d %d %d %s %s %d\n", v,
			hex(b[off] b[off + 1]), hex(b[off + 2] b[off + 3]),
			b[off + 8], b[off + 9] b[off + 10] b[off + 11] b[off + 15],
			hex(b[off + 12] b[off + 13] b[off + 14])
		n = 0
	}
	/^[0-9]/ { flush(); next }
	/^[ \t]+0x/ {
		for (i = 2; i <= NF; i++) {
			b[n++] = substr($i, 1, 2)
			if (length($i) == 4)
				b[n++] = substr($i, 3, 2)
		}
	}
	END { flush() }'
}
decode >"$TMP_DIR/hdrs"
cat "$TMP_DIR/hdrs"

for v in 4 6; do
	if [ $v = 4 ]; then vni=$VNI4; else vni=$VNI6; fi
	awk -v v=$v '$1 == v' "$TMP_DIR/hdrs" >"$TMP_DIR/h$v"
	n=$(wc -l <"$TMP_DIR/h$v")
	if [ "$n" -lt $FLOWS ]; then
		fail "IPv$v: packets captured" "$n < $FLOWS"
		continue
	fi
	ok "IPv$v: packets captured ($n)"
	bad=$(awk '$3 != 4789' "$TMP_DIR/h$v" | wc -l)
	if [ "$bad" = 0 ]; then ok "IPv$v: UDP dst port 4789"; else fail "IPv$v: UDP dst port 4789" "$bad packets to another port"; fi
	bad=$(awk '$4 != "08"' "$TMP_DIR/h$v" | wc -l)
	if [ "$bad" = 0 ]; then ok "IPv$v: VXLAN flags 0x08"; else fail "IPv$v: VXLAN flags 0x08" "$bad packets with other flags"; fi
	bad=$(awk '$5 != "00000000"' "$TMP_DIR/h$v" | wc -l)
	if [ "$bad" = 0 ]; then ok "IPv$v: reserved bits zero"; else fail "IPv$v: reserved bits zero" "$bad packets with reserved bits set"; fi
	bad=$(awk -v vni=$vni '$6 != vni' "$TMP_DIR/h$v" | wc -l)
	if [ "$bad" = 0 ]; then ok "IPv$v: VNI $vni"; else fail "IPv$v: VNI $vni" "$bad packets with another VNI"; fi
	bad=$(awk -v lo=$SP_LO -v hi=$SP_HI '$2 < lo || $2 > hi' "$TMP_DIR/h$v" | wc -l)
	if [ "$bad" = 0 ]; then ok "IPv$v: source port in $SP_LO-$SP_HI"; else fail "IPv$v: source port in $SP_LO-$SP_HI" "$bad packets outside"; fi
	# FLOWS flows spread over 100 ports: all on one port means the
	# source port does not follow the inner flow.
	ports=$(awk '{ print $2 }' "$TMP_DIR/h$v" | sort -u | wc -l)
	if [ "$ports" -ge 2 ]; then ok "IPv$v: source port varies by flow ($ports ports)"; else fail "IPv$v: source port varies by flow" "one source port for $FLOWS flows"; fi
done

finish
