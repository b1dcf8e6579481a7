"""What the report draws, per replicate, read from the metrics.

Numbers come from the per-replicate summaries (:meth:`RunData.values`);
figures that are not single numbers (the funnel, counts per tract, the runaway curve, per-group
ratios) come from the views in :mod:`scrutiny.metrics` applied to each replicate's event log. The
report computes nothing from the event log itself; intervals are the same Student-t intervals of
the mean across replicates as in ``summary.json``.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import STATUSES, Vocabulary, is_removable
from scrutiny.metrics import (
    funnel_by_status,
    group_rates,
    lorenz_curve,
    top_share_by_day,
    tract_counts,
)
from scrutiny.report._data import RunData

__all__ = [
    "funnel_mean",
    "lorenz_mean",
    "top_share_over_time",
    "group_disparity",
    "harm_and_legitimate",
    "LAWFUL_STATUSES",
    "REMOVABLE",
    "statuses_of",
]

#: True statuses of citizens and lawful residents (everyone whose detention is wrongful).
LAWFUL_STATUSES: tuple[str, ...] = tuple(s for i, s in enumerate(STATUSES) if not is_removable(np.array([i]))[0])
REMOVABLE: tuple[str, ...] = tuple(s for s in STATUSES if s not in LAWFUL_STATUSES)


def statuses_of(data: RunData) -> tuple[Vocabulary, tuple[str, ...], tuple[str, ...]]:
    """The run's jurisdiction's vocabulary, its lawful statuses (citizens and lawful residents) and removable ones."""
    vocab = Vocabulary(data.scenario.jurisdiction)
    lawful = tuple(s for i, s in enumerate(vocab.statuses) if not vocab.removable[i])
    return vocab, lawful, tuple(s for s in vocab.statuses if s not in lawful)


def funnel_mean(data: RunData) -> dict[str, dict[str, float]]:
    """The funnel (stage x true status of the run's jurisdiction), mean over replicates."""
    per = [funnel_by_status(log) for log in data.events]
    stages = list(per[0]) if per else []
    statuses = statuses_of(data)[0].statuses
    return {st: {s: float(np.mean([f[st][s] for f in per])) for s in statuses} for st in stages}


def lorenz_mean(data: RunData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean Lorenz curve of operations over tracts (x, y), and each replicate's Gini over tracts."""
    curves = [lorenz_curve(tract_counts(log, data.n_tracts(r))["operations"]) for r, log in enumerate(data.events)]
    size = min(len(x) for x, _ in curves)
    x = np.linspace(0, 1, size)
    ys = np.array([np.interp(x, cx, cy) for cx, cy in curves])
    return x, ys.mean(axis=0), data.values("gini_operations_by_tract")


def top_share_over_time(data: RunData) -> np.ndarray:
    """Per replicate (rows) and day (columns): share of operations so far in the top 10% of tracts."""
    n_days = data.scenario.n_days
    rows = [top_share_by_day(log, n_days=n_days, n_tracts=data.n_tracts(r)) for r, log in enumerate(data.events)]
    return np.array(rows).reshape(len(rows), n_days)


def group_disparity(data: RunData, *, min_exposed: float = 20.0) -> dict[str, dict[str, np.ndarray]]:
    """Per-group events, exposed and rate ratios against the reference group, one row per replicate.

    See :func:`scrutiny.metrics.group_rates` for the two measures.
    """
    per = [group_rates(log, min_exposed=min_exposed) for log in data.events]
    return {m: {k: np.array([p[m][k] for p in per]) for k in ("events", "exposed", "ratio")}
            for m in ("false_match", "wrongful")}


def harm_and_legitimate(data: RunData) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate: detentions of citizens and lawful residents, and arrests of removable people."""
    by = data.values("detained_by_status")
    if not isinstance(by, dict):  # not recorded
        return np.full(data.n_replicates, np.nan), np.full(data.n_replicates, np.nan)
    nan = np.full(data.n_replicates, np.nan)
    _, lawful, removable = statuses_of(data)
    harm = sum((by.get(s, nan) for s in lawful), np.zeros(data.n_replicates))
    legit = sum((by.get(s, nan) for s in removable), np.zeros(data.n_replicates))
    return harm, legit
