"""Intervals across replicates."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["mean_interval", "aggregate"]


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
    mean = float(v.mean())
    if v.size == 1:
        return {"mean": mean, "lo": math.nan, "hi": math.nan, "n": 1}
    half = float(stats.t.ppf(0.5 + level / 2, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return {"mean": mean, "lo": mean - half, "hi": mean + half, "n": int(v.size)}


def aggregate(summaries: list[dict], *, level: float = 0.95) -> dict:
    """Combine per-replicate summaries: a number when there is one replicate, else mean and interval.

    Nested dicts (``detained_by_status``) are aggregated key by key.
    """
    if len(summaries) == 1:
        return summaries[0]
    out: dict = {}
    for key, first in summaries[0].items():
        if isinstance(first, dict):
            out[key] = {k: mean_interval(np.array([s[key][k] for s in summaries]), level=level) for k in first}
        else:
            out[key] = mean_interval(np.array([s[key] for s in summaries]), level=level)
    return out
