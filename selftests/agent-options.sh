#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent's flanneld options against a real etcd: a cluster that serves
# clients over TLS with client certificates and user/password auth
# (--etcd-cafile/certfile/keyfile, --etcd-username/password), --ip-masq
# (flannel's rules, traffic leaving the network masqueraded, rules gone on
# exit, FORWARD rules kept), --iface-regex, --public-ip,
# --subnet-lease-renew-margin (a renewal seen happening), and
# DirectRouting (peers on one link get plain routes; a restart turns the
# tunnel entries into direct ones).

ETCD_SCHEME=https
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=capture.bash
. "$SELFTESTS_DIR/capture.bash"
# shellcheck source=agent-lib.bash
. "$SELFTESTS_DIR/agent-lib.bash"

agent_need
command -v openssl >/dev/null || skip_all "openssl is not installed"
command -v tcpdump >/dev/null || skip_all "tcpdump is not installed"
hosts_switch 3
for i in 1 2 3; do
	q "$(ns_of "$i")" sysctl -qw net.ipv4.ip_forward=1
done
etcd_tls
etcd_cluster
# Users: root, and flannel with read-write on the prefix only.
must ectl user add root --new-user-password=rootpw
must ectl user add flannel --new-user-password=flannelpw
must ectl role add flannel
must ectl role grant-permission flannel --prefix=true readwrite "$PREFIX/"
must ectl user grant-role flannel flannel
must ectl auth enable
ECTL_ARGS+=(--user root:rootpw)
net_config '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}'

# A wrong password: the agent says so, and keeps trying.
AGENT_ARGS+=(--etcd-username=flannel)
agent_start 1 --iface=eth0 --etcd-password=wrong
if wait_for 60 agent_log_has 1 'authentication failed' && agent_alive 1; then
	ok "etcd auth: a wrong password is reported, and the agent keeps trying"
else
	fail "etcd auth: a wrong password is reported, and the agent keeps trying"
fi
agent_stop 1 KILL

AGENT_ARGS+=(--etcd-password=flannelpw)
agent_start 1 --iface=eth0 --ip-masq
agent_start 2 --iface-regex='^eth[0-9]$'
agent_start 3 --iface=eth0 --public-ip=10.0.0.203 --subnet-lease-renew-margin=1439
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start: $(tail -n 5 "$(node_dir "$i")/agent.log")"
done
ok "TLS with client certificates and user/password auth: every agent holds a lease"
# Host 3 renews a minute after it started (below): its etcd lease now.
lease_id() {
	ectl get "$PREFIX/subnets/$(subnet_of 3 | tr / -)" -w json |
		python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)["kvs"][0]["lease"])'
}
id0=$(lease_id)
v0=$(lease_json 3)
for i in 1 2; do
	wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")" ||
		fail "host $i programs every lease"
done

if ip -n "$(ns_of 2)" -d link show flannel.1 | grep -q 'local 10.0.0.2 dev eth0'; then
	ok "--iface-regex finds eth0"
else
	fail "--iface-regex finds eth0"
fi
v=$(lease_json 3)
if [[ $v == *'"PublicIP":"10.0.0.203"'* ]] && ip -n "$(ns_of 3)" -d link show flannel.1 | grep -q 'local 10.0.0.3 '; then
	ok "--public-ip is what the lease advertises; the device keeps the interface's address"
else
	fail "--public-ip is what the lease advertises; the device keeps the interface's address" "$v"
fi

# --- --ip-masq -----------------------------------------------------------------

ns1=$(ns_of 1)
sn1=$(subnet_of 1)
want="-N FLANNEL-POSTRTG
-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment \"flanneld masq\" -j RETURN
-A FLANNEL-POSTRTG -s $sn1 -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d $sn1 -m comment --comment \"flanneld masq\" -j RETURN
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d $sn1 -m comment --comment \"flanneld masq\" -j RETURN
-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment \"flanneld masq\" -j MASQUERADE --random-fully
-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment \"flanneld masq\" -j MASQUERADE --random-fully"
got=$(q "$ns1" iptables -w -t nat -S FLANNEL-POSTRTG)
echo "$got"
if [ "$got" = "$want" ] &&
   q "$ns1" iptables -w -t nat -S POSTROUTING | grep -q -- '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG'; then
	ok "--ip-masq: flanneld's rules, in its order, hooked from POSTROUTING"
else
	fail "--ip-masq: flanneld's rules, in its order, hooked from POSTROUTING"
fi
if grep -qx 'FLANNEL_IPMASQ=true' "$(node_dir 1)/subnet.env" &&
   grep -q '"ipMasq": false' "$(node_dir 1)/10-ovl.conflist"; then
	ok "--ip-masq: subnet.env says so, and the bridge plugin is told not to masquerade"
