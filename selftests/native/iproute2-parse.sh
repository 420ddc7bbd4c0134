#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# link_ovl.so's argument parsing, without the ovl module: what
# "ip link add|set DEV type ovl ARGS" sends is captured at sendmsg() by
# strace (iproute2-nlreq.py) even though the kernel then refuses the
# unknown kind.  Checked:
#  - the same ARGS give the same IFLA_INFO_DATA for "type ovl" as for the
#    installed ip's own "type vxlan" (IFLA_OVL_* == IFLA_VXLAN_*), apart
#    from the documented differences (vxlan adds learning on creation);
#  - ovl's own choices: nothing unasked-for is sent, dstport 0 and
#    srcport 0 0 are sent;
#  - every bad argument exits non-zero with ip's message and sends no
#    RTM_NEWLINK at all.

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

NLREQ=$SELFTESTS_DIR/native/iproute2-nlreq.py
command -v strace >/dev/null || skip_all "strace is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
[ -e "$TOP_DIR/tools/iproute2/link_ovl.so" ] ||
	skip_all "tools/iproute2/link_ovl.so is not built (make tools)"
export IP_LIB_DIR=$TOP_DIR/tools/iproute2

NS=$(ns_of 1)
ns_add "$NS"

# req ARGS...: run "ip ARGS" in NS; stdout gets the REQ lines, ip's
# stderr is kept in $TMP_DIR/err; returns ip's exit status.
req() {
	printf '+ ip %s\n' "$*"
	ip netns exec "$NS" python3 "$NLREQ" ip "$@" 2>"$TMP_DIR/err"
}

# data REQ-LINES: the data= attributes, one per line, sorted by type.
data() {
	sed -n 's/^REQ kind=[^ ]* data=//p' | tr ' ' '\n' | grep -v '^-$' |
		sort -t: -k1,1n -k2
}

N=0
# same CASE ARGS...: "type ovl ARGS" and "type vxlan ARGS" send the same
# attributes; vxlan's unasked-for IFLA_VXLAN_LEARNING=1 (7:01) on
# creation is ignored unless ARGS mention learning.
same() {
	local name=$1 o v
	shift
	N=$((N + 1))
	o=$(req link add "o$N" type ovl "$@" | data)
	v=$(req link add "v$N" type vxlan "$@" | data)
	case " $* " in
	*" learning "* | *" nolearning "*) ;;
	*) v=$(printf '%s\n' "$v" | grep -vx '7:01') ;;
	esac
	if [ -n "$o" ] && [ "$o" = "$v" ]; then
		ok "same as vxlan: $name"
	else
		printf 'ovl:\n%s\nvxlan:\n%s\n' "$o" "$v"
		fail "same as vxlan: $name" "attributes differ"
	fi
}

# sends CASE EXPECTED CMD...: "ip CMD" sends exactly the EXPECTED
# attributes ("TYPE:HEX ..."; "-" for no IFLA_INFO_DATA at all).
sends() {
	local name=$1 want=$2 out got
	shift 2
	out=$(req "$@")
	printf '%s\n' "$out"
	if ! printf '%s\n' "$out" | grep -q '^REQ kind=ovl '; then
		fail "sends: $name" "no RTM_NEWLINK of kind ovl was sent"
		return
	fi
	got=$(printf '%s\n' "$out" | data | tr '\n' ' ' | sed 's/ $//')
	[ -n "$got" ] || got=-
	if [ "$got" = "$want" ]; then
		ok "sends: $name"
	else
		fail "sends: $name" "sent '$got', expected '$want'"
	fi
}

# bad CASE REGEX ARGS...: "ip link add ovl0 type ovl ARGS" fails, says
# REGEX on stderr, and sends no link request.
bad() {
	local name=$1 re=$2 out rc
	shift 2
	out=$(req link add ovl0 type ovl "$@")
	rc=$?
	cat "$TMP_DIR/err"
	if [ $rc = 0 ]; then
		fail "rejects: $name" "exit status 0"
	elif ! grep -Eq -- "$re" "$TMP_DIR/err"; then
		fail "rejects: $name" "no message matching /$re/"
	elif printf '%s\n' "$out" | grep -q '^REQ '; then
		fail "rejects: $name" "a link request was sent anyway"
	else
		ok "rejects: $name"
	fi
}

# --- same encoding as ip's vxlan ----------------------------------------

same "id" id 42
same "ipv4 full set" id 7 remote 10.0.0.2 local 10.0.0.1 dstport 4789 \
	srcport 1000 2000 ttl 64 tos 0x10 df set nolearning ageing 100 \
	maxaddress 50 noudpcsum udp6zerocsumtx udp6zerocsumrx
same "ipv6 and inherit" vni 8 remote 2001:db8::2 local 2001:db8::1 \
	ttl inherit tos inherit df inherit flowlabel 0x12345 learning \
	udpcsum noudp6zerocsumtx noudp6zerocsumrx
