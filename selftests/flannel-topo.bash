# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The Flannel-style overlay scenario (its "vxlan" backend), shared by
# flannel.sh, flannel-ovlctl.sh and tools/demo/scenario.sh; sourced after
# lib.sh, containers.bash and capture.bash.  Documentation/scenarios.rst
# draws it.  Setup functions end the script on error (must); check
# functions print one [PASS]/[FAIL] line per case.
#
#   switch  : netns "sw", bridge br0, port pI to host I
#   host I  : eth0 = U_I (10.0.0.I/24, carries only host addresses)
#             cni0 = 10.244.I.1/24, ports vethIa, vethIb
#             flannel.1 = VTEP, VNI 1, port FT_PORT, learning off,
#                         10.244.I.0/32, MTU = eth0's - 50
#             for every other host J, what flanneld programs:
#               neigh 10.244.J.0 lladdr MAC_J dev flannel.1 nud permanent
#               fdb   MAC_J dev flannel.1 dst U_J self permanent
#               route 10.244.J.0/24 via 10.244.J.0 dev flannel.1 onlink
#   container Ix (x = a, b): netns "cIx", eth0 = 10.244.I.2 (a) / .3 (b),
#             default via 10.244.I.1, MTU = flannel.1's
#
# ENVIRONMENT
#   FT_PORT  UDP port (default 8472, Flannel's; 4789 is IANA's)
#   FT_TOOL  ip (ip + bridge, ip with link_ovl.so) or ovlctl: what
#            creates the VTEPs and programs their FDB entries

FT_DEV=flannel.1
FT_VNI=1
FT_PORT=${FT_PORT:-8472}
FT_TOOL=${FT_TOOL:-ip}
FT_HOSTS="1 2 3"
FT_CTS="1a 1b 2a 2b 3a 3b"
FT_MTU=
OVLCTL=${OVLCTL:-$TOP_DIR/tools/ovlctl/ovlctl}
declare -A FT_MAC FT_UNDER

ft_vtep_addr() { printf '10.244.%s.0' "$1"; }
ft_ct_ns() { ns_of "c$1"; }
ft_ct_addr() {
	local x=2
	[ "${1#"${1%?}"}" = b ] && x=3
	printf '10.244.%s.%s' "$(host_of "$1")" "$x"
}

# ft_remote_hosts I: the hosts other than I.
ft_remote_hosts() {
	local j
	for j in $FT_HOSTS; do [ "$j" = "$1" ] || printf '%s ' "$j"; done
}

# ft_remote_cts I: the containers not on host I.
ft_remote_cts() {
	local c
	for c in $FT_CTS; do [ "$(host_of "$c")" = "$1" ] || printf '%s ' "$c"; done
}

# --- setup ---------------------------------------------------------------

# ft_underlay: the three hosts on the switch, forwarding between their
# container bridge and the VTEP.
ft_underlay() {
	local i
	hosts_switch 3
	for i in $FT_HOSTS; do
		FT_UNDER[$i]=$(u4 "$i")
		must ip netns exec "$(ns_of "$i")" sysctl -qw net.ipv4.ip_forward=1
	done
	FT_MTU=$(($(q "$(ns_of 1)" cat /sys/class/net/eth0/mtu) - 50))
}

# ft_pods I: bridge cni0 and the two containers of host I.
ft_pods() {
	local h c
	h=$(ns_of "$1")
	must ip -n "$h" link add cni0 mtu "$FT_MTU" type bridge
	must ip -n "$h" addr add "10.244.$1.1/24" dev cni0
	must ip -n "$h" link set cni0 up
	for c in "${1}a" "${1}b"; do
		container_add "$h" cni0 "$(ft_ct_ns "$c")" "veth$c" \
			"$(ft_ct_addr "$c")/24" "10.244.$1.1" "$FT_MTU"
	done
}

