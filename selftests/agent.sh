#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent in a Flannel network (Documentation/agent.rst): a real
# 3-member etcd cluster, hosts 1-3 running ovl-agent, host 4 a flanneld
# node (its lease written in flannel's exact format, a kernel vxlan
# device programmed as flanneld does), one container per host attached
# by Debian's CNI plugins from the node's conflist.  Checks what the
# agent writes (lease, subnet.env, device, conflist), that every
# container reaches every other, and that lease changes converge:
# added, removed, expired, VtepMAC changed, PublicIP changed.  Then
# restarts: SIGTERM keeps the lease, kill -9 and restart keeps subnet
# and MAC with no stale or duplicate entry, and a restart removes what
# belongs to no lease.  agent-faults.sh breaks etcd and the kernel side.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=agent-lib.bash
. "$SELFTESTS_DIR/agent-lib.bash"

agent_need
hosts_switch 4
for i in 1 2 3 4; do
	q "$(ns_of "$i")" sysctl -qw net.ipv4.ip_forward=1
done
# Host 3 finds its interface from the default route, as flanneld does.
must ip -n "$(ns_of 3)" route add default via 10.0.0.254 dev eth0 onlink
etcd_cluster
net_config '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}'

flannel_node 4 10.244.44.0/24
agent_start 1 --iface=eth0
agent_start 2 --iface=10.0.0.2
agent_start 3
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start: $(tail -n 5 "$(node_dir "$i")/agent.log")"
done
flannel_sync 4

# --- what each agent wrote ---------------------------------------------------

for i in 1 2 3; do
	ns=$(ns_of "$i")
	sn=$(subnet_of "$i")
	mac=$(mac_of "$ns" flannel.1)
	v=$(lease_json "$i")
	echo "host $i: $sn $v"
	if [[ $v == "{\"PublicIP\":\"10.0.0.$i\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"$mac\"}}" ]]; then
		ok "host $i: the lease value is flanneld's, byte for byte"
	else
		fail "host $i: the lease value is flanneld's, byte for byte" "$v"
	fi
done

id=$(ectl get "$PREFIX/subnets/$(subnet_of 1 | tr / -)" -w json | sed -n 's/.*"lease":\([0-9]*\).*/\1/p')
ttl=$(ectl lease timetolive "$(printf '%x' "$id")")
echo "$ttl"
if [[ $ttl =~ granted\ with\ TTL\(86400s\) ]]; then
	ok "the lease is bound to an etcd lease of 24 h"
else
	fail "the lease is bound to an etcd lease of 24 h" "$ttl"
fi

sn=$(subnet_of 1)
want="FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=${sn%.0/24}.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=false"
if [ "$(cat "$(node_dir 1)/subnet.env")" = "$want" ]; then
	ok "subnet.env has flannel's keys, in flannel's order"
else
	fail "subnet.env has flannel's keys, in flannel's order" "$(cat "$(node_dir 1)/subnet.env")"
fi

ns=$(ns_of 1)
ip -n "$ns" -d link show flannel.1
if ip -n "$ns" -d -j link show flannel.1 | python3 -c '
import json, sys
l = json.load(sys.stdin)[0]
d = l["linkinfo"]["info_data"]
assert l["linkinfo"]["info_kind"] == sys.argv[1], l["linkinfo"]["info_kind"]
assert d["id"] == 1 and d["port"] == 8472 and d["local"] == "10.0.0.1", d
assert d["link"] == "eth0" and not d["learning"], d
assert l["mtu"] == 1450, l["mtu"]
' "$KIND" && ip -n "$ns" addr show dev flannel.1 | grep -q "inet ${sn%/24}/32 "; then
	ok "flannel.1 is a $KIND device: VNI 1, port 8472, local, dev eth0, nolearning, MTU 1450, ${sn%/24}/32"
else
	fail "flannel.1 is a $KIND device: VNI 1, port 8472, local, dev eth0, nolearning, MTU 1450, ${sn%/24}/32"
fi

if python3 - "$(node_dir 1)/10-ovl.conflist" "$sn" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
b = c["plugins"][0]
assert b["type"] == "bridge" and b["bridge"] == "cni0" and b["isGateway"], b
assert b["mtu"] == 1450 and b["ipMasq"] is True, b
assert b["ipam"]["type"] == "host-local", b
assert b["ipam"]["ranges"] == [[{"subnet": sys.argv[2]}]], b["ipam"]
assert b["ipam"]["routes"] == [{"dst": "10.244.0.0/16"}], b["ipam"]
PY
then
	ok "the CNI conflist delegates to bridge + host-local on the node's subnet"
else
	fail "the CNI conflist delegates to bridge + host-local on the node's subnet"
fi

# --- the cluster -------------------------------------------------------------

for i in 1 2 3; do
	if wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")"; then
		ok "host $i programs every other lease (ovl-agent and flanneld nodes), nothing else"
	else
		fail "host $i programs every other lease (ovl-agent and flanneld nodes), nothing else"
	fi
done

