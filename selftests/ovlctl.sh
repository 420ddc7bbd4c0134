#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovlctl against the ovl module: every command on "type ovl" devices in
# two netns joined by a veth (lib.sh hosts_direct), JSON parsed by
# python3, learning and stats from real traffic, and every error path:
# non-zero exit, the expected message, and the device unchanged (its
# "ovlctl -j show" and "ovlctl -j fdb show" compared before and after).
# KIND=vxlan runs what vxlan also does (ovlctl's OVLCTL_KIND switch) and
# skips the ovl-only cases.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

OVLCTL=$TOP_DIR/tools/ovlctl/ovlctl
[ -x "$OVLCTL" ] || skip_all "tools/ovlctl/ovlctl is not built (make tools)"
command -v python3 >/dev/null || skip_all "python3 is not installed"
export OVLCTL_KIND=$KIND
# vxlan's default port is 8472: name 4789 so both kinds behave alike.
PORT=
is_ovl_kind || PORT="port 4789"

hosts_direct
H1=$(ns_of 1)
H2=$(ns_of 2)

oc() { "$OVLCTL" -n "$H1" "$@"; }

# jcheck CASE PYEXPR CMD...: CMD prints one JSON document d for which the
# python expression PYEXPR is true.
jcheck() {
	local name=$1 expr=$2 out
	shift 2
	printf '+ %s\n' "$*"
	if ! out=$("$@"); then
		fail "$name" "command failed: $*"
		return
	fi
	printf '%s\n' "$out"
	if printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$expr"; then
		ok "$name"
	else
		fail "$name" "not true of the JSON: $expr"
	fi
}

# snapshot DEV: what a refused command must leave as it was.
snapshot() {
	oc -j show "$1" | sed -e 's/"operstate":"[A-Z]*",//'
	oc -j fdb show "$1" | sed -e 's/"used":[0-9]*,"updated":[0-9]*//g'
}

# bad CASE RC REGEX ARGS...: "ovlctl ARGS" in H1 exits RC (1 kernel or
# lookup, 2 usage), prints one line matching REGEX, and ovl0 is unchanged.
bad() {
	local name=$1 want=$2 re=$3 before after rc err
	shift 3
	before=$(snapshot ovl0)
	printf '+ ovlctl %s\n' "$*"
	err=$(oc "$@" 2>&1 >/dev/null)
	rc=$?
	printf '%s\n' "$err"
	after=$(snapshot ovl0)
	if [ $rc != "$want" ]; then
		fail "rejects: $name" "exit status $rc, expected $want"
	elif [ "$(printf '%s\n' "$err" | wc -l)" != 1 ]; then
		fail "rejects: $name" "not exactly one line on stderr"
	elif ! printf '%s\n' "$err" | grep -Eq -- "$re"; then
		fail "rejects: $name" "no message matching /$re/"
	elif [ "$before" != "$after" ]; then
		printf 'before: %s\nafter:  %s\n' "$before" "$after"
		fail "rejects: $name" "ovl0 changed"
	else
		ok "rejects: $name"
	fi
}

# --- add / show -----------------------------------------------------------

if ovl_only "add with no parameters" "vxlan needs a VNI"; then
	check "add with no parameters" oc add bare0
	jcheck "show -j: no VNI, ovl defaults" \
		'"vni" not in d[0] and d[0]["port"] == 4789 and d[0]["learning"] is True and d[0]["ageing"] == 300 and d[0]["mtu"] == 1450 and d[0]["kind"] == "ovl"' \
		oc -j show bare0
	check "set a VNI on it" oc set bare0 vni 5
	jcheck "the VNI is shown" 'd[0]["vni"] == 5' oc -j show bare0
	check "del it" oc del bare0
fi

# shellcheck disable=SC2086
check "add with every parameter" oc add ovl0 vni 42 local "$(u4 1)" \
	remote "$(u4 2)" dev eth0 srcport 1000 2000 ttl 64 tos inherit \
	df set learning on ageing 120 maxaddress 100 udpcsum on \
	udp6zerocsumtx off udp6zerocsumrx off mtu 1400 $PORT
jcheck "show -j: every parameter as added" \
	'len(d) == 1 and d[0]["ifname"] == "ovl0" and d[0]["vni"] == 42 and d[0]["local"] == "10.0.0.1" and d[0]["remote"] == "10.0.0.2" and d[0]["dev"] == "eth0" and d[0]["port"] == 4789 and d[0]["srcport_min"] == 1000 and d[0]["srcport_max"] == 2000 and d[0]["ttl"] == 64 and d[0]["tos"] == 1 and d[0]["df"] == "set" and d[0]["learning"] is True and d[0]["ageing"] == 120 and d[0]["maxaddress"] == 100 and d[0]["udpcsum"] is True and d[0]["udp6zerocsumtx"] is False and d[0]["udp6zerocsumrx"] is False and d[0]["mtu"] == 1400' \
	oc -j show ovl0
