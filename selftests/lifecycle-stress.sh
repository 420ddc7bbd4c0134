#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Device lifecycle under stress: 1000 create/configure/delete cycles; the
# device, its underlay device, its netns and the module removed while
# traffic flows; VNI, port and remote changed while traffic flows.  The
# device must keep forwarding where it survives, and everything must go
# away: no device, no netns, no module reference left.  Kernel splats are
# caught by run.sh (and on the debug kernel: KASAN, lockdep, kmemleak).
#
# rmmod/insmod: only with ovl as a module (OVL_KO or modprobe to load it
# back); the module is loaded again on exit, whatever happens, since the
# scripts that follow need it.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
S=$(ns_of s)
PORT=4789

# --- helpers ---------------------------------------------------------------

# ovl_count NS: how many devices of the kind under test NS has.
ovl_count() {
	ip -n "$1" -o link show type "$KIND" | wc -l
}
no_ovl_in() { [ "$(ovl_count "$1")" = 0 ]; }
no_dev() { ! ip -n "$1" link show dev "$2" >/dev/null 2>&1; }

# pair_up ID: ovl0 on hosts 1 and 2, VNI ID, each the other's remote,
# bound to eth0, addressed and up.
pair_up() {
	local i j h
	for i in 1 2; do
		j=$((3 - i))
		h=$(ns_of $i)
		must ovl_add "$h" ovl0 id "$1" local "$(u4 $i)" remote "$(u4 $j)" \
			dev eth0 dstport $PORT
		ovl_up "$h" ovl0 "$(o4 $i)/24"
	done
}

# traffic_start: pings both ways over ovl0, 200 packets/s each, bounded
# by a deadline; TRAFFIC holds the pids.
TRAFFIC=()
traffic_start() {
	spawn "$H1" "$TMP_DIR/ping1.log" ping -q -i 0.005 -s 1000 -w 120 "$(o4 2)"
	TRAFFIC=("$SPAWNED")
	spawn "$H2" "$TMP_DIR/ping2.log" ping -q -i 0.005 -s 1000 -w 120 "$(o4 1)"
	TRAFFIC+=("$SPAWNED")
}
traffic_stop() {
	local p
	for p in "${TRAFFIC[@]}"; do stop "$p"; done
	TRAFFIC=()
}

# flowing NS: ovl0 in NS receives: rx_packets grows by 20 within 15 s.
flowing() {
	local n
	n=$(counter "$1" ovl0 rx_packets) || return 1
	wait_for 15 counter_ge "$1" ovl0 rx_packets $((n + 20))
}

# both_flowing CASE: traffic flows both ways, or CASE fails.
both_flowing() {
	if flowing "$H1" && flowing "$H2"; then return 0; fi
	fail "$1" "no traffic through ovl0 before the operation"
	return 1
}

# forwards CASE: pings are answered both ways.
forwards() {
	if ping_ok "$H1" "$(o4 2)" && ping_ok "$H2" "$(o4 1)"; then
		ok "$1"
	else
		fail "$1" "overlay ping unanswered"
	fi
}

# timed CMD...: CMD must finish within 60 s: a device that cannot be
# unregistered (a leaked reference) blocks `ip link del` forever.
timed() {
	pp timeout 60 "$@"
}

# --- module load state -----------------------------------------------------

mod_loaded() { grep -q '^ovl ' /proc/modules; }
mod_refcnt() { cat /sys/module/ovl/refcnt; }
refcnt_zero() { [ "$(mod_refcnt)" = 0 ]; }
mod_load() {
	if [ -n "${OVL_KO:-}" ]; then pp insmod "$OVL_KO"; else pp modprobe ovl; fi
}
UNLOADED=0
restore_module() {
	if [ "$UNLOADED" = 1 ] && ! mod_loaded; then
		mod_load || echo "could not load ovl back"
	fi
}
trap 'restore_module; cleanup' EXIT

# --- 1000 create/configure/delete cycles -------------------------------------

