#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovlctl's command line, on this host, without the ovl module: help and
# version output, and every kind of bad input.  A usage error must exit 2
# with its message on stderr and must not send one netlink message (seen
# with strace when it is installed) nor change the namespace (checked by
# comparing ip/bridge dumps before and after).  Runtime refusals (missing
# or foreign device, kernel extack) exit 1.  Devices are the in-kernel
# vxlan driven through ovlctl's development switch OVLCTL_KIND=vxlan.

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

OVLCTL=$TOP_DIR/tools/ovlctl/ovlctl
[ -x "$OVLCTL" ] || skip_all "tools/ovlctl/ovlctl is not built (make tools)"
export OVLCTL_KIND=vxlan
HAVE_STRACE=0
command -v strace >/dev/null && HAVE_STRACE=1

NS=$(ns_of 1)
ns_add "$NS"
must ip -n "$NS" link add veth0 type veth peer name veth1
must ip -n "$NS" link set veth0 up
must ip -n "$NS" addr add 10.0.0.1/24 dev veth0
must "$OVLCTL" -n "$NS" add vx0 vni 42 port 4789 remote 10.0.0.2
must "$OVLCTL" -n "$NS" fdb add vx0 02:00:00:00:00:01 10.0.0.3

# state: everything a command could have changed in NS.
state() {
	ip -n "$NS" -d -j link show | sed -e 's/"operstate":"[A-Z]*",//g'
	bridge -n "$NS" fdb show
}

# sent: the number of netlink sends of the last run (-1 without strace).
run_traced() {
	if [ $HAVE_STRACE = 1 ]; then
		strace -f -qq -o "$TMP_DIR/trace" -e trace=sendto,sendmsg \
			"$OVLCTL" "$@" >"$TMP_DIR/out" 2>"$TMP_DIR/err"
	else
		"$OVLCTL" "$@" >"$TMP_DIR/out" 2>"$TMP_DIR/err"
	fi
}

# bad CASE RC REGEX ARGS...: "ovlctl -n NS ARGS" exits RC with one line on
# stderr matching REGEX and NS is unchanged.  For RC 2 (usage) nothing at
# all may have been sent to the kernel.
bad() {
	local name=$1 want=$2 re=$3 before after rc lines
	shift 3
	before=$(state)
	printf '+ ovlctl -n NS %s\n' "$*"
	run_traced -n "$NS" "$@"
	rc=$?
	cat "$TMP_DIR/err"
	after=$(state)
	lines=$(wc -l <"$TMP_DIR/err")
	if [ $rc != "$want" ]; then
		fail "rejects: $name" "exit status $rc, expected $want"
	elif [ "$lines" != 1 ]; then
		fail "rejects: $name" "$lines lines on stderr, expected 1"
	elif ! grep -Eq -- "$re" "$TMP_DIR/err"; then
		fail "rejects: $name" "no message matching /$re/"
	elif [ "$before" != "$after" ]; then
		fail "rejects: $name" "the namespace changed"
	elif [ "$want" = 2 ] && [ $HAVE_STRACE = 1 ] &&
	     grep -q 'send' "$TMP_DIR/trace"; then
		fail "rejects: $name" "a netlink message was sent"
	else
		ok "rejects: $name"
	fi
}

# --- help and version: stdout, exit 0 -----------------------------------

for args in "-h" "help" "--help" "add help" "set help" "del help" \
	"show help" "remote help" "fdb help" "stats help"; do
	# shellcheck disable=SC2086
	if out=$("$OVLCTL" $args 2>&1) && printf '%s\n' "$out" | grep -q '^Usage: ovlctl'; then
		ok "help: ovlctl $args"
	else
		printf '%s\n' "$out"
		fail "help: ovlctl $args" "no usage text or non-zero exit"
	fi
done
out=$("$OVLCTL" help)
missing=
for c in add set del show remote fdb stats; do
	printf '%s\n' "$out" | grep -Eq "^  $c " || missing="$missing $c"
done
if [ -z "$missing" ]; then ok "help lists every command"; else fail "help lists every command" "missing:$missing"; fi
if "$OVLCTL" -V | grep -Eq '^ovlctl [0-9]'; then ok "version"; else fail "version" "no version line"; fi

# --- usage errors: exit 2, nothing sent ----------------------------------

