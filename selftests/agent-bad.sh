#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent and bad input (Documentation/agent.rst): a bad flag or value
# is one line on stderr and exit 2 with nothing touched; a network config
# flannel would refuse is refused with the reason, exit 1; a missing one
# is waited for; Go's case-insensitive keys are taken.  Peers' garbage
# (not JSON, not a subnet key, outside the network, another backend, a
# bad MAC or address, another VNI, a PublicIP already claimed): a log
# line and a status entry each, that lease skipped, the rest unaffected,
# and the agent keeps running.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=agent-lib.bash
. "$SELFTESTS_DIR/agent-lib.bash"

agent_need
hosts_switch 2
etcd_cluster
ns1=$(ns_of 1)
d1=$(node_dir 1)
mkdir -p "$d1"

# --- the command line ------------------------------------------------------------

# bad_flags CASE REGEX ARGS...: exit 2, one line on stderr matching REGEX.
bad_flags() {
	local name=$1 re=$2 err rc
	shift 2
	err=$(OVL_AGENT_KIND=$KIND timeout 20 ip netns exec "$ns1" "$AGENT" \
		--subnet-file="$d1/subnet.env" --status-file="$d1/status.json" \
		--cni-conf="$d1/10-ovl.conflist" "$@" 2>&1 >/dev/null)
	rc=$?
	printf '+ ovl-agent %s -> %s: %s\n' "$*" "$rc" "$err"
	if [ "$rc" = 2 ] && [ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] &&
	   printf '%s\n' "$err" | grep -Eq -- "$re"; then
		ok "$name"
	else
		fail "$name" "exit $rc, stderr: $err"
	fi
}
bad_flags "an unknown flag: exit 2, one line" "flag provided but not defined: --no-such-flag" --no-such-flag
bad_flags "--public-ip not an address" "--public-ip: not an IPv4 address" --public-ip=10.0.0.300
bad_flags "--subnet-lease-renew-margin 0" "out of acceptable range" --subnet-lease-renew-margin=0
bad_flags "--subnet-lease-renew-margin of a day" "out of acceptable range" --subnet-lease-renew-margin 1440
bad_flags "--etcd-endpoints not http(s)" "not an http:// or https:// URL" --etcd-endpoints=ftp://10.0.0.101:2379
bad_flags "-v not a number" "not an integer" -v=loud
bad_flags "--ip-masq=maybe" "invalid boolean value" --ip-masq=maybe
bad_flags "--etcd-certfile without --etcd-keyfile" "go together" --etcd-certfile=/nonexistent
bad_flags "a flag without its value" "flag needs an argument: --iface" --iface
bad_flags "a stray argument" "unexpected argument" eth0
err=$(FLANNELD_SUBNET_LEASE_RENEW_MARGIN=0 timeout 20 ip netns exec "$ns1" "$AGENT" 2>&1 >/dev/null)
rc=$?
if [ $rc = 2 ] && printf '%s' "$err" | grep -q 'renew-margin (from FLANNELD_SUBNET_LEASE_RENEW_MARGIN)'; then
	ok "FLANNELD_* environment variables are read, and checked"
else
	fail "FLANNELD_* environment variables are read, and checked" "exit $rc: $err"
fi
check_err "--kube-subnet-mgr: refused, exit 1" "not built in" ip netns exec "$ns1" "$AGENT" --kube-subnet-mgr
if [ -z "$(ip -n "$ns1" link show type "$KIND")" ] && [ ! -e "$d1/subnet.env" ] &&
   [ ! -e "$d1/status.json" ] && [ -z "$(ectl get --prefix "$PREFIX" --keys-only)" ]; then
	ok "refused command lines touched nothing (no device, no file, nothing in etcd)"
else
	fail "refused command lines touched nothing (no device, no file, nothing in etcd)"
fi
if "$AGENT" --help | grep -q -- '--etcd-endpoints' && "$AGENT" --version | grep -Eq '^[0-9]'; then
	ok "--help lists the flags, --version prints the version"
else
	fail "--help lists the flags, --version prints the version"
fi

# --- the network config ------------------------------------------------------------

