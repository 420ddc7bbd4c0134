#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Flannel-style overlay scenario (selftests/flannel-topo.bash), told
# step by step for a human: the topology, the commands that build host 1
# (hosts 2 and 3 get the same), the cross-host pings, a TCP transfer and
# its throughput, the MTU, and one encapsulated packet as tcpdump decodes
# it.  Run as root by tools/demo.sh, in a VM or on a host where kind ovl
# exists; exits 0 when every check held.  KIND=vxlan runs it on the
# in-kernel vxlan driver instead.

export OVL_NS_PREFIX=${OVL_NS_PREFIX:-demo}
SELFTESTS=$(cd "$(dirname "$0")/../../selftests" && pwd)
# shellcheck source=../../selftests/lib.sh
. "$SELFTESTS/lib.sh"
# shellcheck source=../../selftests/containers.bash
. "$SELFTESTS/containers.bash"
# shellcheck source=../../selftests/capture.bash
. "$SELFTESTS/capture.bash"
# shellcheck source=../../selftests/flannel-topo.bash
. "$SELFTESTS/flannel-topo.bash"

FT_TOOL=ip FT_PORT=8472
T0=$(date +%s)
STEP=0
STEPS=8

# --- presentation: lib.sh's helpers, quieter and with the host names -------

# SHOW=1: setup commands are printed as "host1 $ ip link ...".
SHOW=0
pp() {
	[ "$SHOW" = 1 ] && show_cmd "$@"
	"$@"
}
show_cmd() {
	local who='' a=("$@")
	if [ "${a[0]}" = ip ] && [ "${a[1]}" = netns ] && [ "${a[2]}" = exec ]; then
		who=${a[3]}
		a=("${a[@]:4}")
	elif [ "${a[1]:-}" = -n ]; then
		who=${a[2]}
		a=("${a[0]}" "${a[@]:3}")
	fi
	a[0]=${a[0]##*/}
	who=${who#"$NS_PREFIX"-}
	case $who in [0-9]) who=host$who ;; esac
	printf '    %-6s $ %s\n' "$who" "${a[*]}"
}
spawn() {
	local ns=$1 log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	SPAWNED=$!
	BG_PIDS+=("$SPAWNED")
}
ok() { printf '    [ ok ] %s\n' "$1"; PASSES=$((PASSES + 1)); }
fail() { printf '    [FAIL] %s: %s\n' "$1" "${2:-failed}"; FAILS=$((FAILS + 1)); }
die() { fail "setup" "$1"; summary; }

step() {
	STEP=$((STEP + 1))
	printf '\n[%d/%d] %s  (%ss)\n' "$STEP" "$STEPS" "$1" "$(($(date +%s) - T0))"
}

summary() {
	local t=$(($(date +%s) - T0))
	echo
	echo "== summary ========================================================"
	if [ "$FAILS" = 0 ] && [ "$PASSES" -gt 0 ]; then
		echo "  $PASSES checks passed, 0 failed, in ${t}s: containers on three hosts"
		echo "  talk over one $KIND device per host (VXLAN VNI $FT_VNI, UDP $FT_PORT),"
		echo "  and the underlay only ever carried host addresses."
		exit 0
	fi
	echo "  $PASSES checks passed, $FAILS FAILED, in ${t}s"
	exit 1
}

# ping_show NAME NS DST: one ping (a few tries: the first may wait for
# ARP), shown with its round-trip time.
ping_show() {
	local name=$1 ns=$2 dst=$3 out n
	for n in 1 2 3; do
		if out=$(q "$ns" ping -c 1 -W 2 "$dst" 2>&1); then
			ok "$(printf '%-34s %s ms' "$name" "$(printf '%s\n' "$out" | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p')")"
			return
		fi
	done
	fail "$name" "no reply from $dst"
}

# --- the scenario ----------------------------------------------------------

cat <<EOF2
ovl demo: a Flannel-style container overlay ($KIND, kernel $(uname -r))

 c1a 10.244.1.2  c1b .3     c2a 10.244.2.2  c2b .3     c3a 10.244.3.2  c3b .3
        \\        /                 \\        /                 \\        /
   cni0 10.244.1.1/24         cni0 10.244.2.1/24         cni0 10.244.3.1/24
        |  host1  (routes)         |  host2                    |  host3
   flannel.1 10.244.1.0/32    flannel.1 10.244.2.0/32    flannel.1 10.244.3.0/32
   VNI 1, UDP 8472, MTU 1450  (the VXLAN tunnel endpoint, kind $KIND)
        |                          |                           |
   eth0 10.0.0.1/24           eth0 10.0.0.2/24            eth0 10.0.0.3/24
        |                          |                           |
        +---------------- p1 --- switch br0 --- p2 ---- p3 ----+
           the underlay: only the hosts' 10.0.0.x addresses are known here

Every host, network namespace and device below is created now and deleted
at the end.
EOF2

step "Underlay: a switch and three hosts (each a network namespace)"
SHOW=1
ft_underlay
SHOW=0
echo "    host1 10.0.0.1, host2 10.0.0.2, host3 10.0.0.3 on one bridge; MTU $((FT_MTU + 50))"

step "Containers: bridge cni0 and two containers (netns + veth) per host"
for i in $FT_HOSTS; do
	[ "$i" = 1 ] && SHOW=1
	ft_pods "$i"
	SHOW=0
	[ "$i" = 1 ] || echo "    host$i: the same, containers c${i}a $(ft_ct_addr "${i}a") and c${i}b $(ft_ct_addr "${i}b")"
done
echo "    (container MTU $FT_MTU: the underlay's minus 50 for the VXLAN headers)"

step "VTEPs: one $KIND device per host, configured as flanneld does"
for i in $FT_HOSTS; do
	[ "$i" = 1 ] && SHOW=1
	ft_vtep "$i"
	SHOW=0
	[ "$i" = 1 ] || echo "    host$i: the same with local ${FT_UNDER[$i]} and address $(ft_vtep_addr "$i")/32"
done
echo "    VTEP MACs: host1 ${FT_MAC[1]}, host2 ${FT_MAC[2]}, host3 ${FT_MAC[3]}"
echo "    ovlctl equivalent: ovlctl add flannel.1 vni 1 port 8472 learning off local 10.0.0.1 dev eth0 mtu $FT_MTU"

step "Peers: per remote host a neighbour, an FDB entry and a route (no learning)"
for i in $FT_HOSTS; do
	for j in $(ft_remote_hosts "$i"); do
		[ "$i" = 1 ] && SHOW=1
		must ft_peer_add "$i" "$j"
		SHOW=0
	done
	[ "$i" = 1 ] || echo "    host$i: the same for hosts $(ft_remote_hosts "$i")"
done

step "Pings across hosts: every container to every container elsewhere"
for c in $FT_CTS; do
	for d in $(ft_remote_cts "$(host_of "$c")"); do
		ping_show "c$c $(ft_ct_addr "$c") -> c$d $(ft_ct_addr "$d")" "$(ft_ct_ns "$c")" "$(ft_ct_addr "$d")"
	done
done
ping_show "host1 -> c3b $(ft_ct_addr 3b)" "$(ns_of 1)" "$(ft_ct_addr 3b)"

step "TCP: iperf3, 4 MB from c1a (host1) to c3b (host3)"
log=$TMP_DIR/iperf3.log
spawn "$(ft_ct_ns 3b)" "$log" timeout 60 iperf3 -s -1 -B "$(ft_ct_addr 3b)"
srv=$SPAWNED
if wait_for 10 port_listening "$(ft_ct_ns 3b)" 5201 &&
	out=$(q "$(ft_ct_ns 1a)" timeout 60 iperf3 -c "$(ft_ct_addr 3b)" -n 4M -f m --connect-timeout 5000 2>&1); then
	printf '%s\n' "$out" | grep -E 'sender|receiver' | sed 's/^/    /'
	rate=$(printf '%s\n' "$out" | awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") print $i }')
	ok "4 MB from c1a to c3b at ${rate:-?} Mbit/s (under TCG emulation: slow by design)"
else
	printf '%s\n' "${out:-}" | tail -n 5 | sed 's/^/    /'
	fail "iperf3 c1a -> c3b" "transfer failed"
fi
stop "$srv"

step "MTU: the largest packet a container may send, and one byte more"
max=$((FT_MTU - 28))
if q "$(ft_ct_ns 1a)" ping -M 'do' -s "$max" -c 1 -W 3 "$(ft_ct_addr 2a)" >/dev/null 2>&1; then
	ok "ping -M do -s $max c1a -> c2a: answered ($FT_MTU-byte packet, $((FT_MTU + 50))-byte outer packet)"
else
	fail "ping -M do -s $max c1a -> c2a" "no reply"
fi
if out=$(q "$(ft_ct_ns 1a)" ping -M 'do' -s $((max + 1)) -c 1 -W 2 "$(ft_ct_addr 2a)" 2>&1); then
	fail "ping -M do -s $((max + 1))" "answered: the MTU is not enforced"
else
	ok "ping -M do -s $((max + 1)) c1a -> c2a: refused ($(printf '%s\n' "$out" | grep -oiE 'message too long[^)]*' | head -n 1))"
fi

step "On the wire: one packet c1a -> c2a, captured on the switch port of host2"
pcap=$TMP_DIR/wire.pcap
if capture_during "$(ns_of sw)" p2 "$pcap" q "$(ft_ct_ns 1a)" ping -c 1 -W 3 "$(ft_ct_addr 2a)" >/dev/null; then
	echo "    \$ tcpdump -nn -v -e -c1 -T vxlan 'udp port $FT_PORT'"
	tcpdump -r "$pcap" -nn -v -e -c1 -T vxlan "udp port $FT_PORT" 2>/dev/null | sed 's/^/    /'
	cat <<EOF2
    outer: host1 -> host2 MACs and 10.0.0.1 > 10.0.0.2, UDP to port $FT_PORT
    VXLAN: flags [I], vni $FT_VNI
    inner: flannel.1 of host1 -> flannel.1 of host2, 10.244.1.2 > 10.244.2.2 ICMP
EOF2
	n=$(capture_count "$pcap" "$(ft_vxlan_filter 1 2 1a 2a)")
	if [ "$n" -ge 1 ]; then ok "the echo request crossed as VXLAN, VNI $FT_VNI, UDP $FT_PORT"; else fail "VXLAN on the wire" "not seen"; fi
	n=$(capture_count "$pcap" "net 10.244.0.0/16")
	if [ "$n" = 0 ]; then ok "no container address in any outer header"; else fail "plain container traffic on the wire" "$n packets"; fi
else
	fail "capture on the switch" "tcpdump or ping failed"
fi

echo
echo "== host1's tables ================================================="
h1=$(ns_of 1)
echo "    \$ bridge fdb show dev flannel.1"
bridge -n "$h1" fdb show dev "$FT_DEV" | sed 's/^/    /'
echo "    \$ ip neigh show dev flannel.1"
ip -n "$h1" neigh show dev "$FT_DEV" | sed 's/^/    /'
echo "    \$ ip route"
ip -n "$h1" route | sed 's/^/    /'
summary
