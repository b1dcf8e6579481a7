"""Pure functions for where operations and harm fall.

Counts by unit, Lorenz curves, concentration over time and rate ratios by group.

They take plain NumPy arrays (columns of the event log) and return arrays; the report uses them
for its maps, its Lorenz and runaway charts and its disparity chart.
"""

from __future__ import annotations

import numpy as np

__all__ = ["counts_by", "lorenz_curve", "cumulative_top_share", "rate_ratios"]


def counts_by(index: np.ndarray, *, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Number (or weighted sum) of entries per unit ``0..size-1``; negative indices are ignored.

    Examples:
        >>> counts_by(np.array([0, 2, 2, -1]), size=4).tolist()
        [1.0, 0.0, 2.0, 0.0]
    """
    index = np.asarray(index, dtype=np.int64)
    ok = index >= 0
    w = None if weights is None else np.asarray(weights, dtype=np.float64)[ok]
    return np.bincount(index[ok], weights=w, minlength=size).astype(np.float64)[:size]


def lorenz_curve(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Lorenz curve of non-negative values: units sorted from least to most.

    Returns:
        ``(x, y)``, both of length ``n + 1`` and starting at 0: ``x`` is the cumulative share of
        units and ``y`` the cumulative share of the total they hold. With a zero total, ``y`` is
        the equality line.

    Examples:
        >>> x, y = lorenz_curve(np.array([0.0, 0.0, 0.0, 4.0]))
        >>> x.tolist(), y.tolist()
        ([0.0, 0.25, 0.5, 0.75, 1.0], [0.0, 0.0, 0.0, 0.0, 1.0])
    """
    v = np.sort(np.asarray(values, dtype=np.float64))
    x = np.linspace(0.0, 1.0, v.size + 1)
    total = v.sum()
    if total <= 0:
        return x, x.copy()
    return x, np.concatenate([[0.0], np.cumsum(v) / total])


def cumulative_top_share(
    day: np.ndarray, unit: np.ndarray, *, n_days: int, n_units: int, fraction: float = 0.1
) -> np.ndarray:
    """Share of all events up to each day held by the ``fraction`` of units with most events so far.

    This is the runaway chart's line: it rises when operations keep returning to the same few
    places. The top group is re-ranked every day and counts at least one unit.

    Args:
        day: Day of each event (0..n_days-1).
        unit: Unit (tract or place) of each event (0..n_units-1).
        n_days: Days in the window.
        n_units: Units that could have been chosen (all of them, visited or not).
        fraction: Size of the top group as a share of ``n_units``.

    Returns:
        float64[n_days]; NaN before the first event.

    Examples:
        >>> cumulative_top_share(np.array([0, 1, 1]), np.array([0, 0, 1]), n_days=3, n_units=10).tolist()
        [1.0, 0.6666666666666666, 0.6666666666666666]
    """
    k = max(1, int(np.ceil(fraction * n_units - 1e-9)))
    per_day = np.zeros((n_days, n_units))
    np.add.at(per_day, (np.asarray(day, dtype=np.int64), np.asarray(unit, dtype=np.int64)), 1.0)
    cum = np.cumsum(per_day, axis=0)
    top = -np.sort(-cum, axis=1)[:, :k].sum(axis=1)
    total = cum.sum(axis=1)
    out = np.full(n_days, np.nan)
    np.divide(top, total, out=out, where=total > 0)
    return out


def rate_ratios(
    events: np.ndarray, exposed: np.ndarray, *, reference: int, continuity: float = 0.5, min_exposed: float = 1.0
) -> np.ndarray:
    """Each group's event rate divided by the reference group's, with a continuity correction.

    ``rate_g = (events_g + c) / (exposed_g + c)``; groups with fewer than ``min_exposed`` exposed
    (and every group when the reference has fewer) get NaN. This is the per-group version of
    :func:`scrutiny.metrics.rate_ratio_max`.

    Examples:
        >>> rate_ratios(np.array([1, 4, 0]), np.array([100, 100, 0]), reference=0).round(3).tolist()
        [1.0, 3.0, nan]
    """
    events = np.asarray(events, dtype=np.float64)
    exposed = np.asarray(exposed, dtype=np.float64)
    out = np.full(events.shape, np.nan)
    if exposed[reference] < min_exposed:
        return out
    rate = (events + continuity) / (exposed + continuity)
    ok = exposed >= min_exposed
    out[ok] = rate[ok] / rate[reference]
    return out