if ovl_only "show -j: FDB counts" "IFLA_OVL_FDB_COUNT is ovl's"; then
	jcheck "show -j: FDB counts" 'd[0]["fdb_count"] == 1 and d[0]["fdb_learned"] == 0' oc -j show ovl0
fi
check "show (plain)" oc show ovl0
jcheck "show -j lists every device of the kind, and only those" \
	'[x["ifname"] for x in d] == ["ovl0"]' oc -j show

# --- set --------------------------------------------------------------------

check "set: learning ageing ttl tos df label-free changes" \
	oc set ovl0 learning off ageing 60 ttl auto tos 0 df unset
jcheck "show -j after set" \
	'd[0]["learning"] is False and d[0]["ageing"] == 60 and d[0]["ttl"] == 0 and d[0]["tos"] == 0 and d[0]["df"] == "unset" and d[0]["vni"] == 42' \
	oc -j show ovl0
check "set: mtu with parameters" oc set ovl0 mtu 1300 learning on
jcheck "mtu and learning changed" 'd[0]["mtu"] == 1300 and d[0]["learning"] is True' oc -j show ovl0
if ovl_only "set: vni, port, maxaddress, udpcsum" "vxlan refuses to change them"; then
	check "set: vni, port, maxaddress, udpcsum" \
		oc set ovl0 vni 43 port 4790 maxaddress 0 udpcsum off
	jcheck "show -j after set of vni and port" \
		'd[0]["vni"] == 43 and d[0]["port"] == 4790 and d[0]["maxaddress"] == 0 and d[0]["udpcsum"] is False' \
		oc -j show ovl0
	check "set: back to vni 42, port 4789" oc set ovl0 vni 42 port 4789
fi

# --- remote -----------------------------------------------------------------

check "remote add" oc remote add ovl0 10.0.0.3
check "remote add with port and vni" oc remote add ovl0 10.0.0.4 port 5555 vni 7
jcheck "remote show -j" \
	'sorted((r["dst"], r["port"], r["vni"]) for r in d) == [("10.0.0.2", 4789, 42), ("10.0.0.3", 4789, 42), ("10.0.0.4", 5555, 7)]' \
	oc -j remote show ovl0
if fdb_has "$H1" ovl0 '^00:00:00:00:00:00 dst 10.0.0.4 port 5555 vni 7 self permanent'; then
	ok "bridge fdb sees the appended remote"
else
	fdb "$H1" ovl0
	fail "bridge fdb sees the appended remote" "entry missing"
fi
check "remote del" oc remote del ovl0 10.0.0.4 port 5555 vni 7
check "remote del another" oc remote del ovl0 10.0.0.3
jcheck "remote show -j after del" '[r["dst"] for r in d] == ["10.0.0.2"]' oc -j remote show ovl0

# --- fdb --------------------------------------------------------------------

check "fdb add" oc fdb add ovl0 02:00:00:00:00:01 10.0.0.5
check "fdb add static with vni" oc fdb add ovl0 02:00:00:00:00:02 10.0.0.6 static vni 9
jcheck "fdb show -j" \
	'{e["mac"]: (e["dst"], e["vni"], e["state"], e["learned"]) for e in d if e["mac"] != "00:00:00:00:00:00"} == {"02:00:00:00:00:01": ("10.0.0.5", 42, "permanent", False), "02:00:00:00:00:02": ("10.0.0.6", 9, "static", False)}' \
	oc -j fdb show ovl0
check "fdb replace" oc fdb replace ovl0 02:00:00:00:00:01 10.0.0.7 port 6000
jcheck "fdb show -j after replace" \
	'[(e["dst"], e["port"]) for e in d if e["mac"] == "02:00:00:00:00:01"] == [("10.0.0.7", 6000)]' \
	oc -j fdb show ovl0
check "fdb del" oc fdb del ovl0 02:00:00:00:00:02
jcheck "fdb show -j after del" 'not any(e["mac"] == "02:00:00:00:00:02" for e in d)' oc -j fdb show ovl0
if ovl_only "show -j: FDB counts follow fdb add/del" "IFLA_OVL_FDB_COUNT is ovl's"; then
	jcheck "show -j: FDB counts follow fdb add/del" 'd[0]["fdb_count"] == 2' oc -j show ovl0
fi

# --- traffic: learning and stats ------------------------------------------

# shellcheck disable=SC2086
must "$OVLCTL" -n "$H2" add ovl0 vni 42 local "$(u4 2)" remote "$(u4 1)" $PORT
ovl_up "$H1" ovl0 "$(o4 1)/24"
ovl_up "$H2" ovl0 "$(o4 2)/24"
if ping_ok "$H1" "$(o4 2)"; then ok "ping over the overlay"; else fail "ping over the overlay" "no reply"; fi
mac2=$(mac_of "$H2" ovl0)
jcheck "fdb show -j: the peer's MAC was learned" \
	"any(e['mac'] == '$mac2' and e['learned'] and e['state'] in ('reachable', 'stale') and e['dst'] == '10.0.0.2' for e in d)" \
	oc -j fdb show ovl0