# refused CASE REGEX CONFIG: the agent exits 1 and logs why.
refused() {
	local name=$1 re=$2 rc
	net_config "$3"
	: > "$d1/agent.log"
	agent_start 1 --iface=eth0
	wait "${AGENT_PIDS[1]}"
	rc=$?
	cat "$d1/agent.log"
	if [ $rc = 1 ] && grep -Eq -- "$re" "$d1/agent.log" &&
	   [ -z "$(ip -n "$ns1" link show type "$KIND")" ]; then
		ok "$name"
	else
		fail "$name" "exit $rc"
	fi
}
refused "config: another backend is refused, with the reason" \
	'backend type "host-gw" is not supported' '{"Network":"10.244.0.0/16","Backend":{"Type":"host-gw"}}'
refused "config: no Backend means flannel's udp, refused" \
	'backend type "udp" is not supported' '{"Network":"10.244.0.0/16"}'
refused "config: a network too small (flannel's message)" \
	'Network is too small. Minimum useful network prefix is /28' '{"Network":"10.244.0.0/29","Backend":{"Type":"vxlan"}}'
refused "config: SubnetLen 31" 'SubnetLen must be less than /31' \
	'{"Network":"10.244.0.0/16","SubnetLen":31,"Backend":{"Type":"vxlan"}}'
refused "config: SubnetMin outside the network" 'SubnetMin is not in the range of the Network' \
	'{"Network":"10.244.0.0/16","SubnetMin":"10.245.0.0","Backend":{"Type":"vxlan"}}'
refused "config: SubnetMax off the boundary" 'SubnetMax is not on a SubnetLen boundary' \
	'{"Network":"10.244.0.0/16","SubnetMax":"10.244.9.7","Backend":{"Type":"vxlan"}}'
refused "config: Network of the wrong type" 'Network: not an IPv4 prefix' \
	'{"Network":16,"Backend":{"Type":"vxlan"}}'
refused "config: not JSON" 'not JSON' '{"Network":"10.244.0.0/16",'
refused "config: a VNI out of range" 'VNI: 16777216 is out of range' \
	'{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","VNI":16777216}}'

pp ectl del "$PREFIX/config" >/dev/null
: > "$d1/agent.log"
agent_start 1 --iface=eth0
if wait_for 30 agent_log_has 1 'waiting for the network config' && agent_alive 1; then
	ok "no config yet: the agent waits for it"
else
	fail "no config yet: the agent waits for it"
fi
# Go's encoding/json matches keys case-insensitively: flannel takes these.
net_config '{"network":"10.244.0.0/16","backend":{"type":"vxlan","vni":7,"port":4789}}'
if wait_for 60 agent_ready 1 && ip -n "$ns1" -d link show flannel.7 | grep -q 'id 7 .*dstport 4789'; then
	ok "the config, once written, is taken, keys in any case (flannel.7, port 4789)"
else
	fail "the config, once written, is taken, keys in any case (flannel.7, port 4789)"
fi

# --- peers' garbage --------------------------------------------------------------------

agent_start 2 --iface=eth0
wait_for 60 agent_ready 2 || die "agent 2 did not start"
sn2=$(subnet_of 2)
mac2=$(mac_of "$(ns_of 2)" flannel.7)
good() { programmed7 "$ns1" "$sn2" 10.0.0.2 "$mac2"; }
programmed7() {
	ip -n "$1" neigh show dev flannel.7 "$(vtep_of "$2")" | grep -q "lladdr $4 PERMANENT" &&
		bridge -n "$1" fdb show dev flannel.7 | grep -q "^$4 dst $3 self permanent" &&
		ip -n "$1" route show "$2" | grep -q "via $(vtep_of "$2") dev flannel.7 onlink"
}
unprogrammed7() {
	[ -z "$(ip -n "$1" route show "$2")" ] && [ -z "$(ip -n "$1" neigh show dev flannel.7 "$(vtep_of "$2")")" ]
}
wait_for 30 good || die "host 2 is not programmed on host 1"

