"""The site mix: how the day's capacity divides between kinds of place.

Enforcement does not only knock on doors: worksite operations (day-labour sites, farms, car washes),
arrests at immigration-court hearings and operations near churches and protests are reported since
the sensitive-locations policy was rescinded (January 2025). ``targeting.site_mix`` gives the share
of the day's sites each place type receives (no published breakdown exists: an assumption and a
sensitivity input); the selection policy then ranks places within each type. The counts are
rounded by systematic sampling on one uniform a day (stream ``targeting.mix``), so every type gets
its share on average over days, not only when the capacity is large. Capacity a type cannot use
(no candidate place today, or a type excluded by ``targeting.excluded_place_types``) goes to
residences. An empty mix leaves one ranking over every place.
"""

from __future__ import annotations

import numpy as np

__all__ = ["split_capacity"]


def split_capacity(capacity: int, shares: np.ndarray, u: float) -> np.ndarray:
    """Integer sites per place type summing to ``capacity``, each ``capacity * share`` on average.

    Args:
        capacity: Sites today.
        shares: float64[T] shares over place types (summing to 1).
        u: A uniform in [0, 1) (one per day).

    Examples:
        >>> split_capacity(4, np.array([0.75, 0.125, 0.125]), 0.3).tolist()
        [3, 1, 0]
        >>> int(split_capacity(10, np.array([0.5, 0.3, 0.2]), 0.9).sum())
        10
    """
    want = capacity * np.asarray(shares, dtype=np.float64)
    base = np.floor(want + 1e-12).astype(np.int64)
    frac = want - base
    extra = capacity - int(base.sum())
    if extra > 0:
        cum = np.cumsum(frac)
        points = u + np.arange(extra)
        picked = np.minimum(np.searchsorted(cum, points, side="right"), frac.size - 1)
        np.add.at(base, picked, 1)
    return base
