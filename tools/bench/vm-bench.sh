#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The measurements of `make bench`, run as root inside the VM that
# tools/bench/bench.sh boots.  Prints one line per sample,
#   BENCH <phase> <metric> <config> <rep> <value>
# which bench.sh turns into the table and the JSON; everything else on
# stdout is log.  The VM's disk is a RAM overlay, so stdout is the only
# way out.
#
# Topology, built three times in independent netns pairs so the three
# configurations never share a socket or a port: host 1 and host 2 joined
# by a veth pair (eth0, 10.0.0.1/24 and 10.0.0.2/24), and
#   veth   traffic straight over eth0 (the ceiling), MTU 1450 like the others
#   vxlan  kernel vxlan dev ov0 (VNI 42, port 4789, nolearning, MTU 1450)
#   ovl    ovl dev ov0, the same settings
# with a static FDB on both tunnels: the all-zeros entry (BUM) and the
# peer's MAC, both to the peer's underlay address.  For each FDB size N,
# two more pairs vxlan-fN and ovl-fN whose senders hold N entries; they
# are measured in the same rounds as the others.
#
# With 2 CPUs, senders are pinned to CPU 0 and receivers to CPU 1.  Over
# veth the whole receive path (softirq, decapsulation, GRO) runs on the
# sender's CPU, so CPU 0 is the bottleneck and the rates compare what each configuration
# costs per byte or packet.  The request/response pair shares CPU 0: a
# cross-CPU wake-up under TCG costs milliseconds and would be all that
# the latency figure measured.  With one CPU (bench.sh --icount) nothing
# is pinned: every instruction of the transfer, both ends and the softirqs
# between, runs on it and is counted.
#
# Environment (set by bench.sh): OVL_KO, BENCH_BIN (udpflood, tcprr),
# BENCH_REPS, BENCH_SECS, BENCH_FDB (FDB sizes, e.g. "10000 100000"),
# BENCH_PROG (entries for the programming/memory test), BENCH_PROFILE
# (1: a perf profile of the pps test, when perf works in the guest),
# BENCH_AGENT (1: ovl-agent's convergence, agent-scale.sh of the tree
# copy BENCH_SRC, on ovl and on vxlan), BENCH_TWIN (1: a second ovl pair,
# ovl-b, measured like the others: ovl against itself is the noise floor).
set -u

REPS=${BENCH_REPS:-3}
SECS=${BENCH_SECS:-3}
FDB_SIZES=${BENCH_FDB:-10000 100000}
PROG=${BENCH_PROG:-100000}
BIN=${BENCH_BIN:?BENCH_BIN: where udpflood and tcprr are}
TMP=$(mktemp -d /tmp/ovl-bench.XXXXXX)
CONFIGS="veth vxlan ovl"
[ "${BENCH_TWIN:-0}" = 1 ] && CONFIGS="$CONFIGS ovl-b"

# Pinning, as the VM has CPUs for it: taskset prefixes and iperf3's -A.
if [ "$(nproc)" -gt 1 ]; then
	# shellcheck disable=SC2054 # "0,1" is one argument, the CPU list
	ON_CPU0=(taskset -c 0) ON_CPU1=(taskset -c 1) AFFINITY=(-A 0,1)
else
	ON_CPU0=() ON_CPU1=() AFFINITY=()
fi

