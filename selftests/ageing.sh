#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# FDB ageing: with "ageing 3", an entry learned from traffic is gone within
# a bounded poll once the traffic stops, while static and permanent entries
# stay.  IPv6 is off on the overlay (ovl_up) so that no background frame
# refreshes the learned entry.

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct

must ovl_add "$H1" a0 id 9 local "$(u4 1)" remote "$(u4 2)"
must ovl_add "$H2" a0 id 9 local "$(u4 2)" remote "$(u4 1)" ageing 3
ovl_up "$H1" a0 "$(o4 1)/24"
ovl_up "$H2" a0 "$(o4 2)/24"
MAC1=$(mac_of "$H1" a0)
must bridge -n "$H2" fdb add 02:00:00:00:00:51 dev a0 dst 10.0.0.51 static
must bridge -n "$H2" fdb add 02:00:00:00:00:52 dev a0 dst 10.0.0.52 permanent

learned() { fdb_has "$H2" a0 "^$MAC1 dst $(u4 1) "; }
gone() { ! fdb_has "$H2" a0 "^$MAC1 "; }

ping_ok "$H1" "$(o4 2)" || fail "overlay ping" "no reply"
# Keep frames coming while we look: on a slow (debug) kernel a look can
# take longer than the 3 s ageing time.
spawn "$H1" "$TMP_DIR/ping.log" ping -i 0.2 "$(o4 2)"
PING=$SPAWNED
if ! wait_for 10 learned; then
	stop "$PING"
	fail "entry learned" "no '$MAC1 dst $(u4 1)' in the FDB"
	finish
fi
ok "entry learned"
stop "$PING"
# vxlan scans its FDB every 10 s, so "ageing 3" ends within 3 + 10 s.
t0=$(now_ms)
if wait_for 20 gone; then
	t=$(($(now_ms) - t0))
	# It went no sooner than ageing allows (2 s: the last packet came a
	# little before t0).
	if [ $t -ge 2000 ]; then
		ok "learned entry aged out (${t}ms after learned)"
	else
		fail "learned entry aged out" "gone after ${t}ms, before its 3 s ageing time"
	fi
else
	fail "learned entry aged out" "still there after 20s: $(fdb "$H2" a0 | grep "$MAC1")"
fi
if fdb_has "$H2" a0 "^02:00:00:00:00:51 dst 10.0.0.51 self static" &&
   fdb_has "$H2" a0 "^02:00:00:00:00:52 dst 10.0.0.52 self permanent"; then
	ok "static and permanent entries do not age"
else
	fail "static and permanent entries do not age" "$(fdb "$H2" a0)"
fi
if fdb_has "$H2" a0 "^00:00:00:00:00:00 dst $(u4 1) "; then
	ok "default remote does not age"
else
	fail "default remote does not age" "$(fdb "$H2" a0)"
fi

finish
