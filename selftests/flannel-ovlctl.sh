#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Flannel-style overlay of flannel.sh, with the VTEPs created and
# their FDB entries programmed by ovlctl (neighbours and routes are not
# ovlctl's business: ip), on the IANA port 4789.  Fewer traffic cases
# than flannel.sh (each container pings its counterpart on every other
# host, TCP for two pairs: the data path is the same); what ovlctl shows
# of the result is checked in addition.  ovl only: ovlctl drives kind ovl.

# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=containers.bash
. "$SELFTESTS_DIR/containers.bash"
# shellcheck source=capture.bash
. "$SELFTESTS_DIR/capture.bash"
# shellcheck source=flannel-topo.bash
. "$SELFTESTS_DIR/flannel-topo.bash"

is_ovl_kind || skip_all "ovlctl manages kind ovl only (KIND=$KIND)"
[ -x "$OVLCTL" ] || skip_all "$OVLCTL is not built (make tools)"
"$OVLCTL" help 2>&1 | grep -q '^  fdb ' ||
	skip_all "$OVLCTL has no fdb command yet"
for t in python3 tcpdump socat; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done

FT_TOOL=ovlctl FT_PORT=4789
ft_setup

# ovlctl -j show and -j fdb show agree with what was asked for (one
# python3 for all hosts: each start costs seconds under TCG).
args=()
for i in $FT_HOSTS; do
	h=$(ns_of "$i")
	want=
	for r in $(ft_remote_hosts "$i"); do want="$want ${FT_MAC[$r]}=${FT_UNDER[$r]}"; done
	args+=("$i" "${FT_UNDER[$i]}" "$want" "$("$OVLCTL" -n "$h" -j show "$FT_DEV" 2>&1)" \
		"$("$OVLCTL" -n "$h" -j fdb show "$FT_DEV" 2>&1)")
done
python3 -c '
import json, sys
vni, port, mtu = (int(a) for a in sys.argv[1:4])
a = sys.argv[4:]
for host, local, want_fdb, show, fdb in zip(*[iter(a)] * 5):
    try:
        v = json.loads(show)
        d = v[0] if isinstance(v, list) else v
        want = {"ifname": "flannel.1", "kind": "ovl", "vni": vni, "port": port,
                "learning": False, "local": local, "dev": "eth0", "mtu": mtu}
        bad = {k: d.get(k) for k, w in want.items() if d.get(k) != w}
        print(host, "show", "unexpected: %s" % bad if bad else "ok")
    except (ValueError, LookupError):
        print(host, "show", "not JSON: %r" % show)
    try:
        got = sorted("%s=%s" % (e.get("mac"), e.get("dst")) for e in json.loads(fdb)
                     if e.get("state") == "permanent")
        want = sorted(want_fdb.split())
        print(host, "fdb", "got %s, want %s" % (got, want) if got != want else "ok")
    except (ValueError, AttributeError):
        print(host, "fdb", "not JSON: %r" % fdb)' \
	"$FT_VNI" "$FT_PORT" "$FT_MTU" "${args[@]}" > "$TMP_DIR/ovlctl"
for i in $FT_HOSTS; do
	r=$(sed -n "s/^$i show //p" "$TMP_DIR/ovlctl")
	if [ "$r" = ok ]; then
		ok "host $i: ovlctl -j show: VNI $FT_VNI, port $FT_PORT, learning off, MTU $FT_MTU"
	else
		fail "host $i: ovlctl -j show" "$r"
	fi
	r=$(sed -n "s/^$i fdb //p" "$TMP_DIR/ovlctl")
	if [ "$r" = ok ]; then
		ok "host $i: ovlctl -j fdb show: one permanent entry per remote host"
	else
		fail "host $i: ovlctl -j fdb show" "$r"
	fi
done

# Traffic: fewer cases than flannel.sh, whose data path this is too.
ft_check_config
for c in $FT_CTS; do
	for j in $(ft_remote_hosts "$(host_of "$c")"); do
		d=$j${c#"${c%?}"}
		ping_case "ping c$c -> c$d" "$(ft_ct_ns "$c")" "$(ft_ct_addr "$d")"
	done
done
ping_case "ping host 1 -> c3b" "$(ns_of 1)" "$(ft_ct_addr 3b)"
ft_check_tcp "1a>2b" "3b>1a"
ft_check_wire
ft_check_mtu
ft_check_cut
ft_check_move 10.0.0.33

finish
