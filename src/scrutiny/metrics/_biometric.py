"""Metrics of the biometric encounter: false matches, citizens scanned and detained, retention.

They cover false matches by group, citizens scanned and detained, the reference group's FPIR by day,
scan records retained, and the people safeguards cleared.

The functions are pure (arrays in, numbers out); :data:`BIOMETRIC_METRICS` registers the metrics
that apply them to one replicate's :class:`~scrutiny.metrics.Context`.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny.codes import DECISION_OUTCOMES, GROUPS, OUTCOMES, code
from scrutiny.metrics._registry import Context, Metric

__all__ = [
    "rate_by_group",
    "count_by_group",
    "records_retained",
    "series_by_day",
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


def _false_match_rate_by_group(c: Context) -> dict[str, float]:
    false_match = c.masks.match & (c.events["outcome"] == code(OUTCOMES, "false_match"))
    group = c.events["group"]
    return rate_by_group(group[false_match], group[c.masks.scan])


def _cleared_by_safeguard(c: Context) -> dict[str, float]:
    decision, outcome = c.kind("decision"), c.events["outcome"]
    return {name: float((decision & (outcome == code(OUTCOMES, name))).sum()) for name in DECISION_OUTCOMES[1:]}


#: The identification metrics, in summary order (``scrutiny.metrics.METRICS`` lists them after the core ones).
BIOMETRIC_METRICS: tuple[Metric, ...] = (
    Metric("false_match_rate_by_group", "False matches per scan, by group", "per scan",
           "Searches whose top candidate was someone else's record, per scan, by demographic group.", "disparity",
           _false_match_rate_by_group, by="group", higher_is_worse=True),
    Metric("citizens_detained_by_group", "Citizens detained, by group", "detentions",
           "Detentions of US citizens (by birth or naturalised), by demographic group.", "disparity",
           lambda c: count_by_group(c.events["group"][c.masks.det & c.masks.citizen]), by="group",
           higher_is_worse=True),
    Metric("scans_of_citizens", "Scans of citizens", "scans", "Biometric captures and searches of US citizens.",
           "collateral", lambda c: float((c.masks.scan & c.masks.citizen).sum()), higher_is_worse=True),
    Metric("scan_records_retained", "Scan records retained", "records",
           "Scan records (everyone scanned, citizens included) still held at the end of the window under "
           "field.retention_days.", "data",
           lambda c: records_retained(c.events["day"][c.masks.scan], n_days=c.n_days, retention_days=c.retention_days),
           higher_is_worse=True),
    Metric("cleared_by_safeguard", "Flagged people cleared, by safeguard", "people",
           "Flagged people not detained because documents were honoured, a reviewer rejected the match, "
           "or a status check cleared them.", "identification", _cleared_by_safeguard, by="safeguard"),
    Metric("fpir_reference_by_day", "FPIR of the reference group, by day", "probability per search",
           "False-positive identification rate of the reference group (white men) at each day's effective "
           "threshold over the searched galleries (daily.csv column fpir_reference); quota pressure "
           "'lower_threshold' raises it.", "identification",
           lambda c: series_by_day(c.daily["fpir_reference"]), requires=("daily.fpir_reference",), by="day",
           bounded=True, higher_is_worse=True),
)
