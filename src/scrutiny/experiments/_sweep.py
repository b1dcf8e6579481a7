"""Sweeps: a grid or a Latin hypercube over named scenario fields, each point times replicates.

A design file is TOML::

    method = "grid"            # or "lhs"
    replicates = 5
    samples = 20               # lhs only: number of points
    [fields]
    "field.threshold" = [9.0, 9.6, 10.2, 10.8]
    "operations.rel_local_intensity" = { lo = 1.0, hi = 20.0, n = 4 }
    "field.rel_gallery_size" = { lo = 0.005, hi = 1.5, n = 3, log = true }

A grid takes every combination (the first field varies slowest); a Latin hypercube draws
``samples`` points with one point per stratum on every axis, from the stream
``experiments.design`` of the scenario's seed. Replicate ``r`` of every point uses the same random
streams, so points are compared on common random numbers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scrutiny._io import to_json, write_atomic
from scrutiny._renderers import render
from scrutiny._version import __version__
from scrutiny.errors import ConfigError, brief
from scrutiny.experiments._compare import _scenario
from scrutiny.experiments._design import (
    Dimension,
    check_unique,
    lhs_unit,
    parse_dimension,
    scenario_at,
)
from scrutiny.experiments._draws import ReplicateDraws, interval_record
from scrutiny.experiments._plan import run_plan
from scrutiny.experiments._resources import check_plan_size
from scrutiny.experiments._run import DEFAULT_REPLICATES, check_replicates
from scrutiny.experiments._task import Task, point_tasks, summaries_by_point
from scrutiny.metrics import intervals
from scrutiny.rng import stream
from scrutiny.scenario import Scenario, dump_toml
from scrutiny.scenario._load import read_toml

__all__ = ["Sweep", "sweep", "load_design", "design_points", "design_size"]

_KEYS = {"method", "replicates", "samples", "fields"}


def load_design(design: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """Read and check a design (mapping or TOML path); return ``{method, replicates, samples, dims}``."""
    origin = "design"
    if isinstance(design, (str, Path)):
        origin = str(design)
        design = read_toml(design, what="Design")
    if not isinstance(design, Mapping):
        raise ConfigError(f"A design must be a mapping or a TOML path; got {brief(design)}.")
    unknown = sorted(set(design) - _KEYS)
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {brief(unknown)}; allowed: {sorted(_KEYS)}.")
    method = design.get("method", "grid")
    if method not in ("grid", "lhs"):
        raise ConfigError(f"{origin}: method must be 'grid' or 'lhs'; got {brief(method)}.")
    fields = design.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        raise ConfigError(f"{origin}: [fields] must name at least one dotted field with its values or range.")
    dims = [parse_dimension(str(k), v, origin) for k, v in fields.items()]
    check_unique(dims, origin)
    samples = design.get("samples")
    if method == "lhs":
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
            raise ConfigError(f"{origin}: a Latin hypercube needs samples = a positive integer; got {brief(samples)}.")
        lists = [d.name for d in dims if not d.is_range]
        if lists:
            raise ConfigError(f"{origin}: a Latin hypercube needs ranges {{lo, hi}}; {lists} are lists of values.")
    else:
        missing = [d.name for d in dims if d.is_range and not d.n]
        if missing:
            raise ConfigError(f"{origin}: grid ranges need n (levels); missing for {missing}.")
        if samples is not None:
            raise ConfigError(
                f"{origin}: samples applies to method = 'lhs' only; got samples = {brief(samples)} for a grid."
            )
    return {"method": method, "replicates": design.get("replicates"), "samples": samples, "dims": dims,
            "origin": origin}


def design_size(spec: Mapping[str, Any]) -> tuple[int, str]:
    """How many points a checked design (:func:`load_design`) has, computed from its sizes, and how.

    For a grid this is the product of the levels asked for (levels an integer field rounds together
    are merged later); nothing is enumerated, so a grid of a billion levels costs nothing to size.

    Examples:
        >>> design_size(load_design({"fields": {"field.threshold": {"lo": 9, "hi": 11, "n": 10**9}, "n_days": [5, 6]}}))
        (2000000000, 'a grid of 1,000,000,000 x 2 levels = 2,000,000,000 points')
    """
    if spec["method"] == "lhs":
        return int(spec["samples"]), f"{int(spec['samples']):,} Latin-hypercube samples"
    levels = [len(d.values) if not d.is_range else int(d.n) for d in spec["dims"]]
    n = math.prod(levels)
    shown = " x ".join(f"{k:,}" for k in levels[:8]) + (" x ..." if len(levels) > 8 else "")
    return n, f"a grid of {shown} levels = {n:,} points" if n < 10**15 else f"a grid of {shown} levels"


def design_points(dims: list[Dimension], method: str, samples: int | None, seed: int) -> list[dict[str, Any]]:
    """Return the design's points as ``[{field: value}]`` in a stable order.

    Examples:
        >>> from scrutiny.experiments._design import parse_dimension
        >>> dims = [parse_dimension("field.threshold", [9.0, 10.0]), parse_dimension("n_days", [5, 6])]
        >>> design_points(dims, "grid", None, 1)[1]
        {'field.threshold': 9.0, 'n_days': 6}
    """
    if method == "grid":
        names = [d.name for d in dims]
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(d.grid() for d in dims))]
    u = lhs_unit(int(samples), len(dims), stream(seed, 0, "experiments.design"))
    return [{d.name: d.at(u[i, j]) for j, d in enumerate(dims)} for i in range(u.shape[0])]


@dataclass
class Sweep:
    """Results of :func:`sweep`: per-(point, replicate) summaries of every design point."""

    scenario: Scenario
    method: str
    points: list[dict[str, Any]]
    replicates: int
    summaries: dict[int, list[dict]]  # point -> replicate summaries in replicate order
    config_hashes: list[str]
    draws: ReplicateDraws | None = None  # per-replicate overrides shared by every point (a posterior)

    def table(self) -> pd.DataFrame:
        """One row per (point, replicate): the point's field values and every scalar metric."""
        rows = []
        for i, pt in enumerate(self.points):
            for r, summ in enumerate(self.summaries[i]):
                scalars = {m: v for m, v in summ.items() if not isinstance(v, dict)}
                rows.append({"point": i, "replicate": r, **pt, **scalars})
        return pd.DataFrame(rows)

    def summary(self) -> dict[str, Any]:
        """Provenance, the design, and each point's metrics with 95% intervals over replicates."""
        return {
            "provenance": {"scrutiny_version": __version__, "config_hash": self.scenario.config_hash(),
                           "seed": self.scenario.seed, "replicates": self.replicates, "method": self.method,
                           "scenario_name": self.scenario.name, **interval_record(self.draws, self.replicates)},
            "points": [{"point": i, "values": pt, "config_hash": self.config_hashes[i],
                        "metrics": intervals(self.summaries[i])} for i, pt in enumerate(self.points)],
        }

    def write(self, out: str | Path) -> Path:
        """Write ``sweep.json``, ``points.csv``, ``replicates.csv``, ``scenario.toml`` and ``report.html``.

        ``sweep.json`` is the summary, ``points.csv`` each point's mean and interval per metric,
        ``scenario.toml`` the base scenario with every field resolved, and ``report.html`` the
        sweep's report (its trade-off curve, see :func:`scrutiny.report.render_sweep`).
        """
        out = Path(out)
        summary = self.summary()
        flat = []
        for p in summary["points"]:
            row = {"point": p["point"], **p["values"]}
            for m, v in p["metrics"].items():
                if "mean" in v:
                    row.update({f"{m}_mean": v["mean"], f"{m}_lo": v["lo"], f"{m}_hi": v["hi"]})
            flat.append(row)
        write_atomic(out, {
            "sweep.json": to_json(summary).encode(),
            "points.csv": pd.DataFrame(flat).to_csv(index=False).encode(),
            "replicates.csv": self.table().to_csv(index=False).encode(),
            "scenario.toml": dump_toml(self.scenario).encode(),
            "report.html": render("sweep", self).encode(),
        })
        return out