T0=$(date +%s)
log() { echo "# [$(( $(date +%s) - T0 )) s] $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
emit() { echo "BENCH $*"; }
ns() { echo "b-$1-$2"; }		# ns CONFIG HOST
on() { local n=$1; shift; ip netns exec "$n" "$@"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# wait_for SECONDS CMD...: poll CMD every 50 ms, bounded.
wait_for() {
	local end=$(($(date +%s%3N) + $1 * 1000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%3N)" -ge "$end" ] && return 1
		sleep 0.05
	done
}

cleanup() {
	local n
	for n in $(ip netns list | awk '/^b-/ { print $1 }'); do
		ip netns pids "$n" | xargs -r kill 2>/dev/null
		ip netns del "$n"
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# rotate LIST N: LIST rotated left by N, so that no configuration always
# runs first (right after a setup step) or last.
rotate() {
	local n=$2 a
	read -ra a <<< "$1"
	n=$((n % ${#a[@]}))
	echo "${a[@]:n}" "${a[@]:0:n}"
}

# --- setup ---------------------------------------------------------------

# setup_pair CONFIG: CONFIG is veth, vxlan, ovl, ovl-b (ovl's twin),
# vxlan-fN / ovl-fN (the tunnel whose sender gets N static FDB entries,
# see fdb_fill), or veth-gro / vxlan-gro / ovl-gro (GRO on the underlay).
setup_pair() {
	local c=$1 kind=${1%%-*} h1 h2 i
	local gro=0
	case $c in *-gro) gro=1 ;; esac
	h1=$(ns "$c" 1) h2=$(ns "$c" 2)
	ip netns add "$h1" && ip netns add "$h2" || return 1
	ip -n "$h1" link add eth0 type veth peer name eth0 netns "$h2" || return 1
	for i in 1 2; do
		local n
		n=$(ns "$c" $i)
		ip -n "$n" link set lo up
		ip -n "$n" addr add 10.0.0.$i/24 dev eth0 || return 1
		on "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		if [ "$kind" = veth ]; then
			ip -n "$n" link set eth0 mtu 1450 || return 1
		fi
		# GRO on a veth gives it a NAPI poll on receive, as a real NIC:
		# the outer UDP packets then meet the tunnels' GRO hooks.
		if [ "$gro" = 1 ]; then
			on "$n" ethtool -K eth0 gro on || return 1
		fi
		ip -n "$n" link set eth0 up || return 1
		[ "$kind" = veth ] && continue
		ip -n "$n" link add ov0 type "$kind" id 42 local 10.0.0.$i dev eth0 \
			dstport 4789 nolearning || return 1
		ip -n "$n" link set ov0 mtu 1450 || return 1
		ip -n "$n" addr add 192.168.1.$i/24 dev ov0 || return 1
		ip -n "$n" link set ov0 up || return 1
	done
	[ "$kind" = veth ] && return 0
	for i in 1 2; do
		local peer=$((3 - i)) mac
		mac=$(on "$(ns "$c" $peer)" cat /sys/class/net/ov0/address)
		bridge -n "$(ns "$c" $i)" fdb add 00:00:00:00:00:00 dev ov0 \
			dst 10.0.0.$peer self permanent || return 1
		bridge -n "$(ns "$c" $i)" fdb add "$mac" dev ov0 \
			dst 10.0.0.$peer self permanent || return 1
	done
}

# target CONFIG: the address host 1 sends to.
target() { case $1 in veth*) echo 10.0.0.2 ;; *) echo 192.168.1.2 ;; esac; }

# reachable CONFIG: host 1 gets an answer from host 2 over CONFIG's pair.
reachable() { on "$(ns "$1" 1)" ping -c 1 -W 5 "$(target "$1")" >/dev/null; }

# --- one measurement each; the value on stdout, nothing on failure --------

listening() { on "$1" ss -Htln "sport = :$2" | grep -q .; }

# tcp CONFIG STREAMS: receiver's goodput in Mbit/s (iperf3, first second
# omitted: slow start).
tcp() {
	local c=$1 p=$2 s addr out
	s=$(ns "$c" 2) addr=$(target "$c")
	on "$s" timeout $((SECS + 30)) iperf3 -s -1 -B "$addr" > "$TMP/iperf3-s.log" 2>&1 &
	local srv=$!
	if ! wait_for 10 listening "$s" 5201; then
		kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
		log "$c: iperf3 server did not start"; return 1
	fi
	out=$(on "$(ns "$c" 1)" timeout $((SECS + 30)) iperf3 -c "$addr" -t "$SECS" \
		-O 1 -P "$p" "${AFFINITY[@]}" -J --connect-timeout 5000)
	wait "$srv" 2>/dev/null
	echo "$out" | jq -e '.end.sum_received.bits_per_second / 1e6' 2>/dev/null ||
		{ log "$c: iperf3 failed: $(echo "$out" | jq -r .error 2>/dev/null)"; return 1; }
}

# pps CONFIG: 64-byte UDP datagrams received per second (udpflood).
pps() {
	local c=$1 s addr
	s=$(ns "$c" 2) addr=$(target "$c")
	on "$s" timeout $((SECS + 30)) "${ON_CPU1[@]}" "$BIN/udpflood" recv 9000 "$SECS" > "$TMP/udp-r.log" 2>&1 &
	local rcv=$!
	if ! wait_for 10 grep -q ready "$TMP/udp-r.log"; then
		kill "$rcv" 2>/dev/null; wait "$rcv" 2>/dev/null
		log "$c: udpflood receiver did not start"; return 1
	fi
	# The sender outlasts the receiver's window (warm-up 0.5 s + SECS).
	on "$(ns "$c" 1)" "${ON_CPU0[@]}" "$BIN/udpflood" send "$addr" 9000 $((SECS + 2)) 64 > "$TMP/udp-s.log" 2>&1 &
	local snd=$!
	wait "$rcv"; local rc=$?
	wait "$snd"
	[ $rc = 0 ] || { log "$c: udpflood: $(cat "$TMP/udp-r.log")"; return 1; }
	awk '/^packets/ { print $6 }' "$TMP/udp-r.log"
}

# rr CONFIG: 1-byte TCP request/response transactions per second (tcprr);
# the median round trip goes to the log.
rr() {
	local c=$1 s addr out
	s=$(ns "$c" 2) addr=$(target "$c")
	on "$s" timeout $((SECS + 30)) "${ON_CPU0[@]}" "$BIN/tcprr" server 9001 > "$TMP/rr-s.log" 2>&1 &
	local srv=$!
	if ! wait_for 10 listening "$s" 9001; then
		kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null
		log "$c: tcprr server did not start"; return 1
	fi
	out=$(on "$(ns "$c" 1)" timeout $((SECS + 30)) "${ON_CPU0[@]}" "$BIN/tcprr" client "$addr" 9001 "$SECS")
	wait "$srv"
	log "$c rr: $out"
	echo "$out" | awk '/^transactions/ { print $6, $8 }' | grep .
}

# measure PHASE METRIC CONFIG REP CMD...: run CMD, emit its value.
measure() {
	local phase=$1 metric=$2 c=$3 rep=$4 v
	shift 4
	if v=$("$@") && [ -n "$v" ]; then
		emit "$phase" "$metric" "$c" "$rep" "$v"
	else
		emit "$phase" "$metric" "$c" "$rep" fail
	fi
}

# measure2 PHASE METRIC1 METRIC2 CONFIG REP CMD...: CMD prints two values.
measure2() {
	local phase=$1 m1=$2 m2=$3 c=$4 rep=$5 v
	shift 5
	if v=$("$@") && [ -n "$v" ]; then
		emit "$phase" "$m1" "$c" "$rep" "${v% *}"
		emit "$phase" "$m2" "$c" "$rep" "${v#* }"
	else
		emit "$phase" "$m1" "$c" "$rep" fail
		emit "$phase" "$m2" "$c" "$rep" fail
	fi
}

# run_phase PHASE "CONFIGS" "METRICS": REPS rounds; in each, every metric
# on every configuration, the configurations in a rotating order.  A
# configuration KIND@N (a tunnel with N FDB entries) is reported as KIND
# in phase fdbN: measuring it in the same rounds as the 1-entry tunnels
# makes "ovl@N / ovl@1" a ratio of neighbouring samples, not of two
# phases minutes apart.  KIND+gro (the pair KIND-gro) is reported as KIND
# in phase gro, the same way.
run_phase() {
	local phase=$1 configs=$2 metrics=$3 r m c p k n
	for r in $(seq 1 "$REPS"); do
		log "$phase: round $r/$REPS"
		for m in $metrics; do
			for c in $(rotate "$configs" $((r - 1))); do
				# KIND@N: phase fdbN, netns pair KIND-fN.
				p=$phase k=$c n=$c
				case $c in
				*@*) p=fdb${c#*@} k=${c%@*} n=${c%@*}-f${c#*@} ;;
				*+gro) p=gro k=${c%+gro} n=${c%+gro}-gro ;;
				esac
				case $m in
				tcp1) measure "$p" tcp1_mbps "$k" "$r" tcp "$n" 1 ;;
				tcp4) measure "$p" tcp4_mbps "$k" "$r" tcp "$n" 4 ;;
				pps) measure "$p" udp64_pps "$k" "$r" pps "$n" ;;
				rr) measure2 "$p" rr_tps rr_p50_us "$k" "$r" rr "$n" ;;
				esac
			done
		done
	done
}

