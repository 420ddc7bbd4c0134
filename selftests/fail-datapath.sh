#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The data path with allocations failing at a probability: failslab and
# fail_page_alloc fail FAIL_PROBABILITY % of the atomic allocations
# (ignore-gfp-wait: those that may sleep are spared, so the test's own
# tools run), in every task and in softirq (no task filter), while
#   transmit  host 1 writes FAIL_PACKETS frames into ovl0 (AF_PACKET),
#             each from a new source MAC, replicated to two default
#             remotes (a clone per copy);
#   receive   host 2 takes them, and FAIL_PACKETS more from
#             tools/fuzz/rxfuzz --mode flood, learning every new MAC;
#   teardown  FAIL_NETNS namespaces, each with an ovl device up with FDB
#             entries (set up before), are deleted (their devices go in
#             the kernel's netns cleanup worker, where fail-nth cannot
#             reach: this is how its atomic allocations fail).
# Then, with injection off: failures were injected (failslab's "times"
# counts down), no splat, and every frame is accounted for:
#   transmit  copies = tx_packets + tx_dropped + tx_errors, and tx_dropped
#             >= ovl's drop reasons (tx_drop_*) summed: the rest are the
#             underlay's drops, which iptunnel_xmit counts in the same
#             tx_dropped (vxlan's accounting too; ovl cannot see them);
#   receive   sock_rx_packets = rx_packets + ovl's receive drop reasons +
#             the socket's drops, and rx_dropped = the device's reasons +
#             sock_rx_drop_down;
# the FDB holds what its counters say it learned, every new MAC was
# learned or its failure counted (fdb_learn_nomem), and the overlay still
# carries a ping.  Needs fault injection (the debug kernel).
#
#   FAIL_PROBABILITY  percent of atomic allocations failed (default 10)
#   FAIL_PACKETS      frames each way (default 5000)
#   FAIL_NETNS        namespaces deleted (default 10)

. "$(dirname "$0")/lib.sh"
. "$TOP_DIR/tools/fuzz/lib.sh"

is_ovl_kind || skip_all "ovl-only: accounts with ovl's drop counters (KIND=$KIND)"
need_ovl_args
command -v python3 >/dev/null || skip_all "python3 is needed to send and read counters"
DBG=/sys/kernel/debug
[ -d "$DBG/failslab" ] || mount -t debugfs none "$DBG" 2>/dev/null
{ [ -d "$DBG/failslab" ] && [ -d "$DBG/fail_page_alloc" ]; } ||
	skip_all "no failslab/fail_page_alloc in this kernel: the debug kernel has them (make check-debug)"

PROB=${FAIL_PROBABILITY:-10}
PACKETS=${FAIL_PACKETS:-5000}
NETNS=${FAIL_NETNS:-10}
TIMES=10000000
SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# fail-datapath: FAIL_PROBABILITY=$PROB FAIL_PACKETS=$PACKETS FUZZ_SEED=$SEED"
RXFUZZ=$(fuzz_bin rxfuzz) || die "cannot build tools/fuzz/rxfuzz"

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct
for h in "$H1" "$H2"; do
	q "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done
must ip -n "$H1" neigh replace "$(u4 2)" lladdr "$(mac_of "$H2" eth0)" dev eth0 nud permanent
must ip -n "$H1" neigh replace 10.0.0.3 lladdr 02:00:00:00:00:03 dev eth0 nud permanent
must ip -n "$H2" neigh replace "$(u4 1)" lladdr "$(mac_of "$H1" eth0)" dev eth0 nud permanent
# One datagram per count: no GRO (nor its cells) on the way in.
q "$H2" ethtool -K eth0 gro off 2>/dev/null

must ovl_add "$H1" ovl0 id 42 local "$(u4 1)" remote "$(u4 2)" dev eth0
must bridge -n "$H1" fdb append 00:00:00:00:00:00 dev ovl0 dst 10.0.0.3
must ovl_add "$H2" ovl0 id 42 local "$(u4 2)" remote "$(u4 1)" dev eth0 \
	learning ageing 86400 maxaddress 100000
