#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multicast groups, against the in-kernel vxlan: hosts 1 and 3 run the
# device under test, host 2 kernel vxlan, all on one switch, VNI 42 with
# group 239.1.1.1 on eth0 (and VNI 44 with group ff05::42 over IPv6).
# What floods (ARP) goes to the group with TTL 1, each host learns the
# others' unicast addresses from it and pings go both ways.  An open
# device is a member of its group on its underlay (ip maddr); devices
# sharing a group share the membership, which the last one to go down
# drops; a running device moves its membership when its group changes.
# A group needs an underlay device, as vxlan says; an FDB entry may name
# a group as its destination.

. "$(dirname "$0")/lib.sh"
# shellcheck source=capture.bash
. "$(dirname "$0")/capture.bash"
need_ovl_args
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"

hosts_switch 3
H1=$(ns_of 1) H2=$(ns_of 2) H3=$(ns_of 3)

must ovl_add "$H1" ovl0 id 42 group 239.1.1.1 dev eth0
must vxlan_add "$H2" vx0 id 42 group 239.1.1.1 dev eth0
must ovl_add "$H3" ovl0 id 42 group 239.1.1.1 dev eth0
ovl_up "$H1" ovl0 "$(o4 1)/24"
ovl_up "$H2" vx0 "$(o4 2)/24"
ovl_up "$H3" ovl0 "$(o4 3)/24"

# member NS GROUP: the host's eth0 is a member of GROUP.
member() {
	ip -n "$1" maddr show dev eth0 | grep -Eq "inet6? +$2( |\$)"
}

if member "$H1" 239.1.1.1 && member "$H3" 239.1.1.1; then
	ok "an open device joins its group on its underlay"
else
	ip -n "$H1" maddr show dev eth0
	fail "an open device joins its group on its underlay"
fi

# The first ping floods its ARP request to the group.
cap=$TMP_DIR/h1.pcap
if capture_during "$H1" eth0 "$cap" ping_ok "$H1" "$(o4 2)"; then
	ok "$KIND -> vxlan through the group"
else
	fail "$KIND -> vxlan through the group"
fi
n=$(capture_count "$cap" "src host $(u4 1) and dst host 239.1.1.1 and udp dst port 4789 and ip[8] = 1")
if [ "$n" -ge 1 ]; then
	ok "the flood goes to the group, TTL 1 (ttl auto)"
else
	capture_show "$cap" "udp"
	fail "the flood goes to the group, TTL 1 (ttl auto)" "$n datagrams to 239.1.1.1 with TTL 1"
fi
n=$(capture_count "$cap" "src host $(u4 1) and dst host $(u4 2) and udp dst port 4789")
if [ "$n" -ge 1 ]; then
	ok "after the flood, unicast to the learned VTEP"
else
	capture_show "$cap" "udp"
	fail "after the flood, unicast to the learned VTEP" "nothing from $(u4 1) to $(u4 2)"
fi
if fdb_has "$H1" ovl0 "^$(mac_of "$H2" vx0) .*dst $(u4 2) "; then
	ok "the vxlan host's MAC is learned behind its unicast address"
else
	fdb "$H1" ovl0
	fail "the vxlan host's MAC is learned behind its unicast address"
fi
if ping_ok "$H2" "$(o4 3)"; then
	ok "vxlan -> $KIND through the group"
else
	fail "vxlan -> $KIND through the group"
fi
if ping_ok "$H3" "$(o4 1)"; then
	ok "$KIND -> $KIND through the group"
else
	fail "$KIND -> $KIND through the group"
fi

# --- one membership, shared --------------------------------------------

must ovl_add "$H1" ovl1 id 43 group 239.1.1.1 dev eth0
must ip -n "$H1" link set ovl1 up
must ip -n "$H1" link set ovl1 down
if member "$H1" 239.1.1.1; then
	ok "a second device of the group going down keeps the shared membership"
else
	fail "a second device of the group going down keeps the shared membership" "239.1.1.1 left"
fi
must ip -n "$H1" link set ovl1 up
must ip -n "$H1" link set ovl0 down
if member "$H1" 239.1.1.1; then
	ok "the first device going down leaves it to the second"
else
	fail "the first device going down leaves it to the second" "239.1.1.1 left"