# ft_vtep I: flannel.1 of host I, with FT_TOOL.
ft_vtep() {
	local h
	h=$(ns_of "$1")
	if [ "$FT_TOOL" = ovlctl ]; then
		must "$OVLCTL" -n "$h" add "$FT_DEV" vni "$FT_VNI" port "$FT_PORT" \
			learning off local "${FT_UNDER[$1]}" dev eth0 mtu "$FT_MTU"
	else
		must ovl_add "$h" "$FT_DEV" id "$FT_VNI" dstport "$FT_PORT" \
			nolearning local "${FT_UNDER[$1]}" dev eth0
		must ip -n "$h" link set "$FT_DEV" mtu "$FT_MTU"
	fi
	# IPv6 off, as lib.sh's ovl_up does, but in the slash notation: the
	# dot in "flannel.1" is a separator in sysctl's dotted names.
	q "$h" sysctl -qw "net/ipv6/conf/$FT_DEV/disable_ipv6=1"
	must ip -n "$h" addr add "$(ft_vtep_addr "$1")/32" dev "$FT_DEV"
	must ip -n "$h" link set "$FT_DEV" up
	FT_MAC[$1]=$(mac_of "$h" "$FT_DEV")
}

# ft_fdb add|replace|del I J: on host I, the FDB entry for host J's VTEP.
ft_fdb() {
	local op=$1 h mac=${FT_MAC[$3]} dst=${FT_UNDER[$3]}
	h=$(ns_of "$2")
	if [ "$FT_TOOL" = ovlctl ]; then
		if [ "$op" = del ]; then
			pp "$OVLCTL" -n "$h" fdb del "$FT_DEV" "$mac"
		else
			pp "$OVLCTL" -n "$h" fdb "$op" "$FT_DEV" "$mac" "$dst"
		fi
	elif [ "$op" = del ]; then
		pp bridge -n "$h" fdb del "$mac" dev "$FT_DEV" dst "$dst" self
	else
		pp bridge -n "$h" fdb "$op" "$mac" dev "$FT_DEV" dst "$dst" self permanent
	fi
}

# ft_peer_add I J: on host I, what flanneld programs when host J joins.
ft_peer_add() {
	local h vt
	h=$(ns_of "$1")
	vt=$(ft_vtep_addr "$2")
	pp ip -n "$h" neigh add "$vt" lladdr "${FT_MAC[$2]}" dev "$FT_DEV" nud permanent &&
		ft_fdb add "$1" "$2" &&
		pp ip -n "$h" route add "10.244.$2.0/24" via "$vt" dev "$FT_DEV" onlink
}

# ft_peer_del I J: on host I, what flanneld removes when host J leaves.
ft_peer_del() {
	local h vt
	h=$(ns_of "$1")
	vt=$(ft_vtep_addr "$2")
	pp ip -n "$h" route del "10.244.$2.0/24" via "$vt" dev "$FT_DEV" &&
		ft_fdb del "$1" "$2" &&
		pp ip -n "$h" neigh del "$vt" dev "$FT_DEV"
}

# ft_setup: the whole scenario.
ft_setup() {
	local i j
	ft_underlay
	for i in $FT_HOSTS; do ft_pods "$i"; done
	for i in $FT_HOSTS; do ft_vtep "$i"; done
	for i in $FT_HOSTS; do
		for j in $(ft_remote_hosts "$i"); do must ft_peer_add "$i" "$j"; done
	done
}

# --- checks ----------------------------------------------------------------

