"""Distances between distributions, shared by the simulation (the allocation monitor) and the metrics.

It sits in the foundation because the daily loop measures, as it runs, how far operations are from
where removable people are, and the metrics report the same distance: one definition for both.
"""

from __future__ import annotations

import numpy as np

__all__ = ["total_variation"]


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """Total-variation distance between two distributions given as non-negative counts.

    ``0.5 * sum |p_i / sum(p) - q_i / sum(q)|``: the share of one distribution that would have to move
    to match the other (0 = same shape, 1 = disjoint supports). NaN when either total is 0.

    Examples:
        >>> total_variation(np.array([1.0, 1.0]), np.array([5.0, 5.0]))
        0.0
        >>> total_variation(np.array([4.0, 0.0]), np.array([1.0, 1.0]))
        0.5
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    sp, sq = p.sum(), q.sum()
    if sp <= 0 or sq <= 0:
        return float("nan")
    return float(0.5 * np.abs(p / sp - q / sq).sum())
