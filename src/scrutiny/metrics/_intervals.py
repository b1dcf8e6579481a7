"""Intervals across replicates: means with Student-t intervals, and paired differences.

Every interval Scrutiny reports is one of these: the 95% Student-t interval of a mean over
replicates (:func:`mean_interval`, :func:`band` for many columns at once), or of the mean of paired
per-replicate differences between two arms on common random numbers (:func:`paired_difference`).
They live with the metrics so that experiments and the report compute them the same way.

A metric has a range (its :attr:`~scrutiny.metrics.Metric.support`): counts and ratios of counts
are never negative, shares lie in [0, 1]. A plain t interval ignores it: with two replicates of
arrests it can start at -113. So the interval of a metric's mean is the t interval on a scale
that respects the range, mapped back (the delta method): the log scale for a quantity in
[0, inf), the logit scale for a share in [0, 1]. The standard error on that scale is the standard
error of the mean divided by ``mean`` (log) or by ``mean * (1 - mean)`` (logit). When replicates
agree closely the result is the ordinary t interval to within a fraction of its width; when they
do not, it stays inside the range and stretches on the open side instead. A mean on the edge of
the range (every replicate 0, or every share 1) has no spread and the interval is that point.
Differences between arms can have either sign and keep the plain t interval.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

__all__ = ["band", "mean_interval", "aggregate", "intervals", "paired_difference", "support_of", "UNBOUNDED",
           "NON_NEGATIVE", "UNIT"]

#: Ranges of values: any number, counts and ratios of counts, shares.
UNBOUNDED: tuple[float, float] = (-math.inf, math.inf)
NON_NEGATIVE: tuple[float, float] = (0.0, math.inf)
UNIT: tuple[float, float] = (0.0, 1.0)


def _on_scale(mean: np.ndarray, half: np.ndarray, support: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """``(lo, hi)`` of the t interval ``mean +- half`` taken on the scale that respects ``support``.

    ``half`` is ``t * se`` on the natural scale; the delta method divides it by the scale's slope
    at the mean (``mean`` for the log scale, ``mean * (1 - mean)`` for the logit scale).
    """
    lo_b, hi_b = support
    lo, hi = mean - half, mean + half
    if lo_b == -math.inf and hi_b == math.inf:
        return lo, hi
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if hi_b == math.inf:  # [lo_b, inf): log scale, shifted to the bound
            x = mean - lo_b
            k = np.exp(half / x)
            t_lo, t_hi = lo_b + x / k, lo_b + x * k
        else:  # [lo_b, hi_b]: logit scale of the position within the range
            w = hi_b - lo_b
            p = (mean - lo_b) / w
            z, s = np.log(p / (1.0 - p)), half / (w * p * (1.0 - p))
            t_lo = lo_b + w / (1.0 + np.exp(-(z - s)))
            t_hi = lo_b + w / (1.0 + np.exp(-(z + s)))
        inside = (mean > lo_b) & (mean < hi_b) & (half > 0)  # NaN half (one replicate) stays NaN below
        lo = np.where(inside, t_lo, np.clip(lo, lo_b, hi_b))  # no spread, or at the bound: the point itself
        hi = np.where(inside, t_hi, np.clip(hi, lo_b, hi_b))
    return lo, hi


def band(matrix: np.ndarray, *, level: float = 0.95,
         support: tuple[float, float] = UNBOUNDED) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean over rows (replicates) of each column, with a Student-t interval (NaN-aware).

    Args:
        matrix: float64[replicates, columns].
        level: Confidence level.
        support: The range the values lie in; the interval is computed on a scale that keeps it
            inside (log for ``(0, inf)``, logit for ``(0, 1)``; see the module docstring).

    Returns:
        ``(mean, lo, hi)``; with a single replicate ``lo`` and ``hi`` are NaN.

    Examples:
        >>> m, lo, hi = band(np.array([[1.0, 2.0], [3.0, 2.0]]))
        >>> m.tolist(), bool(lo[0] < 1.0), float(hi[1])
        ([2.0, 2.0], True, 2.0)
        >>> _, lo, hi = band(np.array([[100.0], [300.0]]), support=NON_NEGATIVE)
        >>> bool(0 < lo[0] < 100), bool(hi[0] > 300)
        (True, True)
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
    lo, hi = _on_scale(mean, half, support)
    return mean, lo, hi


def mean_interval(values: np.ndarray, *, level: float = 0.95,
                  support: tuple[float, float] = UNBOUNDED) -> dict[str, float]:
    """Mean of replicate values with a Student-t confidence interval for the mean.

    NaN replicates (a ratio with an empty denominator) are left out; ``n`` says how many counted.

    Args:
        values: One value per replicate.
        level: Confidence level.
        support: The range the values lie in (:data:`NON_NEGATIVE` for counts, :data:`UNIT` for
            shares); the interval then stays inside it (see the module docstring).

    Examples:
        >>> r = mean_interval(np.array([1.0, 2.0, 3.0]))
        >>> r["mean"], round(r["lo"], 3), round(r["hi"], 3)
        (2.0, -0.484, 4.484)
        >>> r = mean_interval(np.array([1.0, 2.0, 3.0]), support=NON_NEGATIVE)
        >>> round(r["lo"], 3), round(r["hi"], 3)
        (0.578, 6.926)
    """
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"mean": math.nan, "lo": math.nan, "hi": math.nan, "n": 0}
    mean, lo, hi = (float(x[0]) for x in band(v[:, None], level=level, support=support))
    return {"mean": mean, "lo": lo, "hi": hi, "n": int(v.size)}


def support_of(name: str) -> tuple[float, float]:
    """The range of metric ``name``'s values (:attr:`Metric.support`); any number for a name not registered.

    Examples:
        >>> support_of("arrests"), support_of("ppv_flagged"), support_of("not_a_metric")
        ((0.0, inf), (0.0, 1.0), (-inf, inf))
    """
    from scrutiny.metrics._summary import METRICS  # the registry imports this module's package

    metric = METRICS.get(name)
    return metric.support if metric is not None else UNBOUNDED


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

    Each registered metric's interval stays inside its range (:func:`support_of`). Nested metrics
    (``{key: number}``) give ``{key: {mean, lo, hi, n}}``.

    Examples:
        >>> intervals([{"a": 1.0, "b": {"x": 2.0}}])["b"]["x"]["n"]
        1
    """
    out: dict[str, Any] = {}
    for key, first in summaries[0].items():
        support = support_of(key)
        if isinstance(first, dict):
            out[key] = {k: mean_interval(np.array([s[key][k] for s in summaries], dtype=float), level=level,
                                         support=support) for k in first}
        else:
            out[key] = mean_interval(np.array([s[key] for s in summaries], dtype=float), level=level,
                                     support=support)
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