tx=$(counter "$H1" ovl0 tx_packets)
jcheck "stats -j: standard counters" \
	"d['ifname'] == 'ovl0' and d['stats64']['tx_packets'] >= $tx and d['stats64']['tx_packets'] > 0 and d['stats64']['rx_packets'] > 0" \
	oc -j stats ovl0
if ovl_only "stats -j: xstats by name" "IFLA_INFO_XSTATS is ovl's"; then
	jcheck "stats -j: xstats by name" \
		'set(d["xstats"]) >= {"rx_drop_short", "rx_drop_own_mac", "rx_drop_bad_src_mac", "rx_drop_ecn", "rx_drop_nomem", "tx_drop_no_dest", "tx_drop_no_route", "tx_drop_loop", "tx_drop_nomem", "tx_drop_no_sock", "fdb_learned", "fdb_moved", "fdb_aged", "fdb_learn_full", "fdb_learn_static", "sock_rx_packets", "sock_rx_drop_bad_hdr", "sock_rx_drop_unknown_vni", "sock_rx_drop_down", "fdb_learn_nomem"} and d["xstats"]["fdb_learned"] >= 1 and d["xstats"]["sock_rx_packets"] >= 1' \
		oc -j stats ovl0
	jcheck "show -j: learned count" 'd[0]["fdb_learned"] >= 1' oc -j show ovl0
fi
check "stats (plain)" oc stats ovl0

must "$OVLCTL" -n "$H1" set ovl0 proxy on l2miss on l3miss on rsc on
jcheck "set proxy, l2miss, l3miss, rsc" 'd[0]["proxy"] is True and d[0]["l2miss"] is True and d[0]["l3miss"] is True and d[0]["rsc"] is True' \
	oc -j show ovl0
must "$OVLCTL" -n "$H1" set ovl0 proxy off l2miss off l3miss off rsc off
jcheck "unset proxy, l2miss, l3miss, rsc" 'd[0]["proxy"] is False and d[0]["l2miss"] is False and d[0]["l3miss"] is False and d[0]["rsc"] is False' \
	oc -j show ovl0

# A multicast remote is a group: ovl0 has an underlay, so it joins it.
old_remote=$(ip -n "$H1" -d -j link show dev ovl0 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_data"].get("remote", "0.0.0.0"))')
if oc set ovl0 remote 239.1.1.1 &&
	ip -n "$H1" -d link show dev ovl0 | grep -q ' group 239.1.1.1 '; then
	ok "set a multicast group as the remote"
else
	fail "set a multicast group as the remote"
fi
must "$OVLCTL" -n "$H1" set ovl0 remote "$old_remote"

# --- errors: non-zero exit, one line, ovl0 unchanged -------------------------

# The snapshots must not see ageing at work (ageing is 60 s here, and a
# slow kernel takes longer than that for this section): no learning, and
# the learned entry removed.
must "$OVLCTL" -n "$H1" set ovl0 learning off
must "$OVLCTL" -n "$H1" fdb del ovl0 "$mac2"

bad "unknown parameter" 2 'unknown parameter "bogus"' set ovl0 bogus 1
bad "vni 2^24" 2 'invalid vni "16777216"' set ovl0 vni 16777216
bad "port 0" 2 'invalid port "0"' set ovl0 port 0
bad "port 65536" 2 'invalid port "65536"' set ovl0 port 65536
bad "ttl 256" 2 'invalid ttl "256"' set ovl0 ttl 256
bad "bad address" 2 'invalid address "10.0.0.256"' set ovl0 remote 10.0.0.256
bad "learning word" 2 'learning: expected on or off' set ovl0 learning yes
bad "valid then invalid: nothing sent" 2 'invalid vni "x"' set ovl0 ageing 5 vni x
bad "bad MAC" 2 'invalid MAC address "02:00:00:00:00"' fdb add ovl0 02:00:00:00:00 10.0.0.5
bad "missing device" 1 'device "nosuch" does not exist' set nosuch vni 1
bad "missing lower device" 1 'lower device "nosuch" does not exist' set ovl0 dev nosuch
bad "foreign kind" 1 "eth0 is not a device of kind $KIND" del eth0
bad "existing device" 1 'add ovl0: File exists' add ovl0 vni 42
bad "duplicate fdb entry" 1 'File exists' fdb add ovl0 02:00:00:00:00:01 10.0.0.7 port 6000
bad "kernel extack: mtu too small" 1 'set ovl0: mtu less than device minimum' set ovl0 mtu 10
# A refusal after the MTU was set puts the MTU back: the snapshot compares it.
bad "kernel refusal: local family differs from remote" 1 'set ovl0: .+' set ovl0 mtu 1280 remote fd00::2

# --- del ----------------------------------------------------------------------

check "del" oc del ovl0
if ip -n "$H1" link show ovl0 >/dev/null 2>&1; then
	fail "del removed the device" "ovl0 still exists"
else
	ok "del removed the device"
fi
jcheck "show -j with no device is an empty list" 'd == []' oc -j show

finish
