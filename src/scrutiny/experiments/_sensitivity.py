"""Global sensitivity analysis (Sobol, Morris) with SALib: which unknowns drive a metric.

The adapter works on the unit cube: SALib samples ``[0, 1]^d``, each coordinate is mapped to a
field value by its :class:`Dimension` (uniform, or log-uniform over ranges spanning decades;
integers rounded), the model is evaluated at every sample, and SALib analyses the outputs.

* Sobol (Saltelli/Jansen estimators, ``calc_second_order=False``): first-order ``S1`` and total
  ``ST`` indices with 95% bootstrap intervals; ``N * (d + 2)`` evaluations, ``N`` a power of 2.
* Morris (elementary effects, 4 levels): ``mu_star`` (mean absolute effect of moving a parameter
  across its whole range) with a 95% bootstrap interval, and ``sigma`` (non-linearity and
  interactions); ``N * (d + 1)`` evaluations for ``N`` trajectories.

For a scenario, every sample runs ``replicates`` replicates (replicate ``r`` of every sample on
the same random streams: common random numbers) and the metric's mean over them is the output.
SALib's own random draws (scrambling, trajectories, bootstrap) are seeded from the stream
``experiments.sensitivity`` of the scenario's seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrutiny._io import to_json, write_atomic
from scrutiny._version import __version__
from scrutiny.errors import ConfigError, brief, did_you_mean
from scrutiny.experiments._compare import _scenario
from scrutiny.experiments._design import (
    Dimension,
    check_unique,
    parse_cli_param,
    parse_dimension,
    scenario_at,
)
from scrutiny.experiments._plan import run_plan
from scrutiny.experiments._resources import check_plan_size
from scrutiny.experiments._run import DEFAULT_REPLICATES, check_replicates
from scrutiny.experiments._task import point_tasks, summaries_by_point
from scrutiny.rng import stream
from scrutiny.scenario import Scenario

__all__ = ["Sensitivity", "sensitivity", "sample", "analyze", "METHODS", "DEFAULT_PARAMS", "DEFAULT_METRICS",
           "indices_of"]

METHODS = ("sobol", "morris")
#: The unknowns the default analysis ranks: field FMR, gallery size, record staleness, quota.
DEFAULT_PARAMS: tuple[str, ...] = (
    "field.threshold", "field.rel_gallery_size", "sources.admin.p_address_current", "operations.rel_local_intensity",
)
DEFAULT_METRICS: tuple[str, ...] = (
    "citizens_detained_per_1000_arrests", "lawful_residents_detained_per_1000_arrests", "arrests",
)
_MORRIS_LEVELS = 4


def _problem(dims: Sequence[Dimension]) -> dict[str, Any]:
    return {"num_vars": len(dims), "names": [d.name for d in dims], "bounds": [[0.0, 1.0]] * len(dims)}


def _default_n(method: str) -> int:
    return 64 if method == "sobol" else 10


def _check(method: str, n: int) -> None:
    if method not in METHODS:
        raise ConfigError(f"method must be one of {list(METHODS)}; got {brief(method)}.{did_you_mean(method, METHODS)}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ConfigError(f"n must be an integer >= 2; got {brief(n)}.")
    if method == "sobol" and n & (n - 1):
        lower = 1 << (n.bit_length() - 1)
        raise ConfigError(f"Sobol sampling needs n a power of 2; got {n}. Try {lower} or {lower * 2}.")


def sample(method: str, dims: Sequence[Dimension], n: int, seed: int) -> tuple[np.ndarray, list[dict[str, Any]]]:
    """Draw the design of a Sobol or Morris analysis.

    Args:
        method: ``"sobol"`` or ``"morris"``.
        dims: The parameters (numeric ranges).
        n: Base sample size (Sobol, a power of 2) or number of trajectories (Morris).
        seed: Root seed; SALib's draws come from the stream ``experiments.sensitivity``.

    Returns:
        ``(X, values)``: the unit-cube samples float64[S, d] and, per sample, ``{field: value}``.
    """
    _check(method, n)
    bad = [d.name for d in dims if not d.is_range]
    if bad or not dims:
        raise ConfigError(f"Sensitivity parameters must be numeric ranges; not ranges: {bad or 'none given'}.")
    problem = _problem(dims)
    rng = stream(seed, 0, "experiments.sensitivity")
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        x = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=rng)
    else:
        from SALib.sample import morris as morris_sample

        x = morris_sample.sample(problem, n, num_levels=_MORRIS_LEVELS, seed=rng)
    x = np.clip(np.asarray(x, dtype=np.float64), 0.0, 1.0)
    return x, [{d.name: d.at(x[i, j]) for j, d in enumerate(dims)} for i in range(x.shape[0])]


def analyze(method: str, dims: Sequence[Dimension], x: np.ndarray, y: np.ndarray, seed: int) -> dict[str, dict]:
    """Sensitivity indices of output ``y`` (one value per sample of :func:`sample`), per parameter.

    Returns:
        Sobol: ``{name: {S1, S1_lo, S1_hi, ST, ST_lo, ST_hi}}``; Morris:
        ``{name: {mu_star, mu_star_lo, mu_star_hi, mu, sigma}}``. Intervals are 95% bootstrap.

    Raises:
        ValueError: If ``y`` has undefined (non-finite) values.
    """
    y = np.asarray(y, dtype=np.float64)
    if not np.isfinite(y).all():
        raise ValueError(f"{int((~np.isfinite(y)).sum())} of {y.size} outputs are undefined")
    problem = _problem(dims)
    out: dict[str, dict] = {}
    if method == "sobol":
        from SALib.analyze import sobol as sobol_analyze

        int_seed = int(stream(seed, 0, "experiments.sensitivity", step=1).integers(1, 2**31))
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=0.95, seed=int_seed)
        for j, d in enumerate(dims):
            s1, s1c, st, stc = (float(res[k][j]) for k in ("S1", "S1_conf", "ST", "ST_conf"))
            out[d.name] = {
                "S1": s1, "S1_lo": s1 - s1c, "S1_hi": s1 + s1c, "ST": st, "ST_lo": st - stc, "ST_hi": st + stc,
            }
    else:
        from SALib.analyze import morris as morris_analyze

        rng = stream(seed, 0, "experiments.sensitivity", step=1)
        res = morris_analyze.analyze(problem, x, y, conf_level=0.95, num_levels=_MORRIS_LEVELS, seed=rng)
        for j, d in enumerate(dims):
            ms, msc = float(res["mu_star"][j]), float(res["mu_star_conf"][j])
            out[d.name] = {"mu_star": ms, "mu_star_lo": ms - msc, "mu_star_hi": ms + msc,
                           "mu": float(res["mu"][j]), "sigma": float(res["sigma"][j])}
    return out


def indices_of(method: str, dims: Sequence[Dimension], n: int, seed: int, model: Callable[[dict], float]) -> dict:
    """Sample, evaluate ``model(values)`` at every sample in this process, and analyse (small models, tests)."""
    x, values = sample(method, dims, n, seed)
    return analyze(method, dims, x, np.array([model(v) for v in values], dtype=np.float64), seed)


def _dims(params: Any) -> list[Dimension]:
    if params is None:
        params = DEFAULT_PARAMS
    if isinstance(params, str):
        params = [params]
    if isinstance(params, Mapping):
        dims = [parse_cli_param(k) if v is None else parse_dimension(k, v, "params") for k, v in params.items()]
    else:
        dims = [p if isinstance(p, Dimension) else parse_cli_param(str(p)) for p in params]
    check_unique(dims, "params")
    return dims


def _metrics(metrics: Any) -> list[str]:
    from scrutiny.metrics import METRICS

    metrics = list(DEFAULT_METRICS if metrics is None else ([metrics] if isinstance(metrics, str) else metrics))
    for m in metrics:
        if m not in METRICS or not METRICS[m].is_scalar:
            scalar = [k for k, v in METRICS.items() if v.is_scalar]
            raise ConfigError(f"Unknown or non-scalar metric {brief(m)}.{did_you_mean(m, scalar)} Allowed: {scalar}")
    return metrics


@dataclass
class Sensitivity:
    """Results of :func:`sensitivity`: indices per metric and parameter, and every sample's outputs."""

    scenario: Scenario
    method: str
    dims: list[Dimension]
    n: int
    replicates: int
    values: list[dict[str, Any]]
    outputs: dict[str, np.ndarray]  # metric -> mean over replicates per sample
    indices: dict[str, dict | str]  # metric -> {param: {...}} or an explanation when undefined

    def ranking(self, metric: str) -> list[str]:
        """Parameters by decreasing total index (Sobol ``ST``) or ``mu_star`` (Morris)."""
        idx = self.indices[metric]
        if isinstance(idx, str):
            return []
        key = "ST" if self.method == "sobol" else "mu_star"
        return sorted(idx, key=lambda p: -idx[p][key] if math.isfinite(idx[p][key]) else math.inf)

    def summary(self) -> dict[str, Any]:
        """Provenance, parameters with their ranges, indices and rankings per metric."""
        return {
            "provenance": {"scrutiny_version": __version__, "config_hash": self.scenario.config_hash(),
                           "seed": self.scenario.seed, "replicates": self.replicates, "method": self.method,
                           "n": self.n, "evaluations": len(self.values), "scenario_name": self.scenario.name},
            "params": [{"name": d.name, "lo": d.lo, "hi": d.hi, "log": d.log} for d in self.dims],
            "indices": self.indices,
            "ranking": {m: self.ranking(m) for m in self.indices},
        }

    def table(self) -> pd.DataFrame:
        """One row per (metric, parameter) with the indices and intervals."""
        rows = [{"metric": m, "param": p, **v} for m, idx in self.indices.items() if isinstance(idx, dict)
                for p, v in idx.items()]
        return pd.DataFrame(rows)

    def write(self, out: str | Path) -> Path:
        """Write ``sensitivity.json``, ``indices.csv`` and ``samples.csv`` (values and outputs per sample)."""
        samples = pd.DataFrame(self.values).assign(**{m: y for m, y in self.outputs.items()})
        write_atomic(Path(out), {
            "sensitivity.json": to_json(self.summary()).encode(),
            "indices.csv": self.table().to_csv(index=False).encode(),
            "samples.csv": samples.rename_axis("sample").to_csv().encode(),
        })
        return Path(out)


