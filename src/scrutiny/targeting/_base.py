"""The selection-policy protocol: what a policy ranks on, chooses, orders, and learns from an arrest.

A policy is a class registered in :data:`scrutiny.scenario.SELECTION_POLICIES` (its parameter block is
registered there too). :func:`select_sites` calls, in order, :meth:`SelectionPolicy.candidates` and
:meth:`SelectionPolicy.order`; :class:`scrutiny.targeting.Targeter` calls :meth:`SelectionPolicy.scores`
before and :meth:`SelectionPolicy.feedback` after the day's operations. The defaults are the
greedy, uncorrected behaviour; a policy overrides what it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scrutiny.rng import Streams
from scrutiny.scenario import SELECTION_POLICIES, ComponentParams, TargetingParams
from scrutiny.targeting._ranking import top_k

__all__ = ["Among", "PlaceScores", "Selection", "SelectionPolicy", "TargetingState", "make_policy"]


@dataclass(frozen=True, slots=True)
class PlaceScores:
    """What a policy ranks on, per place."""

    score: np.ndarray  # float64[P]
    lead_mass: np.ndarray | None = None  # float64[P], for the lone-pin rule
    lead_count: np.ndarray | None = None  # int[P] active pins, for the lone-pin rule
    arrests: np.ndarray | None = None  # float64[P], thompson
    visits: np.ndarray | None = None  # float64[P], thompson

    def take(self, among: Among) -> PlaceScores:
        """The same scores at the places ``among`` (views where ``among`` is a range)."""
        return PlaceScores(*(None if a is None else among.take(a) for a in (
            self.score, self.lead_mass, self.lead_count, self.arrests, self.visits)))


class Among:
    """A set of place ids in ascending order, kept as a range (``slice``) where it is one.

    Taking a range of an array is a view, so ranking within a place type (places are stored type
    by type) copies nothing.

    Examples:
        >>> a, b = Among(np.array([3, 4, 5])), Among(np.array([1, 4]))
        >>> a.range, a.take(np.arange(10)).tolist(), a.ids(np.array([True, False, True])).tolist()
        (True, [3, 4, 5], [3, 5])
        >>> b.range, b.take(np.arange(10) * 2).tolist(), b.ids(np.array([False, True])).tolist()
        (False, [2, 8], [4])
    """

    __slots__ = ("index", "range", "size")

    def __init__(self, ids: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        self.size = int(ids.size)
        self.range = self.size == 0 or int(ids[-1]) - int(ids[0]) + 1 == self.size
        self.index = (slice(int(ids[0]), int(ids[-1]) + 1) if self.size else slice(0, 0)) if self.range else ids

    def take(self, values: np.ndarray) -> np.ndarray:
        """``values`` at these places."""
        return values[self.index]

    def ids(self, mask: np.ndarray) -> np.ndarray:
        """The place ids where ``mask`` (one bool per place of the set) is true, ascending (int64)."""
        if self.range:
            return np.flatnonzero(mask) + self.index.start
        return self.index[mask]


@dataclass(frozen=True, slots=True)
class Selection:
    """Today's sites in visiting order, with the probability that each was selected."""

    sites: np.ndarray  # int64[K]
    p_visit: np.ndarray  # float64[K]; NaN where the policy has no closed form (thompson)
    p_mean: float  # mean selection probability over today's candidates
    n_candidates: int
    p_min: float = float("nan")  # smallest selection probability over today's candidates; NaN: not known


@dataclass(frozen=True, slots=True)
class TargetingState:
    """What targeting has learned so far, per place (read-only for policies)."""

    arrests: np.ndarray  # float64[P], arrests at each place (fading by feedback_decay a day)
    visits: np.ndarray  # float64[P], visits to each place (fading alike)
    feedback: np.ndarray  # float64[P], the feedback term F of the score: arrests and reports, fading
    support: np.ndarray | None = None  # int64 ids (unique) outside which all three are 0; None: not known


