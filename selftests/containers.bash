# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Containers for the scenario tests (underlay.sh, flannel*.sh) and the
# demo, sourced after lib.sh.  A container is a netns whose eth0 is one
# end of a veth pair; the other end is a port of a bridge on its host, as
# the CNI "bridge" plugin wires a pod.  The name is .bash, not .sh: run.sh
# runs every selftests/*.sh as a test.  Each process start costs a lot
# under TCG, so the helpers here start as few as they can.

# container_add HOST_NS BRIDGE CT_NS VETH ADDR/PLEN GATEWAY MTU: create
# container CT_NS, plug it into BRIDGE of HOST_NS through host-side port
# VETH, address its eth0 and route everything via GATEWAY.
container_add() {
	local host=$1 br=$2 ns=$3 veth=$4 addr=$5 gw=$6 mtu=$7
	ns_add "$ns"
	must ip -n "$host" link add "$veth" mtu "$mtu" type veth peer name eth0 mtu "$mtu" netns "$ns"
	must ip -n "$host" link set "$veth" master "$br" up
	must ip -n "$ns" addr add "$addr" dev eth0
	must ip -n "$ns" link set eth0 up
	must ip -n "$ns" route add default via "$gw"
}

# ping_case CASE NS DST: one [PASS]/[FAIL] line for "NS reaches DST".
ping_case() {
	if ping_ok "$2" "$3"; then ok "$1"; else fail "$1" "no reply from $3"; fi
}

# ping_cut_case CASE NS DST: one line for "NS does not reach DST".
ping_cut_case() {
	if ping_fails "$2" "$3"; then ok "$1"; else fail "$1" "$3 still answers"; fi
}

# host_of CT: the host number of container name CT ("2b" -> 2).
host_of() { printf '%s' "${1%[a-z]}"; }

# TCP transfers, cheaper than iperf3: one sink per receiving container,
# started once, answers every connection with the number of bytes it
# received, and the sender checks that number.  Port 7000.
TCP_SINK_PORT=7000

# tcp_sink NS ADDR: start the sink of NS, bound to ADDR.
tcp_sink() {
	spawn "$1" "$TMP_DIR/sink-$1.log" timeout 600 \
		socat "TCP-LISTEN:$TCP_SINK_PORT,bind=$2,reuseaddr,fork" EXEC:"wc -c"
	wait_for 10 port_listening "$1" "$TCP_SINK_PORT"
}

# tcp_send NS ADDR BYTES: send BYTES zeros from NS to the sink at ADDR;
# true when the sink counted every one.  Bounded by socat's timeouts: 5 s
# to connect, 20 s without data either way (-T), and 20 s (not 0.5) for
# the count once the data is sent (-t).
tcp_send() {
	local got data=$TMP_DIR/zeros-$3
	[ -f "$data" ] || head -c "$3" /dev/zero > "$data"
	printf '+ [%s] %s bytes over TCP to %s:%s\n' "$1" "$3" "$2" "$TCP_SINK_PORT"
	got=$(q "$1" socat -t 20 -T 20 STDIO "TCP:$2:$TCP_SINK_PORT,connect-timeout=5" < "$data")
	got=${got//[$' \n']/}
	[ "$got" = "$3" ] && return 0
	echo "the sink counted '$got' bytes"
	return 1
}
