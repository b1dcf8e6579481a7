"""Ranking mechanics the selection policies share: inclusion probabilities, systematic sampling, exact top-k."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scrutiny._sets import unique

__all__ = ["inclusion_probabilities", "systematic", "top_k"]


def inclusion_probabilities(weight: np.ndarray, k: int) -> np.ndarray:
    """Inclusion probabilities proportional to ``weight`` for a sample of ``k``.

    ``min(1, c * w)`` with ``c`` chosen so that they sum to ``min(k, n)``.

    Examples:
        >>> inclusion_probabilities(np.array([1.0, 1.0, 2.0]), 2).tolist()
        [0.5, 0.5, 1.0]
        >>> inclusion_probabilities(np.array([8.0, 1.0, 1.0]), 2).tolist()
        [1.0, 0.5, 0.5]
    """
    w = np.asarray(weight, dtype=np.float64)
    if k >= w.size:
        return np.ones(w.size)
    certain = np.zeros(w.size, dtype=bool)
    while True:
        c = (k - certain.sum()) / w[~certain].sum()
        more = ~certain & (w * c >= 1.0)
        if not more.any():
            return np.where(certain, 1.0, w * c)
        certain |= more


def systematic(pi: np.ndarray, u: float) -> np.ndarray:
    """Indices chosen by systematic sampling, each with probability exactly ``pi_i`` (all ``<= 1``).

    Unit ``i`` is chosen iff ``[cum_{i-1}, cum_i)`` holds one of ``u, u + 1, ...``.
    """
    cum = np.cumsum(pi)
    m = int(round(float(cum[-1]))) if cum.size else 0
    chosen = np.searchsorted(cum, u + np.arange(m), side="right")
    return unique(np.minimum(chosen, pi.size - 1))


def top_k(key: np.ndarray, tie: Callable[[np.ndarray], np.ndarray], capacity: int) -> np.ndarray:
    """Positions of the ``capacity`` smallest keys, in order, ties broken by ``tie(positions)``.

    The tie-breaking uniforms are drawn only for the keys that can make the cut (counter-based, so
    the result is the same as drawing them for every key).
    """
    if key.size > capacity:
        keep = _at_or_below_kth(key, capacity)  # every tie at the boundary: order, cut
    else:
        keep = np.arange(key.size)
    return keep[np.lexsort((tie(keep), key[keep]))[:capacity]]


def _at_or_below_kth(key: np.ndarray, k: int, block: int = 256) -> np.ndarray:
    """Positions (ascending) of every key at or below the ``k``-th smallest (``1 <= k < key.size``).

    ``np.flatnonzero(key <= _kth_smallest(key, k))`` without its second comparison of every key: the
    keys at or below the k-th smallest all lie at or below the block bound of :func:`_kth_smallest`.

    Examples:
        >>> _at_or_below_kth(np.array([5.0, 1.0, 4.0, 1.0, 3.0]), 3, block=2).tolist()
        [1, 3, 4]
    """
    starts = np.arange(0, key.size, block)
    if starts.size > k:
        pos = np.flatnonzero(key <= np.partition(np.minimum.reduceat(key, starts), k - 1)[k - 1])
        sub = key[pos]
    else:
        pos, sub = np.arange(key.size), key
    return pos[sub <= np.partition(sub, k - 1)[k - 1]]


def _kth_smallest(key: np.ndarray, k: int, block: int = 256) -> float:
    """The ``k``-th smallest value of ``key`` (``k >= 1``), exactly, without partitioning all of it.

    The ``k``-th smallest of the block minima bounds it from above (at least ``k`` values lie at or
    below it), so only the values at or below that bound need partitioning.

    Examples:
        >>> _kth_smallest(np.array([5.0, 1.0, 4.0, 1.0, 3.0]), 3, block=2)
        3.0
    """
    starts = np.arange(0, key.size, block)
    if starts.size > k:
        bound = np.partition(np.minimum.reduceat(key, starts), k - 1)[k - 1]
        key = key[key <= bound]
    return float(np.partition(key, k - 1)[k - 1])