# ft_check_config: flannel.1 is what Flannel asks for, as ip -d -j shows
# it (one python3 for all hosts: each start costs seconds under TCG).
ft_check_config() {
	local i args=() line
	for i in $FT_HOSTS; do
		args+=("$i" "${FT_UNDER[$i]}" "$(ip -n "$(ns_of "$i")" -d -j link show dev "$FT_DEV")")
	done
	python3 -c '
import json, sys
vni, port, mtu = (int(a) for a in sys.argv[1:4])
a = sys.argv[4:]
for host, local, text in zip(a[0::3], a[1::3], a[2::3]):
    try:
        l = json.loads(text)[0]
        d = l["linkinfo"]["info_data"]
    except (ValueError, LookupError):
        print(host, "no device:", text)
        continue
    want = {"id": vni, "port": port, "learning": False, "local": local, "link": "eth0"}
    bad = {k: d.get(k) for k, v in want.items() if d.get(k) != v}
    if l.get("mtu") != mtu:
        bad["mtu"] = l.get("mtu")
    print(host, "unexpected: %s" % bad if bad else "ok")' \
		"$FT_VNI" "$FT_PORT" "$FT_MTU" "${args[@]}" > "$TMP_DIR/config"
	for i in $FT_HOSTS; do
		line=$(grep "^$i " "$TMP_DIR/config")
		if [ "$line" = "$i ok" ]; then
			ok "host $i: $FT_DEV is VNI $FT_VNI, port $FT_PORT, learning off, MTU $FT_MTU"
		else
			fail "host $i: $FT_DEV configuration" "${line#"$i "}"
		fi
	done
}

# ft_check_pings: every container reaches every container on other hosts.
ft_check_pings() {
	local c d
	for c in $FT_CTS; do
		for d in $(ft_remote_cts "$(host_of "$c")"); do
			ping_case "ping c$c -> c$d" "$(ft_ct_ns "$c")" "$(ft_ct_addr "$d")"
		done
	done
}

# ft_check_host_pings: every host reaches a container of every other host
# (from its VTEP address: the route's device is flannel.1); "b" ones, as
# the wire checks use the "a" ones.
ft_check_host_pings() {
	local i j
	for i in $FT_HOSTS; do
		for j in $(ft_remote_hosts "$i"); do
			ping_case "ping host $i -> c${j}b" "$(ns_of "$i")" "$(ft_ct_addr "${j}b")"
		done
	done
}

# ft_check_tcp PAIR...: a 1 MiB TCP transfer per "C>D" pair (socat, see
# tcp_sink in containers.bash).
ft_check_tcp() {
	local p c d started=
	for p in "$@"; do
		c=${p%>*} d=${p#*>}
		case " $started " in
		*" $d "*) ;;
		*)
			tcp_sink "$(ft_ct_ns "$d")" "$(ft_ct_addr "$d")" ||
				{ fail "tcp: sink in c$d" "socat did not listen"; continue; }
			started="$started $d"
			;;
		esac
		if tcp_send "$(ft_ct_ns "$c")" "$(ft_ct_addr "$d")" 1048576; then
			ok "tcp c$c -> c$d: 1 MiB"
		else
			fail "tcp c$c -> c$d: 1 MiB" "not all bytes arrived"
		fi
	done
}

# ft_cross_pairs: "C>D" for every unordered pair of containers on
# different hosts.
ft_cross_pairs() {
	local c d seen=
	for c in $FT_CTS; do
		seen="$seen $c"
		for d in $(ft_remote_cts "$(host_of "$c")"); do
			case " $seen " in *" $d "*) continue ;; esac
			printf '%s>%s ' "$c" "$d"
		done
	done
}

# ft_vxlan_filter SRC_HOST DST_HOST SRC_CT DST_CT: pcap filter for the
# VXLAN packet from host to host on FT_PORT with VNI FT_VNI whose inner
# IPv4 packet goes from container to container.  Offsets from the UDP
# header: 8 flags (I bit) + reserved, 12 VNI + reserved, 16 inner
# Ethernet (type at 28), 30 inner IPv4 (source at 42, destination at 46).
ft_vxlan_filter() {
	printf 'udp dst port %s and src host %s and dst host %s' \
		"$FT_PORT" "${FT_UNDER[$1]}" "${FT_UNDER[$2]}"
	printf ' and udp[8:4] = 0x08000000 and udp[12:4] = 0x%08x' $((FT_VNI << 8))
	printf ' and udp[28:2] = 0x0800 and udp[42:4] = %s and udp[46:4] = %s' \
		"$(ip_hex "$(ft_ct_addr "$3")")" "$(ip_hex "$(ft_ct_addr "$4")")"
}