ovl_up "$H1" ovl0 "$(o4 1)/24"
ovl_up "$H2" ovl0 "$(o4 2)/24"
# No ARP of the overlay in the counted window: permanent neighbours.
must ip -n "$H1" neigh replace "$(o4 2)" lladdr "$(mac_of "$H2" ovl0)" dev ovl0 nud permanent
must ip -n "$H2" neigh replace "$(o4 1)" lladdr "$(mac_of "$H1" ovl0)" dev ovl0 nud permanent
ping_ok "$H1" "$(o4 2)" || die "no ping over the overlay before the injection"
H2MAC=$(mac_of "$H2" ovl0)
# What host 2 delivers ends at a tc filter on its ovl0, so that the
# stack's own drops (no handler for the frames' EtherType) stay out of
# ovl0's rx_dropped; rx_packets counts the frames before it.
must tc -n "$H2" qdisc add dev ovl0 clsact
must tc -n "$H2" filter add dev ovl0 ingress matchall action drop

# inject ON|OFF: failslab and fail_page_alloc at PROB % of the atomic
# allocations, quietly, in any task and context.
inject() {
	local a
	for a in failslab fail_page_alloc; do
		if [ "$1" = ON ]; then
			echo 0 > "$DBG/$a/verbose"
			echo Y > "$DBG/$a/ignore-gfp-wait"
			echo N > "$DBG/$a/task-filter"
			echo 0 > "$DBG/$a/space"
			echo 1 > "$DBG/$a/interval"
			echo "$TIMES" > "$DBG/$a/times"
			echo "$PROB" > "$DBG/$a/probability"
		else
			echo 0 > "$DBG/$a/probability"
		fi
	done
	[ "$1" = ON ] || return 0
	echo Y > "$DBG/fail_page_alloc/ignore-gfp-highmem"
	echo 0 > "$DBG/fail_page_alloc/min-order"
}
injected() {
	echo $(( (TIMES - $(cat "$DBG/failslab/times")) +
		 (TIMES - $(cat "$DBG/fail_page_alloc/times")) ))
}
trap 'inject OFF; cleanup' EXIT

# send: FAIL_PACKETS frames into host 1's ovl0, each from a new source
# MAC, to a MAC host 1 has not learned (so to both default remotes);
# prints how many the socket took (a refused write is not counted).
send() {
	q "$H1" python3 - "$PACKETS" 02:7b:00:00:00:01 <<'EOF'
import socket, sys
n, dst = int(sys.argv[1]), bytes.fromhex(sys.argv[2].replace(":", ""))
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("ovl0", 0))
sent = 0
for i in range(n):
    src = bytes([0x02, 0x7a]) + (i + 1).to_bytes(4, "big")
    try:
        s.send(dst + src + b"\x88\xb5" + bytes(46))
        sent += 1
    except OSError:
        pass
print(sent)
EOF
}

# doomed I: namespace c-I with an ovl device up and FDB entries, and a
# veth to host 1 whose end there (cI) goes when the namespace is gone.
# Set up before the injection: its deletion is what is under test.
doomed() {
	local c
	c=$(ns_of "c$1")
	ip netns add "$c" &&
	ip -n "$c" link add eth0 type veth peer name "c$1" netns "$H1" &&
	ip -n "$c" addr add 10.9.0.1/24 dev eth0 &&
	ip -n "$c" link set eth0 up &&
	ip -n "$c" link add ovl0 type ovl id 42 local 10.9.0.1 remote 10.9.0.2 dev eth0 &&
	bridge -n "$c" fdb add 02:00:00:00:00:01 dev ovl0 dst 10.9.0.3 &&
	bridge -n "$c" fdb append 02:00:00:00:00:01 dev ovl0 dst 10.9.0.4 &&
	ip -n "$c" link set ovl0 up
}
teardowns_done() { ! ip -n "$H1" -o link show | grep -qE '^[0-9]+: c[0-9]+@'; }

for i in $(seq 1 "$NETNS"); do
	doomed "$i" || die "cannot set up namespace $i to delete"
done

klog_mark fail-datapath
snap "$H1" "$TMP_DIR/h1a" ovl0
snap "$H2" "$TMP_DIR/h2a" ovl0
inject ON
sent=$(send)
deleted=0
for i in $(seq 1 "$NETNS"); do
	ip netns del "$(ns_of "c$i")" && deleted=$((deleted + 1))
done
q "$H1" "$RXFUZZ" --mode flood --src "$(u4 1)" --dst "$(u4 2)" --dev "42,$H2MAC" \
	--seed "$SEED" --count "$PACKETS" > "$TMP_DIR/flood"
wait_for 120 teardowns_done
gone=$?
n=$(injected)
inject OFF
snap "$H1" "$TMP_DIR/h1b" ovl0
snap "$H2" "$TMP_DIR/h2b" ovl0
snap_diff "$TMP_DIR/h1a" "$TMP_DIR/h1b" "$TMP_DIR/d1"
snap_diff "$TMP_DIR/h2a" "$TMP_DIR/h2b" "$TMP_DIR/d2"
echo "# fail-datapath: $n allocations failed; host 1 sent $sent of $PACKETS frames"