# --- FDB -----------------------------------------------------------------

# fdb_add NS DEV FIRST COUNT: add COUNT static entries numbered from
# FIRST (fdbload: MAC 02:00:<i>, 100 MACs per VTEP 10.1.x.y); prints the
# seconds it took.
fdb_add() {
	local out
	out=$(on "$1" "$BIN/fdbload" add "$2" "$3" "$4") || return 1
	echo "$out" | awk '/^added/ { print $4 }'
}

# fdb_dump NS DEV: "COUNT SECONDS" of a dump of DEV's FDB.
fdb_dump() {
	on "$1" "$BIN/fdbload" dump "$2" | awk '/^entries/ { print $2, $4 }'
}

# mem_kb: kernel memory an FDB entry can take, in kB: slab (the entries),
# percpu (vxlan's per-destination dst cache), vmalloc (large hash tables).
mem_kb() {
	awk '/^(Slab|Percpu|VmallocUsed):/ { s += $2 } END { print s }' /proc/meminfo
}

# prog_one KIND REP: program PROG entries into a fresh device, dump them,
# delete the device; times and memory per entry.
prog_one() {
	local k=$1 r=$2 n m0 m1 add dump t0 t1
	n=$(ns prog 1)
	ip -n "$n" link add ov1 type "$k" id 43 local 10.0.0.1 dev eth0 \
		dstport 4789 nolearning || { log "prog: cannot create $k"; return 1; }
	ip -n "$n" link set ov1 up
	sync; echo 3 > /proc/sys/vm/drop_caches
	m0=$(mem_kb)
	if ! add=$(fdb_add "$n" ov1 0 "$PROG"); then
		log "prog: fdbload add failed on $k"
		emit prog add_s "$k" "$r" fail
		ip -n "$n" link del ov1
		return 1
	fi
	m1=$(mem_kb)
	dump=$(fdb_dump "$n" ov1)
	t0=$(now)
	ip -n "$n" link del ov1
	t1=$(now)
	emit prog add_s "$k" "$r" "$add"
	if [ "${dump% *}" = "$PROG" ]; then
		emit prog dump_s "$k" "$r" "${dump#* }"
	else
		log "prog: $k dumped '${dump% *}' entries, $PROG expected"
		emit prog dump_s "$k" "$r" fail
	fi
	emit prog del_s "$k" "$r" "$(elapsed "$t0" "$t1")"
	emit prog bytes_per_entry "$k" "$r" $(((m1 - m0) * 1024 / PROG))
}