# ft_check_wire: on the switch port of host 2, c1a -> c2a and its replies
# travel as VXLAN (UDP FT_PORT, VNI FT_VNI) between the host addresses,
# and no container address appears as a plain (outer) IP address.
ft_check_wire() {
	local pcap=$TMP_DIR/wire.pcap n
	if ! capture_during "$(ns_of sw)" p2 "$pcap" \
		on "$(ft_ct_ns 1a)" ping -c 3 -i 0.2 -W 2 "$(ft_ct_addr 2a)"; then
		fail "wire: capture while c1a pings c2a" "ping or tcpdump failed"
		return
	fi
	capture_show "$pcap" "" -e -v | head -n 12
	n=$(capture_count "$pcap" "$(ft_vxlan_filter 1 2 1a 2a)")
	if [ "$n" -ge 3 ]; then
		ok "wire: c1a -> c2a is UDP $FT_PORT, VNI $FT_VNI, host 1 -> host 2 ($n packets)"
	else
		fail "wire: c1a -> c2a is UDP $FT_PORT, VNI $FT_VNI, host 1 -> host 2" "$n of 3 packets seen"
	fi
	n=$(capture_count "$pcap" "$(ft_vxlan_filter 2 1 2a 1a)")
	if [ "$n" -ge 3 ]; then
		ok "wire: c2a -> c1a replies are UDP $FT_PORT, VNI $FT_VNI, host 2 -> host 1 ($n packets)"
	else
		fail "wire: c2a -> c1a replies are UDP $FT_PORT, VNI $FT_VNI, host 2 -> host 1" "$n of 3 packets seen"
	fi
	n=$(capture_count "$pcap" "net 10.244.0.0/16")
	if [ "$n" = 0 ]; then
		ok "wire: no container address in an outer IP header"
	else
		fail "wire: no container address in an outer IP header" "$n plain packets"
	fi
}

# ft_check_mtu: the container MTU holds end to end: the largest DF ping
# passes and fills the underlay MTU exactly (one unfragmented outer
# packet), one byte more is refused.
ft_check_mtu() {
	local max=$((FT_MTU - 28)) under=$((FT_MTU + 50)) pcap=$TMP_DIR/mtu.pcap n out
	local c1a c2a
	c1a=$(ft_ct_ns 1a)
	c2a=$(ft_ct_addr 2a)
	if capture_during "$(ns_of sw)" p2 "$pcap" \
		on "$c1a" ping -M 'do' -s "$max" -c 1 -W 3 "$c2a"; then
		ok "mtu: c1a -> c2a DF ping of $max bytes (packet = MTU $FT_MTU)"
	else
		fail "mtu: c1a -> c2a DF ping of $max bytes (packet = MTU $FT_MTU)" "no reply"
	fi
	n=$(capture_count "$pcap" "udp dst port $FT_PORT and ip[2:2] = $under and ip[6:2] & 0x3fff = 0")
	if [ "$n" -ge 2 ]; then
		ok "mtu: outer packets are $under bytes = underlay MTU, unfragmented ($n)"
	else
		capture_show "$pcap" "" -v
		fail "mtu: outer packets are $under bytes = underlay MTU, unfragmented" "$n of 2 seen"
	fi
	if out=$(on "$c1a" ping -M 'do' -s $((max + 1)) -c 1 -W 2 "$c2a" 2>&1); then
		fail "mtu: DF ping of $((max + 1)) bytes is refused" "it was answered"
	elif printf '%s\n' "$out" | grep -Eqi 'too long|mtu'; then
		printf '%s\n' "$out"
		ok "mtu: DF ping of $((max + 1)) bytes is refused (message too long)"
	else
		printf '%s\n' "$out"
		fail "mtu: DF ping of $((max + 1)) bytes is refused" "failed, but not for the MTU"
	fi
}

