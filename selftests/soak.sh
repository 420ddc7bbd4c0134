#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Soak: everything at once, for SOAK_DURATION seconds.  Two hosts, ovl0
# over an IPv4 underlay (VNI 42) and ovl6 over IPv6 (VNI 43), each
# carrying IPv4 and IPv6; while pings flow both ways on all four paths,
# concurrently:
#   params   host 2 changes every parameter of both devices and back
#            (ttl, tos, df, flowlabel, ageing, learning, maxaddress,
#            checksums, source ports, dstport, VNI, remote, proxy, l2miss,
#            l3miss, rsc, localbypass, MTU, down/up), one `ip -batch`
#            a round, every command of which must succeed;
#   fdb      host 2 adds, appends, replaces and deletes entries (remotes
#            moving between addresses, v4 and v6);
#   flood    host 1 floods new source MACs at host 2 (tools/fuzz/rxfuzz
#            --mode flood), every round from two outer sources, so that
#            every learned MAC moves;
#   devices  on host 2, devices created on the shared socket and deleted,
#            namespaces created with a device up in them and deleted, a
#            device moved into a namespace that is then deleted.
# Every SOAK_INTERVAL seconds: unreclaimable slab and percpu memory within
# a bound of their baseline (SOAK_SLAB_SLACK_KB, SOAK_PERCPU_SLACK_KB), no
# splat in the kernel log, no counter of the four long-lived devices or of
# the hosts' IP/UDP MIBs gone backwards, every load still running.  At the
# end: each load ran, the devices are configured as before and forward
# on every path, and once everything is deleted memory is back near where
# it was before the test.  KCSAN reports are left to vm-selftests.sh,
# which tells ovl's from the core kernel's.
#
#   SOAK_DURATION  seconds of churn (default 30: the suite's short run;
#                  `make soak DURATION=3600` for an hour on the debug kernel)
#   SOAK_INTERVAL  seconds between checks (default 60, at most half the
#                  duration)

. "$(dirname "$0")/lib.sh"
. "$TOP_DIR/tools/fuzz/lib.sh"

is_ovl_kind || skip_all "ovl-only: vxlan refuses most of these changes on a live device (KIND=$KIND)"
need_ovl_args
command -v python3 >/dev/null || skip_all "python3 is needed to read the counters"

DURATION=${SOAK_DURATION:-30}
INTERVAL=${SOAK_INTERVAL:-60}
[ "$INTERVAL" -le $((DURATION / 2)) ] || INTERVAL=$((DURATION / 2))
[ "$INTERVAL" -ge 5 ] || INTERVAL=5
SLAB_SLACK=${SOAK_SLAB_SLACK_KB:-32768}
PERCPU_SLACK=${SOAK_PERCPU_SLACK_KB:-8192}
# Once the test's namespaces are gone: what slab may still hold (caches
# the churn grew and the allocator keeps).
END_SLACK=${SOAK_END_SLACK_KB:-8192}
SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# soak: SOAK_DURATION=$DURATION SOAK_INTERVAL=$INTERVAL FUZZ_SEED=$SEED"
RXFUZZ=$(fuzz_bin rxfuzz) || die "cannot build tools/fuzz/rxfuzz"

H1=$(ns_of 1)
H2=$(ns_of 2)

percpu_kb() { awk '$1 == "Percpu:" { print $2 }' /proc/meminfo; }

# Before the test: what the end is compared with.
slab_before=$(slab_kb)

hosts_direct
for i in 1 2; do
	j=$((3 - i))
	h=$(ns_of $i)
	must ovl_add "$h" ovl0 id 42 local "$(u4 $i)" remote "$(u4 $j)" dev eth0 \
		learning ageing 300 maxaddress 2000
	must ovl_add "$h" ovl6 id 43 local "$(u6 $i)" remote "$(u6 $j)" dev eth0 \
		learning ageing 300 maxaddress 2000
	# The params load takes the devices down and up: keep their IPv6
	# addresses as it does (the IPv4 ones always stay).
	for d in ovl0 ovl6; do
		q "$h" sysctl -qw "net.ipv6.conf.$d.keep_addr_on_down=1"
	done
	ovl_up "$h" ovl0 "$(o4 $i)/24" "$(o6 $i)/64"
	ovl_up "$h" ovl6 "192.168.2.$i/24" "fd02::$i/64"