# In their own netns over a veth underlay, without IPv6 on the devices
# (no addrconf work per device), 100 devices per round: create, change
# while down, FDB entries, up, change while up, delete: 10 one by one, 90
# at once by group (both unregister paths; one by one costs an RCU grace
# period or two each, which is what makes it slow).
cycles() {
	local r i n b="$TMP_DIR/batch" f="$TMP_DIR/fdb" t0 idchg=
	ns_add "$S"
	q "$S" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
	must ip -n "$S" link add u0 type veth peer name u1
	must ip -n "$S" addr add 10.9.0.1/24 dev u0
	must ip -n "$S" link set u1 up
	must ip -n "$S" link set u0 up
	t0=$(now_ms)
	for r in $(seq 0 9); do
		: > "$b"
		: > "$f"
		for i in $(seq 0 99); do
			n=$((r * 100 + i))
			is_ovl_kind && idchg="id $((100000 + n))"
			echo "link add c$i type $KIND id $((n + 1)) local 10.9.0.1 remote 10.9.0.2 dev u0 dstport $PORT learning ageing 300"
			echo "link set c$i type $KIND $idchg remote 10.9.0.3 ttl 5 nolearning"
			[ "$i" -ge 10 ] && echo "link set c$i group 9"
			printf 'fdb add 02:00:00:00:%02x:%02x dev c%s dst 10.9.0.5 self permanent\n' \
				"$r" "$i" "$i" >> "$f"
			echo "fdb append 00:00:00:00:00:00 dev c$i dst 10.9.0.6 self" >> "$f"
		done > "$b"
		pp ip -n "$S" -batch "$b" || return 1
		pp bridge -n "$S" -batch "$f" || return 1
		[ "$(ovl_count "$S")" = 100 ] || { echo "round $r: $(ovl_count "$S") devices, not 100"; return 1; }
		: > "$b"
		for i in $(seq 0 99); do
			echo "link set c$i mtu 1400 up"
			echo "link set c$i type $KIND remote 10.9.0.4 ageing 30 learning"
		done > "$b"
		for i in $(seq 0 9); do echo "link del c$i"; done >> "$b"
		echo "link del group 9" >> "$b"
		pp ip -n "$S" -batch "$b" || return 1
		no_ovl_in "$S" || { echo "round $r: $(ovl_count "$S") devices left"; return 1; }
	done
	echo "1000 cycles in $(( $(now_ms) - t0 )) ms"
}
if cycles; then
	ok "1000 create/configure/delete cycles, no device left"
else
	fail "1000 create/configure/delete cycles, no device left" "a batch failed (log above)"
fi

# --- the device deleted while traffic flows ----------------------------------

hosts_direct
pair_up 42
C="delete the device while traffic flows both ways"
traffic_start
if both_flowing "$C"; then
	if timed ip -n "$H1" link del ovl0 && no_dev "$H1" ovl0; then ok "$C"; else fail "$C" "ip link del failed or timed out"; fi
fi
traffic_stop
must ovl_add "$H1" ovl0 id 42 local "$(u4 1)" remote "$(u4 2)" dev eth0 dstport $PORT
ovl_up "$H1" ovl0 "$(o4 1)/24"
forwards "forwards again after re-creating the device"

# --- VNI, port and remote changed while traffic flows ------------------------

# Each side changes in turn, so the two disagree half of the time; the
# port changes reopen the UDP socket under the receive path.
C="change id/dstport/remote 40 times while traffic flows"
traffic_start
if both_flowing "$C"; then
	n=0 bad=
	for k in $(seq 1 20); do
		case $((k % 4)) in
		0) id=42 port=4789 ;;
		1) id=43 port=4790 ;;
		2) id=42 port=4790 ;;
		3) id=43 port=4789 ;;
		esac
		is_ovl_kind || { id=42 port=$PORT; }	# vxlan changes neither
		for i in 1 2; do
			j=$((3 - i))
			remote=$(u4 $j)
			[ $((k % 3)) = 0 ] && remote=10.0.0.99
			if is_ovl_kind; then
				args="id $id dstport $port remote $remote"
			else
				args="remote $remote"
			fi
			# shellcheck disable=SC2086
			if timed ip -n "$(ns_of $i)" link set ovl0 type "$KIND" $args; then
				n=$((n + 1))
			else
				bad="$bad [$k host $i: $args]"
			fi
		done
	done
	if [ -z "$bad" ]; then ok "$C"; else fail "$C" "refused:$bad"; fi
fi
traffic_stop
for i in 1 2; do
	if is_ovl_kind; then
		must ovl_set "$(ns_of $i)" ovl0 id 42 dstport $PORT remote "$(u4 $((3 - i)))"
	else
		must ovl_set "$(ns_of $i)" ovl0 remote "$(u4 $((3 - i)))"
	fi
done
C="configuration after the changes is the last one set"
if link_json "$H1" ovl0 | grep -q "\"id\":42" &&
   link_json "$H1" ovl0 | grep -q "\"port\":$PORT" &&
   link_json "$H1" ovl0 | grep -q "\"remote\":\"$(u4 2)\""; then
	ok "$C"
else
	fail "$C" "$(link_json "$H1" ovl0)"
fi
forwards "forwards after the changes"

# --- the underlay deleted while traffic flows --------------------------------

