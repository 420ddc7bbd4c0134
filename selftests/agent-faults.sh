#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent when things break (Documentation/agent.rst, "Failures"): an
# etcd member killed (the agents fail over, a new node still joins), a
# watch whose revision was compacted away (re-list), all of etcd stopped
# (the data path keeps working, a deleted device is rebuilt from memory,
# no busy loop; etcd back: resync), the VTEP device deleted, the underlay
# flapped, and the underlay's address changed.

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
etcd_cluster
net_config '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}'
for i in 1 2 3; do
	agent_start "$i" --iface=eth0
done
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start"
done
declare -A CT
for i in 1 2 3; do
	CT[$i]=$(cni_add "$i" "$(ns_of "c$i")") || die "CNI ADD on host $i"
done
for i in 1 2 3; do
	wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")" || die "host $i is not programmed"
done

fake_value() { printf '{"PublicIP":"%s","PublicIPv6":null,"BackendType":"vxlan","BackendData":{"VNI":1,"VtepMAC":"%s"}}' "$1" "$2"; }
# put_fake N: a lease for 10.244.(200+N).0/24 of a node that does not
# run; has_fake N NS / no_fake N NS: programmed on NS or not.
put_fake() {
	eput "$PREFIX/subnets/10.244.$((200 + $1)).0-24" \
		"$(fake_value "10.0.0.$((50 + $1))" "02:00:00:00:00:$((10 + $1))")"
}
has_fake() { programmed "$2" "10.244.$((200 + $1)).0/24" "10.0.0.$((50 + $1))" "02:00:00:00:00:$((10 + $1))"; }
no_fake() { unprogrammed "$2" "10.244.$((200 + $1)).0/24"; }
# on_all CASE CHECK...: every agent host 1-3 passes CHECK... NS.
on_all() {
	local name=$1 i t0
	shift
	t0=$(now_ms)
	for i in 1 2 3; do
		if ! wait_for 60 "$@" "$(ns_of "$i")"; then
			fail "$name" "host $i: $* did not hold"
			return 1
		fi
	done
	ok "$name ($(($(now_ms) - t0)) ms)"
}
# endpoint_of I: the etcd member host I's agent talks to (1-3).
endpoint_of() {
	agent_status "$1" | sed -n 's/.*"endpoint": "http:\/\/10\.0\.0\.10\([0-9]\):2379".*/\1/p'
}

# --- one member down ------------------------------------------------------------

etcd_kill 1
put_fake 1
on_all "one etcd member killed: the agents fail over, a new lease still reaches all" has_fake 1
agent_start 4 --iface=eth0
if wait_for 60 agent_ready 4; then
	ok "one etcd member killed: a new node gets a lease"
	CT[4]=$(cni_add 4 "$(ns_of c4)") || fail "CNI ADD on host 4"
	peer_on() { programmed "$4" "$1" "$2" "$3"; }
	on_all "the new node is programmed on every other" peer_on "$(subnet_of 4)" 10.0.0.4 \
		"$(mac_of "$(ns_of 4)" flannel.1)"
	ping_case "the new node's container reaches host 1's" "$(ns_of c4)" "${CT[1]}"
	ping_case "host 2's container reaches the new node's" "$(ns_of c2)" "${CT[4]}"
else
	fail "one etcd member killed: a new node gets a lease"
fi
etcd_run 1
wait_for 60 etcd_healthy && wait_for 60 etcd_writable || die "member 1 did not come back"

# --- a compacted watch ------------------------------------------------------------

# Host 1's agent sleeps while the member it watches dies, leases change
# and etcd compacts its history: its watch can not resume.
m=$(endpoint_of 1)
echo "host 1 talks to member $m"
kill -STOP "${AGENT_PIDS[1]}"
etcd_kill "$m"
wait_for 60 etcd_writable || die "etcd has no leader after member $m was killed"
pp ectl del "$PREFIX/subnets/10.244.201.0-24"
put_fake 2
pp ectl compact "$(etcd_revision)"
kill -CONT "${AGENT_PIDS[1]}"
if wait_for 60 has_fake 2 "$(ns_of 1)" && wait_for 10 no_fake 1 "$(ns_of 1)" &&
   agent_log_has 1 'compacted.*re-listing'; then
	ok "a watch behind a compaction re-lists: what changed meanwhile is applied"
