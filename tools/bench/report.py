#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the BENCH lines of a vm-bench.sh log into the table and the JSON.

    report.py LOG JSON [KEY=VALUE...]

LOG lines "BENCH <phase> <metric> <config> <rep> <value>" are grouped by
(phase, metric, config); each group's median over its repetitions is the
figure (a failed repetition is "fail" and is left out, and counted).
KEY=VALUE pairs (kernel, commit...) are stored in the JSON as they are.
Ratios are taken between medians of the same run: ovl/vxlan and ovl/veth
per metric, and for the FDB phases ovl and vxlan against their own
1-entry figures.  "per round" is the median of ovl/vxlan taken within
each repetition (the two were measured minutes apart at most), which a
slow change of the machine's load moves less than a ratio of medians.
"90% interval" bounds ovl/vxlan by resampling: the samples of each are
drawn again with replacement (a fixed seed, so a log always gives the
same table) and the ratio of the medians taken 2000 times; its 5th and
95th percentiles are shown.  When it straddles 1.00 the run does not
tell the two apart.
"spread" is the noise of the row: for each configuration (max - min) /
median of its repetitions, the largest of them.  With --twin, "ovl-b" is a
second ovl pair measured in the same rounds, and "ovl-b/ovl" the ratio of
ovl to itself: how far from 1.00 a ratio moves when nothing differs.
For times and bytes smaller is better, so the ratio ovl/vxlan below 1 is
a win there; for rates above 1 is.
"""
import json
import random
import statistics
import sys

PHASE_TITLES = {"base": "1 FDB entry", "prog": "FDB programming",
                "agent": "ovl-agent", "gro": "underlay GRO on"}
METRICS = {
    "tcp1_mbps": ("TCP 1 stream", "Mbit/s", True),
    "tcp4_mbps": ("TCP 4 streams", "Mbit/s", True),
    "udp64_pps": ("UDP 64 B", "pkt/s", True),
    "rr_tps": ("TCP_RR 1 B", "trans/s", True),
    "rr_p50_us": ("TCP_RR median RTT", "us", False),
    "add_s": ("add entries", "s", False),
    "dump_s": ("dump entries", "s", False),
    "del_s": ("delete device", "s", False),
    "bytes_per_entry": ("memory/entry", "bytes", False),
    "peers10_ms": ("10 leases: last write to last route", "ms", False),
    "peers100_ms": ("90 more (100): last write to last route", "ms", False),
    "peers1000_ms": ("900 more (1000): last write to last route", "ms", False),
    "peers1001_ms": ("1 more at 1000: write to route", "ms", False),
    "restart_ms": ("restart to ready", "ms", False),
}


def parse(path):
    groups, info, order = {}, {}, []
    with open(path, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 6 or parts[0] != "BENCH":
                continue
            _, phase, metric, config, rep, value = parts
            if phase == "info":
                info[metric] = value
                continue
            key = (phase, metric, config)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append((rep, value))
    return groups, info, order


def summarise(groups, order):
    res = {}
    for phase, metric, config in order:
        raw = groups[(phase, metric, config)]
        by_rep = {r: float(v) for r, v in raw if v != "fail"}
        ok = list(by_rep.values())
        res.setdefault(phase, {}).setdefault(metric, {})[config] = {
            "samples": ok,
            "by_rep": by_rep,
            "failed": len(raw) - len(ok),
            "median": statistics.median(ok) if ok else None,
            "spread": spread(ok),
        }
    return res


def spread(samples):
    """(max - min) / median of a configuration's repetitions."""
    if len(samples) < 2:
        return None
    m = statistics.median(samples)
    return round((max(samples) - min(samples)) / m, 4) if m else None


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def per_round(a, b):
    """Median over the repetitions both have of a[rep] / b[rep]."""
    q = [a[r] / b[r] for r in a if r in b and b[r]]
    return round(statistics.median(q), 3) if q else None


def interval(a, b, rounds=2000, seed=1):
    """5th and 95th percentiles of median(a*)/median(b*), a* and b*
    resampled from a and b with replacement."""
    if len(a) < 3 or len(b) < 3:
        return None
    rng = random.Random(seed)
    q = []
    for _ in range(rounds):
        mb = statistics.median(rng.choices(b, k=len(b)))
        if mb:
            q.append(statistics.median(rng.choices(a, k=len(a))) / mb)
    if not q:
        return None
    q.sort()
    return [round(q[int(0.05 * (len(q) - 1))], 3), round(q[int(0.95 * (len(q) - 1))], 3)]


def med(res, phase, metric, config):
    return res.get(phase, {}).get(metric, {}).get(config, {}).get("median")


