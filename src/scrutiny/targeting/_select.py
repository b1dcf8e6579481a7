"""Selection policies: which places the teams visit today, in the order they visit them.

Every policy returns a :class:`Selection`: the sites in visiting order and, for each, the
probability that the policy would select that place today (1 for the deterministic policies), which
the feedback correction needs. Ties break by a per-place counter-based uniform, so the order does
not depend on array layout.

* ``dense_first``: highest scores first; a place whose only evidence is one pin below
  ``lone_pin_min_confidence`` is skipped (the reported practice).
* ``warrant_only``: highest named-lead mass first (the caller passes that mass as the score).
* ``random``: eligible places with a positive score, uniformly.
* ``probability_matching`` and ``feedback_corrected``: ``capacity`` places drawn with inclusion
  probabilities proportional to score (:func:`inclusion_probabilities`, capped at 1) by systematic
  sampling, which realises those probabilities exactly; visited in random order.
* ``thompson``: each place's arrests per visit drawn from ``Gamma(k * score + arrests, k + visits)``;
  highest draws first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams

__all__ = ["PlaceScores", "Selection", "eligible_places", "inclusion_probabilities", "select_sites"]


@dataclass(frozen=True, slots=True)
class PlaceScores:
    """What a policy ranks on, per place."""

    score: np.ndarray  # float64[P]
    lead_mass: np.ndarray | None = None  # float64[P], for the lone-pin rule
    lead_count: np.ndarray | None = None  # int[P] active pins, for the lone-pin rule
    arrests: np.ndarray | None = None  # float64[P], thompson
    visits: np.ndarray | None = None  # float64[P], thompson


@dataclass(frozen=True, slots=True)
class Selection:
    """Today's sites in visiting order, with the probability that each was selected."""

    sites: np.ndarray  # int64[K]
    p_visit: np.ndarray  # float64[K]; NaN where the policy has no closed form (thompson)
    p_mean: float  # mean selection probability over today's candidates
    n_candidates: int


def eligible_places(kind: np.ndarray, p: TargetingParams) -> np.ndarray:
    """Return bool[P]: places whose type operations may visit under the scenario's policy.

    ``warrant_only`` visits addresses only (residences).
    """
    excluded = [code(PLACE_TYPES, t) for t in p.excluded_place_types]
    ok = ~np.isin(kind, excluded)
    if p.policy == "warrant_only":
        ok &= kind == code(PLACE_TYPES, "residence")
    return ok


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


def _systematic(pi: np.ndarray, u: float) -> np.ndarray:
    """Indices chosen by systematic sampling, each with probability exactly ``pi_i`` (all ``<= 1``).

    Unit ``i`` is chosen iff ``[cum_{i-1}, cum_i)`` holds one of ``u, u + 1, ...``.
    """
    cum = np.cumsum(pi)
    m = int(round(float(cum[-1]))) if cum.size else 0
    chosen = np.searchsorted(cum, u + np.arange(m), side="right")
    return np.unique(np.minimum(chosen, pi.size - 1))


def _top(key: np.ndarray, tie: Callable[[np.ndarray], np.ndarray], capacity: int) -> np.ndarray:
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
    scores: PlaceScores, eligible: np.ndarray, capacity: int, day: int, p: TargetingParams, streams: Streams
) -> Selection:
    """Return up to ``capacity`` place ids in visiting order, with their selection probabilities.

    Args:
        scores: What the policy ranks on.
        eligible: bool[P] places that may be visited.
        capacity: Maximum number of sites today.
        day: Day index (random sub-key).
        p: Targeting parameters (``policy`` and its options).
        streams: Random streams (``targeting.select``, ``targeting.sample``, ``targeting.thompson``).

    Returns:
        :class:`Selection`.
    """
    score = scores.score
    ok = eligible & (score > 0)
    if p.policy == "thompson":
        ok = eligible & ((score > 0) | (scores.arrests > 0))
    elif p.policy == "dense_first" and scores.lead_count is not None:
        ok &= ~((scores.lead_count == 1) & (scores.lead_mass * 100.0 < p.lone_pin_min_confidence))
    cand = np.flatnonzero(ok)
    if capacity <= 0 or cand.size == 0:
        return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, int(cand.size))
    def tie(pos: np.ndarray) -> np.ndarray:
        return streams.uniform("targeting.select", cand[pos], step=day)

    if p.policy in ("probability_matching", "feedback_corrected"):
        pi = inclusion_probabilities(score[cand], capacity)
        chosen = _systematic(pi, float(streams.generator("targeting.sample", step=day).random()))
        chosen = chosen[np.argsort(tie(chosen), kind="stable")]
        return Selection(cand[chosen], pi[chosen], float(pi.sum() / cand.size), int(cand.size))
    if p.policy == "random":
        key = tie(np.arange(cand.size))
    elif p.policy == "thompson":
        k = p.thompson_prior_visits
        rng = streams.generator("targeting.thompson", step=day)
        key = -rng.gamma(k * score[cand] + scores.arrests[cand], 1.0 / (k + scores.visits[cand]))
    else:  # dense_first, warrant_only
        key = -score[cand]
    order = _top(key, tie, capacity)
    n = cand.size
    if p.policy == "thompson":
        p_visit = np.full(order.size, np.nan)
    else:
        p_visit = np.full(order.size, min(1.0, capacity / n) if p.policy == "random" else 1.0)
    return Selection(cand[order], p_visit, min(1.0, capacity / n), int(n))
