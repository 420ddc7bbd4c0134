# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the ovl selftests, sourced (by bash) from every
# selftests/*.sh.  In the spirit of WireGuard's tests/netns.sh: each "host"
# is a network namespace, commands are echoed before they run, and
# everything the test created is deleted on exit, however it exits.
#
# OUTPUT CONTRACT (selftests/run.sh counts these; one line per case):
#   [PASS] <case>
#   [FAIL] <case>: <why>
#   [SKIP] <case>: <why>
# The marker starts the line and is followed by one space.  Every other
# line (echoed commands, tool output) is log and is not counted.
#
# EXIT CODES (kselftest): 0 no case failed, 1 a case failed,
# 4 nothing ran (every case skipped).
#
# ENVIRONMENT
#   KIND            link kind under test: ovl (default) or vxlan.  vxlan is
#                   the in-kernel driver ovl is wire-compatible with, so the
#                   suite can run on a host that cannot load ovl.ko; cases
#                   that test ovl-only behaviour then print [SKIP].
#   OVL_NS_PREFIX   prefix of the netns names (run.sh sets it so it can
#                   sweep what a killed script left behind).
#   IP_LIB_DIR      where ip(8) finds link_ovl.so; set to the repo's
#                   tools/iproute2 when the plugin has been built there.
#   OVL_WAIT_SCALE  multiplies every wait_for bound (default 1).
#
# ADDRESS PLAN (host i = 1..N)
#   underlay eth0: 10.0.0.i/24 and fd00::i/64
#   overlay       : 192.168.1.i/24 and fd01::i/64 (per test, see ovl_addr)

set -u

KIND=${KIND:-ovl}
case $KIND in
ovl|vxlan) ;;
*) echo "KIND must be ovl or vxlan, not '$KIND'" >&2; exit 1 ;;
esac

SELFTESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP_DIR=$(dirname "$SELFTESTS_DIR")
TEST_NAME=$(basename "$0" .sh)
NS_PREFIX=${OVL_NS_PREFIX:-ovlst-$$}
# cleanup deletes every netns under this prefix, even if a test changed
# NS_PREFIX to build a second topology.
NS_PREFIX_ROOT=$NS_PREFIX

# The plugin built in the tree wins over an installed one, so a developer
# always tests the plugin that matches the module being tested.
if [ -e "$TOP_DIR/tools/iproute2/link_ovl.so" ]; then
	export IP_LIB_DIR="$TOP_DIR/tools/iproute2"
fi

PASSES=0
FAILS=0
SKIPS=0
BG_PIDS=()

# --- output --------------------------------------------------------------

# pp CMD...: echo the command, then run it (its status is returned).
pp() {
	printf '+ %s\n' "$*"
	"$@"
}

ok() {
	printf '[PASS] %s\n' "$1"
	PASSES=$((PASSES + 1))
}

fail() {
	printf '[FAIL] %s: %s\n' "$1" "${2:-failed}"
	FAILS=$((FAILS + 1))
}

skip() {
	printf '[SKIP] %s: %s\n' "$1" "$2"
	SKIPS=$((SKIPS + 1))
}

# check CASE CMD...: the case passes when CMD succeeds.
check() {
	local name=$1
	shift
	if pp "$@"; then ok "$name"; else fail "$name" "command failed: $*"; fi
}

# check_err CASE REGEX CMD...: CMD must fail, and its stderr must match
# REGEX (extended, case-insensitive) so that "fails for the right reason"
# is tested, not merely "fails".  An empty REGEX accepts any message.
check_err() {
	local name=$1 re=$2 err
	shift 2
	if err=$(pp "$@" 2>&1); then
		printf '%s\n' "$err"
		fail "$name" "succeeded but must fail: $*"
		return 1
	fi
	printf '%s\n' "$err"
	if [ -n "$re" ] && ! printf '%s\n' "$err" | grep -Eqi -- "$re"; then
		fail "$name" "failed without the expected message /$re/: $*"
		return 1
	fi
	ok "$name"
}

# finish: exit with the kselftest code for what was reported.
finish() {
	printf '# %s: %d passed, %d failed, %d skipped (cases)\n' \
		"$TEST_NAME" "$PASSES" "$FAILS" "$SKIPS"
	if [ "$FAILS" -gt 0 ]; then exit 1; fi
	if [ "$PASSES" -eq 0 ]; then exit 4; fi
	exit 0
}

# skip_all WHY: the rest of this script can not run here.
skip_all() {
	skip "$TEST_NAME" "$1"
	finish
}

# die WHY: setup failed; the test can not go on and that is a failure.
die() {
	fail "${TEST_NAME}: setup" "$1"
	finish
}

# must CMD...: setup step; a failure ends the script with [FAIL].
# Functions of this file echo their own commands; others are echoed here.
must() {
	if declare -F "$1" >/dev/null; then
		"$@" || die "$*"
	else
		pp "$@" || die "$*"
	fi
}

# --- kind under test -----------------------------------------------------

# is_ovl_kind: true when the kind under test is ovl.
is_ovl_kind() { [ "$KIND" = ovl ]; }

