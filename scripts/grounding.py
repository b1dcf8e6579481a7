"""A run's figures beside the documented record: the preset's observed targets, then where operations went.

Usage:
    scrutiny run --preset us-interior --replicates 20 --out usi
    python scripts/grounding.py usi [--targets FILE]

For every target of the preset's packaged calibration targets (or ``--targets``), prints the
observed figure and its band, the simulated ratio (mean over replicates with its 95% Student-t
interval, computed replicate by replicate from the target's numerator and denominator metrics),
and whether the simulated mean lies inside the band. Then the share of operations at each type of
place, and the quota's share of days met.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np

from scrutiny.calibration import default_targets_path, load_targets
from scrutiny.metrics import mean_interval


def _value(summary: dict, name: str) -> float:
    metric, _, key = name.partition(".")
    value = summary.get(metric)
    if isinstance(value, dict):
        value = value.get(key) if key else sum(v for v in value.values() if v is not None)
    return math.nan if value is None else float(value)


def _band(target) -> tuple[float, float]:
    if target.band is not None:
        return target.band
    k, n = target.observed.k, target.observed.n
    lo, hi = target.undercount if target.undercount is not None else (1.0, 1.0)
    return k * lo / n, k * hi / n


def main(argv: list[str] | None = None) -> None:
    """Print the table (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path, help="a run folder (summary.json, replicates.json)")
    ap.add_argument("--targets", help="targets TOML (default: the run's preset's packaged targets)")
    args = ap.parse_args(argv)
    missing = [name for name in ("summary.json", "replicates.json") if not (args.run / name).is_file()]
    if missing:
        ap.error(f"{args.run} is not a run folder: it has no {' or '.join(missing)} "
                 f"(make one with: scrutiny run --preset us-interior --replicates 20 --out {args.run})")
    summary = json.loads((args.run / "summary.json").read_text())
    reps = [r["summary"] for r in json.loads((args.run / "replicates.json").read_text())]
    preset = summary["provenance"].get("scenario_name", "us-interior")
    targets = load_targets(args.targets or default_targets_path(preset))
    print(f"{args.run}: {len(reps)} replicates of preset {preset!r}\n")
    print(f"{'target':32s} {'observed':>22s} {'simulated (95% interval)':>34s}  in band  fitted")
    for t in targets:
        if t.metric is not None:
            values = np.array([_value(r, t.metric) for r in reps])
        else:
            num = np.array([sum(_value(r, m) for m in t.numerator) for r in reps])
            den = np.array([sum(_value(r, m) for m in t.denominator) for r in reps])
            values = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        est = mean_interval(values)
        lo, hi = _band(t)
        inside = lo <= est["mean"] <= hi
        observed = f"{lo:.4g}-{hi:.4g}" if lo != hi else f"{lo:.4g}"
        sim = f"{est['mean']:.4g} ({est['lo']:.4g} to {est['hi']:.4g})"
        print(f"{t.name:32s} {observed:>22s} {sim:>34s}  {'yes' if inside else 'NO':7s}  {'yes' if t.fit else 'check'}")
    shares = summary["metrics"].get("operations_share_by_place_type", {})
    if shares:
        print("\nshare of operations by type of place (mean, 95% interval):")
        for place, v in shares.items():
            print(f"  {place:14s} {v['mean']:.3f} ({v['lo']:.3f} to {v['hi']:.3f})")
    quota = summary["metrics"].get("quota_days_met_share")
    if isinstance(quota, dict):
        print(f"\nquota met on {quota['mean']:.1%} of days ({quota['lo']:.1%} to {quota['hi']:.1%})")


if __name__ == "__main__":
    main()