# fdb_fill CONFIG SIZE: bring the sender's FDB of CONFIG's tunnel to SIZE
# entries; the two set up by setup_pair are among them, one the peer.
fdb_fill() {
	local n
	n=$(ns "$1" 1)
	fdb_add "$n" ov0 2 $(($2 - 2)) >/dev/null || return 1
	set -- "$1" "$2" $(fdb_dump "$n" ov0)
	[ "${3:-}" = "$2" ] || { log "$1: FDB has ${3:-?} entries, $2 expected"; return 1; }
}

# --- optional profile ----------------------------------------------------

PERF=
find_perf() {
	local p
	for p in /usr/bin/perf_* "$(command -v perf)"; do
		[ -x "$p" ] && "$p" record -o "$TMP/probe.data" -e cpu-clock -a -- true \
			>/dev/null 2>&1 && { PERF=$p; return 0; }
	done
	return 1
}

# profile CONFIG NAME CMD...: the hottest symbols while CMD (a measurement
# of CONFIG: "pps CONFIG" or "tcp CONFIG 1") runs, then who calls memset:
# zeroing a new buffer is how a per-packet allocation or copy shows (ovl
# once reallocated every frame for lack of headroom).  perf starts first
# (it loads slowly over 9p) and is stopped when CMD ends, so the samples
# cover the traffic rather than perf's start-up.  For breakdown.py, every
# symbol's share and CMD's figure as lines
#   PROFILE <config> <name> <percent> <symbol> / PROFILE <config> <name> value <figure>
# (under --icount cpu-clock samples fall every so many instructions, so
# the shares are of the instructions executed).
profile() {
	local c=$1 name=$2 v
	shift 2
	rm -f "$TMP/perf.data"
	"$PERF" record -q -g -o "$TMP/perf.data" -e cpu-clock -a -- sleep 120 >/dev/null 2>&1 &
	local p=$!
	wait_for 30 test -s "$TMP/perf.data" || log "profile: perf did not start"
	v=$("$@")
	kill -INT "$p" 2>/dev/null
	wait "$p"
	echo "PROFILE $c $name value ${v:-fail}"
	# One report, every symbol, for both the PROFILE lines and the top 25.
	"$PERF" report -i "$TMP/perf.data" --stdio --no-children --sort sym -g none \
		> "$TMP/report.txt" 2>/dev/null
	awk -v c="$c" -v n="$name" '$1 ~ /^[0-9.]+%$/ && $2 ~ /^\[/ {
		sub(/%$/, "", $1); print "PROFILE", c, n, $1, $3 }' "$TMP/report.txt"
	echo "# profile $c ($name, cpu-clock samples, all CPUs):"
	grep -E '^ +[0-9]' "$TMP/report.txt" | head -n 25 | sed 's/^/#   /'
	# Which variant runs depends on the guest CPU: memset_erms with
	# ERMS, memset itself (rep stosq) or memset_orig without.
	echo "# profile $c ($name): callers of memset:"
	"$PERF" report -i "$TMP/perf.data" --stdio --no-children --sort sym \
		-S memset,memset_erms,memset_orig -G 2>/dev/null | grep -Ev '^#|^ *$' |
		head -n 60 | sed 's/^/#   /'
}

