"""Intervals across replicates: means with Student-t intervals, and paired differences.

Every interval Scrutiny reports is one of these: the 95% Student-t interval of a mean over
replicates (:func:`mean_interval`, :func:`band` for many columns at once), or of the mean of paired
per-replicate differences between two arms on common random numbers (:func:`paired_difference`).
They live with the metrics so that experiments and the report compute them the same way.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

__all__ = ["band", "mean_interval", "aggregate", "intervals", "paired_difference"]


def band(matrix: np.ndarray, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over rows (replicates) of each column, with a Student-t interval (NaN-aware).

    Returns:
        ``(mean, lo, hi)``; with a single replicate ``lo`` and ``hi`` are NaN.

    Examples:
        >>> m, lo, hi = band(np.array([[1.0, 2.0], [3.0, 2.0]]))
        >>> m.tolist(), bool(lo[0] < 1.0), float(hi[1])
        ([2.0, 2.0], True, 2.0)
    """
    from scipy import stats  # here, not at the top: scipy.stats takes most of a second to import

    a = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
    n = np.sum(np.isfinite(a), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(np.where(n > 0, a, 0.0), axis=0) if a.size else np.zeros(a.shape[1])
        mean = np.where(n > 0, mean, np.nan)
        sd = np.nanstd(a, axis=0, ddof=1) if a.shape[0] > 1 else np.full(a.shape[1], np.nan)
        t = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
        half = np.where(n > 1, t * sd / np.sqrt(np.maximum(n, 1)), np.nan)
    return mean, mean - half, mean + half


def mean_interval(values: np.ndarray, *, level: float = 0.95) -> dict[str, float]:
    """Mean of replicate values with a Student-t confidence interval for the mean.

    NaN replicates (a ratio with an empty denominator) are left out; ``n`` says how many counted.

    Examples:
        >>> r = mean_interval(np.array([1.0, 2.0, 3.0]))
        >>> r["mean"], round(r["lo"], 3), round(r["hi"], 3)
        (2.0, -0.484, 4.484)
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    mean, lo, hi = (float(x[0]) for x in band(v[:, None], level=level))
    return {"mean": mean, "lo": lo, "hi": hi, "n": int(v.size)}


def aggregate(summaries: list[dict], *, level: float = 0.95) -> dict:
    """Combine per-replicate summaries: a number when there is one replicate, else mean and interval.

    Nested dicts (``detained_by_status``) are aggregated key by key.

    Examples:
        >>> aggregate([{"a": 1.0}])
        {'a': 1.0}
        >>> aggregate([{"a": 1.0}, {"a": 3.0}])["a"]["mean"]
        2.0
    """
    if len(summaries) == 1:
        return summaries[0]
    return intervals(summaries, level=level)


def intervals(summaries: list[dict], *, level: float = 0.95) -> dict[str, Any]:
    """Mean and interval of every metric over replicates, always as ``{mean, lo, hi, n}``.

    Nested metrics (``{key: number}``) give ``{key: {mean, lo, hi, n}}``.

    Examples:
        >>> intervals([{"a": 1.0, "b": {"x": 2.0}}])["b"]["x"]["n"]
        1
    """
    out: dict[str, Any] = {}
    for key, first in summaries[0].items():
        if isinstance(first, dict):
            out[key] = {
                k: mean_interval(np.array([s[key][k] for s in summaries], dtype=float), level=level) for k in first
            }
        else:
            out[key] = mean_interval(np.array([s[key] for s in summaries], dtype=float), level=level)
    return out


def paired_difference(arm: np.ndarray, base: np.ndarray, *, level: float = 0.95) -> dict[str, float]:
    """Mean and interval of the per-replicate differences ``arm - base`` (same replicate index).

    A replicate where both values are equal, including both undefined (NaN), contributes exactly
    0; one where only one side is undefined is left out (``n`` counts the pairs used).

    Examples:
        >>> paired_difference(np.array([3.0, 5.0, np.nan]), np.array([1.0, 2.0, 4.0]))["mean"]
        2.5
    """
    a, b = np.asarray(arm, dtype=np.float64), np.asarray(base, dtype=np.float64)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    return mean_interval(np.where(same, 0.0, a - b), level=level)
