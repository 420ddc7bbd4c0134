#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Flannel network run by ovl-agent (Documentation/agent.rst), told
# step by step for a human: etcd (Debian's etcd-server) and ovl-agent on
# every host, containers attached through Debian's CNI plugins from the
# conflist the agent wrote, what the agents leased and programmed, pings
# across hosts; then a node joins and another leaves while a ping runs.
# Run as root by tools/demo.sh, in a VM or on a host where kind ovl
# exists; exits 0 when every check held.  KIND=vxlan runs the agents on
# the in-kernel vxlan driver instead (OVL_AGENT_KIND).

export OVL_NS_PREFIX=${OVL_NS_PREFIX:-demo}
SELFTESTS=$(cd "$(dirname "$0")/../../selftests" && pwd)
# shellcheck source=../../selftests/lib.sh
. "$SELFTESTS/lib.sh"
# One etcd member is enough to watch the agents work; the tests run three.
ETCD_MEMBERS=1
# shellcheck source=../../selftests/agent-lib.bash
. "$SELFTESTS/agent-lib.bash"

T0=$(date +%s)
STEP=0
STEPS=7

# --- presentation: quieter than the tests -------------------------------

pp() { "$@"; }
ok() { printf '    [ ok ] %s\n' "$1"; PASSES=$((PASSES + 1)); }
fail() { printf '    [FAIL] %s: %s\n' "$1" "${2:-failed}"; FAILS=$((FAILS + 1)); }
die() { fail "setup" "$1"; summary; }
show() { printf '    %-6s $ %s\n' "$1" "$2"; }
step() {
	STEP=$((STEP + 1))
	printf '\n[%d/%d] %s  (%ss)\n' "$STEP" "$STEPS" "$1" "$(($(date +%s) - T0))"
}
summary() {
	local t=$(($(date +%s) - T0))
	echo
	echo "== summary ========================================================"
	if [ "$FAILS" = 0 ] && [ "$PASSES" -gt 0 ]; then
		echo "  $PASSES checks passed, 0 failed, in ${t}s: ovl-agent leased each host a"
		echo "  subnet in etcd and programmed every other host's $KIND VTEP, as"
		echo "  flanneld would; a node joined and one left while containers talked."
		exit 0
	fi
	echo "  $PASSES checks passed, $FAILS FAILED, in ${t}s"
	for f in "$TMP_DIR"/n*/agent.log; do
		[ -f "$f" ] && { echo "--- ${f#"$TMP_DIR"/}"; tail -n 15 "$f"; }
	done
	exit 1
}
ping_show() {
	local name=$1 ns=$2 dst=$3 out n
	for n in 1 2 3; do
		if out=$(q "$ns" ping -c 1 -W 2 "$dst" 2>&1); then
			ok "$(printf '%-36s %s ms' "$name" "$(printf '%s\n' "$out" | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')")"
			return
		fi
	done
	fail "$name" "no reply from $dst"
}
# converge WHAT CHECK...: every running agent host passes CHECK... NS.
converge() {
	local what=$1 t0 i
	shift
	t0=$(now_ms)
	for i in $HOSTS; do
		wait_for 60 "$@" "$(ns_of "$i")" || { fail "$what" "host$i did not follow"; return 1; }
	done
	ok "$what: every agent followed within $(($(now_ms) - t0)) ms"
}

agent_need
cat <<EOF2
ovl demo: a Flannel network run by ovl-agent ($KIND, kernel $(uname -r))

   etcd 10.0.0.101 (Debian's etcd-server)   <prefix> /coreos.com/network
        |
        +---- switch br0 ---+----------------+----------------+-------- (host4 joins)
        |                   |                |                |
   host1 10.0.0.1      host2 10.0.0.2   host3 10.0.0.3   host4 10.0.0.4
   ovl-agent           ovl-agent        ovl-agent        ovl-agent
   flannel.1 (kind $KIND), cni0, one container each (CNI bridge + host-local)

Every host, network namespace and process below is created now and
deleted at the end.
EOF2

step "Underlay and etcd: a switch, four hosts, one etcd member"
hosts_switch 4 >/dev/null
for i in 1 2 3 4; do
	q "$(ns_of "$i")" sysctl -qw net.ipv4.ip_forward=1
done
etcd_cluster >/dev/null
show etcd "etcdctl put /coreos.com/network/config '{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}'"
net_config '{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}'
ok "etcd answers ($(ectl version 2>/dev/null | head -n 1))"

step "ovl-agent on hosts 1-3, flanneld's flags"
show host1 "ovl-agent --etcd-endpoints=http://10.0.0.101:2379 --iface=eth0"
HOSTS="1 2 3"
for i in $HOSTS; do
	agent_start "$i" --iface=eth0 >/dev/null
done
for i in $HOSTS; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start"
done
echo "    the leases in etcd, as flanneld writes them:"
show etcd "etcdctl get --prefix /coreos.com/network/subnets/"
ectl get --prefix "$PREFIX/subnets/" | paste - - | sed 's|^/coreos.com/network/subnets/|      |'
echo "    host1's subnet.env:"
sed 's/^/      /' "$(node_dir 1)/subnet.env"
ok "every agent holds a lease: $(for i in $HOSTS; do printf 'host%s %s  ' "$i" "$(subnet_of "$i")"; done)"

step "What the agent programmed on host1"
ns1=$(ns_of 1)
show host1 "ip -d link show flannel.1"
ip -n "$ns1" -d link show flannel.1 | sed -n '1,3p' | cut -c1-100 | sed 's/^/      /'
for c in "ip neigh show dev flannel.1" "bridge fdb show dev flannel.1" "ip route show dev flannel.1"; do
	show host1 "$c"
	# shellcheck disable=SC2086 # the command's words
	q "$ns1" $c | sed 's/^/      /'
done
"$AGENT" status --status-file "$(node_dir 1)/status.json" | sed 's/^/    /'
for i in $HOSTS; do
	wait_for 30 all_programmed "$(ns_of "$i")" "$(subnet_of "$i")" ||
		fail "host$i programs every other lease"
done
ok "each host holds a neighbour, an FDB entry and a route per other lease, nothing else"

step "Containers: attached by Debian's CNI plugins from the agent's conflist"
show host1 "CNI_COMMAND=ADD ... /usr/lib/cni/bridge < 10-ovl.conflist (then portmap)"
declare -A CT
for i in $HOSTS; do
	CT[$i]=$(cni_add "$i" "$(ns_of "c$i")" 2>/dev/null) || die "CNI ADD on host $i"
	echo "      c$i on host$i: ${CT[$i]} (cni0 $(ip -n "$(ns_of "$i")" -4 -o addr show dev cni0 | awk '{print $4}'))"
done

step "Pings across hosts: every container to every other"
for i in $HOSTS; do
	for j in $HOSTS; do
		[ "$i" = "$j" ] && continue
		ping_show "c$i ${CT[$i]} -> c$j ${CT[$j]}" "$(ns_of "c$i")" "${CT[$j]}"
	done
done

step "host4 joins while c1 pings c3"
spawn "$(ns_of c1)" "$TMP_DIR/ping.log" ping -i 0.2 -W 1 "${CT[3]}"
pinger=$SPAWNED
show host4 "ovl-agent --etcd-endpoints=http://10.0.0.101:2379 --iface=eth0"
agent_start 4 --iface=eth0 >/dev/null
wait_for 60 agent_ready 4 || die "agent 4 did not start"
echo "    host4 leased $(subnet_of 4), VtepMAC $(mac_of "$(ns_of 4)" flannel.1)"
mac4=$(mac_of "$(ns_of 4)" flannel.1)
sn4=$(subnet_of 4)
has4() { programmed "$1" "$sn4" 10.0.0.4 "$mac4"; }
converge "host4's lease is programmed" has4
HOSTS="1 2 3 4"
CT[4]=$(cni_add 4 "$(ns_of c4)" 2>/dev/null) || die "CNI ADD on host 4"
ping_show "c4 ${CT[4]} -> c1 ${CT[1]}" "$(ns_of c4)" "${CT[1]}"
ping_show "c2 ${CT[2]} -> c4 ${CT[4]}" "$(ns_of c2)" "${CT[4]}"

step "host2 leaves: its agent stops and its lease is deleted"
sn2=$(subnet_of 2)
agent_stop 2 TERM
show etcd "etcdctl del /coreos.com/network/subnets/$(printf '%s' "$sn2" | tr / -)"
ectl del "$PREFIX/subnets/$(printf '%s' "$sn2" | tr / -)" >/dev/null
HOSTS="1 3 4"
gone2() { unprogrammed "$1" "$sn2"; }
converge "host2's entries are removed" gone2
stop "$pinger"
got=$(grep -c 'icmp_seq=' "$TMP_DIR/ping.log")
last=$(sed -n 's/.*icmp_seq=\([0-9]*\).*/\1/p' "$TMP_DIR/ping.log" | tail -n 1)
if [ "$got" -gt 0 ] && [ "$((last - got))" -le 2 ]; then
	ok "c1 -> c3 all along: $got of $last probes (0.2 s apart) answered"
else
	fail "c1 -> c3 all along" "$got of ${last:-0} probes answered"
fi
summary