else
	fail "a watch behind a compaction re-lists: what changed meanwhile is applied"
fi
etcd_run "$m"
wait_for 60 etcd_healthy && wait_for 60 etcd_writable || die "member $m did not come back"

# --- our lease expired and taken while the agent slept ------------------------------

ns3=$(ns_of 3)
old3=$(subnet_of 3)
key3=$PREFIX/subnets/$(printf '%s' "$old3" | tr / -)
id3=$(ectl get "$key3" -w json | python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)["kvs"][0]["lease"])')
kill -STOP "${AGENT_PIDS[3]}"
pp ectl lease revoke "$id3"
eput "$key3" "$(fake_value 10.0.0.99 02:00:00:00:00:99)"
kill -CONT "${AGENT_PIDS[3]}"
moved3() { [ -n "$(subnet_of 3)" ] && [ "$(subnet_of 3)" != "$old3" ]; }
if wait_for 60 moved3 && agent_log_has 3 'our subnet changed' &&
   wait_for 30 sh -c "ip -n '$ns3' addr show dev flannel.1 | grep -q 'inet $(subnet_of 3 | sed 's|/24|/32|') '"; then
	ok "our lease expired and taken by another node: a new subnet, subnet.env and the device follow"
else
	fail "our lease expired and taken by another node: a new subnet, subnet.env and the device follow"
fi
new3() { programmed "$1" "$(subnet_of 3)" 10.0.0.3 "$(mac_of "$ns3" flannel.1)"; }
took() { programmed "$1" "$old3" 10.0.0.99 02:00:00:00:00:99; }
for i in 1 2; do
	if wait_for 30 new3 "$(ns_of "$i")" && wait_for 30 took "$(ns_of "$i")"; then
		ok "host $i programs host 3's new subnet, and the node that took the old one"
	else
		fail "host $i programs host 3's new subnet, and the node that took the old one"
	fi
done
pp ectl del "$key3" >/dev/null
# Host 3's containers sit in the old subnet: a new one for the pings
# below, after the old gateway address goes (the bridge plugin refuses a
# second IPv4 address on cni0, as it does for flanneld's nodes).
pp ip -n "$ns3" addr flush dev cni0
CT[3]=$(cni_add 3 "$(ns_of c3b)") || die "CNI ADD on host 3 after the move"
CT3_NS=$(ns_of c3b)

# --- all of etcd down ---------------------------------------------------------------

leases > "$TMP_DIR/leases.snap"
for k in 1 2 3; do
	etcd_kill "$k"
done
cpu() { awk '{print $14 + $15}' "/proc/${AGENT_PIDS[1]}/stat"; }
lines() { wc -l < "$(node_dir 1)/agent.log"; }
c0=$(cpu)
l0=$(lines)
ping_case "etcd down: containers still reach each other (1 -> 2)" "$(ns_of c1)" "${CT[2]}"
ping_case "etcd down: containers still reach each other (3 -> 4)" "$CT3_NS" "${CT[4]}"
ns2=$(ns_of 2)
mac2=$(mac_of "$ns2" flannel.1)
pp ip -n "$ns2" link del flannel.1
if LEASES_FROM=$TMP_DIR/leases.snap wait_for 30 all_programmed "$ns2" "$(subnet_of 2)"; then
	if [ "$(mac_of "$ns2" flannel.1)" = "$mac2" ]; then
		ok "etcd down: a deleted device is rebuilt with its MAC and every peer, from memory"
	else
		fail "etcd down: a deleted device is rebuilt with its MAC" "MAC $(mac_of "$ns2" flannel.1), was $mac2"
	fi
else
	fail "etcd down: a deleted device is rebuilt with its MAC and every peer, from memory"
