#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ip(8) with link_ovl.so against the loaded ovl module: create, change and
# show round trips, text and JSON, and every error path of the plugin
# (non-zero exit, ip's message, device unchanged).
#
# KIND=vxlan runs the same cases against the in-kernel vxlan driver with
# the plugin built as kind "vxlan" (tools/iproute2/test-lib, which ip
# loads instead of its built-in vxlan code): that checks the plugin on a
# host without ovl.ko, and adds cases comparing its output with ip's own
# vxlan printer.  Changes vxlan refuses, and ovl-only output, are skipped.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
if is_ovl_kind; then
	need_ovl_args
else
	make -C "$TOP_DIR/tools/iproute2" test-lib >/dev/null 2>&1 ||
		skip_all "can not build tools/iproute2/test-lib/link_vxlan.so"
	STOCK_IP_LIB_DIR=$TMP_DIR/none
	export IP_LIB_DIR=$TOP_DIR/tools/iproute2/test-lib
	# Everything below is void unless ip really runs the plugin's code.
	ip link help vxlan 2>&1 | grep -q '^Usage: \.\.\. vxlan \[ id VNI \]' ||
		die "ip does not load test-lib/link_vxlan.so in place of its vxlan code"
fi

NS=$(ns_of 1)
ns_add "$NS"
must ip -n "$NS" link add eth0 type veth peer name eth1

# info DEV: IFLA_INFO_DATA as ip -j -d prints it (sorted JSON, one line).
info() {
	ip -n "$NS" -j -d link show dev "$1" | python3 -c '
import json, sys
print(json.dumps(json.load(sys.stdin)[0]["linkinfo"].get("info_data", {}), sort_keys=True))'
}

# text DEV: the kind line of ip -d link show, from the kind to addrgenmode.
text() {
	ip -n "$NS" -d link show dev "$1" | sed -n "s/^    $KIND \(.*\) addrgenmode .*/\1/p"
}

# jcheck CASE DEV PYEXPR: PYEXPR, evaluated with d = the info_data dict,
# is true.
jcheck() {
	local name=$1 dev=$2 expr=$3 j
	j=$(info "$dev")
	if python3 -c "import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if ($expr) else 1)" "$j"; then
		ok "$name"
	else
		printf 'info_data: %s\nexpected: %s\n' "$j" "$expr"
		fail "$name" "JSON does not match"
	fi
}

# tcheck CASE DEV STRING: the text output contains STRING (in order).
tcheck() {
	local name=$1 dev=$2 want=$3 t
	t=$(text "$dev")
	case " $t " in
	*" $want "*) ok "$name" ;;
	*) printf 'text: %s\n' "$t"; fail "$name" "text lacks '$want'" ;;
	esac
}

# --- creation and show ----------------------------------------------------

DEV4="id 7 remote 10.0.0.2 local 10.0.0.1 dev eth0 dstport 4789 srcport 1000 2000
ttl 64 tos 0x10 df set nolearning ageing 100 maxaddress 50 noudpcsum
udp6zerocsumtx udp6zerocsumrx"
# shellcheck disable=SC2086
check "create: ipv4, every parameter" ovl_add "$NS" ov4 $DEV4
tcheck "show text: ipv4" ov4 "id 7 remote 10.0.0.2 local 10.0.0.1 dev eth0 srcport 1000 2000 dstport 4789 nolearning tos 0x10 ttl 64 df set ageing 100 maxaddr 50 noudpcsum udp6zerocsumtx udp6zerocsumrx"
jcheck "show json: ipv4" ov4 'all(d.get(k) == v for k, v in {
	"id": 7, "remote": "10.0.0.2", "local": "10.0.0.1", "link": "eth0",
	"port_range": {"low": 1000, "high": 2000}, "port": 4789,
	"learning": False, "tos": "0x10", "ttl": 64, "df": "set",
	"ageing": 100, "limit": 50, "udp_csum": False,
	"udp_zero_csum6_tx": True, "udp_zero_csum6_rx": True}.items())'

check "create: ipv6, inherit" ovl_add "$NS" ov6 id 8 remote 2001:db8::2 \
	local 2001:db8::1 ttl inherit tos inherit df inherit flowlabel 0x12345
tcheck "show text: ipv6" ov6 "id 8 remote 2001:db8::2 local 2001:db8::1"
tcheck "show text: inherit" ov6 "tos inherit ttl inherit df inherit flowlabel 0x12345"
jcheck "show json: ipv6" ov6 'd.get("remote6") == "2001:db8::2" and
	d.get("local6") == "2001:db8::1" and d.get("tos") == "0x1" and
	"ttl" not in d and d.get("df") == "inherit" and d.get("label") == "0x12345"'