done
# The four paths the pings take: "NS ADDRESS", ovl0 and ovl6, both ways.
PATHS=("$H1 $(o4 2)" "$H2 $(o6 1)" "$H1 fd02::2" "$H2 192.168.2.1")
for p in "${PATHS[@]}"; do
	# shellcheck disable=SC2086 # NS and address
	ping_ok $p || die "no ping over $p before the soak"
done
# config DEV: its configuration, without the FDB's size (fdb_count,
# fdb_learned: the flood and ageing move them).
config() {
	link_json "$H2" "$1" | sed -E 's/"fdb_(count|learned)":[0-9]+,?//g'
}
DEVS_BEFORE=$TMP_DIR/devs-before
for d in ovl0 ovl6; do config $d; done > "$DEVS_BEFORE"

# --- the loads ---------------------------------------------------------------

END_MS=$(($(now_ms) + DURATION * 1000))
running() { [ "$(now_ms)" -lt "$END_MS" ]; }

# round NAME: one more round of load NAME done.
round() { echo >> "$TMP_DIR/rounds.$1"; }
rounds() { grep -c '' "$TMP_DIR/rounds.$1" 2>/dev/null || echo 0; }

# The parameter batch: each change, then each default back.  The
# defaults are those of the ovl_add above.
PARAMS=$TMP_DIR/params.batch
{
	for d in ovl0:142 ovl6:143; do
		t="link set dev ${d%:*} type ovl"
		echo "$t ttl 7 tos 0x10 df set ageing 5 nolearning maxaddress 500"
		echo "$t srcport 40000 50000 noproxy l2miss l3miss rsc"
		echo "$t ttl inherit tos inherit df inherit proxy nol2miss nol3miss norsc"
		echo "$t nolocalbypass"
		echo "$t localbypass"
		echo "link set dev ${d%:*} mtu 1300"
		echo "link set dev ${d%:*} down"
		echo "link set dev ${d%:*} up"
		echo "$t dstport 4790"
		echo "$t dstport 4789"
		echo "$t id ${d#*:}"
	done
	echo "link set dev ovl0 type ovl noudpcsum remote 10.0.0.77"
	echo "link set dev ovl6 type ovl flowlabel 5 udp6zerocsumtx udp6zerocsumrx remote fd00::77"
	# Back (the MTUs: those the devices got from eth0's 1500).
	for d in ovl0:1450 ovl6:1430; do
		t="link set dev ${d%:*} type ovl"
		echo "$t ttl 0 tos 0 df unset ageing 300 learning maxaddress 2000"
		echo "$t srcport 0 0 noproxy nol2miss nol3miss norsc"
		echo "link set dev ${d%:*} mtu ${d#*:}"
	done
	echo "link set dev ovl0 type ovl id 42 udpcsum remote $(u4 1)"
	echo "link set dev ovl6 type ovl id 43 flowlabel 0 noudp6zerocsumtx noudp6zerocsumrx remote $(u6 1)"
} > "$PARAMS"

load_params() {
	while running; do
		if ! ip -n "$H2" -batch "$PARAMS"; then
			echo "params: a change was refused" >> "$TMP_DIR/errors"
			return 1
		fi
		round params
	done
}

load_fdb() {
	local n=0 b=$TMP_DIR/fdb.batch m i
	while running; do
		n=$((n + 1))
		: > "$b"
		for i in $(seq 1 20); do
			m=$(printf '02:5a:%02x:00:00:%02x' $((n % 256)) "$i")
			echo "fdb add $m dev ovl0 dst 10.0.0.$((10 + i % 5)) static"
			echo "fdb append $m dev ovl0 dst 10.0.0.$((20 + i % 5))"
			echo "fdb replace $m dev ovl0 dst 10.0.0.$((30 + i % 5))"
			echo "fdb add $m dev ovl6 dst fd00::$((10 + i % 5)) static"
			echo "fdb replace $m dev ovl6 dst fd00::$((30 + i % 5))"
		done
		for i in $(seq 1 20); do
			m=$(printf '02:5a:%02x:00:00:%02x' $((n % 256)) "$i")
			echo "fdb del $m dev ovl0"
			echo "fdb del $m dev ovl6"
		done
		# A VNI change flushes, a device goes down: some of these
		# race with the params load and fail; what counts is that
		# the kernel stays sound and the table ends as it should.
		bridge -n "$H2" -force -batch "$b" > /dev/null 2>&1
		round fdb
	done
}

