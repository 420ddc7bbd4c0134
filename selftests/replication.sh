#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Head-end replication.  Five hosts on one switch; host 1's default list
# (the all-zeros FDB entry) holds hosts 2, 3 and 4.  A broadcast sent on
# host 1's overlay must reach each of the three, and not host 5, which is
# on the same VNI but not in the list.  IPv6 is off on the overlays so the
# counters see only the test's frames.

. "$(dirname "$0")/lib.sh"
need_ovl_args

hosts_switch 5
H1=$(ns_of 1)
N=5

must ovl_add "$H1" r0 id 21 local "$(u4 1)" remote "$(u4 2)"
must bridge -n "$H1" fdb append 00:00:00:00:00:00 dev r0 dst "$(u4 3)"
must bridge -n "$H1" fdb append 00:00:00:00:00:00 dev r0 dst "$(u4 4)"
ovl_up "$H1" r0 "$(o4 1)/24"
for i in 2 3 4 5; do
	must ovl_add "$(ns_of $i)" r0 id 21 local "$(u4 $i)" remote "$(u4 1)"
	ovl_up "$(ns_of $i)" r0 "$(o4 $i)/24"
done

if [ "$(fdb "$H1" r0 | grep -c '^00:00:00:00:00:00 ')" = 3 ]; then
	ok "three default remotes"
else
	fail "three default remotes" "$(fdb "$H1" r0 | tr '\n' ';')"
fi

declare -A rx
for i in 2 3 4 5; do rx[$i]=$(counter "$(ns_of $i)" r0 rx_packets); done

# Broadcast pings: the hosts do not answer them (icmp_echo_ignore_broadcasts)
# so ping's exit status means nothing; the receive counters are the test.
on "$H1" ping -b -c $N -i 0.2 -W 1 -q 192.168.1.255

for i in 2 3 4; do
	if wait_for 5 counter_ge "$(ns_of $i)" r0 rx_packets $((rx[$i] + N)); then
		ok "broadcast replicated to host $i"
	else
		fail "broadcast replicated to host $i" \
			"rx_packets ${rx[$i]} -> $(counter "$(ns_of $i)" r0 rx_packets), expected +$N"
	fi
done
got=$(($(counter "$(ns_of 5)" r0 rx_packets) - rx[5]))
if [ "$got" = 0 ]; then
	ok "host not in the list gets nothing"
else
	fail "host not in the list gets nothing" "host 5 received $got packets"
fi

# Unicast goes to one remote only: once host 3 answered, host 1 has
# learned its MAC, and unicast to it reaches neither host 2 nor host 4.
if ping_ok "$H1" "$(o4 3)"; then ok "unicast to a replicated peer"; else fail "unicast to a replicated peer" "no reply"; fi
rx2=$(counter "$(ns_of 2)" r0 rx_packets)
rx4=$(counter "$(ns_of 4)" r0 rx_packets)
on "$H1" ping -c $N -i 0.2 -W 1 -q "$(o4 3)"
if [ "$(counter "$(ns_of 2)" r0 rx_packets)" = "$rx2" ] &&
   [ "$(counter "$(ns_of 4)" r0 rx_packets)" = "$rx4" ]; then
	ok "unicast to a learned MAC is not replicated"
else
	fail "unicast to a learned MAC is not replicated" "host 2 or 4 received it"
fi

finish