check "failures were injected ($n)" [ "$n" -gt 0 ]
check "host 1's socket took frames ($sent)" [ "${sent:-0}" -gt 0 ]
check "teardown: $deleted of $NETNS namespaces deleted" [ "$deleted" = "$NETNS" ]
check "teardown: each one's devices gone" [ "$gone" = 0 ]
klog_case "no splat with allocations failing" fail-datapath

D1=$TMP_DIR/d1 D2=$TMP_DIR/d2
tx_reasons=$(sum "$D1" ovl0.tx_drop_no_dest ovl0.tx_drop_no_route ovl0.tx_drop_loop \
	ovl0.tx_drop_nomem ovl0.tx_drop_no_sock)
expect "transmit: every copy sent, dropped or failed" $((2 * sent)) \
	$(( $(val "$D1" ovl0.tx_packets) + $(val "$D1" ovl0.tx_dropped) + $(val "$D1" ovl0.tx_errors) )) \
	"2 copies of each frame the socket took; tx_packets + tx_dropped + tx_errors"
check "transmit: tx_dropped ($(val "$D1" ovl0.tx_dropped)) holds ovl's drop reasons ($tx_reasons)" \
	[ "$(val "$D1" ovl0.tx_dropped)" -ge "$tx_reasons" ]
echo "# fail-datapath: transmit: tx_packets $(val "$D1" ovl0.tx_packets), ovl's drops $tx_reasons" \
	"(nomem $(val "$D1" ovl0.tx_drop_nomem), no_route $(val "$D1" ovl0.tx_drop_no_route))," \
	"the underlay's $(( $(val "$D1" ovl0.tx_dropped) - tx_reasons )), errors $(val "$D1" ovl0.tx_errors)"

rx_reasons=$(sum "$D2" ovl0.rx_drop_short ovl0.rx_drop_own_mac ovl0.rx_drop_bad_src_mac \
	ovl0.rx_drop_ecn ovl0.rx_drop_nomem ovl0.fdb_learn_static)
sock_drops=$(sum "$D2" ovl0.sock_rx_drop_bad_hdr ovl0.sock_rx_drop_unknown_vni ovl0.sock_rx_drop_down)
expect "receive: every datagram the socket got delivered or dropped under a reason" \
	"$(val "$D2" ovl0.sock_rx_packets)" $(( $(val "$D2" ovl0.rx_packets) + rx_reasons + sock_drops )) \
	"sock_rx_packets; rx_packets + drop reasons + socket drops"
expect "receive: rx_dropped is the sum of its reasons" \
	$((rx_reasons + $(val "$D2" ovl0.sock_rx_drop_down))) "$(val "$D2" ovl0.rx_dropped)" \
	"drop reasons + sock_rx_drop_down; rx_dropped"
echo "# fail-datapath: receive: sock_rx_packets $(val "$D2" ovl0.sock_rx_packets)," \
	"rx_packets $(val "$D2" ovl0.rx_packets), nomem $(val "$D2" ovl0.rx_drop_nomem)," \
	"learned $(val "$D2" ovl0.fdb_learned), learning without memory $(val "$D2" ovl0.fdb_learn_nomem)"

# Learning under failing allocations: the table holds exactly what the
# counters say was learned (plus the default remote), no half entry.
entries=$(bridge -n "$H2" fdb show dev ovl0 | grep ' dst ' | grep -vc '^00:00:00:00:00:00 ')
expect "receive: the FDB holds every entry learning counted, no other" \
	"$(val "$TMP_DIR/h2b" ovl0.fdb_learned)" "$entries" "fdb_learned; entries in bridge fdb show"
expect "receive: the FDB's own count of learned entries agrees" \
	"$entries" "$(val "$TMP_DIR/h2b" ovl0.data_fdb_learned)" "entries shown; the device's fdb_learned"
# Every frame delivered came from a new MAC (the flood's are a bijection
# of the packet number, host 1's are numbered): each was learned, or
# the learning's allocation failed and was counted.
expect "receive: every new MAC learned or its failure counted" \
	"$(val "$D2" ovl0.rx_packets)" $(( $(val "$D2" ovl0.fdb_learned) + $(val "$D2" ovl0.fdb_learn_nomem) )) \
	"frames delivered; fdb_learned + fdb_learn_nomem"

must tc -n "$H2" qdisc del dev ovl0 clsact
check "ping over the overlay after the injection" ping_ok "$H1" "$(o4 2)"
finish
