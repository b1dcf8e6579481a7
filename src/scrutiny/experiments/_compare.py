"""Paired comparison of safeguard arms on common random numbers.

Every arm runs replicates ``0..R-1`` with the baseline's seed, so replicate ``r`` of every arm
draws exactly the same random numbers (``scrutiny.rng``): an arm that changes nothing reproduces
the baseline bit for bit, and the difference between an arm and the baseline in replicate ``r``
is caused by the safeguard, not by noise. Differences are therefore paired: for each scalar
metric, ``d_r = arm_r - baseline_r`` and the interval is the Student-t interval of the mean of
``d_r`` over replicates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scrutiny._io import to_json, write_atomic
from scrutiny._renderers import render
from scrutiny._version import __version__
from scrutiny.errors import ConfigError, brief
from scrutiny.experiments._arms import Arm, arm_scenarios, load_arms
from scrutiny.experiments._draws import ReplicateDraws, interval_record
from scrutiny.experiments._plan import run_plan
from scrutiny.experiments._resources import check_plan_size
from scrutiny.experiments._run import DEFAULT_REPLICATES, ReplicateResult, Results, check_replicates
from scrutiny.experiments._task import Task
from scrutiny.metrics import intervals, paired_difference
from scrutiny.scenario import Scenario, load_scenario

__all__ = ["Comparison", "compare", "headline_table"]


def _zero(n: int) -> dict[str, float]:
    return {"mean": 0.0, "lo": 0.0, "hi": 0.0, "n": int(n)}


@dataclass
class Comparison:
    """Results of :func:`compare`: one :class:`Results` per arm, paired on common random numbers."""

    scenario: Scenario
    arms: list[Arm]
    scenarios: dict[str, Scenario]
    results: dict[str, Results]
    baseline_arm: str = "baseline"
    draws: ReplicateDraws | None = None  # per-replicate overrides shared by every arm (a posterior)
    folder: Path | None = None  # where write() put it: the report reads what else the folder holds (a screen)

    @property
    def arm_names(self) -> list[str]:
        """Arm names in order, baseline first."""
        return [a.name for a in self.arms]

    def _values(self, name: str, metric: str) -> np.ndarray:
        return self.results[name].values(metric)

    def differences(self, name: str) -> dict[str, dict[str, float]]:
        """Paired differences of arm ``name`` from the baseline, for every scalar metric."""
        base = self.results[self.baseline_arm].replicates[0].summary
        scalar = [m for m, v in base.items() if not isinstance(v, dict)]
        n = len(self.results[name].replicates)
        if name == self.baseline_arm:
            return {m: _zero(n) for m in scalar}
        return {m: paired_difference(self._values(name, m), self._values(self.baseline_arm, m)) for m in scalar}

    def summary(self) -> dict[str, Any]:
        """Provenance, each arm's metrics with 95% intervals, and paired differences from the baseline."""
        base = self.scenarios[self.baseline_arm]
        arms = {}
        for arm in self.arms:
            reps = sorted(self.results[arm.name].replicates, key=lambda r: r.replicate)
            arms[arm.name] = {
                "description": arm.description,
                "overrides": dict(arm.overrides),
                "config_hash": self.scenarios[arm.name].config_hash(),
                "metrics": intervals([r.summary for r in reps]),
            }
        return {
            "provenance": {
                "scrutiny_version": __version__,
                "config_hash": base.config_hash(),
                "seed": base.seed,
                "replicates": len(self.results[self.baseline_arm].replicates),
                "baseline_arm": self.baseline_arm,
                "arms": self.arm_names,
                "scenario_name": base.name,
                **interval_record(self.draws, len(self.results[self.baseline_arm].replicates)),
            },
            "arms": arms,
            "differences": {name: self.differences(name) for name in self.arm_names},
        }

    def write(self, out: str | Path) -> Path:
        """Write ``comparison.json``, ``arms/<name>/`` (each arm's results) and ``report.html``."""
        out = self.folder = Path(out)
        for name, res in self.results.items():
            res.write(out / "arms" / name)
        summary = self.summary()
        html = render("comparison", self)
        write_atomic(out, {"comparison.json": to_json(summary).encode(), "report.html": html.encode()})
        return out


def _scenario(scenario: Scenario | str | Path) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, (str, Path)):
        return load_scenario(scenario)
    raise ConfigError(f"scenario must be a Scenario or the path of a scenario TOML file; got {brief(scenario)}.")