declare -A CT
for i in 1 2 3 4; do
	CT[$i]=$(cni_add "$i" "$(ns_of "c$i")") || die "CNI ADD on host $i"
	echo "container c$i: ${CT[$i]}"
done
for i in 1 2 3 4; do
	for j in 1 2 3 4; do
		[ "$i" = "$j" ] && continue
		ping_case "container on host $i reaches the container on host $j" "$(ns_of "c$i")" "${CT[$j]}"
	done
done

if "$AGENT" status --status-file "$(node_dir 1)/status.json" > "$TMP_DIR/status.txt"; then
	cat "$TMP_DIR/status.txt"
	if grep -q 'peers      3' "$TMP_DIR/status.txt" && grep -q "lease      $(subnet_of 1 | tr / -)" "$TMP_DIR/status.txt"; then
		ok "ovl-agent status: running, its lease, 3 peers"
	else
		fail "ovl-agent status: running, its lease, 3 peers"
	fi
else
	fail "ovl-agent status: running, its lease, 3 peers" "exit status $?"
fi

# --- lease changes -----------------------------------------------------------

# converge CASE CHECK...: every agent host passes CHECK (given its netns);
# prints how long it took from now.
converge() {
	local name=$1 t0 i
	shift
	t0=$(now_ms)
	for i in 1 2 3; do
		if ! wait_for 30 "$@" "$(ns_of "$i")"; then
			fail "$name" "host $i did not converge"
			return 1
		fi
	done
	ok "$name ($(($(now_ms) - t0)) ms)"
}

fake=10.244.200.0/24
fake_key=$PREFIX/subnets/10.244.200.0-24
fake_value() { printf '{"PublicIP":"%s","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"%s"}}' "$1" "$2"; }
has_fake() { programmed "$4" "$fake" "$1" "$2"; }
no_fake() { unprogrammed "$1" "$fake"; }
no_old_fdb() { ! bridge -n "$2" fdb show dev flannel.1 | grep -q "^$1 "; }
both() { has_fake "$1" "$2" _ "$4" && no_old_fdb "$3" "$4"; }

id=$(ectl lease grant 86400 | awk '{print $2}')
eput --lease="$id" "$fake_key" "$(fake_value 10.0.0.50 02:00:00:00:00:50)"
converge "a lease added is programmed on every agent" has_fake 10.0.0.50 02:00:00:00:00:50 _
eput --lease="$id" "$fake_key" "$(fake_value 10.0.0.50 02:00:00:00:00:51)"
converge "a VtepMAC change: the new entries, and the old FDB entry removed (flannel #1788)" \
	both 10.0.0.50 02:00:00:00:00:51 02:00:00:00:00:50
eput --lease="$id" "$fake_key" "$(fake_value 10.0.0.51 02:00:00:00:00:51)"
fdb_dst() { bridge -n "$2" fdb show dev flannel.1 | grep -q "^02:00:00:00:00:51 dst $1 self" &&
	! bridge -n "$2" fdb show dev flannel.1 | grep -q "dst 10.0.0.50 "; }
converge "a PublicIP change moves the FDB entry" fdb_dst 10.0.0.51
pp ectl del "$fake_key" >/dev/null
converge "a lease removed: its neighbour, FDB and route entries are removed" no_fake

# Expiry.  etcd's shortest lease is 15 s (1.5 election timeouts), but
# on the debug kernel one change takes up to 12 s to reach the third
# agent: a 15 s lease could expire before it is seen everywhere.
id=$(ectl lease grant 45 | awk '{print $2}')
eput --lease="$id" "$fake_key" "$(fake_value 10.0.0.52 02:00:00:00:00:52)"
converge "a short-lived lease is programmed" has_fake 10.0.0.52 02:00:00:00:00:52 _
t0=$(now_ms)
ok_all=1
for i in 1 2 3; do
	wait_for 90 no_fake "$(ns_of "$i")" || ok_all=0
done
if [ $ok_all = 1 ]; then
	ok "a lease that expires is removed from every agent ($(($(now_ms) - t0)) ms after programming)"
else
	fail "a lease that expires is removed from every agent"
fi

# --- our own lease, touched by someone else -------------------------------------

key1=$PREFIX/subnets/$(subnet_of 1 | tr / -)
v1=$(lease_json 1)
pp ectl del "$key1" >/dev/null
back() { [ "$(ectl get --print-value-only "$key1")" = "$v1" ]; }
if wait_for 30 back && agent_log_has 1 'our lease .* was deleted: acquiring it again'; then
	ok "our lease deleted by someone: the agent takes the same subnet again"
else
	fail "our lease deleted by someone: the agent takes the same subnet again" "$(ectl get "$key1")"
