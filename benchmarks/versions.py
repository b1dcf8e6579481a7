"""The daily loop at several commits, side by side in one run: CPU seconds and ratios.

Each commit is checked out into a temporary ``git worktree`` (removed afterwards) and imported from
there by a fresh Python process of this environment, so every version runs on the same machine,
interpreter and NumPy, interleaved (version A, B, C, then again), and the fastest of the repeats
is kept. Run with

    python benchmarks/versions.py fc96b71 920245e HEAD                 # 1e5 people, 90 days
    python benchmarks/versions.py fc96b71 920245e HEAD --n 1e6 --days 90 --repeats 1
    python benchmarks/versions.py HEAD --set targeting.feedback_decay=0 targeting.report_weight=0
    python benchmarks/versions.py 61d1378 HEAD --preset uk-hostile-environment --days 365
    python benchmarks/versions.py fc96b71 HEAD --without 'operations.triggers=["site_visit"]' 'targeting.site_mix={}'

Times are CPU seconds of the process (``time.process_time``), not wall seconds: on a shared
machine they move less with the load, though caches shared with other work still make them noisy
(a few per cent). Figures printed per commit: setup and daily-loop CPU seconds, loop person-days
per CPU second, the loop's ratio to the first commit's, and the event rows (which differ where
the commits' defaults differ: the loop does different work, not only the same work faster), and
the peak resident memory the run added, per person (its setup and loop, event log included).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
time.perf_counter = time.process_time  # simulate() reports its setup and loop seconds in CPU time
import scrutiny
from scrutiny.operations import simulate
n, days, overrides, preset = int(float(sys.argv[1])), int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4] or None
s = scrutiny.load_scenario(preset=preset, overrides={"world.n_people": n, "n_days": days, **overrides})
simulate(scrutiny.load_scenario(overrides={"world.n_people": 2000, "n_days": 2}))  # load what runs import lazily
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the interpreter, libraries and a tiny run
out = simulate(s)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
people = out.world_info["n_people"]  # an imported geography simulates its own population, whatever n says
print(json.dumps({"setup_s": out.world_info["seconds_setup"], "loop_s": out.world_info["seconds_loop"],
                  "events": out.events.n_rows, "people": people, "bytes_per_person": (peak - base) / people}))
"""

REPO = Path(__file__).resolve().parents[1]


def measure(src: Path, n: float, days: int, overrides: dict, preset: str | None = None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src))
    argv = [sys.executable, "-c", CHILD, str(n), str(days), json.dumps(overrides), preset or ""]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("commits", nargs="+", help="commits to compare (the first is the reference)")
    ap.add_argument("--n", type=float, default=1e5, help="people")
    ap.add_argument("--days", type=int, default=90)
    ap.add_argument("--preset", default=None, help="a preset instead of the default scenario (its --n and --days "
                    "still apply)")
    ap.add_argument("--repeats", type=int, default=3, help="runs per commit (the fastest is kept)")
    ap.add_argument("--set", nargs="*", default=[], metavar="KEY=JSON", help="scenario overrides (every commit)")
    ap.add_argument("--without", nargs="*", default=[], metavar="KEY=JSON",
                    help="also run the last commit with these overrides too (mechanisms switched off), interleaved")
    args = ap.parse_args()
    overrides = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    without = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.without)}
    with tempfile.TemporaryDirectory(prefix="scrutiny-versions-") as tmp:
        trees = {}
        for i, commit in enumerate(args.commits):
            sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", commit], capture_output=True,
                                 text=True, check=True).stdout.strip()
            path = Path(tmp) / f"{i}-{sha}"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(path), sha], check=True)
            trees[f"{commit} ({sha})" if commit != sha else sha] = (path, overrides)
        if without:
            name, (path, _) = list(trees.items())[-1]
            trees[f"{name.split(' ')[0]} without"] = (path, {**overrides, **without})
        try:
            best: dict[str, dict] = {}
            for _ in range(args.repeats):
                for name, (path, over) in trees.items():
                    r = measure(path / "src", args.n, args.days, over, args.preset)
                    if name not in best or r["loop_s"] < best[name]["loop_s"]:
                        best[name] = r
        finally:
            for path in {path for path, _ in trees.values()}:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(path)], check=False)
    with_ = f" with {' '.join(args.set)}" if args.set else ""
    people = next(iter(best.values()))["people"]
    print(f"{people:,} people x {args.days} days, {args.preset or 'default'} preset{with_}; CPU seconds, "
          f"fastest of {args.repeats}")
    if without:
        print(f"'without': the last commit with {' '.join(args.without)}")
    print(f"{'commit':>24} {'setup s':>8} {'loop s':>8} {'loop p-d/s':>11} {'loop / first':>12} {'events':>9} "
          f"{'B/person':>9}")
    first = None
    for name, r in best.items():
        first = first or r
        pd_ = r["people"] * args.days / r["loop_s"]
        ratio = r["loop_s"] / first["loop_s"]
        print(f"{name:>24} {r['setup_s']:>8.2f} {r['loop_s']:>8.2f} {pd_:>11.3g} {ratio:>12.2f} {r['events']:>9,} "
              f"{r['bytes_per_person']:>9.0f}")


if __name__ == "__main__":
    main()