def sweep(
    scenario: Scenario | str | Path,
    design: Mapping[str, Any] | str | Path,
    *,
    replicates: int | None = None,
    out: str | Path | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    events: bool = False,
    draws: ReplicateDraws | None = None,
) -> Sweep:
    """Run every point of a design (grid or Latin hypercube) for a number of replicates.

    Args:
        scenario: The base scenario (or its TOML path); each point overrides some of its fields.
        design: A design mapping or TOML path (see the module docstring).
        replicates: Replicates per point; overrides the design's ``replicates`` (default: the
            design's, else :data:`~scrutiny.experiments.DEFAULT_REPLICATES`).
        out: Output folder: the results store (Parquet parts + ``results.duckdb``; a rerun of the
            same command resumes there) and the sweep's files (:meth:`Sweep.write`). ``None`` keeps
            everything in memory.
        workers: Local worker processes (results do not depend on it).
        scheduler: Dask scheduler address or client (overrides ``workers``).
        progress: Show a progress bar on standard error.
        events: Keep each task's event log in its part (large); metrics are always kept.
        draws: Per-replicate overrides (e.g. ``load_posterior(dir).draws(seed)``): replicate ``r``
            of every point runs with draw ``r``, then the point's own values.

    Returns:
        :class:`Sweep`.

    Raises:
        ConfigError: For a malformed design or a point that is not a valid scenario (naming the
            point, the field and the value).

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> s = load_scenario(overrides={"world.n_people": 3000, "n_days": 3})
        >>> sw = sweep(s, {"fields": {"field.threshold": [9.6, 10.6]}}, replicates=1)
        >>> len(sw.table())
        2
    """
    base = _scenario(scenario)
    spec = load_design(design)
    replicates = check_replicates(replicates if replicates is not None else (spec["replicates"] or DEFAULT_REPLICATES))
    n_points, what = design_size(spec)
    check_plan_size(n_points * replicates, base, what=f"{spec['origin']}: {what} x {replicates:,} replicates",
                    fix="the design's levels or samples, or the replicates")
    points = design_points(spec["dims"], spec["method"], spec["samples"], base.seed)
    scenarios = [scenario_at(base, pt, f"{spec['origin']}: point {i} {pt}") for i, pt in enumerate(points)]
    tasks = point_tasks(scenarios, replicates, keep_events=events)
    if draws is not None:
        tasks = [Task(t.label, t.replicate, draws.scenario(base, t.replicate, points[t.point], f"point {t.point}"),
                      point=t.point, keep_events=events) for t in tasks]
    meta = {"method": spec["method"], "replicates": replicates, "seed": base.seed,
            "base_config_hash": base.config_hash(), "fields": [d.name for d in spec["dims"]]}
    payloads = run_plan(tasks, kind="sweep", store=out, meta=meta, points=points, workers=workers,
                        scheduler=scheduler, progress=progress, events=False)
    summaries = dict(enumerate(summaries_by_point(tasks, payloads, len(points))))
    result = Sweep(base, spec["method"], points, replicates, summaries, [s.config_hash() for s in scenarios], draws)
    if out is not None:
        result.write(out)
    return result