same "words" id 9 ttl auto ageing none maxaddress unlimited dstport 8472 df unset
same "aliases and dev" id 10 dev lo hoplimit 3 dsfield 0x20 label 7 port 10 20
same "unsupported features off" id 11 noproxy norsc nol2miss nol3miss \
	noremcsumtx noremcsumrx noexternal novnifilter
same "max vni, cleared addresses" id 0xffffff remote 0.0.0.0 local 0.0.0.0
same "ipv4 group" id 12 group 239.1.1.1 dev lo
same "proxy, misses, rsc" id 14 proxy l2miss l3miss rsc
same "proxy, misses, rsc off" id 15 noproxy nol2miss nol3miss norsc
same "ipv6 group" id 13 group ff05::42 dev lo

# changelink: neither side adds anything.
must ip -n "$NS" link add vset type vxlan id 100 dstport 4789
o=$(req link set vset type ovl ttl 5 df inherit remote 10.9.9.9 | data)
v=$(req link set vset type vxlan ttl 5 df inherit remote 10.9.9.9 | data)
if [ -n "$o" ] && [ "$o" = "$v" ]; then
	ok "same as vxlan: ip link set"
else
	printf 'ovl:\n%s\nvxlan:\n%s\n' "$o" "$v"
	fail "same as vxlan: ip link set" "attributes differ"
fi

# --- ovl's own choices ---------------------------------------------------

sends "no arguments: no IFLA_INFO_DATA" "-" link add ovl0 type ovl
sends "no id required, nothing unasked-for" "2:0a000002" \
	link add ovl0 type ovl remote 10.0.0.2
sends "dstport 0 is sent (the default, 4789)" "15:0000" \
	link add ovl0 type ovl dstport 0
sends "srcport 0 0 is sent (the default range)" "10:00000000" \
	link add ovl0 type ovl srcport 0 0
sends "ttl inherit is a flag" "28:" link add ovl0 type ovl ttl inherit
sends "gbp is a flag, as vxlan's" "23:" link add ovl0 type ovl gbp
sends "set sends only what is given" "5:40" link set vset type ovl ttl 64

# --- bad input: an error, a non-zero exit, nothing sent -------------------

bad "unknown keyword" 'ovl: unknown command "bogus"' id 1 bogus
bad "abbreviated keyword" 'unknown command "rem"' rem 10.0.0.2
bad "help (usage, non-zero)" '^Usage: \.\.\. ovl ' help
bad "vni above 2^24-1" 'argument "16777216" is wrong: invalid id' id 16777216
bad "vni not a number" 'argument "x" is wrong: invalid id' id x
bad "missing value" 'Command line is not complete' id
bad "repeated keyword" '"id" is duplicate' id 1 id 2
bad "learning and nolearning" 'is duplicate' learning nolearning
bad "remote and remote" 'is duplicate' remote 10.0.0.2 remote 10.0.0.3
bad "multicast ipv4 remote" '"239.1.1.1" is wrong: invalid remote address: multicast' remote 239.1.1.1
bad "multicast ipv6 remote" '"ff02::1" is wrong: invalid remote address: multicast' remote ff02::1
bad "remote not an address" '"foo" is wrong: invalid remote address' remote foo
bad "local not an address" '"any" is wrong: invalid local address' local any
bad "mixed families" 'same family' local 10.0.0.1 remote 2001:db8::1
bad "unicast group" '"10.0.0.9" is wrong: invalid group address' group 10.0.0.9
bad "local multicast" '"239.1.1.1" is wrong: invalid local address' local 239.1.1.1
bad "remote and group" 'is duplicate' remote 10.0.0.2 group 239.1.1.1
bad "unknown dev" 'Cannot find device "nosuchdev"' dev nosuchdev
bad "ttl 256" '"256" is wrong: TTL must be <= 255' ttl 256
bad "ttl word" '"forever" is wrong: invalid TTL' ttl forever
bad "tos 256" '"256" is wrong: bad TOS' tos 256
bad "tos word" '"fast" is wrong: bad TOS' tos fast
bad "df word" "DF must be 'unset', 'set' or 'inherit'" df maybe
bad "flowlabel 2^20" '"0x100000" is wrong: invalid flowlabel' flowlabel 0x100000
bad "dstport 65536" '"65536" is wrong: dst port' dstport 65536
bad "srcport min > max" '"10" is wrong: srcport MIN must not be above MAX' srcport 20 10
bad "srcport one value" 'Command line is not complete' srcport 10
bad "srcport not a number" '"a" is wrong: min port' srcport a 10
bad "ageing negative" '"-1" is wrong: ageing' ageing -1
bad "maxaddress word" '"lots" is wrong: max addresses' maxaddress lots
bad "remcsumtx" '"remcsumtx" is wrong: not supported' remcsumtx
bad "external" '"external" is wrong: not supported' external
bad "gpe" '"gpe" is wrong: not supported' gpe
bad "gbp twice" 'is duplicate' gbp gbp
bad "vnifilter" '"vnifilter" is wrong: not supported' vnifilter

finish
