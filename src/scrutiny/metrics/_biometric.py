"""Metrics of the biometric encounter: false matches, citizens scanned and detained, retention.

They cover false matches by group, citizens scanned and detained, the effective FPIR over time,
scan records retained, and the people safeguards cleared.

The functions are pure (arrays in, numbers out); :func:`biometric_summary` applies them to one
replicate's event log and :data:`BIOMETRIC_METRICS` registers them with the summary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from scrutiny.codes import (
    CITIZEN_STATUSES,
    DECISION_OUTCOMES,
    EVENT_KINDS,
    GROUPS,
    OUTCOMES,
    STATUSES,
    code,
)
from scrutiny.events import EventLog

__all__ = [
    "rate_by_group",
    "count_by_group",
    "records_retained",
    "series_by_day",
    "biometric_summary",
    "BIOMETRIC_METRICS",
]


def rate_by_group(events_group: np.ndarray, exposed_group: np.ndarray, *, names: tuple[str, ...] = GROUPS
                  ) -> dict[str, float]:
    """Events per exposure in each group (NaN where a group has no exposure).

    Args:
        events_group: Group code of each event (e.g. each false match).
        exposed_group: Group code of each exposure (e.g. each scan).
        names: Group names, in code order.

    Examples:
        >>> r = rate_by_group(np.array([0, 1, 1]), np.array([0, 0, 1, 1, 1, 1]), names=("a", "b", "c"))
        >>> r["a"], r["b"], r["c"]
        (0.5, 0.5, nan)
    """
    events = np.bincount(np.asarray(events_group, dtype=np.int64), minlength=len(names))
    exposed = np.bincount(np.asarray(exposed_group, dtype=np.int64), minlength=len(names))
    return {n: (float(e / x) if x > 0 else math.nan) for n, e, x in zip(names, events, exposed, strict=True)}


def count_by_group(group: np.ndarray, *, names: tuple[str, ...] = GROUPS) -> dict[str, float]:
    """Number of events in each group.

    Examples:
        >>> count_by_group(np.array([1, 1]), names=("a", "b"))
        {'a': 0.0, 'b': 2.0}
    """
    counts = np.bincount(np.asarray(group, dtype=np.int64), minlength=len(names))
    return {n: float(c) for n, c in zip(names, counts, strict=True)}


def records_retained(scan_day: np.ndarray, *, n_days: int, retention_days: float) -> float:
    """Scan records still held at the end of the window: scans made within ``retention_days`` of its end.

    A scan on day ``d`` is held until day ``d + retention_days``; the window ends at day ``n_days``.

    Examples:
        >>> records_retained(np.array([0, 50, 80, 89]), n_days=90, retention_days=30)
        2.0
        >>> records_retained(np.array([0, 50, 80, 89]), n_days=90, retention_days=5475)
        4.0
    """
    day = np.asarray(scan_day, dtype=np.float64)
    return float((day + retention_days >= n_days).sum())


def series_by_day(values: np.ndarray) -> dict[str, float]:
    """A per-day series as ``{"0": v0, "1": v1, ...}`` (a nested summary metric keyed by day).

    Examples:
        >>> series_by_day(np.array([0.5, 0.25]))
        {'0': 0.5, '1': 0.25}
    """
    return {str(t): float(v) for t, v in enumerate(np.asarray(values, dtype=np.float64))}


_K = {k: i for i, k in enumerate(EVENT_KINDS)}


def biometric_summary(
    events: EventLog, *, n_days: int, retention_days: float = math.inf, daily: Mapping[str, np.ndarray] | None = None
) -> dict:
    """The biometric metrics of one replicate (see :data:`BIOMETRIC_METRICS`)."""
    kind, status, group = events["kind"], events["status"], events["group"]
    scan = kind == _K["scan"]
    det = kind == _K["detention"]
    decision = kind == _K["decision"]
    false_match = (kind == _K["match"]) & (events["outcome"] == code(OUTCOMES, "false_match"))
    citizen = np.isin(status, [code(STATUSES, s) for s in CITIZEN_STATUSES])
    cleared = {name: float((decision & (events["outcome"] == code(OUTCOMES, name))).sum())
               for name in DECISION_OUTCOMES[1:]}
    out: dict = {
        "false_match_rate_by_group": rate_by_group(group[false_match], group[scan]),
        "citizens_detained_by_group": count_by_group(group[det & citizen]),
        "scans_of_citizens": float((scan & citizen).sum()),
        "scan_records_retained": records_retained(events["day"][scan], n_days=n_days, retention_days=retention_days),
        "cleared_by_safeguard": cleared,
    }
    if daily is not None and "fpir_reference" in daily:
        out["effective_fpir_by_day"] = series_by_day(daily["fpir_reference"])
    return out


#: Registry entries of the biometric metrics, as ``Metric`` keyword arguments (the summary turns
#: them into ``scrutiny.metrics.METRICS`` entries).
BIOMETRIC_METRICS: dict[str, dict] = {
    "false_match_rate_by_group": dict(
        label="False matches per scan, by group", unit="per scan",
        description="Searches whose top candidate was someone else's record, per scan, by demographic group.",
        higher_is_worse=True),
    "citizens_detained_by_group": dict(
        label="Citizens detained, by group", unit="detentions",
        description="Detentions of US citizens (by birth or naturalised), by demographic group.", higher_is_worse=True),
    "scans_of_citizens": dict(
        label="Scans of citizens", unit="scans", description="Biometric captures and searches of US citizens.",
        higher_is_worse=True),
    "scan_records_retained": dict(
        label="Scan records retained", unit="records",
        description="Scan records (everyone scanned, citizens included) still held at the end of the window under "
        "field.retention_days.", higher_is_worse=True),
    "effective_fpir_by_day": dict(
        label="Effective FPIR by day", unit="probability per search",
        description="FPIR of the reference group (white men) at each day's threshold over the searched galleries; "
        "quota pressure 'lower_threshold' raises it.", higher_is_worse=True),
    "cleared_by_safeguard": dict(
        label="Flagged people cleared, by safeguard", unit="people",
        description="Flagged people not detained because documents were honoured, a reviewer rejected the match, "
        "or a status check cleared them.", higher_is_worse=None),
}