# ovl_only CASE WHY: true for KIND=ovl; otherwise prints the [SKIP] line
# for a case that checks behaviour vxlan does not have.
ovl_only() {
	is_ovl_kind && return 0
	skip "$1" "ovl-only: $2 (KIND=$KIND)"
	return 1
}

# ovl_args_supported: can ip(8) pass options to a device of $KIND?
# Without the plugin "ip link add X type ovl" works but takes no option.
ovl_args_supported() {
	! is_ovl_kind && return 0
	[ -e "${IP_LIB_DIR:-/usr/lib/ip}/link_ovl.so" ]
}

# need_ovl_args: skip the whole script when options can not be passed.
# Also skips when this kernel has no ovl (not loaded, not installed).
need_ovl_args() {
	ovl_args_supported ||
		skip_all "ip(8) can not configure kind ovl: tools/iproute2/link_ovl.so is not built"
	if is_ovl_kind && [ ! -d /sys/module/ovl ] && ! modprobe -q ovl 2>/dev/null; then
		skip_all "the ovl module is neither loaded nor installed"
	fi
}

# ovl_add NS DEV ARGS...: create the device under test with vxlan's
# keywords.  vxlan defaults to the Linux port 8472, ovl to IANA's 4789:
# pass 4789 to vxlan so that both kinds talk to each other.
ovl_add() {
	local ns=$1 dev=$2
	shift 2
	if ! is_ovl_kind; then
		case " $* " in
		*" dstport "*) ;;
		*) set -- "$@" dstport 4789 ;;
		esac
	fi
	pp ip -n "$ns" link add "$dev" type "$KIND" "$@"
}

# ovl_set NS DEV ARGS...: changelink with vxlan's keywords.
ovl_set() {
	local ns=$1 dev=$2
	shift 2
	pp ip -n "$ns" link set "$dev" type "$KIND" "$@"
}

# vxlan_add NS DEV ARGS...: the in-kernel vxlan, always on port 4789.
vxlan_add() {
	local ns=$1 dev=$2
	shift 2
	pp ip -n "$ns" link add "$dev" type vxlan "$@" dstport 4789
}

# --- hosts ---------------------------------------------------------------

# ns_of I: the netns name of host I (or "sw" for the switch).
ns_of() { printf '%s-%s' "$NS_PREFIX" "$1"; }

u4() { printf '10.0.0.%s' "$1"; }
u6() { printf 'fd00::%s' "$1"; }
o4() { printf '192.168.1.%s' "$1"; }
o6() { printf 'fd01::%s' "$1"; }

# on NS CMD...: run CMD inside netns NS, echoed.
on() {
	local ns=$1
	shift
	pp ip netns exec "$ns" "$@"
}

# q NS CMD...: like in, silent (for polls and value reads).
q() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# ns_add NS: a fresh netns with lo up and DAD off, so that IPv6 addresses
# are usable as soon as they are added (no wait on a timer).
ns_add() {
	must ip netns add "$1"
	must ip -n "$1" link set lo up
	q "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0
	q "$1" sysctl -qw net.ipv6.conf.default.accept_dad=0
}

# host_underlay I: address eth0 of host I and bring it up.
host_underlay() {
	local ns
	ns=$(ns_of "$1")
	must ip -n "$ns" addr add "$(u4 "$1")/24" dev eth0
	must ip -n "$ns" addr add "$(u6 "$1")/64" dev eth0 nodad
	must ip -n "$ns" link set eth0 up
}

# hosts_direct: hosts 1 and 2, eth0 to eth0 over one veth pair.
hosts_direct() {
	local h1 h2
	h1=$(ns_of 1)
	h2=$(ns_of 2)
	ns_add "$h1"
	ns_add "$h2"
	must ip -n "$h1" link add eth0 type veth peer name eth0 netns "$h2"
	host_underlay 1
	host_underlay 2
}

# hosts_switch N: hosts 1..N, each eth0 plugged into bridge br0 of a
# switch netns.
hosts_switch() {
	local n=$1 i h sw
	sw=$(ns_of sw)
	ns_add "$sw"
	must ip -n "$sw" link add br0 type bridge
	must ip -n "$sw" link set br0 up
	for i in $(seq 1 "$n"); do
		h=$(ns_of "$i")
		ns_add "$h"
		must ip -n "$h" link add eth0 type veth peer name "p$i" netns "$sw"
		must ip -n "$sw" link set "p$i" master br0 up
		host_underlay "$i"
	done
}

# ovl_up NS DEV ADDR...: address the overlay device and bring it up.
# IPv6 is turned off on the device when no IPv6 address is given so that
# router solicitations and MLD reports do not add unasked-for frames to
# counters, captures and the FDB.
ovl_up() {
	local ns=$1 dev=$2 a v6=0
	shift 2
	for a in "$@"; do
		case $a in *:*) v6=1 ;; esac
	done
	if [ $v6 = 0 ]; then
		q "$ns" sysctl -qw "net/ipv6/conf/$dev/disable_ipv6=1"
	fi
	for a in "$@"; do
		case $a in
		*:*) must ip -n "$ns" addr add "$a" dev "$dev" nodad ;;
		*) must ip -n "$ns" addr add "$a" dev "$dev" ;;
		esac
	done
	must ip -n "$ns" link set "$dev" up
}