FLOOD_DEV="42,$(mac_of "$H2" ovl0)"
FLOOD_SRCS="$(u4 1) 10.0.0.9"
load_flood() {
	local n=0 src
	while running; do
		n=$((n + 1))
		for src in $FLOOD_SRCS; do
			"$RXFUZZ" --mode flood --src "$src" --dst 10.0.0.2 \
				--dev "$FLOOD_DEV" --seed $((SEED + n)) \
				--count 500 > /dev/null || {
				echo "flood: rxfuzz failed" >> "$TMP_DIR/errors"
				return 1
			}
		done
		round flood
	done
}
# rxfuzz runs in host 1 (its raw socket); the loop itself there too.
export -f load_flood running round now_ms
export RXFUZZ SEED TMP_DIR END_MS FLOOD_DEV FLOOD_SRCS

load_devices() {
	local n=0 c
	while running; do
		n=$((n + 1))
		c=$(ns_of "c$((n % 4))")
		if ! { ip -n "$H2" link add ovlc type ovl id $((1000 + n % 100)) \
			local "$(u4 2)" dev eth0 dstport 4789 &&
		       ip -n "$H2" link set ovlc up &&
		       bridge -n "$H2" fdb add 02:5c:00:00:00:01 dev ovlc dst 10.0.0.50 &&
		       ip -n "$H2" link del ovlc; }; then
			echo "devices: create/delete failed" >> "$TMP_DIR/errors"
			return 1
		fi
		# A namespace deleted with an ovl device up in it, and one
		# moved into it from host 2, up there (its socket stays in
		# host 2).
		if ! { ip netns add "$c" &&
		       ip -n "$c" link add ovln type ovl id 7 remote 10.0.0.1 dstport 4789 &&
		       ip -n "$c" link set ovln up &&
		       ip -n "$H2" link add ovlm type ovl id $((2000 + n % 100)) \
			local "$(u4 2)" dev eth0 dstport 4789 &&
		       ip -n "$H2" link set ovlm netns "$c" &&
		       ip -n "$c" link set ovlm up &&
		       ip netns del "$c"; }; then
			echo "devices: netns churn failed" >> "$TMP_DIR/errors"
			return 1
		fi
		round devices
	done
}

LOADS="params fdb flood devices"
LOAD_PIDS=()
klog_mark soak
for p in "${PATHS[@]}"; do
	# shellcheck disable=SC2086 # NS and address
	set -- $p
	spawn "$1" "$TMP_DIR/ping-$2" ping -q -i 0.02 -w "$DURATION" "$2"
done
load_params > "$TMP_DIR/load-params.log" 2>&1 &
LOAD_PIDS+=($!)
load_fdb > "$TMP_DIR/load-fdb.log" 2>&1 &
LOAD_PIDS+=($!)
ip netns exec "$H1" bash -c load_flood > "$TMP_DIR/load-flood.log" 2>&1 &
LOAD_PIDS+=($!)
load_devices > "$TMP_DIR/load-devices.log" 2>&1 &
LOAD_PIDS+=($!)
BG_PIDS+=("${LOAD_PIDS[@]}")

# --- the checks, every INTERVAL ------------------------------------------------

# The baseline: with every device up and the loads started.
slab0=$(slab_kb)
percpu0=$(percpu_kb)
snap "$H1" "$TMP_DIR/snap1.prev" ovl0 ovl6
snap "$H2" "$TMP_DIR/snap2.prev" ovl0 ovl6
mem_bad='' klog_bad='' back_bad='' dead_bad='' samples=0 slab_max=0 percpu_max=0

# backwards PREV NOW: the counters of NOW smaller than in PREV.  Not
# counters: the configuration (DEV.data_*, which the params load
# changes) and TCP's CurrEstab; the socket's (DEV.sock_*) start again
# with each new socket, which a dstport change opens.
backwards() {
	snap_diff "$1" "$2" "$TMP_DIR/diff"
	awk '$2 < 0 && $1 !~ /\.(data|sock)_/ && $1 != "Tcp.CurrEstab"' "$TMP_DIR/diff"
}

