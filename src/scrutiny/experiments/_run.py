"""Run a scenario over replicates and hold the results, with provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrutiny._io import to_json, write_atomic
from scrutiny._limits import DEFAULT_REPLICATES
from scrutiny._renderers import render
from scrutiny._version import __version__
from scrutiny.errors import ConfigError
from scrutiny.events import EventLog
from scrutiny.experiments._draws import ReplicateDraws, interval_record
from scrutiny.experiments._resources import check_memory
from scrutiny.metrics import aggregate, replicate_values, summarize
from scrutiny.operations import RunOutput, simulate
from scrutiny.scenario import Scenario, dump_toml
from scrutiny.world import load_aggregates

__all__ = ["Results", "ReplicateResult", "run", "replicate_summary", "provenance", "DEFAULT_REPLICATES",
           "check_replicates"]



@dataclass(frozen=True, slots=True)
class ReplicateResult:
    """What one replicate contributes to the results."""

    replicate: int
    summary: dict
    daily: dict[str, np.ndarray]
    world_info: dict
    events: EventLog
    tracts: dict[str, np.ndarray]


def provenance(s: Scenario, replicates: int) -> dict[str, Any]:
    """The provenance block every artefact carries."""
    return {
        "scrutiny_version": __version__,
        "config_hash": s.config_hash(),
        "seed": s.seed,
        "replicates": int(replicates),
        "scenario_name": s.name,
        "numpy_version": np.__version__,
    }


@dataclass
class Results:
    """Results of :func:`run`: per-replicate summaries, the event log and provenance."""

    scenario: Scenario
    replicates: list[ReplicateResult]
    _frame: pd.DataFrame | None = field(default=None, repr=False)
    draws: ReplicateDraws | None = field(default=None, repr=False)  # per-replicate overrides (a posterior)

    @property
    def event_log(self) -> EventLog:
        """The event log of every replicate (column ``replicate`` tells them apart)."""
        return EventLog.concat([r.events for r in self.replicates])

    @property
    def events(self) -> pd.DataFrame:
        """The event log as a DataFrame with named categories."""
        if self._frame is None:
            self._frame = self.event_log.to_pandas()
        return self._frame

    @property
    def geometry(self) -> dict | None:
        """The tract boundaries (GeoJSON) of imported geography, or None for the synthetic metro.

        The report draws them on its maps, the first report as well as one rebuilt from the folder.
        """
        if self.scenario.world.geography == "synthetic":
            return None
        return load_aggregates(self.scenario.world.geography).geometry

    @property
    def n_people(self) -> int:
        """The simulated population (imported geography sets it from the tracts, not ``world.n_people``)."""
        info = self.replicates[0].world_info if self.replicates else {}
        return int(info.get("n_people", self.scenario.world.n_people))

    def provenance(self) -> dict[str, Any]:
        """Version, config hash, seed, replicates, and the kind of interval (chance only, or with a posterior)."""
        return {**provenance(self.scenario, len(self.replicates)), **interval_record(self.draws, len(self.replicates))}

    def summary(self) -> dict[str, Any]:
        """``{"provenance": ..., "metrics": ...}``; metrics are numbers, or mean/lo/hi over replicates."""
        return {"provenance": self.provenance(), "metrics": aggregate([r.summary for r in self.replicates])}

    def values(self, metric: str) -> np.ndarray | dict[str, np.ndarray]:
        """One metric's value in each replicate, in replicate order (what its interval is computed from).

        Returns:
            float64[replicates], or ``{key: float64[replicates]}`` for a nested metric; NaN where a
            replicate lacks the metric. See :func:`scrutiny.metrics.replicate_values`.
        """
        return replicate_values([r.summary for r in sorted(self.replicates, key=lambda r: r.replicate)], metric)

    def daily(self) -> pd.DataFrame:
        """Per-day series of every replicate, one row per (replicate, day)."""
        frames = [pd.DataFrame(r.daily).assign(replicate=r.replicate, day=np.arange(len(next(iter(r.daily.values())))))
                  for r in self.replicates]
        return pd.concat(frames, ignore_index=True)

    def tracts(self) -> pd.DataFrame:
        """Tract table of every replicate: id, centroid (km), population, foreign-born, non-citizens."""
        return pd.concat([pd.DataFrame(r.tracts).assign(replicate=r.replicate) for r in self.replicates],
                         ignore_index=True)

    def write(self, out: str | Path, *, report: bool = True) -> Path:
        """Write the run's files into ``out``, atomically, file by file.

        The files are ``summary.json``, ``events.parquet``, ``daily.csv``, ``replicates.json``,
        ``tracts.csv``, ``scenario.toml`` and, unless ``report=False``, ``report.html`` (the same
        file :func:`scrutiny.report` writes).

        Args:
            out: The output folder (created if missing).
            report: Also write ``report.html``.

        Returns:
            ``out`` as a :class:`~pathlib.Path`.
        """
        out = Path(out)
        files = {
            "summary.json": to_json(self.summary()).encode(),
            "scenario.toml": dump_toml(self.scenario).encode(),
            "daily.csv": self.daily().to_csv(index=False).encode(),
            "events.parquet": self.event_log.parquet_bytes(self.provenance()),
            "replicates.json": to_json([
                {"replicate": r.replicate, "summary": r.summary, "world_info": r.world_info} for r in self.replicates
            ]).encode(),
            "tracts.csv": self.tracts().to_csv(index=False).encode(),
        }
        if self.geometry is not None:  # public tract boundaries, for the report's maps
            files["tracts.geojson"] = json.dumps(self.geometry).encode()
        if report:
            files["report.html"] = render("run", self).encode()
        write_atomic(out, files)
        return out


def replicate_summary(s: Scenario, out: RunOutput) -> dict:
    """The summary metrics of one simulated replicate (the one place they are computed)."""
    return summarize(
        out.events, n_days=out.n_days, n_tracts=out.world_info["n_tracts"],
        lost_visits=out.lost_visits, expected_visits=out.expected_visits, sources=out.sources,
        retention_days=s.field.retention_days, daily=out.daily, dissent=out.dissent,
    )


def _one(s: Scenario, replicate: int, progress) -> ReplicateResult:
    out: RunOutput = simulate(s, replicate, progress=progress)
    return ReplicateResult(replicate, replicate_summary(s, out), out.daily, out.world_info, out.events, out.tracts)


def check_replicates(replicates: Any) -> int:
    """Return ``replicates`` as an int, or raise :class:`ConfigError` unless it is a positive integer."""
    if isinstance(replicates, bool) or not isinstance(replicates, (int, np.integer)) or replicates < 1:
        raise ConfigError(f"replicates must be a positive integer; got {replicates!r}.")
    return int(replicates)


def run(
    s: Scenario, replicates: int = DEFAULT_REPLICATES, *, progress: bool = False, draws: ReplicateDraws | None = None
) -> Results:
    """Run ``replicates`` independent replicates of a scenario.

    Replicate ``r`` draws every random number from streams keyed by ``(s.seed, r, name)``, so the
    same scenario and seed give bit-identical results.

    Args:
        s: A validated scenario (see :func:`scrutiny.load_scenario`).
        replicates: Number of replicates (>= 1; default :data:`DEFAULT_REPLICATES`).
        progress: Show a progress bar (days simulated, with ETA) on standard error.
        draws: Per-replicate overrides (e.g. ``load_posterior(dir).draws(s.seed)``): replicate
            ``r`` runs with draw ``r``'s field values.

    Returns:
        :class:`Results`.

    Raises:
        ConfigError: If ``replicates`` is not a positive integer.
        ResourceError: If the run would not fit in memory.

    Examples:
        >>> from scrutiny.scenario import load_scenario
        >>> r = run(load_scenario(overrides={"world.n_people": 5000, "n_days": 5}), replicates=2)
        >>> sorted(r.summary())
        ['metrics', 'provenance']
    """
    replicates = check_replicates(replicates)
    check_memory(s, replicates)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=int(replicates) * s.n_days, unit="day", desc=s.name, leave=False,
                   disable=None)  # None: no bar when standard error is not a terminal (logs, CI), as the executor's
    try:
        reps = [_one(s if draws is None else draws.scenario(s, r, origin="run"), r, bar.update if bar else None)
                for r in range(int(replicates))]
    finally:
        if bar is not None:
            bar.close()
    return Results(s, reps, draws=draws)