check "create: only a vni" ovl_add "$NS" ovd id 9
jcheck "show json: defaults" ovd 'd.get("id") == 9 and d.get("port") == 4789 and
	d.get("learning") is True and d.get("ageing") == 300 and
	d.get("ttl") == 0 and d.get("df") == "unset" and "limit" not in d and
	d.get("udp_csum") is True and "remote" not in d and "local" not in d'
tcheck "show text: defaults" ovd "ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx"
if ovl_only "create: no arguments at all" "vxlan requires a vni"; then
	check "create: no arguments at all" ip -n "$NS" link add ovn type ovl
	jcheck "show json: no vni, no id key" ovn '"id" not in d and d.get("port") == 4789'
	check_err "no vni: the device refuses to come up" '' \
		ip -n "$NS" link set ovn up
	check "no vni: given later by ip link set" ip -n "$NS" link set ovn type ovl id 99
	jcheck "show json: vni given later" ovn 'd.get("id") == 99'
fi

# --- changes, one parameter at a time --------------------------------------

# change CASE DEV ARGS PYEXPR [ovl]: "ip link set DEV type KIND ARGS"
# works, PYEXPR holds afterwards and nothing else in info_data moved
# (apart from the keys named in PYEXPR as d["key"] or d.get("key")).
# A trailing "ovl" marks a change vxlan refuses.
change() {
	local name=$1 dev=$2 args=$3 expr=$4 before after keys
	if [ "${5:-}" = ovl ] && ! ovl_only "change: $name" "vxlan can not change it"; then
		return
	fi
	before=$(info "$dev")
	# shellcheck disable=SC2086
	if ! pp ip -n "$NS" link set "$dev" type "$KIND" $args; then
		fail "change: $name" "ip link set failed"
		return
	fi
	after=$(info "$dev")
	keys=$(printf '%s\n' "$expr" | grep -o '"[a-z_0-9]*"' | tr -d '"' | sort -u | tr '\n' ' ')
	if python3 -c '
import json, sys
b, d = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = set(sys.argv[4].split())
if not eval(sys.argv[3]):
    sys.exit("expected: " + sys.argv[3])
moved = [k for k in set(b) | set(d) if k not in keys and b.get(k) != d.get(k)]
if moved:
    sys.exit("also changed: %s" % moved)' "$before" "$after" "$expr" "$keys"; then
		ok "change: $name"
	else
		printf 'before: %s\nafter:  %s\n' "$before" "$after"
		fail "change: $name" "unexpected info_data"
	fi
}

change "vni" ov4 "id 77" 'd["id"] == 77' ovl
# The default remote is the all-zeros FDB entry: fdb_count follows it.
change "remote" ov4 "remote 10.0.0.9" 'd["remote"] == "10.0.0.9" and d.get("fdb_count", 1) == 1'
change "remote cleared" ov4 "remote 0.0.0.0" '"remote" not in d and d.get("fdb_count", 0) == 0'
change "local" ov4 "local 10.0.0.5" 'd["local"] == "10.0.0.5"'
change "dstport" ov4 "dstport 5000" 'd["port"] == 5000' ovl
change "dstport 0 is the default" ov4 "dstport 0" 'd["port"] == 4789' ovl
change "srcport" ov4 "srcport 3000 4000" 'd["port_range"] == {"low": 3000, "high": 4000}' ovl
change "ttl" ov4 "ttl 10" 'd["ttl"] == 10'
change "ttl auto" ov4 "ttl auto" 'd["ttl"] == 0'
change "ttl inherit" ov4 "ttl inherit" '"ttl" not in d' ovl
change "ttl after inherit" ov4 "ttl 64" 'd["ttl"] == 64' ovl
change "tos" ov4 "tos 0x20" 'd["tos"] == "0x20"'
change "tos inherit" ov4 "tos inherit" 'd["tos"] == "0x1"'
change "df unset" ov4 "df unset" 'd["df"] == "unset"'
change "df inherit" ov4 "df inherit" 'd["df"] == "inherit"'
change "learning" ov4 "learning" 'd["learning"] is True'
change "nolearning" ov4 "nolearning" 'd["learning"] is False'
change "ageing" ov4 "ageing 60" 'd["ageing"] == 60'
change "maxaddress" ov4 "maxaddress 10" 'd["limit"] == 10' ovl
change "maxaddress unlimited" ov4 "maxaddress unlimited" '"limit" not in d' ovl
change "udpcsum" ov4 "udpcsum" 'd["udp_csum"] is True' ovl
change "udp6zerocsumtx off" ov4 "noudp6zerocsumtx" 'd["udp_zero_csum6_tx"] is False' ovl
change "udp6zerocsumrx off" ov4 "noudp6zerocsumrx" 'd["udp_zero_csum6_rx"] is False' ovl
change "nolocalbypass" ov4 "nolocalbypass" 'd["localbypass"] is False'
change "localbypass" ov4 "localbypass" 'd["localbypass"] is True'
change "proxy" ov4 "proxy" 'd["proxy"] is True' ovl
change "l2miss l3miss rsc" ov4 "l2miss l3miss rsc" \
	'd["l2miss"] is True and d["l3miss"] is True and d["rsc"] is True' ovl
