"""Engine throughput and memory: person-days per second and peak memory per person.

Each size runs in a fresh Python process so that its peak resident memory is its own. Run with

    python benchmarks/engine.py                 # 1e5 and 1e6 people, default preset
    python benchmarks/engine.py --sizes 1e5 1e6 1e7 --days 365

Figures printed: setup (world, records, leads) and loop seconds, person-days per second of the daily
loop and end to end, peak RSS, and bytes per person above the interpreter's own footprint.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import scrutiny
from scrutiny.operations import simulate
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
n, days, overrides = int(float(sys.argv[1])), int(sys.argv[2]), json.loads(sys.argv[3])
s = scrutiny.load_scenario(overrides={"world.n_people": n, "n_days": days, **overrides})
t0 = time.perf_counter()
out = simulate(s)
wall = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"n": n, "days": days, "setup_s": out.world_info["seconds_setup"],
                  "loop_s": out.world_info["seconds_loop"], "wall_s": wall, "base_rss": base, "peak_rss": peak,
                  "events": out.events.n_rows}))
"""


def measure(n: float, days: int, overrides: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(n), str(days), json.dumps(overrides)],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6])
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=JSON", help="scenario overrides")
    args = ap.parse_args()
    overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    print(f"{'people':>10} {'days':>5} {'setup s':>8} {'loop s':>8} {'loop p-d/s':>12} {'e2e p-d/s':>12} "
          f"{'peak MiB':>9} {'B/person':>9} {'events':>10}")
    for n in args.sizes:
        r = measure(n, args.days, overrides)
        pd_ = r["n"] * r["days"]
        per_person = (r["peak_rss"] - r["base_rss"]) / r["n"]
        print(f"{r['n']:>10,} {r['days']:>5} {r['setup_s']:>8.2f} {r['loop_s']:>8.2f} {pd_ / r['loop_s']:>12.3g} "
              f"{pd_ / r['wall_s']:>12.3g} {r['peak_rss'] / 2**20:>9.0f} {per_person:>9.0f} {r['events']:>10,}")


if __name__ == "__main__":
    main()