# --- waiting and reading -------------------------------------------------

now_ms() { date +%s%3N; }

# wait_for SECONDS CMD...: poll CMD every 100 ms until it succeeds; fail
# after SECONDS (times OVL_WAIT_SCALE, default 1, for very slow machines:
# a success returns at once, so a larger bound only slows failures).
# This is the only way tests wait: never a bare sleep.
wait_for() {
	local end=$(($(now_ms) + $1 * 1000 * ${OVL_WAIT_SCALE:-1}))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# ping_ok NS DST: DST answers within 10 s (the first probe may be spent
# on ARP/ND through the overlay).
ping_ok() {
	printf '+ [%s] ping %s\n' "$1" "$2"
	wait_for 10 q "$1" ping -c 1 -W 1 "$2"
}

# ping_fails NS DST: none of 3 probes is answered.
ping_fails() {
	printf '+ [%s] ping %s (must fail)\n' "$1" "$2"
	! q "$1" ping -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1
}

# counter NS DEV NAME: a device statistic, e.g. rx_packets.
counter() {
	q "$1" cat "/sys/class/net/$2/statistics/$3"
}

# counter_ge NS DEV NAME MIN: the statistic is at least MIN.
counter_ge() {
	[ "$(counter "$1" "$2" "$3")" -ge "$4" ]
}

# mac_of NS DEV
mac_of() {
	q "$1" cat "/sys/class/net/$2/address"
}

# fdb NS DEV: the device's FDB as bridge(8) prints it, sorted so that two
# dumps of the same table compare equal.
fdb() {
	bridge -n "$1" fdb show dev "$2" | sort
}

# fdb_has NS DEV REGEX: an FDB line matches REGEX (extended).
fdb_has() {
	fdb "$1" "$2" | grep -Eq -- "$3"
}

# link_json NS DEV: "ip -d -j link show" without the parts that change by
# themselves (counters are not shown without -s; operstate can flap).
link_json() {
	ip -n "$1" -d -j link show dev "$2" | sed -e 's/"operstate":"[A-Z]*",//'
}

# info_has NS DEV JSON: the device's IFLA_INFO_DATA, as "ip -d -j link
# show" prints it, contains the fragment JSON, e.g. '"ttl":5'.  JSON rather
# than text: its keys are stable, the text's keywords are not ("maxaddress"
# is printed "maxaddr").  The ovl plugin prints vxlan's keys.
info_has() {
	ip -n "$1" -d -j link show dev "$2" |
		sed -n 's/.*"info_data":{\([^}]*\(}[^}]*\)*\)}}.*/\1/p' | grep -qF -- "$3"
}

# port_listening NS PORT: a TCP socket listens on PORT.
port_listening() {
	q "$1" ss -Htln "sport = :$2" | grep -q .
}

# tcp_transfer CLIENT_NS SERVER_NS SERVER_ADDR: move 1 MiB over TCP with
# iperf3 (kept small: TCG is ~15x slower than a native CPU).  Both ends
# must report success; the server is bound to SERVER_ADDR so the data
# can only flow to that address.
tcp_transfer() {
	local c=$1 s=$2 addr=$3 srv rc=0
	# timeout bounds the server's life, so waiting for it is bounded too.
	spawn "$s" "$TMP_DIR/iperf3-server.log" timeout 60 iperf3 -s -1 -B "$addr"
	srv=$SPAWNED
	if ! wait_for 10 port_listening "$s" 5201; then
		stop "$srv"
		echo "iperf3 server did not start"
		return 1
	fi
	if on "$c" timeout 60 iperf3 -c "$addr" -n 1M --connect-timeout 5000; then
		wait "$srv" || rc=1
	else
		rc=1
		stop "$srv"
	fi
	[ $rc = 0 ] || cat "$TMP_DIR/iperf3-server.log"
	return $rc
}

# --- background processes and cleanup ------------------------------------

# spawn NS LOGFILE CMD...: run CMD in NS in the background; its pid is
# in SPAWNED and is killed on exit.
SPAWNED=
spawn() {
	local ns=$1 log=$2
	shift 2
	printf '+ [%s] %s &\n' "$ns" "$*"
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	SPAWNED=$!
	BG_PIDS+=("$SPAWNED")
}

# stop PID: end a process this script spawned and reap it.  TERM, not
# INT: bash starts background jobs with SIGINT ignored.
stop() {
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

TMP_DIR=$(mktemp -d "/tmp/ovlst-$TEST_NAME.XXXXXX")

cleanup() {
	local pid ns
	trap - EXIT INT TERM
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for ns in $(ip netns list | awk -v p="$NS_PREFIX_ROOT-" 'index($1, p) == 1 { print $1 }'); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	rm -rf "$TMP_DIR"
}
trap cleanup EXIT
# A signal (run.sh's timeout) ends the script through the EXIT trap.
trap 'exit 1' INT TERM

# Netns need root; the kind must exist (ip link add loads its module).
if [ "$(id -u)" != 0 ]; then
	skip_all "needs root"
fi
