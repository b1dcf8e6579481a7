"""Choosing today's sites: candidates, inclusion probabilities, systematic sampling and exact top-k.

Every policy (:mod:`scrutiny.targeting._policies`) returns a :class:`Selection`: the sites in
visiting order and, for each, the probability that the policy would select that place today (1 for
the deterministic policies), which the feedback correction needs. Ties break by a per-place
counter-based uniform, so the order does not depend on array layout. This module holds the
mechanics the policies share: :func:`inclusion_probabilities`, :func:`systematic` (PPS sampling
that realises those probabilities exactly) and :func:`top_k`.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.targeting._base import Among, PlaceScores, Selection, SelectionPolicy, make_policy
from scrutiny.targeting._ranking import inclusion_probabilities, systematic, top_k

__all__ = ["PlaceScores", "Selection", "eligible_places", "inclusion_probabilities", "select_sites", "systematic",
           "top_k"]


def eligible_places(kind: np.ndarray, p: TargetingParams) -> np.ndarray:
    """Return bool[P]: places whose type operations may visit under the scenario's policy.

    ``targeting.excluded_place_types`` are never visited; a policy may restrict further
    (``warrant_only`` visits addresses only).
    """
    excluded = [code(PLACE_TYPES, t) for t in p.excluded_place_types]
    return ~np.isin(kind, excluded) & make_policy(p).eligible(kind)


def select_sites(
    scores: PlaceScores, eligible: np.ndarray, capacity: int, day: int, p: TargetingParams, streams: Streams,
    *, policy: SelectionPolicy | None = None, among: Among | None = None,
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
        among: The places ``eligible`` marks, when the caller already holds them (then only these
            places are looked at; ``eligible`` is not read).

    Returns:
        :class:`Selection`.
    """
    policy = make_policy(p) if policy is None else policy
    if among is not None:
        cand = policy.candidates_among(scores, among)
    else:
        cand = np.flatnonzero(policy.candidates(scores, eligible))
    if capacity <= 0 or cand.size == 0:
        return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, int(cand.size))
    return policy.order(scores, cand, capacity, day, streams)