fi
pp ectl put "$key1" "$(printf '%s' "$v1" | sed 's/"VtepMAC":"[^"]*"/"VtepMAC":"02:de:ad:00:00:01"/')" >/dev/null
if wait_for 30 back && agent_log_has 1 'our lease .* was changed by someone else: writing it back'; then
	ok "our lease overwritten by someone (another MAC): written back as it was"
else
	fail "our lease overwritten by someone (another MAC): written back as it was" "$(ectl get "$key1")"
fi
pp ectl put "$key1" 'garbage{' >/dev/null
if wait_for 30 back && [ "$(subnet_of 1 | tr / -)" = "${key1##*/}" ]; then
	ok "our lease overwritten with garbage: reclaimed, the same subnet"
else
	fail "our lease overwritten with garbage: reclaimed, the same subnet" "$(ectl get "$key1")"
fi

# --- restarts -----------------------------------------------------------------

sn2=$(subnet_of 2)
mac2=$(mac_of "$(ns_of 2)" flannel.1)
agent_stop 2 TERM
if ectl get "$PREFIX/subnets/$(printf '%s' "$sn2" | tr / -)" | grep -q PublicIP &&
   [ "$(mac_of "$(ns_of 2)" flannel.1)" = "$mac2" ] &&
   grep -q '"state": "stopped"' "$(node_dir 2)/status.json"; then
	ok "SIGTERM: the agent stops, its lease and device stay, the status says stopped"
else
	fail "SIGTERM: the agent stops, its lease and device stay, the status says stopped"
fi
check_err "ovl-agent status of a stopped agent exits 3" "NOT running" \
	"$AGENT" status --status-file "$(node_dir 2)/status.json"

# While host 3's agent is down: stale entries on its device (a subnet
# with no lease), and a lease removed (flannel #2554).
ns3=$(ns_of 3)
agent_stop 3 TERM
stale=10.244.201.0/24
must ip -n "$ns3" neigh replace 10.244.201.0 lladdr 02:00:00:00:02:01 dev flannel.1 nud permanent
must bridge -n "$ns3" fdb append 02:00:00:00:02:01 dev flannel.1 dst 10.0.0.99 self permanent
must ip -n "$ns3" route replace "$stale" via 10.244.201.0 dev flannel.1 onlink

# kill -9 host 1's agent while containers talk to its container.
spawn "$(ns_of c2)" "$TMP_DIR/ping-c1.log" ping -i 0.2 -W 1 "${CT[1]}"
pinger=$SPAWNED
wait_for 10 grep -q 'bytes from' "$TMP_DIR/ping-c1.log"
sn1=$(subnet_of 1)
mac1=$(mac_of "$(ns_of 1)" flannel.1)
agent_stop 1 KILL
agent_start 1 --iface=eth0
agent_start 2 --iface=10.0.0.2
agent_start 3
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || fail "agent $i restarts" "$(tail -n 5 "$(node_dir "$i")/agent.log")"
done
if [ "$(subnet_of 1)" = "$sn1" ] && [ "$(mac_of "$(ns_of 1)" flannel.1)" = "$mac1" ] &&
   [ "$(subnet_of 2)" = "$sn2" ] && [ "$(mac_of "$(ns_of 2)" flannel.1)" = "$mac2" ]; then
	ok "restarted (after kill -9 and after SIGTERM): same subnet, same VtepMAC"
else
	fail "restarted (after kill -9 and after SIGTERM): same subnet, same VtepMAC"
fi
n=$(leases | grep -c ' 10\.0\.0\.1 ')
if [ "$n" = 1 ]; then
	ok "no second lease for a restarted node"
else
	fail "no second lease for a restarted node" "$n leases hold 10.0.0.1"
fi
for i in 1 2 3; do
	if wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")"; then
		ok "host $i after the restarts: every lease programmed, no stale entry"
	else
		fail "host $i after the restarts: every lease programmed, no stale entry"
	fi
done
if unprogrammed "$ns3" "$stale" && ! bridge -n "$ns3" fdb show dev flannel.1 | grep -q 02:00:00:00:02:01 &&
   agent_log_has 3 "removing stale route $stale"; then
	ok "start-up removes the neighbour, FDB and route entries of no lease (flannel #2554)"
else
	fail "start-up removes the neighbour, FDB and route entries of no lease (flannel #2554)"
fi
ping_case "the container on host 2 reaches host 1's again" "$(ns_of c2)" "${CT[1]}"
stop "$pinger"
sed -n 's/.* \([0-9]*\) received, \([0-9]*\)% packet loss.*/sent and received: \0/p' "$TMP_DIR/ping-c1.log"
lost=$(python3 - "$TMP_DIR/ping-c1.log" <<'PY'
import re, sys
seqs = [int(m) for m in re.findall(r"icmp_seq=(\d+)", open(sys.argv[1]).read())]
print(max((b - a - 1 for a, b in zip(seqs, seqs[1:])), default=-1))
PY
)
# A restart keeps the data path: at most a few seconds of 0.2 s probes lost.
if [ "$lost" -ge 0 ] && [ "$lost" -le 15 ]; then
	ok "kill -9 and restart of an agent: its container's pings stopped for at most $lost probes"
else
	fail "kill -9 and restart of an agent: pings keep flowing" "longest gap $lost probes of 0.2 s"
fi

agent_finish
