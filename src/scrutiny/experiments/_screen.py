"""A one-at-a-time screen: how far each documented unknown, alone, moves the headline figures.

The cheap first look at "which inputs decide the result" that ``scrutiny demo`` runs beside its
comparison, for a report that comes without a sensitivity analysis. The scenario as given is the
centre; each unknown in turn goes to the bottom and the top of its documented range (or the range
given as ``NAME=LO:HI``), the others staying at the centre. Every point runs the same replicates
on common random numbers, so the change from the centre is paired replicate by replicate. It
shows each unknown's effect alone, not how unknowns combine: ``scrutiny sensitivity`` (Sobol,
Morris) does that, at many times the cost.

Cost: ``(1 + 2 x unknowns) x replicates`` tasks; the demo's default, 4 unknowns x 2 replicates,
is 18 tasks beside its comparison's 110.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scrutiny._io import to_json, write_atomic
from scrutiny._version import __version__
from scrutiny.errors import ConfigError
from scrutiny.experiments._compare import _scenario
from scrutiny.experiments._design import Dimension, check_unique, parse_cli_param, scenario_at
from scrutiny.experiments._plan import run_plan
from scrutiny.experiments._resources import check_plan_size
from scrutiny.experiments._run import check_replicates
from scrutiny.experiments._task import point_tasks, summaries_by_point
from scrutiny.metrics import mean_interval, paired_difference, support_of
from scrutiny.scenario import Scenario, field_value

__all__ = ["Screen", "screen", "SCREEN_METRICS", "SCREEN_REPLICATES"]

#: The figures a screen follows (the report ranks the unknowns by the first).
SCREEN_METRICS: tuple[str, ...] = (
    "citizens_detained_per_1000_arrests", "lawful_residents_detained_per_1000_arrests", "arrests",
)
#: Replicates per point of the demo's screen: enough for a paired difference, cheap beside the comparison.
SCREEN_REPLICATES = 2


@dataclass
class Screen:
    """Results of :func:`screen`: every point's replicate summaries, the centre first."""

    scenario: Scenario
    dims: list[Dimension]
    centres: dict[str, Any]  # each unknown's value in the scenario
    points: list[dict[str, Any]]  # {"param": name or None, "level": "centre" | "lo" | "hi", "value": ...}
    replicates: int
    summaries: list[list[dict]]
    metrics: tuple[str, ...]

    def _values(self, point: int, metric: str) -> np.ndarray:
        return np.array([float(s.get(metric, np.nan)) if not isinstance(s.get(metric), dict) else np.nan
                         for s in self.summaries[point]], dtype=np.float64)

    def effects(self, metric: str) -> list[dict[str, Any]]:
        """Per unknown, largest swing first: the metric at each end of its range, and paired against the centre."""
        centre = self._values(0, metric)
        out = []
        for d in self.dims:
            row: dict[str, Any] = {"param": d.name, "value": self.centres[d.name], "lo_value": d.lo, "hi_value": d.hi,
                                   "log": d.log}
            for end in ("lo", "hi"):
                idx = next((i for i, p in enumerate(self.points) if p["param"] == d.name and p["level"] == end), None)
                if idx is None:  # that end is the centre itself
                    v = centre
                else:
                    v = self._values(idx, metric)
                row[end] = mean_interval(v, support=support_of(metric))
                row[f"d_{end}"] = paired_difference(v, centre)
            row["swing"] = row["hi"]["mean"] - row["lo"]["mean"]
            out.append(row)
        out.sort(key=lambda r: -abs(r["swing"]) if np.isfinite(r["swing"]) else 0.0)
        return out

    def summary(self) -> dict[str, Any]:
        """Provenance, the unknowns with their ranges, the centre's figures and each unknown's effects."""
        s = self.scenario
        return {
            "provenance": {"scrutiny_version": __version__, "config_hash": s.config_hash(), "seed": s.seed,
                           "replicates": self.replicates, "scenario_name": s.name, "n_people": s.world.n_people,
                           "n_days": s.n_days, "method": "one at a time"},
            "params": [{"name": d.name, "lo": d.lo, "hi": d.hi, "log": d.log, "value": self.centres[d.name]}
                       for d in self.dims],
            "metrics": list(self.metrics),
            "centre": {m: mean_interval(self._values(0, m), support=support_of(m)) for m in self.metrics},
            "effects": {m: self.effects(m) for m in self.metrics},
            "points": self.points,
        }

    def write(self, out: str | Path) -> Path:
        """Write ``screen.json`` into ``out``."""
        write_atomic(Path(out), {"screen.json": to_json(self.summary()).encode()})
        return Path(out)


