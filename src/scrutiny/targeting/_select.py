"""Choosing today's sites: candidates, inclusion probabilities, systematic sampling and exact top-k.

Every policy (:mod:`scrutiny.targeting._policies`) returns a :class:`Selection`: the sites in
visiting order and, for each, the probability that the policy would select that place today (1 for
the deterministic policies), which the feedback correction needs. Ties break by a per-place
counter-based uniform, so the order does not depend on array layout. This module holds the
mechanics the policies share: :func:`inclusion_probabilities`, :func:`systematic` (PPS sampling
that realises those probabilities exactly) and :func:`top_k`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.targeting._base import PlaceScores, Selection, SelectionPolicy, make_policy

__all__ = ["PlaceScores", "Selection", "eligible_places", "inclusion_probabilities", "select_sites", "systematic",
           "top_k"]


def eligible_places(kind: np.ndarray, p: TargetingParams) -> np.ndarray:
    """Return bool[P]: places whose type operations may visit under the scenario's policy.

    ``targeting.excluded_place_types`` are never visited; a policy may restrict further
    (``warrant_only`` visits addresses only).
    """
    excluded = [code(PLACE_TYPES, t) for t in p.excluded_place_types]
    return ~np.isin(kind, excluded) & make_policy(p).eligible(kind)


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
    return np.unique(np.minimum(chosen, pi.size - 1))


def top_k(key: np.ndarray, tie: Callable[[np.ndarray], np.ndarray], capacity: int) -> np.ndarray:
    """Positions of the ``capacity`` smallest keys, in order, ties broken by ``tie(positions)``.

    The tie-breaking uniforms are drawn only for the keys that can make the cut (counter-based, so
    the result is the same as drawing them for every key).
    """
    keep = np.arange(key.size)
    if key.size > capacity:
        keep = np.flatnonzero(key <= _kth_smallest(key, capacity))  # every tie at the boundary: order, cut
    return keep[np.lexsort((tie(keep), key[keep]))[:capacity]]


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


def select_sites(
    scores: PlaceScores, eligible: np.ndarray, capacity: int, day: int, p: TargetingParams, streams: Streams,
    *, policy: SelectionPolicy | None = None,
) -> Selection:
    """Return up to ``capacity`` place ids in visiting order, with their selection probabilities.

    Args:
        scores: What the policy ranks on.
        eligible: bool[P] places that may be visited.
        capacity: Maximum number of sites today.
        day: Day index (random sub-key).
        p: Targeting parameters (``policy`` and its options).
        streams: Random streams (``targeting.select``, ``targeting.sample``, ``targeting.thompson``).
        policy: The policy object, when the caller already holds one (default: built from ``p``).

    Returns:
        :class:`Selection`.
    """
    policy = make_policy(p) if policy is None else policy
    cand = np.flatnonzero(policy.candidates(scores, eligible))
    if capacity <= 0 or cand.size == 0:
        return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, int(cand.size))
    return policy.order(scores, cand, capacity, day, streams)
