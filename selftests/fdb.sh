#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every bridge(8) FDB operation on the device, and bad FDB requests, which
# must fail and leave the FDB as it was.  Expected results are vxlan's:
# ovl's FDB interface is vxlan's.

. "$(dirname "$0")/lib.sh"
need_ovl_args

NS=$(ns_of 1)
ns_add "$NS"
must ovl_add "$NS" f0 id 10 local 10.0.0.1

Z=00:00:00:00:00:00
M1=02:00:00:00:00:01
M2=02:00:00:00:00:02
MC=01:00:5e:00:00:01

B() { pp bridge -n "$NS" fdb "$@"; }
has() { fdb_has "$NS" f0 "$1"; }
count() { fdb "$NS" f0 | grep -c -- "$1"; }

# expect CASE CMD...: the command succeeds and then REGEX (in EXPECT)
# matches the dump.
expect() {
	local name=$1 re=$2
	shift 2
	if "$@" && has "$re"; then ok "$name"; else fail "$name" "dump lacks /$re/"; fi
}

# refused CASE ERR_REGEX CMD...: the command fails with ERR_REGEX in its
# message and the FDB is the same before and after.
refused() {
	local name=$1 re=$2 before
	shift 2
	before=$(fdb "$NS" f0)
	check_err "$name" "$re" "$@" || return
	if [ "$(fdb "$NS" f0)" != "$before" ]; then
		fail "$name: FDB unchanged" "the FDB changed"
	fi
}

expect "add" "^$M1 dst 10.0.0.2 self permanent" B add $M1 dev f0 dst 10.0.0.2
refused "add of an existing entry: EEXIST" "exists" B add $M1 dev f0 dst 10.0.0.3
expect "add with port and vni" "^$M2 dst 10.0.0.4 port 5000 vni 77 " \
	B add $M2 dev f0 dst 10.0.0.4 port 5000 vni 77
expect "add static" "^02:00:00:00:00:03 dst 10.0.0.5 self static" \
	B add 02:00:00:00:00:03 dev f0 dst 10.0.0.5 static
expect "add permanent" "^02:00:00:00:00:04 dst 10.0.0.5 self permanent" \
	B add 02:00:00:00:00:04 dev f0 dst 10.0.0.5 permanent

# The all-zeros MAC is the default destination list; append adds remotes.
B add $Z dev f0 dst 10.0.1.1
B append $Z dev f0 dst 10.0.1.2
expect "append to the default list" "^$Z dst 10.0.1.3 " B append $Z dev f0 dst 10.0.1.3
if [ "$(count "^$Z dst 10.0.1.[123] ")" = 3 ]; then ok "show dumps every default remote"; else fail "show dumps every default remote" "$(count "^$Z ") of 3"; fi
refused "add to the existing default list: EEXIST" "exists" B add $Z dev f0 dst 10.0.1.4
B append $MC dev f0 dst 10.0.2.1
B append $MC dev f0 dst 10.0.2.2 port 4790 vni 5
if [ "$(count "^$MC dst 10.0.2.1 ")" = 1 ] && [ "$(count "^$MC dst 10.0.2.2 port 4790 vni 5 ")" = 1 ]; then
	ok "append to a multicast MAC"
else
	fail "append to a multicast MAC" "remotes missing from the dump"
fi
# vxlan keeps a single remote for a unicast MAC: append is a no-op there.
if B append $M1 dev f0 dst 10.0.0.9 && [ "$(count "^$M1 ")" = 1 ]; then
	ok "append to a unicast MAC keeps one remote"
else
	fail "append to a unicast MAC keeps one remote" "$(count "^$M1 ") remotes"
fi

expect "replace" "^$M1 dst 10.0.0.6 self permanent" B replace $M1 dev f0 dst 10.0.0.6
if [ "$(count "^$M1 ")" = 1 ]; then ok "replace leaves one remote"; else fail "replace leaves one remote" "$(count "^$M1 ") remotes"; fi
expect "replace of a missing entry creates it" "^02:00:00:00:00:05 dst 10.0.0.7 " \
	B replace 02:00:00:00:00:05 dev f0 dst 10.0.0.7

if B del $Z dev f0 dst 10.0.1.2 && ! has "^$Z dst 10.0.1.2 " && [ "$(count "^$Z ")" = 2 ]; then
	ok "del of one default remote"
else
	fail "del of one default remote" "dump: $(count "^$Z ") default remotes"
fi
if B del $M2 dev f0 && ! has "^$M2 "; then ok "del"; else fail "del" "$M2 still dumped"; fi
refused "del of a missing entry: ENOENT" "no such" B del 02:00:00:00:00:99 dev f0

# Bad requests.
refused "add without dst: EINVAL" "invalid|missing" B add 02:00:00:00:00:10 dev f0
refused "add with a dst of the other family: EAFNOSUPPORT" "not supported|family" \
	B add 02:00:00:00:00:11 dev f0 dst fd00::1
# A group is a destination as any other, as in vxlan (multicast.sh sends
# to one).
if B add 02:00:00:00:00:12 dev f0 dst 239.1.1.1 &&
	B append $Z dev f0 dst 239.1.1.1 &&
	fdb_has "$NS" f0 "^02:00:00:00:00:12 .*dst 239.1.1.1 " &&
	fdb_has "$NS" f0 "^$Z .*dst 239.1.1.1 "; then
	ok "add and append of a multicast dst"
else
	fail "add and append of a multicast dst"
fi
B del 02:00:00:00:00:12 dev f0
B del $Z dev f0 dst 239.1.1.1

# A request that bridge(8) can not express: a state that is neither
# permanent nor reachable (vxlan: EINVAL).
if command -v python3 >/dev/null; then
	refused "add with an invalid NUD state: EINVAL" "invalid" \
		q "$NS" python3 "$SELFTESTS_DIR/fdb_state.py" f0 02:00:00:00:00:13 10.0.0.8
else
	skip "add with an invalid NUD state: EINVAL" "needs python3"
fi

# A dump longer than one netlink message: the kernel asks again where the
# last part ended (cb->args on older kernels, cb->ctx on newer), and every entry
# must come once (a dump that starts over never ends).
N=3000
for i in $(seq 1 $N); do
	printf 'fdb add 02:00:00:01:%02x:%02x dev f0 dst 10.0.2.%d self permanent\n' \
		$((i / 256)) $((i % 256)) $((i % 200 + 1))
done > "$TMP_DIR/many.batch"
if bridge -n "$NS" -batch "$TMP_DIR/many.batch"; then
	dump=$(timeout 60 bridge -n "$NS" fdb show dev f0)
	rc=$?
	n=$(echo "$dump" | grep -c '^02:00:00:01:')
	u=$(echo "$dump" | grep '^02:00:00:01:' | sort -u | grep -c .)
	if [ "$rc" = 0 ] && [ "$n" = "$N" ] && [ "$u" = "$N" ]; then
		ok "a dump of $N entries (several messages) lists each once"
	else
		fail "a dump of $N entries (several messages) lists each once" \
			"exit $rc, $n lines, $u distinct"
	fi
else
	fail "a dump of $N entries (several messages) lists each once" "bridge -batch failed"
fi
finish