bad "no command" 2 'no command given'
bad "unknown command" 2 'unknown command "frobnicate"' frobnicate
bad "unknown option" 2 'unknown option "-x"' -x show
bad "add without name" 2 'add: no device name given' add
bad "bad device name" 2 'invalid device name' add a/b
bad "device name too long" 2 'invalid device name' add abcdefghijklmnopq
bad "unknown parameter" 2 'unknown parameter "bogus"' add vx1 vni 1 bogus
bad "missing value" 2 '"vni" needs a value' add vx1 vni
bad "vni 2^24" 2 'invalid vni "16777216"' add vx1 vni 16777216
bad "vni negative" 2 'invalid vni "-1"' add vx1 vni -1
bad "vni hex" 2 'invalid vni "0x10"' add vx1 vni 0x10
bad "vni word" 2 'invalid vni "x"' add vx1 vni x
bad "port 0" 2 'invalid port "0"' add vx1 port 0
bad "port 65536" 2 'invalid port "65536"' add vx1 port 65536
bad "srcport min > max" 2 'srcport: MAX 10 is below MIN 20' add vx1 srcport 20 10
bad "srcport one value" 2 '"srcport" needs MIN and MAX' add vx1 srcport 10
bad "ttl 256" 2 'invalid ttl "256"' add vx1 ttl 256
bad "ttl word" 2 'invalid ttl "forever"' add vx1 ttl forever
bad "tos 256" 2 'invalid tos "256"' add vx1 tos 256
bad "df word" 2 'df: expected set, unset or inherit' add vx1 df maybe
bad "learning word" 2 'learning: expected on or off, not "yes"' add vx1 learning yes
bad "udpcsum word" 2 'udpcsum: expected on or off' add vx1 udpcsum 1
bad "ageing negative" 2 'invalid ageing "-5"' add vx1 ageing -5
bad "maxaddress word" 2 'invalid maxaddress "lots"' add vx1 maxaddress lots
bad "label 2^20" 2 'invalid label "1048576"' add vx1 label 1048576
bad "mtu word" 2 'invalid mtu "big"' add vx1 mtu big
bad "remote not an address" 2 'invalid address "10.0.0"' add vx1 remote 10.0.0
bad "remote unspecified" 2 'not a unicast address' add vx1 remote 0.0.0.0
bad "local not an address" 2 'invalid local address "any"' add vx1 local any
bad "mixed families" 2 'same address family' add vx1 local 10.0.0.1 remote 2001:db8::1
bad "set with nothing" 2 'set vx0: nothing to change' set vx0
bad "set bad vni" 2 'invalid vni "16777216"' set vx0 vni 16777216
bad "del extra word" 2 'del: unexpected "now"' del vx0 now
bad "show two devices" 2 'show: unexpected "vx1"' show vx0 vx1
bad "remote without verb" 2 'remote: expected add, del or show' remote
bad "remote unknown verb" 2 'remote: unknown command "flush"' remote flush vx0
bad "remote without ip" 2 'remote add: no remote IP given' remote add vx0
bad "remote bad ip" 2 'invalid address "10.0.0.999"' remote add vx0 10.0.0.999
bad "remote vni 2^24" 2 'invalid vni "16777216"' remote add vx0 10.0.0.5 vni 16777216
bad "remote port word" 2 'invalid port "http"' remote add vx0 10.0.0.5 port http
bad "remote state word" 2 'unknown parameter "static"' remote add vx0 10.0.0.5 static
bad "fdb unknown verb" 2 'fdb: unknown command "flush"' fdb flush vx0
bad "fdb short MAC" 2 'invalid MAC address "02:00:00:00:00"' fdb add vx0 02:00:00:00:00 10.0.0.5
bad "fdb bad MAC" 2 'invalid MAC address "02:00:00:00:00:zz"' fdb add vx0 02:00:00:00:00:zz 10.0.0.5
bad "fdb without ip" 2 'fdb add: no remote IP given' fdb add vx0 02:00:00:00:00:05
bad "fdb bad ip" 2 'invalid address "host"' fdb add vx0 02:00:00:00:00:05 host
bad "fdb del with state" 2 'unknown parameter "permanent"' fdb del vx0 02:00:00:00:00:01 10.0.0.3 permanent
bad "stats two devices" 2 'stats: unexpected "vx1"' stats vx0 vx1
bad "-n without name" 2 '"-n" needs a namespace name' -n

# --- runtime refusals: exit 1, nothing changed ---------------------------

bad "missing device: show" 1 'device "nosuch" does not exist' show nosuch
bad "missing device: set" 1 'device "nosuch" does not exist' set nosuch vni 1
bad "missing device: del" 1 'device "nosuch" does not exist' del nosuch
bad "missing device: fdb" 1 'device "nosuch" does not exist' fdb add nosuch 02:00:00:00:00:05 10.0.0.5
bad "missing device: remote" 1 'device "nosuch" does not exist' remote add nosuch 10.0.0.5
bad "missing device: stats" 1 'device "nosuch" does not exist' stats nosuch
bad "missing lower device" 1 'lower device "nosuch" does not exist' add vx1 dev nosuch
bad "foreign kind: del" 1 'veth0 is not a device of kind vxlan' del veth0
bad "foreign kind: set" 1 'veth0 is not a device of kind vxlan' set veth0 mtu 1400
bad "existing device" 1 'add vx0: File exists' add vx0 vni 43
bad "duplicate fdb entry" 1 'File exists' fdb add vx0 02:00:00:00:00:01 10.0.0.3
# The kernel's extack message is printed, not just strerror().
bad "kernel extack (mtu)" 1 'set vx0: mtu less than device minimum' set vx0 mtu 10
# vxlan can not change its port: the MTU sent first must be put back.
bad "kernel refusal after mtu: mtu restored" 1 'set vx0: Cannot change port' set vx0 mtu 1200 port 5000
bad "kernel extack (label on IPv4)" 1 'Label attribute only applies to IPv6' add vx1 vni 1 remote 10.0.0.9 label 5
if [ "$(id -u)" = 0 ]; then
	printf '+ ovlctl -n nosuch-ns show\n'
	if err=$("$OVLCTL" -n "$NS-nosuch" show 2>&1); then
		fail "missing netns" "exit status 0"
	elif printf '%s\n' "$err" | grep -q 'No such file'; then
		ok "missing netns"
	else
		fail "missing netns" "unexpected message: $err"
	fi
fi

finish