# ft_check_cut: hosts 1 and 2 forget host 3: exactly host 3 is cut off,
# and learning its entries again brings it back.
ft_check_cut() {
	local i
	for i in 1 2; do
		if ft_peer_del "$i" 3; then
			ok "host $i: remove host 3's route, neighbour and FDB entry"
		else
			fail "host $i: remove host 3's route, neighbour and FDB entry"
		fi
	done
	ping_cut_case "host 3 removed: c1a -/-> c3a" "$(ft_ct_ns 1a)" "$(ft_ct_addr 3a)"
	ping_cut_case "host 3 removed: c2b -/-> c3b" "$(ft_ct_ns 2b)" "$(ft_ct_addr 3b)"
	ping_case "host 3 removed: c1a -> c2b still" "$(ft_ct_ns 1a)" "$(ft_ct_addr 2b)"
	ping_case "host 3 removed: c2a -> c1b still" "$(ft_ct_ns 2a)" "$(ft_ct_addr 1b)"
	for i in 1 2; do
		if ft_peer_add "$i" 3; then
			ok "host $i: add host 3's entries again"
		else
			fail "host $i: add host 3's entries again"
		fi
	done
	ping_case "host 3 back: c1a -> c3a" "$(ft_ct_ns 1a)" "$(ft_ct_addr 3a)"
	ping_case "host 3 back: c2b -> c3b" "$(ft_ct_ns 2b)" "$(ft_ct_addr 3b)"
}

# ft_fdb_lines I J: host I's FDB lines for host J's VTEP MAC.
ft_fdb_lines() {
	bridge -n "$(ns_of "$1")" fdb show dev "$FT_DEV" | grep -i "^${FT_MAC[$2]} "
}

# ft_check_move NEW: host 3 moves to underlay address NEW; the others
# "bridge fdb replace" (or ovlctl fdb replace) its entry: one entry, to
# NEW, and its containers are reachable again.
ft_check_move() {
	local new=$1 h3 old i lines
	h3=$(ns_of 3)
	old=${FT_UNDER[3]}
	# Old one first: deleting a primary address deletes its secondaries
	# unless promote_secondaries is set.
	must ip -n "$h3" addr del "$old/24" dev eth0
	must ip -n "$h3" addr add "$new/24" dev eth0
	if [ "$FT_TOOL" = ovlctl ]; then
		must "$OVLCTL" -n "$h3" set "$FT_DEV" local "$new"
	else
		must ovl_set "$h3" "$FT_DEV" local "$new"
	fi
	FT_UNDER[3]=$new
	for i in 1 2; do
		if ft_fdb replace "$i" 3; then
			ok "host $i: fdb replace host 3's VTEP MAC -> $new"
		else
			fail "host $i: fdb replace host 3's VTEP MAC -> $new"
		fi
		lines=$(ft_fdb_lines "$i" 3)
		printf '%s\n' "$lines"
		if [ "$(printf '%s\n' "$lines" | grep -c .)" = 1 ] &&
			printf '%s\n' "$lines" | grep -q " dst $new "; then
			ok "host $i: one FDB entry for host 3, dst $new"
		else
			fail "host $i: one FDB entry for host 3, dst $new" "$(printf '%s' "$lines" | tr '\n' ';')"
		fi
	done
	ping_case "host 3 moved: c1a -> c3a" "$(ft_ct_ns 1a)" "$(ft_ct_addr 3a)"
	ping_case "host 3 moved: c3b -> c2b" "$(ft_ct_ns 3b)" "$(ft_ct_addr 2b)"
}