else
	fail "--ip-masq: subnet.env says so, and the bridge plugin is told not to masquerade"
fi
if q "$ns1" iptables -w -S FLANNEL-FWD | grep -q -- '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT' &&
   q "$ns1" iptables -w -S FLANNEL-FWD | grep -q -- '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT'; then
	ok "--iptables-forward-rules (flanneld's default): FLANNEL-FWD accepts the network"
else
	fail "--iptables-forward-rules (flanneld's default): FLANNEL-FWD accepts the network"
fi

c1=$(cni_add 1 "$(ns_of c1)") || die "CNI ADD on host 1"
c2=$(cni_add 2 "$(ns_of c2)") || die "CNI ADD on host 2"
ping_case "host 1's container (masquerading node) reaches host 2's" "$(ns_of c1)" "$c2"
# Out of the network: host 2's underlay address sees host 1's, not the pod's.
ns2=$(ns_of 2)
if capture_during "$ns2" eth0 "$TMP_DIR/masq.pcap" ping_ok "$(ns_of c1)" 10.0.0.2 &&
   [ "$(capture_count "$TMP_DIR/masq.pcap" 'icmp[icmptype] == icmp-echo and src host 10.0.0.1')" -ge 1 ] &&
   [ "$(capture_count "$TMP_DIR/masq.pcap" 'icmp and src net 10.244.0.0/16')" = 0 ]; then
	ok "--ip-masq: a pod's traffic out of the network leaves with the node's address"
else
	fail "--ip-masq: a pod's traffic out of the network leaves with the node's address"
fi
agent_stop 1 TERM
if ! q "$ns1" iptables -w -t nat -S FLANNEL-POSTRTG >/dev/null 2>&1 &&
   ! q "$ns1" iptables -w -t nat -S POSTROUTING | grep -q FLANNEL-POSTRTG &&
   q "$ns1" iptables -w -S FLANNEL-FWD | grep -q ACCEPT; then
	ok "--ip-masq: the masquerade rules are removed at exit, the FORWARD rules stay"
else
	fail "--ip-masq: the masquerade rules are removed at exit, the FORWARD rules stay"
fi
agent_start 1 --iface=eth0 --ip-masq
wait_for 60 agent_ready 1 || fail "agent 1 restarts"

# --- the lease renewal ------------------------------------------------------------

# With a margin of 1439 minutes the 24 h lease is renewed after a minute.
if wait_for 150 agent_log_has 3 'renewed: expires in' && [ "$(lease_id)" != "$id0" ] &&
   [ "$(lease_json 3)" = "$v0" ]; then
	ok "the lease is renewed at expiry less the margin: a new etcd lease, the same value"
	old=$(ectl lease timetolive "$id0")
	echo "$old"
	if [[ $old == *"already expired"* ]]; then
		ok "the renewal revokes the etcd lease it replaced"
	else
		fail "the renewal revokes the etcd lease it replaced" "$old"
	fi
else
	fail "the lease is renewed at expiry less the margin: a new etcd lease, the same value"
fi

# --- DirectRouting -------------------------------------------------------------

for i in 1 2 3; do
	agent_stop "$i" TERM
done
net_config '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","DirectRouting":true}}'
agent_start 1 --iface=eth0
agent_start 2 --iface=eth0
for i in 1 2; do
	wait_for 60 agent_ready "$i" || die "agent $i did not restart"
done
direct() {
	local ns=$1 sn=$2 pub=$3
	ip -n "$ns" route show "$sn" | grep -q "via $pub dev eth0" &&
		[ -z "$(ip -n "$ns" neigh show dev flannel.1 "$(vtep_of "$sn")")" ] &&
		! bridge -n "$ns" fdb show dev flannel.1 | grep -q " dst $pub "
}
if wait_for 30 direct "$ns1" "$(subnet_of 2)" 10.0.0.2 && wait_for 30 direct "$ns2" "$(subnet_of 1)" 10.0.0.1; then
	ok "DirectRouting: peers on the same link get a plain route, their tunnel entries are removed"
else
	fail "DirectRouting: peers on the same link get a plain route, their tunnel entries are removed"
fi
ping_case "DirectRouting: host 1's container reaches host 2's" "$(ns_of c1)" "$c2"
if capture_during "$ns2" eth0 "$TMP_DIR/direct.pcap" ping_ok "$(ns_of c1)" "$c2" &&
   [ "$(capture_count "$TMP_DIR/direct.pcap" "icmp and dst host $c2")" -ge 1 ] &&
   [ "$(capture_count "$TMP_DIR/direct.pcap" 'udp port 8472')" = 0 ]; then
	ok "DirectRouting: the packets cross the link unencapsulated"
else
	fail "DirectRouting: the packets cross the link unencapsulated"
fi
agent_finish