fi
must ip -n "$H1" link set ovl1 down
if ! member "$H1" 239.1.1.1; then
	ok "the last device going down drops the membership"
else
	fail "the last device going down drops the membership"
fi
must ip -n "$H1" link del ovl1
must ip -n "$H1" link set ovl0 up
q "$H1" ip neigh flush dev ovl0
if member "$H1" 239.1.1.1 && ping_ok "$H1" "$(o4 3)"; then
	ok "up again: joined, reached"
else
	fail "up again: joined, reached"
fi

# --- a running device changes its group ---------------------------------

must ovl_set "$H1" ovl0 group 239.1.1.2 dev eth0
if member "$H1" 239.1.1.2 && ! member "$H1" 239.1.1.1; then
	ok "changelink: the new group joined, the old one left"
else
	ip -n "$H1" maddr show dev eth0
	fail "changelink: the new group joined, the old one left"
fi
must ovl_set "$H1" ovl0 remote "$(u4 3)"
if ! member "$H1" 239.1.1.2; then
	ok "changelink to a unicast remote: the group left"
else
	fail "changelink to a unicast remote: the group left"
fi
must ovl_set "$H1" ovl0 group 239.1.1.1 dev eth0
q "$H1" ip neigh flush dev ovl0
if member "$H1" 239.1.1.1 && ping_ok "$H1" "$(o4 2)"; then
	ok "changelink back to the group: joined, reached"
else
	fail "changelink back to the group: joined, reached"
fi

# A join that fails (one membership per socket allowed) refuses the
# change and leaves the device in its group.  vxlan leaves the old group
# first, so the same change succeeds there.
if ovl_only "changelink: a failed join changes nothing" "vxlan leaves before it joins"; then
	q "$H1" sysctl -qw net.ipv4.igmp_max_memberships=1
	before=$(link_json "$H1" ovl0)
	check_err "changelink: a failed join is refused" 'Could not join the multicast group' \
		ip -n "$H1" link set ovl0 type "$KIND" group 239.1.1.2 dev eth0
	if [ "$(link_json "$H1" ovl0)" = "$before" ] && member "$H1" 239.1.1.1 &&
		! member "$H1" 239.1.1.2; then
		ok "changelink: a failed join changes nothing"
	else
		ip -n "$H1" -d link show dev ovl0
		ip -n "$H1" maddr show dev eth0
		fail "changelink: a failed join changes nothing"
	fi
	q "$H1" sysctl -qw net.ipv4.igmp_max_memberships=20
fi

# --- IPv6 group ----------------------------------------------------------

must ovl_add "$H1" ovl6 id 44 group ff05::42 dev eth0
must vxlan_add "$H2" vx6 id 44 group ff05::42 dev eth0
ovl_up "$H1" ovl6 192.168.2.1/24
ovl_up "$H2" vx6 192.168.2.2/24
if member "$H1" ff05::42; then
	ok "IPv6: the device joins ff05::42"
else
	ip -n "$H1" maddr show dev eth0
	fail "IPv6: the device joins ff05::42"
fi
if ping_ok "$H1" 192.168.2.2 && ping_ok "$H2" 192.168.2.1; then
	ok "IPv6 group: $KIND <-> vxlan"
else
	fail "IPv6 group: $KIND <-> vxlan"
fi

# --- FDB destinations and bad input --------------------------------------

if pp bridge -n "$H1" fdb append 00:00:00:00:00:00 dev ovl0 dst 239.1.1.3 via eth0 self permanent &&
	fdb_has "$H1" ovl0 "^00:00:00:00:00:00 .*dst 239.1.1.3 via eth0 "; then
	ok "fdb: a group as a destination"
else
	fdb "$H1" ovl0
	fail "fdb: a group as a destination"
fi
# The kernel's message, or ip's own when its vxlan code runs (KIND=vxlan).
check_err "a group without an underlay is refused" "Local interface required for multicast|'group' requires 'dev'" \
	ip -n "$H1" link add ovbad type "$KIND" id 50 group 239.1.1.9
if ip -n "$H1" link show dev ovbad >/dev/null 2>&1; then
	fail "a group without an underlay: no device created"
else
	ok "a group without an underlay: no device created"
fi

finish