def compare(
    scenario: Scenario | str | Path,
    arms: Mapping[str, Any] | str | Path | None = None,
    *,
    replicates: int = DEFAULT_REPLICATES,
    baseline_arm: str = "baseline",
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    out: str | Path | None = None,
    draws: ReplicateDraws | None = None,
) -> Comparison:
    """Run the baseline and every safeguard arm on common random numbers and pair them.

    Args:
        scenario: The baseline scenario (or the path of its TOML file).
        arms: ``{name: {"description": str, "overrides": {dotted field: value}}}``, the path of an
            arms TOML file, or ``None`` for the packaged default safeguards. The baseline arm
            (no overrides) is always included, first.
        replicates: Replicates per arm (>= 1; default :data:`DEFAULT_REPLICATES`); replicate ``r`` of
            every arm shares random numbers.
        baseline_arm: Name of the baseline arm.
        workers: Local worker processes (results do not depend on it).
        scheduler: Dask scheduler address (``"tcp://host:8786"``) or ``distributed.Client``;
            overrides ``workers`` (results do not depend on it either).
        progress: Show a progress bar (tasks done/total, ETA) on standard error.
        out: Output folder: the results store (one Parquet part per (arm, replicate) and a DuckDB
            catalog; a rerun of the same command resumes there) and the comparison's files
            (:meth:`Comparison.write`). ``None`` keeps everything in memory.
        draws: Per-replicate overrides (e.g. ``load_posterior(dir).draws(seed)``): replicate ``r``
            of every arm runs with draw ``r``, then the arm's own overrides, so pairs stay paired.

    Returns:
        :class:`Comparison`.

    Raises:
        ConfigError: For a bad arm (naming the arm, field and value), bad replicates or workers.

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> s = load_scenario(overrides={"world.n_people": 3000, "n_days": 3})
        >>> c = compare(s, {"same": {"overrides": {}}}, replicates=2)
        >>> c.summary()["differences"]["same"]["arrests"]["mean"]
        0.0
    """
    base = _scenario(scenario)
    replicates = check_replicates(replicates)
    arm_list = load_arms(arms, baseline_arm=baseline_arm, preset=base.name)
    check_plan_size(len(arm_list) * replicates, base, what=f"{len(arm_list)} arms x {replicates:,} replicates",
                    fix="the replicates or the number of arms", events=True)
    scenarios = arm_scenarios(base, arm_list)
    tasks = [Task(arm.name, r, scenarios[arm.name] if draws is None else
                  draws.scenario(base, r, arm.overrides, origin=f"arm {arm.name!r}"), arm=arm.name)
             for r in range(replicates) for arm in arm_list]
    meta = {"arms": [{"name": a.name, "description": a.description, "overrides": a.overrides} for a in arm_list],
            "baseline_arm": baseline_arm, "replicates": replicates, "seed": base.seed}
    payloads = run_plan(tasks, kind="compare", store=out, meta=meta, workers=workers, scheduler=scheduler,
                        progress=progress)
    results = {arm.name: Results(scenarios[arm.name], _replicates_of(arm.name, tasks, payloads), draws=draws)
               for arm in arm_list}
    comparison = Comparison(base, arm_list, scenarios, results, baseline_arm, draws)
    if out is not None:
        comparison.write(out)
    return comparison


def _replicates_of(arm: str, tasks: list[Task], payloads: dict[str, dict]) -> list[ReplicateResult]:
    """One arm's replicate results, in task order, from :func:`run_plan`'s payloads."""
    reps = []
    for task in (t for t in tasks if t.arm == arm):
        p = payloads[task.task_id]
        reps.append(
            ReplicateResult(task.replicate, p["summary"], p["daily"], p["world_info"], p["events"], p["tracts"])
        )
    return reps


def headline_table(summary: dict[str, Any], metrics: list[str] | None = None) -> str:
    """A plain-text table (metric x arm): mean [95% interval] and paired difference from baseline."""
    from scrutiny.metrics import METRICS

    arms = summary["provenance"]["arms"]
    base = summary["provenance"]["baseline_arm"]
    metrics = metrics or [m for m in METRICS if m in summary["arms"][base]["metrics"]
                          and "mean" in summary["arms"][base]["metrics"][m]]
    lines = []
    for m in metrics:
        lines.append(f"{METRICS[m].label if m in METRICS else m}")
        for name in arms:
            v = summary["arms"][name]["metrics"][m]
            d = summary["differences"][name].get(m)
            diff = "" if name == base or d is None else f"   diff {_num(d['mean'])} [{_num(d['lo'])}, {_num(d['hi'])}]"
            lines.append(f"  {name:<28} {_num(v['mean']):>10} [{_num(v['lo'])}, {_num(v['hi'])}]{diff}")
    return "\n".join(lines)


def _num(x: float | None) -> str:
    """A figure for the plain-text table: thousands separated, three significant digits, never an exponent.

    Examples:
        >>> [_num(x) for x in (989363.2, 19.04, 0.0462, 9.1e-06, None)]
        ['989,363', '19.0', '0.0462', '0.0000091', 'n/a']
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if 0 < a < 0.001:  # no scientific notation in a table people read: 0.0000091, not 9.1e-06
        return np.format_float_positional(x, precision=2, unique=False, fractional=False, trim="-")
    return f"{x:.3g}"
