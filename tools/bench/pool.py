#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Pool the rounds of several bench runs: ovl/vxlan over all of them.

    pool.py [--min-reps N] RUN.json...

One run of `make bench` has 3-9 rounds; for TCP the spread between rounds
on the 2-core machine (10-25 %) is larger than any difference left
between ovl and vxlan, so one run cannot tell them apart.  Every round
measures ovl and vxlan minutes apart at most, so each round gives one
ratio ovl/vxlan; this script collects those ratios from the runs given
and reports, per guest kernel series and over all, for every metric:
the number of runs and rounds, the geometric mean of the per-round
ratios, and its 90% interval by resampling the rounds with replacement
(a fixed seed, so the same files always give the same table).

Runs are grouped by guest CPU model as well: figures taken with different
models are not comparable (see Documentation/performance.rst, Method), so
each model is a table of its own.  Runs with fewer than --min-reps rounds
(default 3: `--quick` runs) are left out.
"""
import argparse
import json
import math
import random
import statistics
import sys

# report.py sits next to this script: do not leave a __pycache__ in the
# source tree for it.
sys.dont_write_bytecode = True
from report import METRICS, PHASE_TITLES


def geomean(q):
    return math.exp(statistics.fmean(math.log(x) for x in q))


def interval(q, rounds=2000, seed=1):
    """5th and 95th percentiles of the geometric mean of q resampled."""
    if len(q) < 3:
        return None
    rng = random.Random(seed)
    g = sorted(geomean(rng.choices(q, k=len(q))) for _ in range(rounds))
    return g[int(0.05 * (len(g) - 1))], g[int(0.95 * (len(g) - 1))]


def round_ratios(configs):
    """ovl/vxlan for every round that measured both."""
    o = configs.get("ovl", {}).get("by_rep", {})
    v = configs.get("vxlan", {}).get("by_rep", {})
    return [o[r] / v[r] for r in o if r in v and o[r] > 0 and v[r] > 0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-reps", type=int, default=3)
    ap.add_argument("runs", nargs="+", metavar="RUN.json")
    args = ap.parse_args()

    # (cpu model, kernel series or "all") -> (phase, metric) -> ratios
    pools, runs = {}, {}
    for path in args.runs:
        try:
            with open(path) as f:
                d = json.load(f)
            meta, res = d["meta"], d["results"]
            reps = int(meta.get("reps", 0))
        except (OSError, ValueError, KeyError, TypeError) as e:
            sys.exit("pool.py: %s: not a bench result (%s)" % (path, e))
        if reps < args.min_reps:
            continue
        # Results written before report.py kept rounds have no by_rep.
        ratios = {(phase, metric): round_ratios(configs)
                  for phase, metrics in res.items()
                  for metric, configs in metrics.items()}
        ratios = {k: q for k, q in ratios.items() if q}
        if not ratios:
            continue
        # Host-clock and icount runs measure different things: never pooled.
        cpu = "%s, clock %s" % (meta.get("cpu_model", "max"), meta.get("clock", "host"))
        run = "%s (%s)" % (meta.get("date", path), meta.get("commit", "?"))
        for group in (meta.get("kernel_series", "?"), "all"):
            runs.setdefault((cpu, group), []).append(run)
            pool = pools.setdefault((cpu, group), {})
            for k, q in ratios.items():
                pool.setdefault(k, []).extend(q)
    if not pools:
        sys.exit("pool.py: no run with %d rounds or more" % args.min_reps)

    def order(kv):
        (cpu, group), _ = kv
        return cpu, group == "all", group

    for (cpu, group), pool in sorted(pools.items(), key=order):
        if group == "all" and len({k for k in pools if k[0] == cpu}) == 2:
            continue	# one kernel series only: "all" says the same again
        print("guest CPU %s, kernel %s, %d runs: %s" % (
            cpu, group, len(runs[(cpu, group)]), ", ".join(sorted(runs[(cpu, group)]))))
        rows = [("phase", "metric", "rounds", "ovl/vxlan", "90% interval")]
        for (phase, metric), q in pool.items():
            title = PHASE_TITLES.get(phase, phase.replace("fdb", "FDB ") + " entries")
            iv = interval(q)
            rows.append((title, METRICS.get(metric, (metric,))[0], str(len(q)),
                         "%.3f" % geomean(q),
                         "%.3f-%.3f" % iv if iv else ""))
        width = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for i, r in enumerate(rows):
            print("  " + "  ".join(c.ljust(w) if j < 2 else c.rjust(w)
                                   for j, (c, w) in enumerate(zip(r, width))).rstrip())
            if i == 0:
                print("  " + "  ".join("-" * w for w in width))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
