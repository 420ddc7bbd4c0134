#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuration: every invalid request is refused and leaves the device as
# it was ("ip -d -j link show" before == after; a refused create leaves no
# device); a device without a VNI does not come up; every parameter can be
# changed on a live device and shows in "ip -d -j link show".

. "$(dirname "$0")/lib.sh"
need_ovl_args

NS=$(ns_of 1)
ns_add "$NS"
must ip -n "$NS" link add eth0 type veth peer name eth1
must ip -n "$NS" addr add "$(u4 1)/24" dev eth0
must ip -n "$NS" link set eth0 up
must ovl_add "$NS" c0 id 1 local "$(u4 1)" remote "$(u4 2)"
must ip -n "$NS" link set c0 up

# bad_create CASE ARGS...: creating bad0 with ARGS fails and leaves nothing.
bad_create() {
	local name="create: $1"
	shift
	check_err "$name" "" ovl_add "$NS" bad0 "$@" || return
	if ip -n "$NS" link show bad0 >/dev/null 2>&1; then
		fail "$name: no device left" "bad0 exists"
		ip -n "$NS" link del bad0
	fi
}

# bad_change CASE ARGS...: changing c0 with ARGS fails, c0 is unchanged.
bad_change() {
	local name="change: $1" before
	shift
	before=$(link_json "$NS" c0)
	check_err "$name" "" ovl_set "$NS" c0 "$@" || return
	if [ "$(link_json "$NS" c0)" != "$before" ]; then
		fail "$name: device unchanged" "ip -d -j link show differs"
	fi
}

bad_create "VNI 2^24" id 16777216
bad_create "source port range low > high" id 2 srcport 200 100
bad_create "ttl 256" id 2 ttl 256
bad_create "IPv4 remote with IPv6 local" id 2 remote "$(u4 2)" local "$(u6 1)"
bad_create "multicast remote" id 2 remote 239.1.1.1
for f in external; do
	if ovl_only "create: unsupported $f" "vxlan supports $f"; then
		bad_create "unsupported $f" id 2 $f
	fi
done

bad_change "VNI 2^24" id 16777216
bad_change "source port range low > high" srcport 200 100
bad_change "ttl 256" ttl 256
bad_change "IPv6 remote on an IPv4 device" remote "$(u6 2)"
bad_change "multicast remote" remote 239.1.1.1
# vxlan refuses these on changelink too ("cannot change"), ovl because it
# does not implement them: both must refuse and change nothing.
for f in gbp external; do
	bad_change "unsupported $f" $f
done

# No VNI: the device exists but refuses to come up, with a message.
if ovl_only "no VNI: up refused" "vxlan's iproute2 requires id, its kernel defaults to VNI 0"; then
	must pp ip -n "$NS" link add n0 type ovl
	check_err "no VNI: up refused" "." ip -n "$NS" link set n0 up
	if ip -n "$NS" link show n0 | grep -q ',UP'; then
		fail "no VNI: device stays down" "n0 is up"
	else
		ok "no VNI: device stays down"
	fi
fi

# good_change CASE JSON ARGS...: changing c0 with ARGS works and JSON
# then appears in its IFLA_INFO_DATA.
good_change() {
	local name="change: $1" json=$2
	shift 2
	if ovl_set "$NS" c0 "$@" && info_has "$NS" c0 "$json"; then
		ok "$name"
	else
		fail "$name" "no '$json' in ip -d -j link show"
		ip -n "$NS" -d -j link show c0
	fi
}

good_change "ttl" '"ttl":5' ttl 5
good_change "tos" '"tos":"0x10"' tos 0x10
good_change "df" '"df":"set"' df set
good_change "nolearning" '"learning":false' nolearning
good_change "learning" '"learning":true' learning
good_change "ageing" '"ageing":42' ageing 42
good_change "remote" '"remote":"10.0.0.3"' remote 10.0.0.3
good_change "local" '"local":"10.0.0.9"' local 10.0.0.9
# vxlan answers "cannot change" for these; ovl changes every parameter.
if ovl_only "change: VNI" "vxlan can not change it"; then
	good_change "VNI" '"id":99' id 99
fi
if ovl_only "change: dstport" "vxlan can not change it"; then
	good_change "dstport" '"port":4790' dstport 4790
fi
if ovl_only "change: srcport" "vxlan can not change it"; then
	good_change "srcport" '"port_range":{"low":1000,"high":2000}' srcport 1000 2000
fi
if ovl_only "change: maxaddress" "vxlan can not change it"; then
	good_change "maxaddress" '"limit":7' maxaddress 7
fi
if ovl_only "change: noudpcsum" "vxlan can not change it"; then
	good_change "noudpcsum" '"udp_csum":false' noudpcsum
fi

# A live change that needs another socket takes it before it lets the old
# one go: a port that some other socket holds is refused with the reason,
# and the device stays on its old port.
udp_open() { ip netns exec "$NS" ss -H -uln "sport = :$1" | grep -q .; }
if ovl_only "change: port held by another socket" "vxlan can not change the port"; then
	old_port=$(ip -n "$NS" -d -j link show c0 | sed -n 's/.*"port":\([0-9]*\).*/\1/p')
	ip netns exec "$NS" socat -u UDP4-RECV:4791 /dev/null &
	holder=$!
	for _ in $(seq 50); do udp_open 4791 && break; sleep 0.1; done
	bad_change "port held by another socket" dstport 4791
	check_err "change: the reason is in the extack" "Could not open the UDP port" \
		ovl_set "$NS" c0 dstport 4791
	if udp_open "$old_port"; then
		ok "change: the old port stays open"
	else
		fail "change: the old port stays open" "no UDP socket on $old_port"
	fi
	kill "$holder"
	wait "$holder" 2>/dev/null
fi

# udp6zerocsumrx is the socket's: a device alone on its socket changes
# it live; a second device on that port must agree with it.
if ovl_only "change: udp6zerocsumrx live" "vxlan can not change it"; then
	must ovl_add "$NS" z0 id 20 local "$(u6 1)" dstport 4800
	must ip -n "$NS" link set z0 up
	good_change_dev() {
		if ovl_set "$NS" z0 "$@" && ip -n "$NS" link show z0 | grep -q ',UP'; then
			ok "change: z0 $*, still up"
		else
			fail "change: z0 $*, still up" "refused or down"
		fi
	}
	good_change_dev udp6zerocsumrx
	if info_has "$NS" z0 '"udp_zero_csum6_rx":true' && udp_open 4800; then
		ok "change: udp6zerocsumrx on, port 4800 open"
	else
		fail "change: udp6zerocsumrx on, port 4800 open" "not shown or not open"
	fi
	must ovl_add "$NS" z1 id 21 local "$(u6 1)" dstport 4800
	check_err "up: a second device with the other udp6zerocsumrx" "." \
		ip -n "$NS" link set z1 up
	must ovl_set "$NS" z1 udp6zerocsumrx
	must ip -n "$NS" link set z1 up
	check_err "change: udp6zerocsumrx on a shared socket" "udp6zerocsumrx" \
		ovl_set "$NS" z0 noudp6zerocsumrx
	must ip -n "$NS" link del z1
	must ip -n "$NS" link del z0
fi

# Defaults: port 4789 (passed explicitly to vxlan), learning, ageing 300.
must ovl_add "$NS" d0 id 3
for kv in "\"port\":4789" '"learning":true' '"ageing":300'; do
	if info_has "$NS" d0 "$kv"; then ok "default $kv"; else fail "default $kv" "not in ip -d -j link show"; fi
done

finish
