#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "maxaddress N" bounds the FDB, learned and static entries together (and,
# as in vxlan, the default-remote entry).  Adding past the limit fails with
# ENOSPC and changes nothing; learning stops at the limit and resumes once
# there is room.  A request that sets a default remote and the limit is
# checked against the limit it sets (ovl only: vxlan cannot change it).

. "$(dirname "$0")/lib.sh"
need_ovl_args

H1=$(ns_of 1)
H2=$(ns_of 2)
hosts_direct
LIMIT=4

must ovl_add "$H1" m0 id 11 local "$(u4 1)" remote "$(u4 2)"
must ovl_add "$H2" m0 id 11 local "$(u4 2)" remote "$(u4 1)" maxaddress $LIMIT
ovl_up "$H1" m0 "$(o4 1)/24"
ovl_up "$H2" m0 "$(o4 2)/24"
MAC1=$(mac_of "$H1" m0)

entries() { fdb "$H2" m0 | wc -l; }

if info_has "$H2" m0 "\"limit\":$LIMIT"; then
	ok "maxaddress shown"
else
	fail "maxaddress shown" "no '\"limit\":$LIMIT' in ip -d -j link show"
fi

# Fill the table to the limit with static entries.
i=0
while [ "$(entries)" -lt $LIMIT ]; do
	i=$((i + 1))
	must bridge -n "$H2" fdb add "02:00:00:00:01:0$i" dev m0 dst "10.0.1.$i"
done
before=$(fdb "$H2" m0)
check_err "add past the limit: ENOSPC" "no space|full" \
	bridge -n "$H2" fdb add 02:00:00:00:01:99 dev m0 dst 10.0.1.99
if [ "$(fdb "$H2" m0)" = "$before" ]; then
	ok "refused add changed nothing"
else
	fail "refused add changed nothing" "the FDB changed"
fi
check_err "append past the limit: ENOSPC" "no space|full" \
	bridge -n "$H2" fdb append 01:00:5e:00:00:01 dev m0 dst 10.0.1.98

# Full table: traffic from host 1 arrives but its MAC is not learned.
rx=$(counter "$H2" m0 rx_packets)
ping_ok "$H1" "$(o4 2)"
if counter_ge "$H2" m0 rx_packets $((rx + 1)) && ! fdb_has "$H2" m0 "^$MAC1 " &&
   [ "$(entries)" = $LIMIT ]; then
	ok "learning stops at the limit"
else
	fail "learning stops at the limit" "$(entries) entries: $(fdb "$H2" m0 | tr '\n' ';')"
fi

# One free slot: the next packet is learned.
must bridge -n "$H2" fdb del 02:00:00:00:01:01 dev m0
learned() { fdb_has "$H2" m0 "^$MAC1 dst $(u4 1) "; }
on "$H1" ping -c 2 -i 0.2 -W 1 -q "$(o4 2)"
if wait_for 5 learned && [ "$(entries)" = $LIMIT ]; then
	ok "learning resumes below the limit"
else
	fail "learning resumes below the limit" "$(fdb "$H2" m0 | tr '\n' ';')"
fi

# The default remote is an entry too: on a full FDB, setting one fails
# and changes nothing.  A request that also lifts the limit is judged by
# the limit it sets (vxlan cannot change its limit after creation).
must ovl_add "$H2" m1 id 12 local "$(u4 2)" maxaddress 2
must bridge -n "$H2" fdb add 02:00:00:00:02:01 dev m1 dst 10.0.2.1
must bridge -n "$H2" fdb add 02:00:00:00:02:02 dev m1 dst 10.0.2.2
before=$(fdb "$H2" m1)
check_err "default remote on a full FDB: refused" "full|no space" \
	ip -n "$H2" link set m1 type "$KIND" remote 10.0.2.9
if [ "$(fdb "$H2" m1)" = "$before" ] && info_has "$H2" m1 '"limit":2' &&
   ! info_has "$H2" m1 '"remote":'; then
	ok "refused default remote changed nothing"
else
	fail "refused default remote changed nothing" "$(fdb "$H2" m1 | tr '\n' ';')"
fi
if ovl_only "a default remote with maxaddress 0 on a full FDB" "vxlan cannot change its limit"; then
	if pp ip -n "$H2" link set m1 type "$KIND" remote 10.0.2.9 maxaddress 0 &&
	   fdb_has "$H2" m1 '^00:00:00:00:00:00 dst 10.0.2.9 ' &&
	   ! info_has "$H2" m1 '"limit":'; then
		ok "a default remote with maxaddress 0 on a full FDB"
	else
		fail "a default remote with maxaddress 0 on a full FDB" "$(fdb "$H2" m1 | tr '\n' ';')"
	fi
fi
# Lowering the limit in the same request: checked against the new one.
if ovl_only "a default remote with a lower maxaddress: refused" "vxlan cannot change its limit"; then
	must ovl_add "$H2" m2 id 13 local "$(u4 2)"
	must bridge -n "$H2" fdb add 02:00:00:00:03:01 dev m2 dst 10.0.3.1
	must bridge -n "$H2" fdb add 02:00:00:00:03:02 dev m2 dst 10.0.3.2
	before=$(fdb "$H2" m2)
	check_err "a default remote with a lower maxaddress: refused" "full|no space" \
		ip -n "$H2" link set m2 type "$KIND" remote 10.0.3.9 maxaddress 2
	if [ "$(fdb "$H2" m2)" = "$before" ] && ! info_has "$H2" m2 '"limit":'; then
		ok "refused lower maxaddress changed nothing"
	else
		fail "refused lower maxaddress changed nothing" "$(fdb "$H2" m2 | tr '\n' ';')"
	fi
fi

finish
