#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzz the configuration: FUZZ_NL_COUNT random and malformed rtnetlink
# requests (tools/fuzz/nlfuzz) against one ovl device: RTM_NEWLINK
# changing it and creating others with IFLA_INFO_DATA garbage, and
# RTM_NEWNEIGH/RTM_DELNEIGH with malformed NDA_* and other families.
# nlfuzz snapshots the device's link attributes and FDB around every
# request: a rejected one must change nothing; one that ovl rejects must
# say why (extack); one that must fail (out-of-range value, unsupported
# feature on, wrong length...) must not succeed.  Afterwards the device
# still takes a valid configuration and FDB entry, no fuzz device is
# left, and the kernel log is clean.
#
#   FUZZ_NL_COUNT  requests (default 10000)
#   FUZZ_SEED      PRNG seed (default: random, printed)

. "$(dirname "$0")/lib.sh"
. "$TOP_DIR/tools/fuzz/lib.sh"

is_ovl_kind || skip_all "ovl-only: checks ovl's validation rules (KIND=$KIND)"
need_ovl_args

COUNT=${FUZZ_NL_COUNT:-10000}
SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# fuzz-config: FUZZ_NL_COUNT=$COUNT FUZZ_SEED=$SEED"
[ -e /usr/include/libmnl/libmnl.h ] || [ -x "$TOP_DIR/tools/fuzz/nlfuzz" ] ||
	skip_all "libmnl-dev is needed to build tools/fuzz/nlfuzz"
NLFUZZ=$(fuzz_bin nlfuzz) || die "cannot build tools/fuzz/nlfuzz"

H=$(ns_of 1)
ns_add "$H"
must ip -n "$H" link add dummy0 type dummy
must ip -n "$H" addr add 10.0.0.1/24 dev dummy0
must ip -n "$H" addr add fd00::1/64 dev dummy0 nodad
must ip -n "$H" link set dummy0 up
must ovl_add "$H" ovl0 id 42 local 10.0.0.1 remote 10.0.0.2 dev dummy0
must bridge -n "$H" fdb add 02:00:00:00:00:01 dev ovl0 dst 10.0.0.3 static
must bridge -n "$H" fdb add 02:00:00:00:00:02 dev ovl0 dst 10.0.0.4 permanent
must bridge -n "$H" fdb append 00:00:00:00:00:00 dev ovl0 dst 10.0.0.5
ovl_up "$H" ovl0

# A kernel whose ndo_fdb_del has no extack (5.10) gives ovl no way to
# say why it refused a delete: the module's build says so (the header
# compat-probe.sh wrote next to the ovl.ko under test).
EXEMPT=()
gen=$(dirname "${OVL_KO:-$TOP_DIR/ovl.ko}")/compat-generated.h
if [ -f "$gen" ] && grep -q 'OVL_HAVE_FDB_DEL_EXTACK is not set' "$gen"; then
	EXEMPT=(--no-extack delneigh)
	echo "# this kernel passes ndo_fdb_del no extack: delneigh rejections may carry no message"
fi

klog_mark fuzz-config
echo "+ nlfuzz --dev ovl0 --lower dummy0 --seed $SEED --count $COUNT ${EXEMPT[*]}"
ip netns exec "$H" "$NLFUZZ" --dev ovl0 --lower dummy0 --seed "$SEED" \
	--count "$COUNT" "${EXEMPT[@]}" > "$TMP_DIR/out" 2> "$TMP_DIR/err"
rc=$?
cat "$TMP_DIR/out"
head -c 20000 "$TMP_DIR/err"
R=$TMP_DIR/out

if [ "$(kv "$R" requests)" = "$COUNT" ]; then
	ok "$COUNT requests sent and each answered (seed $SEED, $(kv "$R" seconds) s)"
else
	fail "$COUNT requests sent and each answered" "nlfuzz stopped (exit $rc, seed $SEED)"
fi
expect0() {
	local n
	n=$(kv "$R" "$2")
	if [ "$rc" -le 1 ] && [ "$n" = 0 ] && grep -q "^$2 " "$R"; then
		ok "$1"
	else
		fail "$1" "$2 = $n (seed $SEED; details above)"
	fi
}
expect0 "rejected requests left the link and the FDB unchanged" rejected_but_changed
expect0 "no request that must fail succeeded" accepted_invalid
if [ ${#EXEMPT[@]} = 0 ]; then
	expect0 "every rejection by ovl carries an extack message" ovl_err_without_msg
else
	expect0 "every rejection by ovl but a delete carries an extack message ($(kv "$R" ovl_err_without_msg_exempt) deletes cannot)" ovl_err_without_msg
fi
# Both outcomes must occur, or the fuzz tested nothing.
for k in changelink newlink newneigh delneigh; do
	line=$(grep "^$k " "$R")
	okn=$(echo "$line" | awk '{ print $5 }')
	errn=$(echo "$line" | awk '{ print $7 }')
	if [ "${okn:-0}" -gt 0 ] && [ "${errn:-0}" -gt 0 ]; then
		ok "$k: accepted $okn, rejected $errn"
	else
		fail "$k: some accepted, some rejected" "${line:-no summary}"
	fi
done

created=$(grep '^created ' "$R")
if [ -n "$created" ] && [ "$(echo "$created" | awk '{ print $2 }')" = "$(echo "$created" | awk '{ print $4 }')" ] &&
   ! ip -n "$H" -br link show | grep -q '^fz'; then
	ok "every device the fuzz created was deleted ($created)"
else
	fail "every device the fuzz created was deleted" "${created:-?}; left: $(ip -n "$H" -br link show | grep '^fz' | head -n 3)"
fi

# The device survived: a valid configuration and FDB entry still work.
check "ovl0 takes a valid configuration after the fuzz" \
	ip -n "$H" link set ovl0 type ovl id 4242 local 10.0.0.1 remote 10.0.0.2 learning maxaddress 0
if pp bridge -n "$H" fdb replace 02:00:00:00:00:09 dev ovl0 dst 10.0.0.9 static &&
   fdb_has "$H" ovl0 '^02:00:00:00:00:09 dst 10.0.0.9 '; then
	ok "ovl0 takes an FDB entry after the fuzz"
else
	fail "ovl0 takes an FDB entry after the fuzz" "$(fdb "$H" ovl0 | head -n 5)"
fi
if link_json "$H" ovl0 | grep -q '"id":4242'; then
	ok "ovl0 shows the new configuration"
else
	fail "ovl0 shows the new configuration" "$(link_json "$H" ovl0)"
fi

klog_case "kernel log clean after the fuzz" fuzz-config

finish