lease() { printf '{"PublicIP":"%s","PublicIPv6":null,"BackendType":"%s","BackendData":{"VNI":%s,"VtepMAC":"%s"}}' "$@"; }
# garbage CASE KEY VALUE REASON: host 1 logs that the lease is skipped and
# why, lists it in its status, programs nothing for it; host 2 still is.
garbage() {
	local name=$1 key=$2 value=$3 re=$4
	eput "$PREFIX/subnets/$key" "$value"
	if wait_for 30 agent_log_has 1 "lease $key skipped: .*$re" &&
	   wait_for 10 sh -c "grep -q '\"lease\": \"$key\"' '$d1/status.json'" &&
	   [ -z "$(ip -n "$ns1" route show dev flannel.7 | grep -v "^$sn2 ")" ] && good && agent_alive 1; then
		ok "$name"
	else
		fail "$name"
	fi
}
garbage "a lease that is not JSON is skipped" 10.244.210.0-24 'not json{' 'not JSON'
garbage "a key that is not a subnet is skipped" garbage 'x' 'not a subnet'
garbage "a subnet outside the network is skipped" 10.99.0.0-24 \
	"$(lease 10.0.0.70 vxlan 7 02:00:00:00:00:70)" 'outside the network'
garbage "another backend's lease is skipped" 10.244.211.0-24 \
	"$(lease 10.0.0.71 host-gw 7 02:00:00:00:00:71)" 'backend is "host-gw"'
garbage "a bad VtepMAC is skipped" 10.244.212.0-24 \
	"$(lease 10.0.0.72 vxlan 7 zz:zz)" 'VtepMAC is not a MAC'
garbage "an IPv6 PublicIP (which crashes flanneld) is skipped" 10.244.213.0-24 \
	"$(lease fd00::73 vxlan 7 02:00:00:00:00:73)" 'PublicIP is not an IPv4 address'
garbage "a lease of another VNI is skipped" 10.244.214.0-24 \
	"$(lease 10.0.0.74 vxlan 2 02:00:00:00:00:74)" 'VNI 2 is not'
garbage "a lease claiming this node's PublicIP is skipped" 10.244.215.0-24 \
	"$(lease 10.0.0.1 vxlan 7 02:00:00:00:00:75)" "PublicIP 10.0.0.1 is this node's"
garbage "a second lease claiming a peer's PublicIP is skipped (the older one wins)" 10.244.216.0-24 \
	"$(lease 10.0.0.2 vxlan 7 02:00:00:00:00:76)" "claimed by the older lease $(printf '%s' "$sn2" | tr / -)"

# The older claimant goes: the second one is used.
dup_sn=10.244.217.0/24
eput "$PREFIX/subnets/10.244.217.0-24" "$(lease 10.0.0.77 vxlan 7 02:00:00:00:00:77)"
eput "$PREFIX/subnets/10.244.218.0-24" "$(lease 10.0.0.77 vxlan 7 02:00:00:00:00:78)"
wait_for 30 programmed7 "$ns1" "$dup_sn" 10.0.0.77 02:00:00:00:00:77
if wait_for 30 agent_log_has 1 'lease 10.244.218.0-24 skipped: .*claimed by the older lease 10.244.217.0-24' &&
   [ -z "$(ip -n "$ns1" route show 10.244.218.0/24)" ]; then
	ok "two leases claim one PublicIP: only the older is programmed"
else
	fail "two leases claim one PublicIP: only the older is programmed"
fi
pp ectl del "$PREFIX/subnets/10.244.217.0-24" >/dev/null
if wait_for 30 programmed7 "$ns1" 10.244.218.0/24 10.0.0.77 02:00:00:00:00:78 &&
   [ -z "$(ip -n "$ns1" route show "$dup_sn")" ]; then
	ok "the older claimant removed: the other lease takes its place"
else
	fail "the older claimant removed: the other lease takes its place"
fi
# A garbage lease turned valid is used; a valid one turned garbage is dropped.
eput "$PREFIX/subnets/10.244.210.0-24" "$(lease 10.0.0.80 vxlan 7 02:00:00:00:00:80)"
if wait_for 30 programmed7 "$ns1" 10.244.210.0/24 10.0.0.80 02:00:00:00:00:80; then
	ok "a lease fixed after being garbage is programmed"
else
	fail "a lease fixed after being garbage is programmed"
fi
eput "$PREFIX/subnets/10.244.210.0-24" '{"PublicIP":'
if wait_for 30 unprogrammed7 "$ns1" 10.244.210.0/24; then
	ok "a lease turned garbage loses its entries"
else
	fail "a lease turned garbage loses its entries"
fi
if agent_alive 1 && agent_alive 2 && good; then
	ok "after all the garbage both agents run and program each other"
else
	fail "after all the garbage both agents run and program each other"
fi
agent_finish