def ratios(res):
    out = {}
    for phase, metrics in res.items():
        for metric, configs in metrics.items():
            o = configs.get("ovl", {}).get("median")
            r = {}
            if "vxlan" in configs:
                r["ovl/vxlan"] = ratio(o, configs["vxlan"]["median"])
                if "ovl" in configs:
                    r["ovl/vxlan per round"] = per_round(
                        configs["ovl"]["by_rep"], configs["vxlan"]["by_rep"])
                    r["ovl/vxlan 90%"] = interval(
                        configs["ovl"]["samples"], configs["vxlan"]["samples"])
            if "veth" in configs:
                r["ovl/veth"] = ratio(o, configs["veth"]["median"])
            if "ovl-b" in configs:
                r["ovl-b/ovl"] = ratio(configs["ovl-b"]["median"], o)
            sp = [c["spread"] for c in configs.values() if c.get("spread") is not None]
            if sp:
                r["spread"] = max(sp)
            if phase.startswith("fdb"):
                # What an FDB of this size leaves of the 1-entry figure.
                for k in ("ovl", "vxlan"):
                    r[k + "/" + k + "@1"] = ratio(
                        configs.get(k, {}).get("median"), med(res, "base", metric, k))
            out.setdefault(phase, {})[metric] = r
    return out


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3g" % v


def fmt_ratio(v):
    return "-" if v is None else "%.3f" % v


def fmt_pct(v):
    return "%.1f%%" % (100 * v)


def fmt_interval(iv):
    return "%s-%s" % (fmt_ratio(iv[0]), fmt_ratio(iv[1])) if iv else ""


# The ratio columns of the table: heading, key in ratios(), format.
RATIO_COLUMNS = [
    ("ovl/vxlan", "ovl/vxlan", fmt_ratio),
    ("90% interval", "ovl/vxlan 90%", fmt_interval),
    ("per round", "ovl/vxlan per round", fmt_ratio),
    ("ovl/veth", "ovl/veth", fmt_ratio),
    ("ovl/ovl@1", "ovl/ovl@1", fmt_ratio),
    ("vxlan/vxlan@1", "vxlan/vxlan@1", fmt_ratio),
    ("ovl-b/ovl", "ovl-b/ovl", fmt_ratio),
    ("spread", "spread", fmt_pct),
]
# The configurations with a column of their own, when the run has them.
CONFIG_COLUMNS = ("veth", "vxlan", "ovl", "ovl-b")


def table(res, rat):
    present = {c for p in res.values() for m in p.values() for c in m}
    # veth, vxlan and ovl always have a column; the twin when it ran.
    shown = [c for c in CONFIG_COLUMNS if c != "ovl-b" or c in present]
    used = {k for p in rat.values() for m in p.values() for k in m}
    columns = [c for c in RATIO_COLUMNS if c[1] in used]
    head = ["phase", "metric", "unit"] + shown + [h for h, _, _ in columns]
    rows = [head]
    for phase, metrics in res.items():
        title = PHASE_TITLES.get(phase, phase.replace("fdb", "FDB ") + " entries")
        for metric, configs in metrics.items():
            name, unit, _ = METRICS.get(metric, (metric, "", True))
            cell = []
            for c in shown:
                m = configs.get(c, {})
                v = fmt(m.get("median")) if m else ""
                if m.get("failed"):
                    v += " (%d failed)" % m["failed"]
                cell.append(v)
            r = rat.get(phase, {}).get(metric, {})
            rows.append([title, name, unit] + cell +
                        [f(r[k]) if k in r else "" for _, k, f in columns])
    width = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j < 3 else c.rjust(w)
                               for j, (c, w) in enumerate(zip(row, width))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in width))
    return "\n".join(lines)


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: report.py LOG JSON [KEY=VALUE...]")
    groups, info, order = parse(sys.argv[1])
    if not groups:
        sys.exit("report.py: no BENCH lines in %s" % sys.argv[1])
    res = summarise(groups, order)
    rat = ratios(res)
    meta = dict(a.split("=", 1) for a in sys.argv[3:])
    meta.update(info)
    with open(sys.argv[2], "w") as f:
        json.dump({"meta": meta, "results": res, "ratios": rat}, f, indent=1)
        f.write("\n")
    if meta.get("clock", "host") != "host":
        print("guest clock: %s (a guest second is 1e9 / 2^shift instructions)"
              % meta["clock"])
    print(table(res, rat))
    failed = sum(m["failed"] for p in res.values() for c in p.values() for m in c.values())
    if failed:
        print("%d measurement(s) failed: see the log" % failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