change "noproxy nol2miss nol3miss norsc" ov4 "noproxy nol2miss nol3miss norsc" \
	'"proxy" not in d and "l2miss" not in d and "l3miss" not in d and "rsc" not in d' ovl
change "group" ov4 "group 239.1.1.1" 'd["group"] == "239.1.1.1" and "remote" not in d and d.get("fdb_count", 1) == 1'
change "group to remote" ov4 "remote 10.0.0.9" 'd["remote"] == "10.0.0.9" and "group" not in d'
# ov6 has no underlay: a group needs one (vxlan's message).
before=$(link_json "$NS" ov6)
check_err "set: group without dev" 'Local interface required for multicast' \
	ip -n "$NS" link set ov6 type "$KIND" group ff05::42
if [ "$before" = "$(link_json "$NS" ov6)" ]; then
	ok "set: group without dev: device unchanged"
else
	fail "set: group without dev: device unchanged"
fi
change "flowlabel" ov6 "flowlabel 0x5" 'd["label"] == "0x5"'
change "several at once" ov4 "ttl 3 tos 0x8 ageing 30" \
	'd["ttl"] == 3 and d["tos"] == "0x8" and d["ageing"] == 30'
tcheck "show text after changes" ov4 "ttl 3"

# --- ovl-only read-only counters and extended statistics -------------------

if ovl_only "show: fdb_count and fdb_learned" "ovl-only attributes"; then
	jcheck "show json: fdb counters" ovd \
		'isinstance(d.get("fdb_count"), int) and isinstance(d.get("fdb_learned"), int)'
	n0=$(info ovd | python3 -c 'import json,sys; print(json.load(sys.stdin)["fdb_count"])')
	l0=$(info ovd | python3 -c 'import json,sys; print(json.load(sys.stdin)["fdb_learned"])')
	must bridge -n "$NS" fdb add 02:00:00:00:00:01 dev ovd dst 10.0.0.3 self permanent
	jcheck "show json: a static entry counts in fdb_count only" ovd \
		"d['fdb_count'] == $n0 + 1 and d['fdb_learned'] == $l0"
	tcheck "show text: fdb counters" ovd "fdb_count $((n0 + 1)) fdb_learned $l0"
fi

XSTATS="rx_drop_short rx_drop_own_mac rx_drop_bad_src_mac rx_drop_ecn
rx_drop_nomem tx_drop_no_dest tx_drop_no_route tx_drop_loop tx_drop_nomem
tx_drop_no_sock fdb_learned fdb_moved fdb_aged fdb_learn_full
fdb_learn_static sock_rx_packets sock_rx_drop_bad_hdr
sock_rx_drop_unknown_vni sock_rx_drop_down fdb_learn_nomem"
if ovl_only "show: extended statistics" "OVL_XSTATS_* are ovl's"; then
	# shellcheck disable=SC2086
	if ip -n "$NS" -s -d -j link show dev ovd | python3 -c '
import json, sys
x = json.load(sys.stdin)[0]["linkinfo"].get("info_xstats", {})
want = sys.argv[1:]
bad = [k for k in want if not isinstance(x.get(k), int)]
sys.exit("missing or not integers: %s (got %s)" % (bad, x) if bad else 0)' $XSTATS; then
		ok "show json: every OVL_XSTATS_* counter under info_xstats"
	else
		fail "show json: every OVL_XSTATS_* counter under info_xstats"
	fi
	t=$(ip -n "$NS" -s -d link show dev ovd)
	missing=
	for k in $XSTATS; do
		printf '%s\n' "$t" | grep -Eq "(^| )$k [0-9]+( |$)" || missing="$missing $k"
	done
	if [ -z "$missing" ]; then
		ok "show text: every OVL_XSTATS_* counter with -s -d"
	else
		printf '%s\n' "$t"
		fail "show text: every OVL_XSTATS_* counter with -s -d" "missing:$missing"
	fi
	if ip -n "$NS" -d link show dev ovd | grep -q rx_drop_short; then
		fail "show text: no statistics without -s"
	else
		ok "show text: no statistics without -s"
	fi
fi

# --- the plugin prints what ip's own vxlan code prints ----------------------

