"""What the report is made from: :class:`RunData`, built from in-memory results or a stored run.

A report never re-runs the simulation. Everything it shows derives from the files a run writes
(summary, per-replicate summaries, the event log, the daily series, the tract table, the
scenario), so the same code renders a fresh run and ``scrutiny report DIR``.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scrutiny.errors import InputError
from scrutiny.events import EventLog
from scrutiny.metrics import replicate_values
from scrutiny.scenario import Scenario

__all__ = ["RunData", "ComparisonData", "run_data", "comparison_data", "folder_extras", "SCREEN_FILE"]

#: Where ``scrutiny demo`` writes its one-at-a-time screen of the documented unknowns, inside the output folder.
SCREEN_FILE = "screen/screen.json"


def folder_extras(folder: Path) -> dict:
    """What a folder may hold beside its results: ``sensitivity.json`` and the demo's screen (each if present)."""
    out = {}
    for key, name in (("sensitivity", "sensitivity.json"), ("screen", SCREEN_FILE)):
        path = folder / name
        if path.is_file():
            try:
                out[key] = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise InputError(f"Cannot read {str(path)!r}: {exc}") from None
    return out


@dataclass
class RunData:
    """A run's outputs, as the report needs them.

    Attributes:
        scenario: The scenario that was run.
        summary: ``{"provenance": ..., "metrics": ...}`` as in ``summary.json``.
        replicates: Per-replicate ``{"replicate", "summary", "world_info"}``.
        events: One event log per replicate, in replicate order.
        daily: Per-day series, one row per (replicate, day).
        tracts: Tract table, one row per (replicate, tract).
        geometry: Tract polygons (GeoJSON) for imported geography, or None.
        written: When the run's files were written (text), if known.
        sensitivity: Sensitivity indices to mark decisive parameters, if given.
        folder: The run folder, when loaded from disk.
        screen: A one-at-a-time screen of the documented unknowns (``screen/screen.json``, written by
            ``scrutiny demo``), if there is one.
    """

    scenario: Scenario
    summary: dict
    replicates: list[dict]
    events: list[EventLog]
    daily: pd.DataFrame
    tracts: pd.DataFrame
    geometry: dict | None = None
    written: str | None = None
    sensitivity: dict | None = None
    folder: Path | None = None
    screen: dict | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def metrics(self) -> dict:
        """The aggregated metrics (``summary["metrics"]``)."""
        return self.summary["metrics"]

    @property
    def provenance(self) -> dict:
        """The provenance block (version, config hash, seed, replicates, ...)."""
        return self.summary["provenance"]

    @property
    def n_replicates(self) -> int:
        """Number of replicates."""
        return len(self.replicates)

    @property
    def world_info(self) -> dict:
        """World figures of the first replicate (population, tracts, places...)."""
        return self.replicates[0].get("world_info", {}) if self.replicates else {}

    def n_tracts(self, r: int) -> int:
        """Number of tracts of replicate index ``r``."""
        info = self.replicates[r].get("world_info", {})
        if "n_tracts" in info:
            return int(info["n_tracts"])
        return int((self.tracts["replicate"] == self.replicates[r]["replicate"]).sum())

    def tracts_of(self, r: int) -> pd.DataFrame:
        """The tract table of replicate index ``r``, ordered by tract id."""
        rep = self.replicates[r]["replicate"]
        t = self.tracts[self.tracts["replicate"] == rep] if "replicate" in self.tracts else self.tracts
        return t.sort_values("tract").reset_index(drop=True)

    def values(self, metric: str) -> np.ndarray | dict[str, np.ndarray]:
        """One metric's value in each replicate (as :meth:`scrutiny.Results.values`; NaN where absent)."""
        return replicate_values([rep.get("summary", {}) for rep in self.replicates], metric)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def run_data(results: Any, *, sensitivity: dict | None = None) -> RunData:
    """Adapt a :class:`~scrutiny.experiments.Results` (or a :class:`RunData`) for the report."""
    if isinstance(results, RunData):
        if sensitivity is not None:
            results.sensitivity = sensitivity
        return results
    reps = [{"replicate": r.replicate, "summary": r.summary, "world_info": r.world_info} for r in results.replicates]
    return RunData(
        scenario=results.scenario,
        summary=results.summary(),
        replicates=reps,
        events=[r.events for r in results.replicates],
        daily=results.daily(),
        tracts=results.tracts(),
        geometry=getattr(results, "geometry", None),
        written=_now(),
        sensitivity=sensitivity,
    )


@dataclass
class ComparisonData:
    """A comparison: its summary (the comparison contract) and each arm's :class:`RunData`.

    ``sensitivity`` and ``screen`` come from the comparison's folder (``sensitivity.json``,
    ``screen/screen.json``) when it has them.
    """

    summary: dict
    arms: dict[str, RunData]
    folder: Path | None = None
    sensitivity: dict | None = None
    screen: dict | None = None

    @property
    def provenance(self) -> dict:
        """The comparison's provenance block."""
        return self.summary.get("provenance", {})

    @property
    def names(self) -> list[str]:
        """Arm names, baseline first, in the comparison's order."""
        order = list(self.provenance.get("arms") or self.summary.get("arms", {}).keys() or self.arms.keys())
        base = self.baseline
        return [base] + [a for a in order if a != base and a in self.arms]

    @property
    def baseline(self) -> str:
        """Name of the baseline arm."""
        name = self.provenance.get("baseline_arm")
        return name if name in self.arms else next(iter(self.arms))


def comparison_data(comparison: Any, *, sensitivity: dict | None = None) -> ComparisonData:
    """Adapt an object with ``.summary()`` and ``.results`` (``{arm: Results}``) for the report."""
    if isinstance(comparison, ComparisonData):
        return comparison
    results = comparison.results
    arms = {name: run_data(res) for name, res in results.items()}
    folder = getattr(comparison, "folder", None)  # where Comparison.write is writing it, if anywhere
    extras = folder_extras(Path(folder)) if folder is not None else {}
    return ComparisonData(summary=comparison.summary(), arms=arms, folder=None if folder is None else Path(folder),
                          sensitivity=sensitivity or extras.get("sensitivity"), screen=extras.get("screen"))

