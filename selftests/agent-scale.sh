#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent at scale: simulated peer leases written to etcd by the test
# (etcd_put_many.py, through etcd's own API, flannel's format) until 1000
# peers, in steps of 10, 100 and 1000; each step must be programmed on
# every agent within a generous bound, and the time from the last write
# to the last route on any host (the kernel's time stamp, from ip
# monitor) is printed ("# scale: N peers ... ms": figures for make
# bench, not a timed assertion).  Then one more lease at 1000
# peers, a restart that reconciles 1000 leases, and all of them removed.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=agent-lib.bash
. "$SELFTESTS_DIR/agent-lib.bash"

agent_need
hosts_switch 3
etcd_cluster
# The real nodes lease below 100.65.0.0, the simulated ones from there.
net_config '{"Network":"100.64.0.0/10","SubnetMax":"100.64.255.0","Backend":{"Type":"vxlan"}}'
for i in 1 2 3; do
	agent_start "$i" --iface=eth0
done
for i in 1 2 3; do
	wait_for 60 agent_ready "$i" || die "agent $i did not start"
done
BOUND=${AGENT_SCALE_BOUND:-600}
endpoint="http://$(etcd_ip 1):2379"
many() { q "$(etcd_ns 1)" python3 "$SELFTESTS_DIR/etcd_put_many.py" "$@" "$endpoint" "$PREFIX" "$first" "$count"; }

# Each host's route changes, time-stamped by the kernel's notifications
# as ip(8) prints them: when the last simulated peer's route came (or
# went) is read from there, not from the polls, which cost a lot under TCG.
# mon_sees I: a route added now on host I shows in its monitor's log.
mon_sees() {
	ip -n "$(ns_of "$1")" route del blackhole "198.51.100.$1/32" 2>/dev/null
	ip -n "$(ns_of "$1")" route add blackhole "198.51.100.$1/32"
	grep -q "198.51.100.$1" "$TMP_DIR/mon$1.log"
}
for i in 1 2 3; do
	spawn "$(ns_of "$i")" "$TMP_DIR/mon$i.log" ip -ts monitor route
	wait_for 30 mon_sees "$i" || die "ip monitor on host $i does not start"
done
# last_change I: milliseconds since the epoch of host I's last route
# change of a simulated peer (100.65.0.0 and up).
last_change() {
	python3 - "$TMP_DIR/mon$1.log" <<'PY'
import datetime, re, sys
last = 0
for line in open(sys.argv[1]):
    m = re.match(r"\[([0-9T:.-]+)\] (Deleted )?(100\.(6[5-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)", line)
    if m:
        t = datetime.datetime.fromisoformat(m.group(1)).timestamp()
        last = max(last, int(t * 1000))
print(last)
PY
}

# peers_on NS N: NS holds N peers' neighbour, FDB and route entries.
peers_on() {
	[ "$(ip -n "$1" neigh show dev flannel.1 nud permanent | grep -c .)" = "$2" ] &&
		[ "$(bridge -n "$1" fdb show dev flannel.1 | grep -c ' dst ')" = "$2" ] &&
		[ "$(ip -n "$1" route show dev flannel.1 | grep -c .)" = "$2" ]
}
# step CASE TOTAL: every host converges to TOTAL simulated peers plus the
# two real ones; prints the time from T0 (the last write) to the last host.
step() {
	local name=$1 total=$2 i t last=0
	for i in 1 2 3; do
		if ! wait_for "$BOUND" peers_on "$(ns_of "$i")" $((total + 2)); then
			fail "$name" "host $i has $(ip -n "$(ns_of "$i")" neigh show dev flannel.1 nud permanent | grep -c .) entries"
			return 1
		fi
	done
	ok "$name"
	for i in 1 2 3; do
		t=$(last_change "$i")
		[ "$t" -gt "$last" ] && last=$t
	done
	echo "# scale: $total peers: $((last - T0)) ms from the last write to the last route on every host"
}
first=0 count=10
T0=$(many put) && step "10 simulated peers are programmed on every agent" 10
first=10 count=90
T0=$(many put) && step "100 simulated peers are programmed on every agent" 100
first=100 count=900
T0=$(many put) && step "1000 simulated peers are programmed on every agent" 1000
first=1000 count=1
T0=$(many put) && step "at 1000 peers one more lease is programmed" 1001
if [ "$(ip -n "$(ns_of 1)" route show 100.68.232.0/24)" ]; then
	ok "the 1001st peer has its route (100.68.232.0/24)"
else
	fail "the 1001st peer has its route (100.68.232.0/24)"
fi

# A restart reconciles 1001 leases against what the kernel holds.
agent_stop 1 TERM
T0=$(now_ms)
agent_start 1 --iface=eth0
if wait_for "$BOUND" agent_ready 1 && peers_on "$(ns_of 1)" 1003; then
	ok "a restart at 1001 peers: every entry is kept"
	echo "# scale: restart with 1001 peers: $(($(now_ms) - T0)) ms to ready"
else
	fail "a restart at 1001 peers: every entry is kept"
fi

first=0 count=1001
T0=$(many del) && step "all simulated leases removed: their entries go from every agent" 0
agent_finish