class SelectionPolicy:
    """Base class of selection policies: greedy by score, every place eligible, feedback uncorrected.

    Args:
        p: The policy's own parameter block (``targeting.policy``).
        targeting: The whole targeting block (weights of prior, leads and feedback).
    """

    name: ClassVar[str]
    #: Whether :meth:`scores` reads the lead book's named mass (``book.mass(named_only=True)``); the
    #: loop keeps that per-place sum only for policies that say so.
    reads_named_mass: ClassVar[bool] = False
    #: Whether :meth:`order` reads the candidates' scores. A policy that draws among its candidates
    #: blind (``random``) says False; then, if it keeps the base class's scores, candidates rule and
    #: feedback, the targeter finds its candidates without scoring every place
    #: (:mod:`scrutiny.targeting._blind`) and :meth:`order` is given ``None`` for the scores.
    order_reads_scores: ClassVar[bool] = True

    def __init__(self, p: ComponentParams, targeting: TargetingParams) -> None:
        self.p, self.targeting = p, targeting
        self._scratch: dict[str, np.ndarray] = {}

    def scratch(self, name: str, n: int) -> np.ndarray:
        """A float64[n] work array of this policy's, reused from call to call (its contents are left over)."""
        pool = self.__dict__.setdefault("_scratch", {})
        out = pool.get(name)
        if out is None or out.size != n:
            out = pool[name] = np.empty(n)
        return out

    def eligible(self, kind: np.ndarray) -> np.ndarray:
        """bool[P]: the place types this policy may visit (before ``excluded_place_types``)."""
        return np.ones(kind.shape, dtype=bool)

    def scores(self, day: int, book, prior: np.ndarray, state: TargetingState) -> PlaceScores:
        """Score every place: ``prior_weight * prior + lead mass + feedback_weight * feedback``.

        The arrays returned are this policy's work arrays: the next call overwrites them.
        """
        from scrutiny.targeting._score import score_places

        n = prior.size
        mass, count = book.mass(day, out=self.scratch("mass", n))
        score = score_places(prior, mass, state.feedback, self.targeting, out=self.scratch("score", n),
                             support=state.support)
        return PlaceScores(score=score, lead_mass=mass, lead_count=count)

    def candidates(self, scores: PlaceScores, eligible: np.ndarray) -> np.ndarray:
        """bool[P]: places the policy may choose today (eligible, with a positive score).

        Whether a place is a candidate depends on its own scores only (not on other places'), so
        candidates can be found among a subset of places (:meth:`candidates_among`).
        """
        return eligible & (scores.score > 0)

    def candidates_among(self, scores: PlaceScores, among: Among) -> np.ndarray:
        """The candidate place ids (ascending int64) among the eligible places ``among``.

        The same as ``np.flatnonzero(self.candidates(scores, eligible))`` where ``among`` holds the
        places ``eligible`` marks, at the cost of those places only.
        """
        if type(self).candidates is SelectionPolicy.candidates:  # the base rule: a positive score
            return among.ids(among.take(scores.score) > 0)
        return among.ids(self.candidates(scores.take(among), np.ones(among.size, dtype=bool)))

    def order(self, scores: PlaceScores, cand: np.ndarray, capacity: int, day: int, streams: Streams) -> Selection:
        """Choose up to ``capacity`` of the candidate places ``cand`` (ids) and order them; highest score first."""
        order = top_k(-scores.score[cand], _tie(cand, day, streams), capacity)
        n = cand.size
        return Selection(cand[order], np.full(order.size, 1.0), min(1.0, capacity / n), int(n),
                         p_min=1.0 if capacity >= n else 0.0)

    def feedback(
        self, arrests: np.ndarray, p_visit: np.ndarray, p_mean: float, *, sites: np.ndarray | None = None,
        p_min: float | None = None, day: int = 0, streams: Streams | None = None,
    ) -> np.ndarray:
        """What today's arrests at the visited places add to their feedback term (float64).

        Args:
            arrests: Arrests at each visited place.
            p_visit: Probability that the policy selected each of these places today.
            p_mean: Mean selection probability over today's candidates.
            sites: The visited places (for a rule that draws, such as thinning).
            p_min: Smallest selection probability over today's candidates (``Selection.p_min``).
            day: Day index (random sub-key).
            streams: The replicate's random streams.
        """
        return np.asarray(arrests, dtype=np.float64)


def _tie(cand: np.ndarray, day: int, streams: Streams):
    """Tie-breaking uniforms for positions into ``cand`` (counter-based on the place id and day)."""

    def tie(pos: np.ndarray) -> np.ndarray:
        return streams.uniform("targeting.select", cand[pos], step=day)

    return tie


def make_policy(p: TargetingParams) -> SelectionPolicy:
    """The policy object of a scenario's targeting block."""
    return SELECTION_POLICIES.implementation(p.policy.name)(p.policy, p)
