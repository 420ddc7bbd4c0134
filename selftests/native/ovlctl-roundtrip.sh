#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovlctl against the host's in-kernel vxlan (OVLCTL_KIND=vxlan: vxlan's
# attribute numbers are ovl's), in a throwaway netns: add with every
# parameter, set, show -j, remote, fdb, stats, del.  Every JSON document
# is parsed by python3 and the values are checked against what was set,
# and against ip/bridge's own view where they report the same thing.

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

OVLCTL=$TOP_DIR/tools/ovlctl/ovlctl
[ -x "$OVLCTL" ] || skip_all "tools/ovlctl/ovlctl is not built (make tools)"
command -v python3 >/dev/null || skip_all "python3 is not installed"
export OVLCTL_KIND=vxlan

NS=$(ns_of 1)
ns_add "$NS"
must ip -n "$NS" link add veth0 type veth peer name veth1
must ip -n "$NS" link set veth0 up
must ip -n "$NS" addr add 10.0.0.1/24 dev veth0

oc() { "$OVLCTL" -n "$NS" "$@"; }

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

check "add with every parameter" oc add vx0 vni 42 local 10.0.0.1 \
	remote 10.0.0.2 dev veth0 port 4789 srcport 1000 2000 ttl 64 \
	tos inherit df set learning off ageing 120 maxaddress 100 \
	udpcsum on mtu 1400
jcheck "show -j: identity" \
	'len(d) == 1 and d[0]["ifname"] == "vx0" and d[0]["kind"] == "vxlan" and d[0]["state"] == "down"' \
	"$OVLCTL" -n "$NS" -j show vx0
jcheck "show -j: every parameter as added" \
	'd[0]["vni"] == 42 and d[0]["local"] == "10.0.0.1" and d[0]["remote"] == "10.0.0.2" and d[0]["dev"] == "veth0" and d[0]["port"] == 4789 and d[0]["srcport_min"] == 1000 and d[0]["srcport_max"] == 2000 and d[0]["ttl"] == 64 and d[0]["tos"] == 1 and d[0]["df"] == "set" and d[0]["learning"] is False and d[0]["ageing"] == 120 and d[0]["maxaddress"] == 100 and d[0]["udpcsum"] is True and d[0]["mtu"] == 1400' \
	"$OVLCTL" -n "$NS" -j show vx0
# ip's own reading of the device agrees.
if ip -n "$NS" -d link show vx0 | grep -Eq 'vxlan id 42 remote 10.0.0.2 local 10.0.0.1 dev veth0 srcport 1000 2000 dstport 4789 nolearning tos inherit ttl 64 df set ageing 120 maxaddr 100'; then
	ok "ip -d link agrees with what add sent"
else
	ip -n "$NS" -d link show vx0
	fail "ip -d link agrees with what add sent" "unexpected vxlan parameters"
fi
printf "+ ovlctl show vx0\n"
if out=$(oc show vx0) && printf '%s\n' "$out" | grep -q '^vx0: ifindex' &&
   printf '%s\n' "$out" | grep -q 'vni 42 remote 10.0.0.2 local 10.0.0.1 dev veth0' &&
   printf '%s\n' "$out" | grep -q 'learning off ageing 120 maxaddress 100'; then
	printf '%s\n' "$out"
	ok "show: plain output"
else
	printf '%s\n' "$out"
	fail "show: plain output" "unexpected text"
fi

check "add a second device with no parameters but port" oc add vx1 vni 7 port 4790
jcheck "show -j without a name lists only devices of the kind" \
	'sorted(x["ifname"] for x in d) == ["vx0", "vx1"]' \
	"$OVLCTL" -n "$NS" -j show
jcheck "add sends only what was given (kernel defaults apply)" \
	'd[0]["learning"] is True and d[0]["ageing"] == 300 and "remote" not in d[0] and d[0]["port"] == 4790' \
	"$OVLCTL" -n "$NS" -j show vx1

# vxlan refuses to change maxaddress, udpcsum, port, vni: not sent here.
check "set: changelink" oc set vx0 learning on ageing 60 ttl 5 tos 0 \
	df inherit mtu 1300 remote 10.0.0.9
jcheck "show -j after set" \
	'd[0]["learning"] is True and d[0]["ageing"] == 60 and d[0]["ttl"] == 5 and d[0]["tos"] == 0 and d[0]["df"] == "inherit" and d[0]["maxaddress"] == 100 and d[0]["mtu"] == 1300 and d[0]["remote"] == "10.0.0.9" and d[0]["vni"] == 42 and d[0]["port"] == 4789' \
	"$OVLCTL" -n "$NS" -j show vx0
