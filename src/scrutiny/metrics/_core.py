"""Pure metric functions: arrays in, numbers out. No globals; options are keyword-only.

They take plain NumPy arrays (columns of the event log), so they are easy to test on their own and
do not depend on row order.
"""

from __future__ import annotations

import numpy as np

from scrutiny._distance import total_variation

__all__ = [
    "count",
    "per_1000",
    "share",
    "top_share",
    "gini",
    "rate_ratio_max",
    "event_key",
    "days_detained",
    "total_variation",
]


def count(mask: np.ndarray, *, weights: np.ndarray | None = None) -> float:
    """Number (or weighted sum) of true entries.

    Examples:
        >>> count(np.array([True, False, True]))
        2.0
    """
    mask = np.asarray(mask, dtype=bool)
    return float(mask.sum()) if weights is None else float(np.asarray(weights, dtype=np.float64)[mask].sum())


def per_1000(numerator: float, denominator: float) -> float:
    """``1000 * numerator / denominator``; NaN when the denominator is 0.

    Examples:
        >>> per_1000(3, 600)
        5.0
    """
    return 1000.0 * numerator / denominator if denominator > 0 else float("nan")


def share(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` in [0, 1]; NaN when the denominator is 0.

    Examples:
        >>> share(1, 4)
        0.25
    """
    return numerator / denominator if denominator > 0 else float("nan")


def top_share(values: np.ndarray, *, fraction: float = 0.1) -> float:
    """Share of the total held by the top ``fraction`` of units (at least one unit).

    Examples:
        >>> top_share(np.array([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        1.0
        >>> top_share(np.ones(20))
        0.1
    """
    v = np.sort(np.asarray(values, dtype=np.float64))[::-1]
    total = v.sum()
    if v.size == 0 or total <= 0:
        return float("nan")
    k = max(1, int(np.ceil(fraction * v.size - 1e-9)))
    return float(v[:k].sum() / total)


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated).

    Examples:
        >>> gini(np.ones(5))
        0.0
        >>> round(gini(np.array([0, 0, 0, 1.0])), 2)
        0.75
    """
    v = np.sort(np.asarray(values, dtype=np.float64))
    n, total = v.size, v.sum()
    if n == 0 or total <= 0:
        return float("nan")
    cum = np.cumsum(v)
    return float((n + 1 - 2 * (cum.sum() / total)) / n)


def rate_ratio_max(
    events: np.ndarray, exposed: np.ndarray, *, reference: int, min_exposed: float = 1.0
) -> float:
    """Largest rate ratio of any group against the reference group, with a +0.5 continuity correction.

    ``rate_g = (events_g + 0.5) / (exposed_g + 0.5)``; groups with fewer than ``min_exposed`` exposed
    are ignored. NaN when the reference group has fewer than ``min_exposed`` exposed.

    Examples:
        >>> rate_ratio_max(np.array([1, 4]), np.array([100, 100]), reference=0)
        3.0
    """
    events = np.asarray(events, dtype=np.float64)
    exposed = np.asarray(exposed, dtype=np.float64)
    if exposed[reference] < min_exposed:
        return float("nan")
    rate = (events + 0.5) / (exposed + 0.5)
    ok = exposed >= min_exposed
    return float(rate[ok].max() / rate[reference])


def event_key(day: np.ndarray, person: np.ndarray) -> np.ndarray:
    """A unique int64 key per (day, person): a person appears at most once a day."""
    return (np.asarray(day, dtype=np.int64) << 32) | np.asarray(person, dtype=np.int64)


def days_detained(
    det_day: np.ndarray, det_person: np.ndarray, end_day: np.ndarray, end_person: np.ndarray, *, n_days: int
) -> np.ndarray:
    """Days each detention lasted within the simulated window (censored at ``n_days``).

    Each detention ends at the same person's first release or removal after its day, or at the end
    of the window.

    Args:
        det_day: Day of each detention.
        det_person: Person of each detention.
        end_day: Day of each release or removal.
        end_person: Person of each release or removal.
        n_days: Length of the window.

    Returns:
        float64 array aligned with the detentions.

    Examples:
        >>> days_detained(np.array([1, 5]), np.array([7, 7]), np.array([3]), np.array([7]), n_days=10).tolist()
        [2.0, 5.0]
    """
    det_day = np.asarray(det_day, dtype=np.int64)
    det_person = np.asarray(det_person, dtype=np.int64)
    ends = np.sort((np.asarray(end_person, dtype=np.int64) << 16) | np.asarray(end_day, dtype=np.int64))
    pos = np.searchsorted(ends, (det_person << 16) | (det_day + 1), side="left")
    end = np.full(det_day.size, n_days, dtype=np.int64)
    ok = pos < ends.size
    ok[ok] &= (ends[pos[ok]] >> 16) == det_person[ok]
    end[ok] = np.minimum(ends[pos[ok]] & 0xFFFF, n_days)
    return (end - det_day).astype(np.float64)