fi
ping_case "etcd down: host 1's container reaches host 2's over the rebuilt device" "$(ns_of c1)" "${CT[2]}"
# Let the agents retry for a while: bounded backoff, not a busy loop.
# (A window to watch them in, not a wait for an event.)
t0=$(now_ms)
sleep 12
cpu_ms=$(( ($(cpu) - c0) * 1000 / $(getconf CLK_TCK) ))
nl=$(( $(lines) - l0 ))
echo "while etcd was down ($(($(now_ms) - t0)) ms and the checks before): agent 1 used $cpu_ms ms of CPU, logged $nl lines"
if [ "$cpu_ms" -lt 3000 ] && [ "$nl" -lt 40 ] && agent_alive 1; then
	ok "etcd down: the agents retry with a bounded backoff, not in a busy loop"
else
	fail "etcd down: the agents retry with a bounded backoff, not in a busy loop" "$cpu_ms ms CPU, $nl log lines"
fi
grep -q '"reachable": "unreachable"' "$(node_dir 1)/status.json" &&
	ok "etcd down: the status file says etcd is unreachable" ||
	fail "etcd down: the status file says etcd is unreachable"
for k in 1 2 3; do
	etcd_run "$k"
done
wait_for 120 etcd_healthy && wait_for 60 etcd_writable || die "etcd did not come back"
put_fake 3
on_all "etcd back: the agents resync (a lease put afterwards is programmed)" has_fake 3
for i in 1 2 3 4; do
	if wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")"; then
		ok "after the outage host $i holds exactly the leases in etcd"
	else
		fail "after the outage host $i holds exactly the leases in etcd"
	fi
done

# --- the kernel side -----------------------------------------------------------------

ns1=$(ns_of 1)
mac1=$(mac_of "$ns1" flannel.1)
pp ip -n "$ns1" link del flannel.1
if wait_for 30 all_programmed "$ns1" "$(subnet_of 1)" && [ "$(mac_of "$ns1" flannel.1)" = "$mac1" ]; then
	ok "the device deleted: recreated with its MAC, every peer replayed (flannel #2247)"
else
	fail "the device deleted: recreated with its MAC, every peer replayed (flannel #2247)"
fi
ping_case "host 2's container reaches host 1's over the recreated device" "$(ns_of c2)" "${CT[1]}"

ns3=$(ns_of 3)
pp ip -n "$ns3" link set eth0 down
sleep 2		# how long the link stays down
pp ip -n "$ns3" link set eth0 up
if wait_for 30 all_programmed "$ns3" "$(subnet_of 3)"; then
	ok "the underlay flapped: every peer still programmed"
else
	fail "the underlay flapped: every peer still programmed"
fi
ping_case "after the flap host 3's container reaches host 1's" "$CT3_NS" "${CT[1]}"

# Deleted first: deleting a primary address takes its secondaries along.
pp ip -n "$ns2" addr del 10.0.0.2/24 dev eth0
pp ip -n "$ns2" addr add 10.0.0.22/24 dev eth0
sn2=$(subnet_of 2)
moved() { bridge -n "$1" fdb show dev flannel.1 | grep -q " dst 10.0.0.22 self permanent"; }
lease_moved() { lease_json 2 | grep -q '"PublicIP":"10.0.0.22"'; }
if wait_for 30 lease_moved; then
	ok "the underlay's address changed: the lease carries the new PublicIP"
else
	fail "the underlay's address changed: the lease carries the new PublicIP" "$(lease_json 2)"
fi
for i in 1 3 4; do
	if wait_for 30 moved "$(ns_of "$i")"; then
		ok "host $i moves host 2's FDB entry to 10.0.0.22"
	else
		fail "host $i moves host 2's FDB entry to 10.0.0.22"
	fi
done
ip -n "$ns2" -d link show flannel.1 | grep -q 'local 10.0.0.22' &&
	ok "the underlay's address changed: the device's local address follows" ||
	fail "the underlay's address changed: the device's local address follows"
ping_case "host 1's container reaches host 2's at its new underlay address" "$(ns_of c1)" "${CT[2]}"
[ "$(subnet_of 2)" = "$sn2" ] && ok "the address change keeps the subnet" ||
	fail "the address change keeps the subnet"

for i in 1 2 3 4; do
	if agent_alive "$i"; then ok "agent $i ran through all of it"; else fail "agent $i ran through all of it" "it exited"; fi
done
agent_finish