check "set: mtu alone" oc set vx0 mtu 1280
jcheck "mtu alone changed only the mtu" 'd[0]["mtu"] == 1280 and d[0]["ageing"] == 60' \
	"$OVLCTL" -n "$NS" -j show vx0

# --- remote (the all-zero MAC's destination list) -------------------------
check "remote add" oc remote add vx0 10.0.0.3
check "remote add with port and vni" oc remote add vx0 10.0.0.4 port 5555 vni 7
jcheck "remote show -j" \
	'sorted((r["dst"], r["port"], r["vni"]) for r in d) == [("10.0.0.3", 4789, 42), ("10.0.0.4", 5555, 7), ("10.0.0.9", 4789, 42)]' \
	"$OVLCTL" -n "$NS" -j remote show vx0
if fdb_has "$NS" vx0 '^00:00:00:00:00:00 dst 10.0.0.4 port 5555 vni 7 self permanent'; then
	ok "bridge fdb sees the appended remote"
else
	fdb "$NS" vx0
	fail "bridge fdb sees the appended remote" "entry missing"
fi
check "remote del" oc remote del vx0 10.0.0.4 port 5555 vni 7
jcheck "remote show -j after del" \
	'sorted(r["dst"] for r in d) == ["10.0.0.3", "10.0.0.9"]' \
	"$OVLCTL" -n "$NS" -j remote show vx0
printf '+ ovlctl remote show vx0\n'
if out=$(oc remote show vx0) && printf '%s\n' "$out" | grep -qx 'dst 10.0.0.3 port 4789 vni 42'; then
	ok "remote show: plain output"
else
	printf '%s\n' "$out"
	fail "remote show: plain output" "unexpected text"
fi

# --- fdb ------------------------------------------------------------------
check "fdb add (permanent)" oc fdb add vx0 02:00:00:00:00:01 10.0.0.5
check "fdb add static with vni" oc fdb add vx0 02:00:00:00:00:02 10.0.0.6 static vni 9
jcheck "fdb show -j" \
	'{e["mac"]: (e["dst"], e["vni"], e["state"], e["learned"]) for e in d if e["mac"] != "00:00:00:00:00:00"} == {"02:00:00:00:00:01": ("10.0.0.5", 42, "permanent", False), "02:00:00:00:00:02": ("10.0.0.6", 9, "static", False)} and all("used" in e and "updated" in e for e in d)' \
	"$OVLCTL" -n "$NS" -j fdb show vx0
jcheck "fdb show -j includes the default destinations" \
	'sum(1 for e in d if e["mac"] == "00:00:00:00:00:00") == 2' \
	"$OVLCTL" -n "$NS" -j fdb show vx0
check "fdb replace" oc fdb replace vx0 02:00:00:00:00:01 10.0.0.7 port 6000
jcheck "fdb show -j after replace" \
	'[(e["dst"], e["port"]) for e in d if e["mac"] == "02:00:00:00:00:01"] == [("10.0.0.7", 6000)]' \
	"$OVLCTL" -n "$NS" -j fdb show vx0
if fdb_has "$NS" vx0 '^02:00:00:00:00:01 dst 10.0.0.7 port 6000 self permanent'; then
	ok "bridge fdb sees the replaced entry"
else
	fdb "$NS" vx0
	fail "bridge fdb sees the replaced entry" "entry missing"
fi
check "fdb del" oc fdb del vx0 02:00:00:00:00:02
jcheck "fdb show -j after del" \
	'not any(e["mac"] == "02:00:00:00:00:02" for e in d)' \
	"$OVLCTL" -n "$NS" -j fdb show vx0

# --- stats ----------------------------------------------------------------
must ip -n "$NS" link set vx0 up
jcheck "stats -j" \
	'd["ifname"] == "vx0" and all(isinstance(d["stats64"][k], int) for k in ("rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped", "tx_dropped", "rx_errors", "tx_errors")) and "xstats" not in d' \
	"$OVLCTL" -n "$NS" -j stats vx0
tx=$(counter "$NS" vx0 tx_packets)
jcheck "stats -j matches the kernel's counters" "d['stats64']['tx_packets'] == $tx" \
	"$OVLCTL" -n "$NS" -j stats vx0

# --- del ------------------------------------------------------------------
check "del" oc del vx0
if ip -n "$NS" link show vx0 >/dev/null 2>&1; then
	fail "del removed the device" "vx0 still exists"
else
	ok "del removed the device"
fi
check "del the second device" oc del vx1
jcheck "show -j with no device is an empty list" 'd == []' "$OVLCTL" -n "$NS" -j show

finish
