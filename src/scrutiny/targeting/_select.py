"""Selection policies: which places the teams visit today, in the order they visit them."""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams

__all__ = ["eligible_places", "select_sites"]


def eligible_places(kind: np.ndarray, p: TargetingParams) -> np.ndarray:
    """Return bool[P]: places whose type operations may visit under the scenario's policy."""
    excluded = [code(PLACE_TYPES, t) for t in p.excluded_place_types]
    return ~np.isin(kind, excluded)


def select_sites(
    score: np.ndarray,
    eligible: np.ndarray,
    lead_count: np.ndarray,
    lead_mass: np.ndarray,
    capacity: int,
    day: int,
    p: TargetingParams,
    streams: Streams,
) -> np.ndarray:
    """Return up to ``capacity`` place ids in visiting order.

    ``dense_first`` takes the highest scores first and skips a place whose only evidence is one
    lead below ``lone_pin_min_confidence`` (the reported practice). ``random`` takes eligible
    places with a positive score in a uniformly random order. Ties break by a per-place uniform,
    so the order does not depend on array layout.

    Args:
        score: float64[P] place scores.
        eligible: bool[P] places that may be visited.
        lead_count: int[P] active leads per place.
        lead_mass: float64[P] summed lead confidence / 100 per place.
        capacity: Maximum number of sites today.
        day: Day index (random sub-key).
        p: Targeting parameters.
        streams: Random streams (``targeting.select``).

    Returns:
        int64[<= capacity] place ids.
    """
    if capacity <= 0:
        return np.zeros(0, dtype=np.int64)
    ok = eligible & (score > 0)
    if p.policy == "dense_first":
        lone_pin = (lead_count == 1) & (lead_mass * 100.0 < p.lone_pin_min_confidence)
        ok &= ~lone_pin
    candidates = np.flatnonzero(ok)
    if candidates.size == 0:
        return candidates
    tie = streams.uniform("targeting.select", candidates, step=day)
    key = tie if p.policy == "random" else -score[candidates]
    if candidates.size > capacity:
        cut = np.argpartition(key, capacity - 1)[:capacity]
        keep = key <= key[cut].max()  # keep every tie at the boundary, then order and cut
        candidates, key, tie = candidates[keep], key[keep], tie[keep]
    order = np.lexsort((tie, key))[:capacity]
    return candidates[order]
