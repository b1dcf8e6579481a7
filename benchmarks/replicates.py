"""Replicates per minute through the experiments machinery, on a local process pool.

Runs R replicates of the default preset (metrics kept, event logs not) with W worker processes,
exactly as ``scrutiny sweep`` and ``scrutiny compare`` run tasks, and prints the wall time and
replicates per minute. The goal: 200 replicates of 1e5 people x 180 days in under 5 minutes with
2 workers; and (issue 16) at least 100 replicates a minute per core at 1e5 people x 90 days, which
the CPU seconds of the process and its workers measure even on a shared machine.

    python benchmarks/replicates.py                                   # 200 x 1e5 x 180 days, 2 workers
    python benchmarks/replicates.py --replicates 20 --workers 1
"""

from __future__ import annotations

import argparse
import time

import scrutiny
from scrutiny.experiments._execute import execute
from scrutiny.experiments._task import Task

GOAL_S = 300
GOAL_PER_CORE_MIN = 100  # replicates a minute per core at 1e5 people x 90 days (issue 16)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replicates", type=int, default=200)
    ap.add_argument("--people", type=float, default=1e5)
    ap.add_argument("--days", type=int, default=180)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    s = scrutiny.load_scenario(overrides={"world.n_people": int(args.people), "n_days": args.days})
    tasks = [Task("baseline", r, s, arm="baseline", keep_events=False) for r in range(args.replicates)]
    walls: list[float] = []
    cpus: list[float] = []

    def done(task, out) -> None:
        walls.append(out.wall_s)
        cpus.append(out.cpu_s)

    started = time.perf_counter()
    execute(tasks, done, workers=args.workers, progress=False)
    wall = time.perf_counter() - started
    cpu = sum(cpus)  # each worker's CPU seconds on its tasks (simulation, metrics, encoding the part)
    pd_ = args.replicates * int(args.people) * args.days
    print(f"{args.replicates} replicates of {int(args.people):,} people x {args.days} days, {args.workers} worker(s): "
          f"{wall:.1f} s wall, {60 * args.replicates / wall:.1f} replicates/min, {pd_ / wall:.3g} person-days/s; "
          f"mean {sum(walls) / len(walls):.2f} s per replicate inside a worker")
    print(f"CPU: {cpu:.1f} s in the workers' tasks, {60 * args.replicates / cpu:.1f} replicates per CPU-minute (per "
          f"core, whatever else the machine runs; goal at 1e5 people x 90 days: {GOAL_PER_CORE_MIN})")
    if (args.replicates, int(args.people), args.days, args.workers) == (200, 100_000, 180, 2):
        print(f"goal: under {GOAL_S} s -> {'met' if wall < GOAL_S else 'NOT met'}")


if __name__ == "__main__":
    main()
