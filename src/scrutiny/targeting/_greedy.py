"""Greedy selection that scores only the places whose score can have moved since the run began.

Most places never hold a pin, a sighting, feedback or an event-day prior: their score is
``prior_weight * prior`` every day, and whether they are candidates never changes. For a policy
that ranks by the base score and orders greedily (``dense_first``), the day's choice is therefore
fixed by

* the *dynamic* places (an active pin, a sighting, feedback, or a protest site), scored afresh each
  day exactly as :func:`scrutiny.targeting.score_places` would score them, and
* the best static candidates outside that set, ranked once at setup (:class:`StaticRanking`): if
  ``k`` sites are wanted, no static place below the ``k``-th best static place outside the dynamic
  set can make the cut, so only those at or above it (ties included) are looked at.

:func:`greedy_among` returns the same :class:`Selection` as ``policy.order`` over every candidate, to
the bit (same sites, same order, same counts): the ``k``-th smallest key over the places looked at is
the ``k``-th smallest over all candidates, every candidate at or below it is looked at, and ties
break by the same per-place uniforms in the same (ascending id) order. The daily cost follows the
dynamic places, not every place (tests/unit/targeting/test_greedy.py checks the equality on random
books; the regression baseline checks whole runs). Where it can, :mod:`._bounds` goes further and
passes only the dynamic places that can reach the day's cut, with the count of candidates.
"""

from __future__ import annotations

import numpy as np

from scrutiny.rng import Streams
from scrutiny.targeting._base import PlaceScores, Selection, SelectionPolicy
from scrutiny.targeting._ranking import _kth_smallest

__all__ = ["StaticRanking", "greedy_among", "ranks_greedily", "static_scores"]


def ranks_greedily(policy: SelectionPolicy) -> bool:
    """Whether ``policy`` scores and orders as the base class does (then :func:`greedy_among` applies).

    Its :meth:`~SelectionPolicy.candidates` may differ (``dense_first`` skips lone weak pins): the
    protocol requires that it depend on a place's own scores only.
    """
    cls = type(policy)
    return cls.scores is SelectionPolicy.scores and cls.order is SelectionPolicy.order


def static_scores(
    policy: SelectionPolicy, prior: np.ndarray, dynamic_always: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(bool[P], float64[P]): which places are candidates on the prior alone, and that score.

    The score is what :func:`scrutiny.targeting.score_places` gives a place with no pin and no
    feedback (``prior * prior_weight``); ``dynamic_always`` (protest sites, whose prior changes by
    day) are never static.
    """
    n = prior.size
    value = prior * policy.targeting.prior_weight
    member = policy.candidates(PlaceScores(score=value, lead_mass=np.zeros(n), lead_count=np.zeros(n, np.int32)),
                               np.ones(n, dtype=bool))
    member[dynamic_always] = False
    return member, value


class StaticRanking:
    """The static candidates among some places, best first: places whose score is the prior alone.

    Args:
        member: bool[P], the static candidates of every set (:func:`static_scores`).
        value: float64[P], their static scores.
        among: int64 ascending ids of the places of this set (eligible places of one type, say).
    """

    def __init__(self, member: np.ndarray, value: np.ndarray, among: np.ndarray) -> None:
        ids = np.asarray(among, np.int64)
        ids = ids[member[ids]]
        neg = -value[ids]
        order = np.lexsort((ids, neg))  # best first; ids ascending within a value
        self.ids = ids[order].astype(np.int32 if value.size < 2**31 else np.int64)
        self.neg = neg[order]  # minus the static score, ascending (best first)
        self.member = member
        self.size = int(ids.size)

    def best_outside(self, dynamic: np.ndarray, k: int) -> np.ndarray:
        """Positions (into ``ids``) of the static candidates not in ``dynamic`` that could be among the best ``k``.

        Those whose value is at least the ``k``-th best value outside ``dynamic`` (bool[P]), ties
        included; all of them where fewer than ``k`` lie outside.
        """
        c = 2 * k + 64
        while True:
            head = min(c, self.size)
            outside = np.flatnonzero(~dynamic[self.ids[:head]])
            if outside.size >= k or head == self.size:
                break
            c *= 4
        if outside.size < k:
            return outside
        cut = int(np.searchsorted(self.neg, self.neg[outside[k - 1]], side="right"))
        pos = np.arange(cut)
        return pos[~dynamic[self.ids[:cut]]]


def greedy_among(
    static: StaticRanking, ids: np.ndarray, score: np.ndarray, ok: np.ndarray, dynamic: np.ndarray,
    capacity: int, day: int, streams: Streams, n_candidates: int | None = None, best_static: np.ndarray | None = None,
) -> Selection:
    """The greedy selection over one set of places, looking at dynamic places and the best static ones.

    Args:
        static: The set's static candidates.
        ids: int64 ascending ids of the set's dynamic places.
        score: Their scores today.
        ok: Whether each is a candidate today (the policy's ``candidates`` rule).
        dynamic: bool[P], true at every dynamic place.
        capacity: Sites wanted.
        day: Day index (tie-breaking uniforms).
        streams: The replicate's random streams.
        n_candidates: The set's candidates, where the caller counted them (then ``ids`` may hold only
            the dynamic places that can reach the cut, with every one that does: :mod:`._bounds`).
        best_static: ``static.best_outside(dynamic, capacity)``, where the caller has it.

    Returns:
        What ``policy.order`` returns over every candidate of the set.
    """
    n_dyn = int(np.count_nonzero(ok))
    n = static.size - int(np.count_nonzero(static.member[ids])) + n_dyn if n_candidates is None else n_candidates
    if capacity <= 0 or n == 0:
        return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, n)
    pos = static.best_outside(dynamic, capacity) if best_static is None else best_static
    if n_dyn + pos.size > capacity:
        # the capacity-th smallest key over both, found before gathering: every other place is left out
        key = np.empty(ids.size + pos.size)  # minus the score; a place that is no candidate never makes it
        np.negative(score, out=key[: ids.size])
        key[np.flatnonzero(~ok)] = np.inf  # a scatter: np.where or a masked ufunc is 5-8x slower on a random mask
        key[ids.size :] = static.neg[pos]
        cut = _kth_smallest(key, capacity)  # finite: more than capacity keys are
        at = np.flatnonzero(key[: ids.size] <= cut)  # then gathers: boolean indexing of middling density is slow
        pos = pos[static.neg[pos] <= cut]
    else:
        at = np.flatnonzero(ok)
    look = np.concatenate([ids[at], static.ids[pos]])
    key = np.concatenate([-score[at], static.neg[pos]])
    by_id = np.argsort(look, kind="stable")
    look, key = look[by_id], key[by_id]
    sites = look[np.lexsort((streams.uniform("targeting.select", look, step=day), key))[:capacity]]
    return Selection(sites, np.full(sites.size, 1.0), min(1.0, capacity / n), n,
                     p_min=1.0 if capacity >= n else 0.0)
