#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent in a dual-stack Flannel network (EnableIPv6, an IPv6 underlay,
# PublicIPv6): the lease key and value with both families as flanneld
# writes them, the second device flannel-v6.1, subnet.env's IPv6 pair,
# both ranges in the CNI conflist, flanneld's entries for both families,
# and container pairs across hosts over IPv4 and IPv6.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=agent-lib.bash
. "$SELFTESTS_DIR/agent-lib.bash"

agent_need
hosts_switch 3
for i in 1 2 3; do
	q "$(ns_of "$i")" sysctl -qw net.ipv4.ip_forward=1
	q "$(ns_of "$i")" sysctl -qw net.ipv6.conf.all.forwarding=1
done
etcd_cluster
net_config '{"Network":"10.244.0.0/16","EnableIPv6":true,"IPv6Network":"fd10::/56","Backend":{"Type":"vxlan"}}'
for i in 1 2 3; do
	agent_start "$i" --iface=eth0
done
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start: $(tail -n 5 "$(node_dir "$i")/agent.log")"
done

# subnet6_of I: host I's IPv6 subnet ("fd10:0:0:5::/64").
subnet6_of() {
	sed -n 's/^FLANNEL_IPV6_SUBNET=\(.*\)1\/\([0-9]*\)$/\1\/\2/p' "$(node_dir "$1")/subnet.env"
}

ns1=$(ns_of 1)
sn=$(subnet_of 1)
sn6=$(subnet6_of 1)
key=$(ectl get --prefix "$PREFIX/subnets/" --keys-only | grep "/${sn%/*}-24&")
echo "host 1: $sn $sn6, key $key"
if [ "$key" = "$PREFIX/subnets/${sn%/*}-24&${sn6%/*}-64" ]; then
	ok "the lease key names both subnets as flanneld does (v4&v6)"
else
	fail "the lease key names both subnets as flanneld does (v4&v6)" "$key"
fi
v=$(ectl get --print-value-only "$key")
want="{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":\"fd00::1\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"$(mac_of "$ns1" flannel.1)\"},\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\"$(mac_of "$ns1" flannel-v6.1)\"}}"
if [ "$v" = "$want" ]; then
	ok "the lease value carries PublicIPv6 and BackendV6Data, byte for byte"
else
	fail "the lease value carries PublicIPv6 and BackendV6Data, byte for byte" "$v"
fi
want="FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=${sn%.0/24}.1/24
FLANNEL_IPV6_NETWORK=fd10::/56
FLANNEL_IPV6_SUBNET=${sn6%/64}1/64
FLANNEL_MTU=1430
FLANNEL_IPMASQ=false"
if [ "$(cat "$(node_dir 1)/subnet.env")" = "$want" ]; then
	ok "subnet.env has the IPv6 pair, and the MTU that fits both devices"
else
	fail "subnet.env has the IPv6 pair, and the MTU that fits both devices" "$(cat "$(node_dir 1)/subnet.env")"
fi
ip -n "$ns1" -d link show flannel-v6.1
if ip -n "$ns1" -d -j link show flannel-v6.1 | python3 -c '
import json, sys
l = json.load(sys.stdin)[0]
d = l["linkinfo"]["info_data"]
assert d["id"] == 1 and d["port"] == 8472 and d.get("local6", d.get("local")) == "fd00::1", d
assert d["link"] == "eth0" and not d["learning"] and l["mtu"] == 1430, (d, l["mtu"])
' && ip -n "$ns1" -6 addr show dev flannel-v6.1 | grep -q "inet6 ${sn6%/64}/128 "; then
	ok "flannel-v6.1: VNI 1, port 8472, local fd00::1, MTU 1430, ${sn6%/64}/128"
else
	fail "flannel-v6.1: VNI 1, port 8472, local fd00::1, MTU 1430, ${sn6%/64}/128"
fi

# programmed6 NS SUBNET6 PUBIP6 MAC: flanneld's IPv6 entries for a peer.
programmed6() {
	local gw=${2%/*}
	ip -n "$1" -6 neigh show dev flannel-v6.1 "$gw" | grep -q "lladdr $4 PERMANENT" &&
		bridge -n "$1" fdb show dev flannel-v6.1 | grep -q "^$4 dst $3 self permanent" &&
		ip -n "$1" -6 route show "$2" | grep -q "via $gw dev flannel-v6.1 .*onlink"
}
for i in 1 2 3; do
	good=1
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		wait_for 30 programmed "$(ns_of "$i")" "$(subnet_of "$j")" "10.0.0.$j" "$(mac_of "$(ns_of "$j")" flannel.1)" || good=0
		wait_for 30 programmed6 "$(ns_of "$i")" "$(subnet6_of "$j")" "fd00::$j" "$(mac_of "$(ns_of "$j")" flannel-v6.1)" || good=0
	done
	if [ $good = 1 ]; then
		ok "host $i programs both families of every peer"
	else
		fail "host $i programs both families of every peer"
	fi
done

declare -A CT4 CT6
for i in 1 2 3; do
	read -r CT4[$i] CT6[$i] < <(cni_add "$i" "$(ns_of "c$i")") || die "CNI ADD on host $i"
	echo "container c$i: ${CT4[$i]} ${CT6[$i]}"
	case ${CT6[$i]} in
	fd10:*) ;;
	*) die "container c$i has no IPv6 address from host-local" ;;
	esac
done
for i in 1 2 3; do
	for j in 1 2 3; do
		[ "$i" = "$j" ] && continue
		ping_case "IPv4: the container on host $i reaches the one on host $j" "$(ns_of "c$i")" "${CT4[$j]}"
		ping_case "IPv6: the container on host $i reaches the one on host $j" "$(ns_of "c$i")" "${CT6[$j]}"
	done
done
agent_finish