# --- main ----------------------------------------------------------------

log "kernel $(uname -r), $(nproc) CPUs, reps $REPS, ${SECS} s per run"
[ -n "${OVL_KO:-}" ] || die "OVL_KO is not set"
modprobe -q udp_tunnel; modprobe -q ip6_udp_tunnel
insmod "$OVL_KO" || die "insmod $OVL_KO failed"
for c in $CONFIGS; do
	setup_pair "$c" || die "setup of $c failed"
	reachable "$c" || die "$c: no ping over the topology"
done
# The FDB-scaling tunnels: their own pairs, filled before any traffic.
SCALED=
for size in $FDB_SIZES; do
	for k in vxlan ovl; do
		c=$k-f$size
		log "FDB: $k with $size entries"
		setup_pair "$c" && fdb_fill "$c" "$size" && reachable "$c" ||
			die "$c: cannot set up $k with $size FDB entries"
		SCALED="$SCALED $k@$size"
	done
done

# The GRO-underlay pairs, measured in the same rounds too.
GRO=
if [ "${BENCH_GRO:-0}" = 1 ]; then
	for k in veth vxlan ovl; do
		setup_pair "$k-gro" && reachable "$k-gro" ||
			die "$k-gro: cannot set up $k over a GRO underlay"
		GRO="$GRO $k+gro"
	done
fi
emit info kernel all 0 "$(uname -r)"
# Under --icount: a guest second is 1e9 / 2^shift instructions.
[ -n "${BENCH_ICOUNT:-}" ] && emit info icount_shift all 0 "$BENCH_ICOUNT"

run_phase base "$CONFIGS$SCALED$GRO" "tcp1 tcp4 pps"
run_phase base "$CONFIGS" "rr"

# FDB programming in its own netns, away from the traffic devices.
ip netns add "$(ns prog 1)"
ip -n "$(ns prog 1)" link add eth0 type dummy
ip -n "$(ns prog 1)" addr add 10.0.0.1/24 dev eth0
ip -n "$(ns prog 1)" link set eth0 up
for r in $(seq 1 "$REPS"); do
	log "prog: round $r/$REPS, $PROG entries"
	for k in $(rotate "ovl vxlan" $((r - 1))); do
		prog_one "$k" "$r"
	done
done

# ovl-agent's convergence: agent-scale.sh prints what the kernel's
# time stamps say ("# scale: ..." lines); the test's own assertions
# must hold too, or the figure is a failure.
agent_one() {
	local k=$1 r=$2 out=$TMP/agent-$1-$2 v
	log "agent: $k, round $r"
	if ! KIND=$k OVL_NS_PREFIX=bench-agent bash "$BENCH_SRC/selftests/agent-scale.sh" > "$out" 2>&1; then
		tail -n 20 "$out" >&2
		: > "$out"	# a failed run yields no figure: each is "fail" below
	fi
	for n in 10 100 1000 1001; do
		v=$(sed -n "s/^# scale: $n peers: \([0-9]*\) ms from the last write.*/\1/p" "$out")
		emit agent "peers${n}_ms" "$k" "$r" "${v:-fail}"
	done
	v=$(sed -n 's/^# scale: restart with 1001 peers: \([0-9]*\) ms to ready.*/\1/p' "$out")
	emit agent restart_ms "$k" "$r" "${v:-fail}"
}
if [ "${BENCH_AGENT:-0}" = 1 ]; then
	for r in $(seq 1 "$REPS"); do
		for k in $(rotate "ovl vxlan" $((r - 1))); do
			agent_one "$k" "$r"
		done
	done
fi

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
	if find_perf; then
		for c in veth vxlan ovl; do
			profile "$c" udp64 pps "$c"
			profile "$c" tcp1 tcp "$c" 1
		done
	else
		log "profile: perf cannot sample in this guest; skipped"
	fi
fi

if dmesg | grep -Eq 'WARNING:|BUG:|Oops|general protection'; then
	log "kernel log has a splat:"
	dmesg | grep -E -A5 'WARNING:|BUG:|Oops|general protection' | head -n 30
	emit info splat all 0 1
fi
exit 0
