#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Containers on the underlay, no overlay (Documentation/scenarios.rst):
# three hosts on one switch; each host's NIC eth0 is a port of its bridge
# br0, which took over the host address and the default route, and two
# containers on br0 hold addresses of the physical subnet.  Containers
# reach each other and the other hosts as plain IP; the switch sees their
# own MACs; the bridges learn where each MAC is.  This is the baseline the
# overlay scenarios are compared with: it involves no ovl device, so it
# runs the same for any KIND.
#
# Addresses: host I 10.0.0.I, containers cIa 10.0.0.I1 and cIb 10.0.0.I2,
# gateway (on the switch) 10.0.0.254, all /24.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=capture.bash
. "$SELFTESTS_DIR/capture.bash"

for t in python3 tcpdump; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done

HOSTS="1 2 3"
CTS="1a 1b 2a 2b 3a 3b"
GW=10.0.0.254
SW=$(ns_of sw)
ct_ns() { ns_of "c$1"; }
ct_addr() {
	local x=1
	[ "${1#"${1%?}"}" = b ] && x=2
	printf '10.0.0.%s%s' "$(host_of "$1")" "$x"
}
remote_cts() {
	local c
	for c in $CTS; do [ "$(host_of "$c")" = "$1" ] || printf '%s ' "$c"; done
}

# The hosts as installed: address and default route on eth0.
hosts_switch 3
must ip -n "$SW" addr add "$GW/24" dev br0
for i in $HOSTS; do
	must ip -n "$(ns_of "$i")" route add default via "$GW" dev eth0
done

# move_to_bridge I: what a host's network configuration does for
# bridged containers.  br0 takes eth0's MAC so that the host keeps its
# identity on the segment (neighbours' ARP caches stay valid).
move_to_bridge() {
	local h
	h=$(ns_of "$1")
	must ip -n "$h" link add br0 address "$(mac_of "$h" eth0)" type bridge
	must ip -n "$h" link set br0 up
	must ip -n "$h" link set eth0 master br0
	must ip -n "$h" addr flush dev eth0
	must ip -n "$h" addr add "$(u4 "$1")/24" dev br0
	must ip -n "$h" addr add "$(u6 "$1")/64" dev br0 nodad
	must ip -n "$h" route replace default via "$GW" dev br0
}

for i in $HOSTS; do
	move_to_bridge "$i"
	h=$(ns_of "$i")
	for c in "${i}a" "${i}b"; do
		container_add "$h" br0 "$(ct_ns "$c")" "veth$c" "$(ct_addr "$c")/24" "$GW" 1500
	done
done

for i in $HOSTS; do
	h=$(ns_of "$i")
	a=$(ip -n "$h" -4 -o addr show dev eth0)
	b=$(ip -n "$h" -4 -o addr show dev br0)
	r=$(ip -n "$h" route show default | sed 's/ *$//')
	if [ -z "$a" ] && printf '%s' "$b" | grep -q " $(u4 "$i")/24 " &&
		[ "$r" = "default via $GW dev br0" ]; then
		ok "host $i: address and default route moved from eth0 to br0"
	else
		printf 'eth0: %s\nbr0: %s\nroute: %s\n' "$a" "$b" "$r"
		fail "host $i: address and default route moved from eth0 to br0"
	fi
done

# Reachability: every container to every container of another host and
# to every other host; every host to one container of each other host
# (the others' containers were all reached from containers already).
for c in $CTS; do
	for d in $(remote_cts "$(host_of "$c")"); do
		ping_case "ping c$c -> c$d" "$(ct_ns "$c")" "$(ct_addr "$d")"
	done
done
for c in $CTS; do
	for i in $HOSTS; do
		[ "$i" = "$(host_of "$c")" ] && continue
		ping_case "ping c$c -> host $i" "$(ct_ns "$c")" "$(u4 "$i")"
	done
done
for i in $HOSTS; do
	for j in $HOSTS; do
		[ "$i" = "$j" ] && continue
		ping_case "ping host $i -> c${j}b" "$(ns_of "$i")" "$(ct_addr "${j}b")"
	done
done
ping_case "ping c1a -> gateway (default route)" "$(ct_ns 1a)" "$GW"
ping_case "ping host 1 -> gateway (default route on br0)" "$(ns_of 1)" "$GW"

# The wire between host 2 and the switch: c1a's echo requests arrive as
# plain IPv4 frames from c1a's own MAC to c2a's, and nothing is tunnelled.
pcap=$TMP_DIR/underlay.pcap
m1=$(mac_of "$(ct_ns 1a)" eth0)
m2=$(mac_of "$(ct_ns 2a)" eth0)
if capture_during "$SW" p2 "$pcap" \
	on "$(ct_ns 1a)" ping -c 3 -i 0.2 -W 2 "$(ct_addr 2a)"; then
	capture_show "$pcap" "" -e | head -n 8
	n=$(capture_count "$pcap" "ether src $m1 and ether dst $m2 and icmp[icmptype] = icmp-echo and src host $(ct_addr 1a) and dst host $(ct_addr 2a)")
	if [ "$n" -ge 3 ]; then
		ok "wire: c1a -> c2a is plain IP between the containers' MACs ($n)"
	else
		fail "wire: c1a -> c2a is plain IP between the containers' MACs" "$n of 3 seen"
	fi
	n=$(capture_count "$pcap" "udp")
	if [ "$n" = 0 ]; then
		ok "wire: no UDP (no encapsulation)"
	else
		fail "wire: no UDP (no encapsulation)" "$n UDP packets"
	fi
else
	fail "wire: capture while c1a pings c2a" "ping or tcpdump failed"
fi

# What the bridges learnt (all containers have talked to all by now):
# on each host, its containers behind their veths and the others behind
# eth0; on the switch, each container behind its host's port.
for i in $HOSTS; do
	h=$(ns_of "$i")
	t=$(bridge -n "$h" fdb show br br0)
	bad=
	for c in $CTS; do
		port=eth0
		[ "$(host_of "$c")" = "$i" ] && port=veth$c
		m=$(mac_of "$(ct_ns "$c")" eth0)
		printf '%s\n' "$t" | grep -q "^$m dev $port master br0" || bad="$bad c$c@$port"
	done
	if [ -z "$bad" ]; then
		ok "host $i: br0 learnt its containers on their veths, the others on eth0"
	else
		printf '%s\n' "$t"
		fail "host $i: br0 learnt its containers on their veths, the others on eth0" "missing:$bad"
	fi
done
t=$(bridge -n "$SW" fdb show br br0)
bad=
for c in $CTS; do
	m=$(mac_of "$(ct_ns "$c")" eth0)
	printf '%s\n' "$t" | grep -q "^$m dev p$(host_of "$c") master br0" || bad="$bad c$c"
done
if [ -z "$bad" ]; then
	ok "switch: learnt each container's MAC on its host's port"
else
	printf '%s\n' "$t"
	fail "switch: learnt each container's MAC on its host's port" "missing:$bad"
fi

finish
