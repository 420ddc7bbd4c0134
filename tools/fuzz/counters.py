#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Snapshot every counter the fuzz tests account with, as "key value" lines.

  counters.py DEV...     (run inside the netns: ip netns exec NS ...)

For each DEV: DEV.rx_packets, DEV.rx_dropped, ... (ip -s -j link, from
IFLA_STATS64) and, for ovl, DEV.<xstat> (ovl's drop counters by reason,
which ip prints with the link_ovl.so plugin under linkinfo.info_xstats).
Then the netns's protocol MIBs: Ip.*, Udp.*, IpExt.* from /proc/net/snmp
and /proc/net/netstat.  One process for all of it: under TCG every
process start costs.  Differences of two snapshots: counters.py --diff A B.
"""
import json
import subprocess
import sys


def flatten(prefix, obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(prefix + "." + k if prefix else k, v, out)
    elif isinstance(obj, bool):
        return
    elif isinstance(obj, int):
        out[prefix] = obj


def link(dev, out):
    js = json.loads(subprocess.run(
        ["ip", "-s", "-s", "-d", "-j", "link", "show", "dev", dev],
        check=True, capture_output=True, text=True).stdout)[0]
    flat = {}
    flatten("", js.get("stats64", {}), flat)
    for k, v in flat.items():      # rx.packets -> rx_packets
        out[dev + "." + k.replace(".", "_")] = v
    info = js.get("linkinfo", {})
    xs = info.get("info_xstats", {})
    flat = {}
    flatten("", xs, flat)
    for k, v in flat.items():
        out[dev + "." + k.split(".")[-1]] = v
    flat = {}
    flatten("", info.get("info_data", {}), flat)
    for k, v in flat.items():
        out[dev + ".data_" + k.split(".")[-1]] = v


def mibs(out):
    for path in ("/proc/net/snmp", "/proc/net/netstat"):
        with open(path) as f:
            lines = f.read().splitlines()
        for names, values in zip(lines[0::2], lines[1::2]):
            proto, names = names.split(":", 1)
            _, values = values.split(":", 1)
            for n, v in zip(names.split(), values.split()):
                try:
                    out[proto + "." + n] = int(v)
                except ValueError:
                    pass


def read(path):
    d = {}
    with open(path) as f:
        for line in f:
            k, v = line.split()
            d[k] = int(v)
    return d


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--diff":
        a, b = read(sys.argv[2]), read(sys.argv[3])
        for k in sorted(b):
            print(k, b[k] - a.get(k, 0))
        return
    out = {}
    for dev in sys.argv[1:]:
        link(dev, out)
    mibs(out)
    for k in sorted(out):
        print(k, out[k])


main()