def _indices(method: str, dims: Sequence[Dimension], x: np.ndarray, y: np.ndarray, seed: int) -> dict | str:
    """:func:`analyze`, or why the indices of this output could not be computed."""
    try:
        return analyze(method, dims, x, y, seed)
    except ValueError as exc:
        return f"not computed: {exc} (e.g. a ratio with no arrests); widen the scenario or drop this metric"


def sensitivity(
    scenario: Scenario | str | Path,
    params: Sequence[str | Dimension] | Mapping[str, Any] | None = None,
    *,
    method: str = "sobol",
    n: int | None = None,
    replicates: int = DEFAULT_REPLICATES,
    metrics: Sequence[str] | None = None,
    out: str | Path | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
) -> Sensitivity:
    """Rank which uncertain fields drive chosen metrics, with Sobol or Morris (SALib).

    Args:
        scenario: The base scenario (or its TOML path).
        params: Fields to vary: ``"field.threshold"`` (its documented plausible range),
            ``"field.threshold=8:11"``, ``"field.rel_gallery_size=0.005:1.5:log"``, :class:`Dimension`
            objects, or ``{name: {lo, hi, log} or None}``. Default: :data:`DEFAULT_PARAMS`.
        method: ``"sobol"`` (first-order and total indices) or ``"morris"`` (elementary effects).
        n: Sobol base sample (a power of 2, default 64) or Morris trajectories (default 10).
        replicates: Replicates per sample, averaged (common random numbers across samples; default
            :data:`~scrutiny.experiments.DEFAULT_REPLICATES`, 1 for a quick screen).
        metrics: Scalar metrics to analyse (default :data:`DEFAULT_METRICS`).
        out: Output folder: the results store (a rerun of the same command resumes there) and the
            analysis's files (:meth:`Sensitivity.write`). ``None`` keeps everything in memory.
        workers: Local worker processes (results do not depend on it).
        scheduler: Dask scheduler address or client.
        progress: Show a progress bar.

    Returns:
        :class:`Sensitivity`.
    """
    base = _scenario(scenario)
    replicates = check_replicates(replicates)
    dims, metric_names = _dims(params), _metrics(metrics)
    n = _default_n(method) if n is None else n
    _check(method, n)
    per_n = len(dims) + (2 if method == "sobol" else 1)
    what = f"{method} n = {n:,} x (d + {per_n - len(dims)} = {per_n}) samples x {replicates:,} replicates"
    check_plan_size(n * per_n * replicates, base, what=what, fix="--n or the replicates")
    x, values = sample(method, dims, n, base.seed)
    scenarios = [scenario_at(base, v, f"sensitivity sample {i} {v}") for i, v in enumerate(values)]
    tasks = point_tasks(scenarios, replicates, keep_events=False)
    meta = {"method": method, "n": n, "replicates": replicates, "seed": base.seed, "params":
            [{"name": d.name, "lo": d.lo, "hi": d.hi, "log": d.log} for d in dims], "metrics": metric_names}
    payloads = run_plan(tasks, kind=f"sensitivity-{method}", store=out, meta=meta, points=values, workers=workers,
                        scheduler=scheduler, progress=progress, events=False)
    per_point = summaries_by_point(tasks, payloads, len(values))
    outputs = {m: np.array([[rep[m] for rep in reps] for reps in per_point], dtype=np.float64).mean(axis=1)
               for m in metric_names}
    indices = {m: _indices(method, dims, x, y, base.seed) for m, y in outputs.items()}
    result = Sensitivity(base, method, dims, n, replicates, values, outputs, indices)
    if out is not None:
        result.write(out)
    return result
