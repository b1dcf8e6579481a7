"""Engine throughput and memory: person-days per second, peak memory per person, replicates per minute.

Each size runs in a fresh Python process so that its peak resident memory is its own. Run with

    python benchmarks/engine.py                              # 1e5 and 1e6 people, 90 days
    python benchmarks/engine.py --sizes 1e5 1e6 1e7 --days 365
    python benchmarks/engine.py --sizes 1e6 --days 90 365 1000       # memory as the run grows longer

Figures printed, per size (one replicate of the default preset, single core):

* setup (world, records, leads) and daily-loop CPU seconds (``time.process_time``: on a shared
  machine CPU time moves less with the load than wall time, though it stays noisy);
* person-days per CPU second of the daily loop, and of setup and loop together;
* replicates per minute on one core (setup and loop CPU);
* peak resident memory, and bytes per person above the interpreter's own footprint (taken after a
  tiny warm-up run has loaded the modules a run imports lazily): in total,
  and without the event log (whose size grows with days and operations, not with people);
* event rows.

Then the issue's goals, each with the measured figure and whether it is met.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
wall_clock = time.perf_counter
time.perf_counter = time.process_time  # simulate() reports its setup and loop seconds in CPU time
import scrutiny
from scrutiny.events import COLUMNS
from scrutiny.operations import simulate
import numpy as np
simulate(scrutiny.load_scenario(overrides={"world.n_people": 2000, "n_days": 2}))  # load what runs import lazily
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the interpreter, libraries and a tiny run
n, days, overrides = int(float(sys.argv[1])), int(sys.argv[2]), json.loads(sys.argv[3])
s = scrutiny.load_scenario(overrides={"world.n_people": n, "n_days": days, **overrides})
t0 = wall_clock()
out = simulate(s)
wall = wall_clock() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
row_bytes = sum(np.dtype(d).itemsize for d in COLUMNS.values())
n = out.world_info["n_people"]  # the people simulated: an imported geography brings its own population
print(json.dumps({"n": n, "days": days, "setup_s": out.world_info["seconds_setup"],
                  "loop_s": out.world_info["seconds_loop"], "wall_s": wall, "base_rss": base, "peak_rss": peak,
                  "events": out.events.n_rows, "event_bytes": out.events.n_rows * row_bytes}))
"""

GOAL_PD = 2e8  # person-days per CPU second of the daily loop at 1e6 people (issue 16)
GOAL_BYTES = 100  # bytes per person at 1e6 people x 365 days (issue 16)
GOAL_REP_MIN = 100  # replicates a minute per core at 1e5 people x 90 days (issue 16)
GOAL_1E7_S = 300  # seconds for 1e7 people x 365 days


def measure(n: float, days: int, overrides: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(n), str(days), json.dumps(overrides)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def goals(rows: list[dict]) -> None:
    print("\ngoals (single core):")
    by = {(r["n"], r["days"]): r for r in rows}
    for r in rows:
        if r["n"] == 1_000_000:
            pd_loop = r["n"] * r["days"] / r["loop_s"]
            print(f"  >= {GOAL_PD:.0e} person-days per CPU second in the loop at 1e6 people x {r['days']} days: "
                  f"{pd_loop:.3g} ({'met' if pd_loop >= GOAL_PD else 'NOT met'})")
    r = by.get((100_000, 90))
    if r:
        per_min = 60 / (r["setup_s"] + r["loop_s"])
        print(f"  >= {GOAL_REP_MIN} replicates a minute per core at 1e5 people x 90 days: {per_min:.0f} (setup and "
              f"loop CPU; benchmarks/replicates.py adds the metrics and the workers) "
              f"({'met' if per_min >= GOAL_REP_MIN else 'NOT met'})")
    for r in rows:
        total = (r["peak_rss"] - r["base_rss"]) / r["n"]
        state = (r["peak_rss"] - r["base_rss"] - r["event_bytes"]) / r["n"]
        goal = " (the goal is at 1e6 people x 365 days)" if (r["n"], r["days"]) != (1_000_000, 365) else ""
        verdict = "met" if total <= GOAL_BYTES else "met without events" if state <= GOAL_BYTES else "NOT met"
        print(f"  <= {GOAL_BYTES} bytes/person at {r['n']:,} x {r['days']} days: {total:.0f} in total, {state:.0f} "
              f"without the event log ({verdict}){goal}")
    r = by.get((10_000_000, 365))
    if r:
        print(f"  1e7 people x 365 days under {GOAL_1E7_S} s: {r['wall_s']:.0f} s wall "
              f"({'met' if r['wall_s'] < GOAL_1E7_S else 'NOT met'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    ap.add_argument("--days", nargs="+", type=int, default=[90], help="one or more run lengths (e.g. 90 365 1000)")
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=JSON", help="scenario overrides")
    args = ap.parse_args()
    overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    print(f"{'people':>11} {'days':>5} {'setup s':>8} {'loop s':>8} {'loop p-d/s':>11} {'all p-d/s':>10} "
          f"{'rep/min':>8} {'peak MiB':>9} {'B/person':>9} {'excl.ev':>8} {'events':>11}")
    rows = []
    for n in args.sizes:
        for days in args.days:
            r = measure(n, days, overrides)
            rows.append(r)
            pd_, cpu = r["n"] * r["days"], r["setup_s"] + r["loop_s"]
            per_person = (r["peak_rss"] - r["base_rss"]) / r["n"]
            excl = (r["peak_rss"] - r["base_rss"] - r["event_bytes"]) / r["n"]
            print(f"{r['n']:>11,} {r['days']:>5} {r['setup_s']:>8.2f} {r['loop_s']:>8.2f} {pd_ / r['loop_s']:>11.3g} "
                  f"{pd_ / cpu:>10.3g} {60 / cpu:>8.1f} {r['peak_rss'] / 2**20:>9.0f} {per_person:>9.0f} "
                  f"{excl:>8.0f} {r['events']:>11,}", flush=True)
    goals(rows)


if __name__ == "__main__":
    main()