# Deleting H1's eth0 deletes its veth peer, H2's eth0, too: both ovl0 are
# bound to an eth0 (dev eth0) and must go with them, as vxlan's do.
C="delete the underlay while traffic flows: its ovl devices go with it"
traffic_start
if both_flowing "$C"; then
	if ! timed ip -n "$H1" link del eth0; then
		fail "$C" "ip link del eth0 failed or timed out"
	elif wait_for 10 no_dev "$H1" ovl0 && wait_for 10 no_dev "$H2" ovl0; then
		ok "$C"
	else
		fail "$C" "ovl0 still exists: $(ip -n "$H1" -br link; ip -n "$H2" -br link)"
	fi
fi
traffic_stop
# Whatever happened above, start again from a new underlay.
ip -n "$H1" link del ovl0 2>/dev/null
ip -n "$H2" link del ovl0 2>/dev/null
must ip -n "$H1" link add eth0 type veth peer name eth0 netns "$H2"
host_underlay 1
host_underlay 2
pair_up 42
forwards "forwards over a new underlay"

# --- rmmod with devices, just after traffic ---------------------------------

C="rmmod with devices in 3 netns, just after traffic"
if ! is_ovl_kind; then
	skip "$C" "KIND=$KIND"
elif ! mod_loaded || [ ! -r /sys/module/ovl/refcnt ]; then
	skip "$C" "ovl is not a loaded module"
elif [ -z "${OVL_KO:-}" ] && ! modinfo ovl >/dev/null 2>&1; then
	skip "$C" "cannot load ovl back: no OVL_KO and no installed module"
else
	# A third netns with a device that is down and has FDB entries.
	must ovl_add "$S" d0 id 7 local 10.9.0.1 dstport $PORT
	must bridge -n "$S" fdb add 02:00:00:00:00:07 dev d0 dst 10.9.0.7 self permanent
	traffic_start
	both_flowing "$C" || true
	traffic_stop
	echo "refcnt before rmmod: $(mod_refcnt)"
	if pp timeout 60 rmmod ovl; then
		UNLOADED=1
		# Clean: every device of the kind is gone, in every netns.
		if no_ovl_in "$H1" && no_ovl_in "$H2" && no_ovl_in "$S" && ! mod_loaded; then
			ok "$C: clean, every ovl device removed"
		else
			fail "$C" "rmmod succeeded but ovl devices remain"
		fi
		if mod_load; then
			UNLOADED=0
			ok "ovl loads again after rmmod"
		else
			fail "ovl loads again after rmmod" "insmod/modprobe failed"
		fi
	else
		# Refused: then nothing may have changed.
		if [ "$(ovl_count "$H1")" = 1 ] && [ "$(ovl_count "$S")" = 1 ]; then
			ok "$C: refused, devices intact"
		else
			fail "$C" "rmmod failed and devices changed"
		fi
		ip -n "$S" link del d0
	fi
fi
if mod_loaded || ! is_ovl_kind; then
	for i in 1 2; do ip -n "$(ns_of $i)" link del ovl0 2>/dev/null; done
	pair_up 42
	forwards "forwards after the rmmod case"
fi

# --- a netns deleted while traffic flows ------------------------------------

# The netns outlives `ip netns del` while H1's pinger runs in it: it is
# destroyed when the pinger ends, with H2's still sending into it.  It is
# really gone when its veth end is destroyed, which removes H2's eth0 and
# the ovl0 bound to it.
C="delete a netns while traffic flows: it is destroyed"
traffic_start
if both_flowing "$C"; then
	pp ip netns del "$H1"
	stop "${TRAFFIC[0]}"
	if wait_for 30 no_dev "$H2" eth0 && wait_for 10 no_dev "$H2" ovl0; then
		ok "$C"
	else
		fail "$C" "H2's eth0/ovl0 survived the deletion of H1"
	fi
fi
traffic_stop

# --- nothing left -----------------------------------------------------------

for ns in "$H2" "$S"; do pp ip netns del "$ns"; done
none_ours() { ! ip netns list | grep -q "^$NS_PREFIX-"; }
if wait_for 10 none_ours; then ok "every test netns is gone"; else fail "every test netns is gone" "$(ip netns list)"; fi
C="no ovl device left in the initial netns"
if [ "$(ip -o link show type "$KIND" | wc -l)" = 0 ]; then ok "$C"; else fail "$C" "$(ip -br link show type "$KIND")"; fi
C="module refcount back to 0"
if ! is_ovl_kind || [ ! -r /sys/module/ovl/refcnt ]; then
	skip "$C" "ovl is not a loaded module"
elif wait_for 30 refcnt_zero; then
	ok "$C"
else
	fail "$C" "refcnt $(mod_refcnt)"
fi

finish
