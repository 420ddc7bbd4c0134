#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where the tunnel's cost over veth goes, from a bench log's profiles.

    breakdown.py LOG

LOG is a vm-bench.sh log of a run with --profile (best with --icount,
whose cpu-clock samples fall every so many instructions): for each
configuration (veth, vxlan, ovl) and measurement (udp64, tcp1) the
share of every kernel symbol ("PROFILE <config> <name> <percent>
<symbol>") and the measurement's figure ("PROFILE ... value <figure>").

The cost of a unit (a byte for tcp1, a packet for udp64) is, under
--icount with shift S (the log's "BENCH info icount_shift"), 1e9 / 2^S
/ the rate in instructions; host-clock runs give nanoseconds of guest
time instead: the same split, a looser unit.
Each symbol's share of it is put in a stage by name (STAGES, first match
wins); the table gives each stage's cost per unit for each configuration
and the tunnels' excess over veth.  The samples cover the traffic and
both ends' system calls; the tools' start-up is a small remainder.
"""
import re
import sys

# (stage, regex on the symbol), in order: the first that matches wins;
# the table shows the stages in DISPLAY's order (the path's).
STAGES = [
    ("route lookup, dst cache", r"^(ovl_route|vxlan_get_route|vxlan6_get_route)"),
    ("GRO, NAPI, cells", r"^(ovl_gro|vxlan_gro)"),
    ("ovl: encap, FDB, xmit", r"^ovl_(xmit|send|build|fdb_lookup|fdb_find|hdr|outer_src|tx|encap|bypass)"),
    ("ovl: receive, decap", r"^ovl_"),
    ("vxlan: encap, FDB, xmit", r"^(vxlan_xmit|vxlan_build|__vxlan_find_mac|vxlan_find_mac|vxlan_encap)"),
    ("vxlan: receive, decap", r"^vxlan_"),
    ("route lookup, dst cache", r"^(ip_route_output|__ip_route_output|ip_route_output_key|fib_|fib4_|__fib_|dst_cache_|rt_cache|ipv4_dst_check|dst_release|ip6_route|ip6_dst|fib6_|ip_route_input)"),
    ("outer IP/UDP transmit", r"^(iptunnel_xmit|udp_tunnel_xmit_skb|udp_set_csum|ip_local_out|__ip_local_out|ip_output|ip_finish_output|__ip_finish_output|ip_finish_output2|ip_select_ident|__ip_select_ident|neigh_|ip_send_check)"),
    ("device xmit, qdisc, GSO", r"^(__dev_queue_xmit|dev_queue_xmit|dev_hard_start_xmit|validate_xmit|netif_skb_features|skb_gso|__skb_gso|skb_segment|inet_gso_segment|udp4_ufo|__udp_gso|udp_tunnel_gso|skb_udp_tunnel_segment|tcp_gso_segment|tcp4_gso_segment|sch_direct_xmit|__qdisc_run|qdisc_|pfifo_|noop_|dev_xmit|harmonize_features|passthru_features)"),
    ("veth", r"^veth_"),
    ("GRO, NAPI, cells", r"^(napi_|__napi|gro_cells|dev_gro_receive|napi_gro|inet_gro_receive|tcp4_gro_receive|tcp_gro_receive|udp4_gro_receive|udp_gro_receive|udp_gro_complete|skb_gro_receive|gro_|__gro|net_rx_action|tcp_gro_complete|inet_gro_complete|eth_gro_receive|eth_gro_complete|udp4_gro_complete|tcp4_gro_complete)"),
    ("socket lookup", r"^(__udp4_lib_lookup|udp4_lib_lookup|__udp6_lib_lookup|udp_lib_lookup|compute_score|udp4_lib_lookup2|__inet_lookup|inet_lookup|__inet_lookup_established|inet_ehashfn|udp_ehashfn|udp4_gro_lookup_skb|__udp4_lib_err|lookup_reuseport)"),
    ("outer/inner IP, UDP receive", r"^(ip_rcv|ip_rcv_core|ip_rcv_finish|ip_local_deliver|ip_protocol_deliver|ip_sublist_rcv|ip_list_rcv|__udp4_lib_rcv|udp_rcv|udp_queue_rcv|udp_unicast_rcv_skb|__udp_queue_rcv_skb|udp_queue_rcv_one_skb|__netif_receive_skb|netif_receive_skb|__netif_receive|process_backlog|enqueue_to_backlog|netif_rx|__netif_rx|eth_type_trans|skb_pull_rcsum|__iptunnel_pull_header|iptunnel_pull|ip_route_input_noref|ip_rcv_finish_core)"),
    ("checksums", r"^(csum_|__csum|do_csum|skb_checksum|__skb_checksum|csum_partial|ip_fast_csum|skb_csum|__skb_gro_checksum|inet_proto_csum|udp4_csum|udp_csum|nf_ip_checksum)"),
    ("copies to/from user", r"^(copy_user|_copy_to_user|_copy_from_user|copyin|copyout|__copy_|rep_movs|memcpy|skb_copy_datagram|simple_copy_to_iter|__skb_datagram_iter|_copy_to_iter|_copy_from_iter|copy_page|skb_do_copy_data|skb_copy_to_page|csum_and_copy)"),
    ("skb allocation, free", r"^(__alloc_skb|alloc_skb|kmem_cache|kmalloc|__kmalloc|kfree|__kfree|skb_release|__kfree_skb|kfree_skb|consume_skb|skb_free|napi_consume|__slab|slab_|___slab|page_frag|skb_page_frag|__build_skb|build_skb|skb_clone|__skb_clone|pskb_expand|skb_cow|memset|__memset|memcg|mod_memcg|refill_obj|obj_cgroup|__mod_memcg|__page_frag|alloc_pages|__alloc_pages|get_page_from|free_unref|__free_pages|rmqueue|sock_wfree|sock_rfree|skb_set_owner|__skb_free|skb_attempt)"),
    ("TCP", r"^(tcp_|__tcp_|tcp4_|inet_csk|inet_sk|__inet_|inet_ehash|sk_stream|sk_reset_timer|sk_forced|__sk_mem|sk_mem|sk_page_frag|bictcp|cubictcp|skb_entail|tcp_v4)"),
    ("system calls, scheduler, rest", r""),
]
DISPLAY = ["ovl: encap, FDB, xmit", "vxlan: encap, FDB, xmit", "route lookup, dst cache",
           "outer IP/UDP transmit", "device xmit, qdisc, GSO", "veth", "GRO, NAPI, cells",
           "outer/inner IP, UDP receive", "socket lookup", "ovl: receive, decap",
           "vxlan: receive, decap", "checksums", "copies to/from user",
           "skb allocation, free", "TCP", "system calls, scheduler, rest"]
assert sorted(DISPLAY) == sorted({n for n, _ in STAGES})
MATCHERS = [(n, re.compile(r)) for n, r in STAGES]


def parse(path):
    """{(config, name): {"value": float|None, "symbols": {sym: pct}}}"""
    prof, shift = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            p = line.split()
            if p[:3] == ["BENCH", "info", "icount_shift"] and len(p) == 6:
                shift = int(p[5])
            if len(p) != 5 or p[0] != "PROFILE":
                continue
            _, config, name, a, b = p
            e = prof.setdefault((config, name), {"value": None, "symbols": {}})
            if a == "value":
                try:
                    e["value"] = float(b)
                except ValueError:
                    e["value"] = None
            else:
                try:
                    e["symbols"][b] = e["symbols"].get(b, 0.0) + float(a)
                except ValueError:
                    pass
    return prof, shift


def stage_of(sym):
    """The first stage whose pattern matches (the last matches all)."""
    return next(name for name, rx in MATCHERS if rx.search(sym))


def split(entry):
    """Each stage's share of the samples, and the measurement's figure."""
    v = entry["value"]
    if not v:
        return None
    out = {}
    for sym, pct in entry["symbols"].items():
        s = stage_of(sym)
        out[s] = out.get(s, 0.0) + pct / 100.0
    return out, v


# name -> (title, unit, rate -> units per guest second)
NAMES = {
    "tcp1": ("TCP 1 stream", "byte", lambda mbps: mbps * 1e6 / 8),
    "udp64": ("UDP 64 B", "packet", lambda pps: pps),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: breakdown.py LOG")
    prof, shift = parse(sys.argv[1])
    # What a guest second is: instructions under -icount, else nanoseconds.
    second, what = (1e9 / 2 ** shift, "instructions") if shift is not None else (1e9, "guest ns")
    if not prof:
        sys.exit("breakdown.py: no PROFILE lines in %s (a run with --profile?)" % sys.argv[1])
    rc = 0
    for name, (title, unit, per_unit) in NAMES.items():
        cols = {}
        for config in ("veth", "vxlan", "ovl"):
            e = prof.get((config, name))
            r = split(e) if e else None
            if r is None:
                continue
            shares, v = r
            cost = second / per_unit(v)
            cols[config] = ({s: share * cost for s, share in shares.items()}, cost)
        if not cols:
            continue
        if len(cols) < 3:
            rc = 1
        configs = [c for c in ("veth", "vxlan", "ovl") if c in cols]
        head = ["%s, %s per %s" % (title, what, unit)] + configs + \
            ["%s-veth" % c for c in ("vxlan", "ovl") if c in cols and "veth" in cols]
        rows = [head]
        for stage in DISPLAY:
            vals = [cols[c][0].get(stage, 0.0) for c in configs]
            if not any(v >= 0.005 * cols[c][1] for v, c in zip(vals, configs)):
                continue
            row = [stage] + ["%.2f" % v for v in vals]
            if "veth" in cols:
                base = cols["veth"][0].get(stage, 0.0)
                row += ["%+.2f" % (cols[c][0].get(stage, 0.0) - base)
                        for c in ("vxlan", "ovl") if c in cols]
            rows.append(row)
        total = ["total"] + ["%.2f" % cols[c][1] for c in configs]
        if "veth" in cols:
            total += ["%+.2f" % (cols[c][1] - cols["veth"][1]) for c in ("vxlan", "ovl") if c in cols]
        rows.append(total)
        width = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for i, r in enumerate(rows):
            print("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                            for j, (c, w) in enumerate(zip(r, width))).rstrip())
            if i == 0 or i == len(rows) - 2:
                print("  ".join("-" * w for w in width))
        print()
    return rc


if __name__ == "__main__":
    sys.exit(main())