# Attributes newer than the host's ip (localbypass came with iproute2 6.5)
# are left out of the comparison when its own vxlan code can not print them.
newer=
if [ "$KIND" = vxlan ] &&
	! IP_LIB_DIR=$STOCK_IP_LIB_DIR ip link help vxlan 2>&1 | grep -q localbypass; then
	newer=localbypass
fi
# older TEXT|JSON: the plugin's output without the attributes in $newer.
older() {
	if [ -z "$newer" ]; then
		cat
		return
	fi
	case $1 in
	TEXT) sed -E "s/ (no)?($(echo "$newer" | tr ' ' '|'))( |$)/\3/g" ;;
	JSON) python3 -c '
import json, sys
d = json.load(sys.stdin)
for k in sys.argv[1:]:
    d.pop(k, None)
print(json.dumps(d, sort_keys=True))' $newer ;;
	esac
}

if [ "$KIND" = vxlan ]; then
	for dev in ov4 ov6 ovd; do
		p=$(ip -n "$NS" -d link show dev $dev | sed -n 3p | older TEXT)
		s=$(IP_LIB_DIR=$STOCK_IP_LIB_DIR ip -n "$NS" -d link show dev $dev | sed -n 3p)
		if [ -n "$p" ] && [ "$p" = "$s" ]; then
			ok "same text as ip's vxlan printer: $dev"
		else
			printf 'plugin: %s\nip:     %s\n' "$p" "$s"
			fail "same text as ip's vxlan printer: $dev"
		fi
		p=$(info $dev | older JSON)
		s=$(IP_LIB_DIR=$STOCK_IP_LIB_DIR info $dev)
		if [ -n "$p" ] && [ "$p" = "$s" ]; then
			ok "same JSON as ip's vxlan printer: $dev"
		else
			printf 'plugin: %s\nip:     %s\n' "$p" "$s"
			fail "same JSON as ip's vxlan printer: $dev"
		fi
	done
fi

# --- bad input: error, message, non-zero exit, device unchanged -------------

# bad CASE REGEX ARGS: "ip link set ov4 type KIND ARGS" fails with REGEX
# on stderr and leaves ov4 as it was; so does "ip link add" of a new one.
bad() {
	local name=$1 re=$2 args=$3 before after
	before=$(link_json "$NS" ov4)
	# shellcheck disable=SC2086
	check_err "set rejects: $name" "$re" ip -n "$NS" link set ov4 type "$KIND" $args
	after=$(link_json "$NS" ov4)
	if [ "$before" = "$after" ]; then
		ok "set rejects: $name: device unchanged"
	else
		printf 'before: %s\nafter:  %s\n' "$before" "$after"
		fail "set rejects: $name: device unchanged" "ip link set changed it"
	fi
	# shellcheck disable=SC2086
	if ip -n "$NS" link add ovbad type "$KIND" id 500 $args 2>/dev/null ||
		ip -n "$NS" link show dev ovbad >/dev/null 2>&1; then
		fail "add rejects: $name" "ovbad was created"
		ip -n "$NS" link del ovbad 2>/dev/null
	else
		ok "add rejects: $name"
	fi
}

bad "unknown keyword" 'unknown command "bogus"' "bogus"
bad "vni too large" 'invalid id' "id 16777216"
bad "missing value" 'Command line is not complete' "ttl"
bad "repeated keyword" 'is duplicate' "ttl 1 ttl 2"
bad "multicast remote" 'multicast' "remote 239.1.1.1"
bad "group not multicast" 'invalid group address' "group 10.0.0.9"
bad "remote and group" 'is duplicate' "remote 10.0.0.9 group 239.1.1.1"
bad "remote not an address" 'invalid remote address' "remote nowhere"
bad "mixed families" 'same family' "local 10.0.0.1 remote 2001:db8::1"
bad "unknown lower device" 'Cannot find device' "dev nosuchdev"
bad "ttl 256" 'TTL must be <= 255' "ttl 256"
bad "bad tos" 'bad TOS' "tos fast"
bad "bad df" 'DF must be' "df maybe"
bad "flowlabel too large" 'invalid flowlabel' "flowlabel 0x100000"
bad "dstport too large" 'dst port' "dstport 65536"
bad "srcport min > max" 'must not be above MAX' "srcport 20 10"
bad "ageing not a number" 'ageing' "ageing soon"
bad "maxaddress not a number" 'max addresses' "maxaddress lots"
bad "unsupported feature" 'not supported' "gpe"

if out=$(ip link help "$KIND" 2>&1) && printf '%s\n' "$out" | grep -q "^Usage: \.\.\. $KIND "; then
	ok "help: ip link help $KIND prints the usage, exit 0"
else
	printf '%s\n' "$out"
	fail "help: ip link help $KIND prints the usage, exit 0"
fi

finish