def _dims(scenario: Scenario, params: Any) -> tuple[list[Dimension], dict[str, Any]]:
    """The unknowns the scenario has (a component's parameter is skipped when the component is not chosen)."""
    dims, centres = [], {}
    for p in params:
        d = p if isinstance(p, Dimension) else parse_cli_param(str(p))
        try:
            centres[d.name] = field_value(scenario, d.name)
        except (AttributeError, StopIteration):
            continue
        dims.append(d)
    check_unique(dims, "params")
    if not dims:
        raise ConfigError(f"None of the unknowns {list(params)} is a field of scenario {scenario.name!r}.")
    return dims, centres


def screen(
    scenario: Scenario | str | Path,
    params: list[str | Dimension],
    *,
    replicates: int = SCREEN_REPLICATES,
    metrics: tuple[str, ...] = SCREEN_METRICS,
    out: str | Path | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
) -> Screen:
    """Move each unknown alone to the ends of its range and see how far the headline figures move.

    Args:
        scenario: The centre (or its TOML path).
        params: The unknowns: ``NAME`` (its documented plausible range) or ``NAME=LO:HI[:log|lin]``, as
            for :func:`~scrutiny.experiments.sensitivity`. Unknowns the scenario does not have (a
            parameter of a component it does not use) are left out.
        replicates: Replicates per point (paired across points on common random numbers).
        metrics: Scalar metrics to follow.
        out: Output folder: the results store (a rerun resumes) and ``screen.json``. ``None`` keeps
            everything in memory.
        workers: Local worker processes (results do not depend on it).
        scheduler: Dask scheduler address or client.
        progress: Show a progress bar.

    Returns:
        :class:`Screen`.

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> s = load_scenario(overrides={"world.n_people": 3000, "n_days": 3})
        >>> sc = screen(s, ["field.target_fpir=0.001:0.05:log"], replicates=1)
        >>> [p["level"] for p in sc.points], sc.summary()["effects"]["arrests"][0]["param"]
        (['centre', 'lo', 'hi'], 'field.target_fpir')
    """
    base = _scenario(scenario)
    replicates = check_replicates(replicates)
    dims, centres = _dims(base, params)
    points: list[dict[str, Any]] = [{"param": None, "level": "centre", "value": None}]
    for d in dims:
        for level, value in (("lo", d.at(0.0)), ("hi", d.at(1.0))):
            if value != centres[d.name]:
                points.append({"param": d.name, "level": level, "value": value})
    check_plan_size(len(points) * replicates, base, what=f"{len(points)} screen points x {replicates} replicates",
                    fix="the replicates or the unknowns")
    scenarios = [base] + [scenario_at(base, {p["param"]: p["value"]}, f"screen point {i} {p}")
                          for i, p in enumerate(points) if p["param"] is not None]
    tasks = point_tasks(scenarios, replicates, keep_events=False)
    meta = {"method": "one at a time", "replicates": replicates, "seed": base.seed, "base_config_hash":
            base.config_hash(), "params": [{"name": d.name, "lo": d.lo, "hi": d.hi, "log": d.log} for d in dims]}
    design = [{} if p["param"] is None else {p["param"]: p["value"]} for p in points]
    payloads = run_plan(tasks, kind="screen", store=out, meta=meta, points=design, workers=workers,
                        scheduler=scheduler, progress=progress, events=False)
    summaries = summaries_by_point(tasks, payloads, len(points))
    result = Screen(base, dims, centres, points, replicates, summaries, tuple(metrics))
    if out is not None:
        result.write(out)
    return result