next=$(($(now_ms) + INTERVAL * 1000))
while running; do
	# The checks' period, not a synchronisation: nothing is waited for.
	w=$((next - $(now_ms)))
	[ "$w" -le 0 ] || sleep "$((w / 1000)).$(printf '%03d' $((w % 1000)))"
	next=$((next + INTERVAL * 1000))
	samples=$((samples + 1))
	t=$((samples * INTERVAL))
	s=$(($(slab_kb) - slab0))
	c=$(($(percpu_kb) - percpu0))
	[ "$s" -gt "$slab_max" ] && slab_max=$s
	[ "$c" -gt "$percpu_max" ] && percpu_max=$c
	echo "# soak: t=${t}s slab ${s} kB percpu ${c} kB over the baseline; rounds:" \
		"$(for l in $LOADS; do printf '%s %s ' "$l" "$(rounds "$l")"; done)"
	if [ "$s" -gt "$SLAB_SLACK" ] || [ "$c" -gt "$PERCPU_SLACK" ]; then
		mem_bad=${mem_bad:-"at ${t}s: slab +$s kB (bound $SLAB_SLACK), percpu +$c kB (bound $PERCPU_SLACK)"}
	fi
	if bad=$(klog_bad_since soak | grep -v 'BUG: KCSAN: '); then
		klog_bad=${klog_bad:-"at ${t}s: $(echo "$bad" | head -n 1)"}
	fi
	for i in 1 2; do
		snap "$(ns_of $i)" "$TMP_DIR/snap$i.now" ovl0 ovl6
		b=$(backwards "$TMP_DIR/snap$i.prev" "$TMP_DIR/snap$i.now")
		[ -z "$b" ] || back_bad=${back_bad:-"at ${t}s on host $i: $(echo "$b" | head -n 3 | tr '\n' ' ')"}
		mv "$TMP_DIR/snap$i.now" "$TMP_DIR/snap$i.prev"
	done
	# A load ends before the time is up only on an error.
	for pid in "${LOAD_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || ! running ||
			dead_bad=${dead_bad:-"at ${t}s: $(head -n 1 "$TMP_DIR/errors" 2>/dev/null)"}
	done
done

# The loads end their round and stop (bounded: a round is seconds).
for pid in "${LOAD_PIDS[@]}"; do
	wait "$pid" || dead_bad=${dead_bad:-"$(head -n 1 "$TMP_DIR/errors" 2>/dev/null)"}
done

# check_val CASE WHY: CASE passes when no WHY was recorded.
check_val() {
	if [ -z "$2" ]; then ok "$1"; else fail "$1" "$2"; fi
}
check_val "memory within its bound at each of $samples checks (max slab +$slab_max kB, percpu +$percpu_max kB)" "$mem_bad"
check_val "no splat in the kernel log" "$klog_bad"
check_val "no counter went backwards ($samples checks)" "$back_bad"
check_val "every load ran to the end" "$dead_bad"
for l in $LOADS; do
	check "load $l ran $(rounds "$l") rounds" [ "$(rounds "$l")" -ge 1 ]
done

# The params load ends each round on the defaults.
for d in ovl0 ovl6; do config $d; done > "$TMP_DIR/devs-after"
if cmp -s "$DEVS_BEFORE" "$TMP_DIR/devs-after"; then
	ok "both devices are configured as before"
else
	fail "both devices are configured as before" "ip -d -j link differs"
	diff "$DEVS_BEFORE" "$TMP_DIR/devs-after"
fi
for p in "${PATHS[@]}"; do
	# shellcheck disable=SC2086 # NS and address
	set -- $p
	check "ping $2 from $1 after the churn" ping_ok "$1" "$2"
	check "pings to $2 were answered during the churn" \
		grep -qE ' [1-9][0-9]* received' "$TMP_DIR/ping-$2"
done
check "no device of the churn is left on host 2" \
	sh -c "! ip -n $H2 -o link show | grep -qE 'ovl[cm]'"

# Everything deleted: the netns's devices go in a kworker, so wait.
for ns in $(ip netns list | awk -v p="$NS_PREFIX_ROOT-" 'index($1, p) == 1 { print $1 }'); do
	ip netns del "$ns"
done
slab_end_ok() { [ $(($(slab_kb) - slab_before)) -le "$END_SLACK" ]; }
if wait_for 60 slab_end_ok; then
	ok "all deleted, slab within $END_SLACK kB of before the test ($(($(slab_kb) - slab_before)) kB)"
else
	fail "all deleted, slab within $END_SLACK kB of before the test" "$(($(slab_kb) - slab_before)) kB over"
fi
finish
