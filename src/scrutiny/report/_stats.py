"""Per-replicate figures the report computes from the event log, and their intervals.

Everything here is a thin loop over replicates that calls the pure metric functions in
:mod:`scrutiny.metrics` on event-log columns; intervals are the same Student-t intervals of the
mean across replicates as in ``summary.json``.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny.codes import (
    EVENT_KINDS,
    GROUPS,
    OUTCOMES,
    REFERENCE_GROUP,
    STATUSES,
    code,
    is_removable,
)
from scrutiny.events import EventLog
from scrutiny.metrics import (
    band,
    counts_by,
    cumulative_top_share,
    funnel_by_status,
    lorenz_curve,
    rate_ratios,
)
from scrutiny.report._data import RunData

__all__ = [
    "band",
    "funnel_mean",
    "tract_figures",
    "lorenz_mean",
    "top_share_over_time",
    "group_disparity",
    "harm_and_legitimate",
    "LAWFUL_STATUSES",
    "REMOVABLE",
]

_K = {k: i for i, k in enumerate(EVENT_KINDS)}
#: True statuses of citizens and lawful residents (everyone whose detention is wrongful).
LAWFUL_STATUSES: tuple[str, ...] = tuple(s for i, s in enumerate(STATUSES) if not is_removable(np.array([i]))[0])
REMOVABLE: tuple[str, ...] = tuple(s for s in STATUSES if s not in LAWFUL_STATUSES)


def funnel_mean(data: RunData) -> dict[str, dict[str, float]]:
    """The funnel (stage x true status), mean over replicates."""
    per = [funnel_by_status(log) for log in data.events]
    stages = list(per[0]) if per else []
    return {st: {s: float(np.mean([f[st][s] for f in per])) for s in STATUSES} for st in stages}


def _lawful(log: EventLog) -> np.ndarray:
    status = log["status"]
    return (status >= 0) & ~is_removable(np.maximum(status, 0))


def tract_figures(log: EventLog, n_tracts: int) -> dict[str, np.ndarray]:
    """Operations, wrongful detentions and scans of non-targets in each tract of one replicate."""
    kind, tract = log["kind"], log["tract"]
    lawful = _lawful(log)
    return {
        "operations": counts_by(tract[kind == _K["operation"]], size=n_tracts),
        "wrongful": counts_by(tract[(kind == _K["detention"]) & lawful], size=n_tracts),
        "scans_lawful": counts_by(tract[(kind == _K["scan"]) & lawful], size=n_tracts),
    }


def lorenz_mean(data: RunData) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """Mean Lorenz curve of operations over tracts (x, y) and each replicate's Gini."""
    from scrutiny.metrics import gini

    curves, ginis = [], []
    for r, log in enumerate(data.events):
        ops = tract_figures(log, data.n_tracts(r))["operations"]
        curves.append(lorenz_curve(ops))
        ginis.append(gini(ops))
    size = min(len(x) for x, _ in curves)
    x = np.linspace(0, 1, size)
    ys = np.array([np.interp(x, cx, cy) for cx, cy in curves])
    return x, ys.mean(axis=0), ginis


def top_share_over_time(data: RunData) -> np.ndarray:
    """Per replicate (rows) and day (columns): share of operations so far in the top 10% of tracts."""
    n_days = data.scenario.n_days
    rows = []
    for r, log in enumerate(data.events):
        ops = log["kind"] == _K["operation"]
        rows.append(cumulative_top_share(log["day"][ops], log["tract"][ops], n_days=n_days, n_units=data.n_tracts(r)))
    return np.array(rows).reshape(len(rows), n_days)


def group_disparity(data: RunData, *, min_exposed: float = 20.0) -> dict[str, dict[str, np.ndarray]]:
    """Per-group rates and rate ratios against the reference group, one row per replicate.

    Two measures: false matches per scan, and citizens and lawful residents detained per one of
    them scanned. Ratios use a +0.5 continuity correction and ignore groups with fewer than
    ``min_exposed`` scanned (NaN).
    """
    ref = code(GROUPS, REFERENCE_GROUP)
    out = {m: {"events": [], "exposed": [], "ratio": []} for m in ("false_match", "wrongful")}
    fm_code = code(OUTCOMES, "false_match")
    for log in data.events:
        kind, group = log["kind"], log["group"]
        scan = kind == _K["scan"]
        lawful = _lawful(log)
        pairs = {
            "false_match": (counts_by(group[(kind == _K["match"]) & (log["outcome"] == fm_code)], size=len(GROUPS)),
                            counts_by(group[scan], size=len(GROUPS))),
            "wrongful": (counts_by(group[(kind == _K["detention"]) & lawful], size=len(GROUPS)),
                         counts_by(group[scan & lawful], size=len(GROUPS))),
        }
        for m, (ev, ex) in pairs.items():
            out[m]["events"].append(ev)
            out[m]["exposed"].append(ex)
            out[m]["ratio"].append(rate_ratios(ev, ex, reference=ref, min_exposed=min_exposed))
    return {m: {k: np.array(v) for k, v in d.items()} for m, d in out.items()}


def harm_and_legitimate(data: RunData) -> tuple[np.ndarray, np.ndarray]:
    """Per replicate: detentions of citizens and lawful residents, and arrests of removable people."""
    harm, legit = [], []
    for rep in data.replicates:
        by = rep.get("summary", {}).get("detained_by_status", {})
        harm.append(sum(float(by.get(s, math.nan)) for s in LAWFUL_STATUSES))
        legit.append(sum(float(by.get(s, math.nan)) for s in REMOVABLE))
    return np.array(harm), np.array(legit)
