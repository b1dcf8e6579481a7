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

__all__ = ["PlaceScores", "Selection", "SelectionPolicy", "TargetingState", "make_policy"]


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
    p_min: float = float("nan")  # smallest selection probability over today's candidates; NaN: not known


@dataclass(frozen=True, slots=True)
class TargetingState:
    """What targeting has learned so far, per place (read-only for policies)."""

    arrests: np.ndarray  # float64[P], arrests at each place (fading by feedback_decay a day)
    visits: np.ndarray  # float64[P], visits to each place (fading alike)
    feedback: np.ndarray  # float64[P], the feedback term F of the score: arrests and reports, fading


class SelectionPolicy:
    """Base class of selection policies: greedy by score, every place eligible, feedback uncorrected.

    Args:
        p: The policy's own parameter block (``targeting.policy``).
        targeting: The whole targeting block (weights of prior, leads and feedback).
    """

    name: ClassVar[str]

    def __init__(self, p: ComponentParams, targeting: TargetingParams) -> None:
        self.p, self.targeting = p, targeting

    def eligible(self, kind: np.ndarray) -> np.ndarray:
        """bool[P]: the place types this policy may visit (before ``excluded_place_types``)."""
        return np.ones(kind.shape, dtype=bool)

    def scores(self, day: int, book, prior: np.ndarray, state: TargetingState) -> PlaceScores:
        """Score every place: ``prior_weight * prior + lead mass + feedback_weight * feedback``."""
        from scrutiny.targeting._score import score_places

        mass, count = book.mass(day)
        return PlaceScores(score=score_places(prior, mass, state.feedback, self.targeting), lead_mass=mass,
                           lead_count=count)

    def candidates(self, scores: PlaceScores, eligible: np.ndarray) -> np.ndarray:
        """bool[P]: places the policy may choose today (eligible, with a positive score)."""
        return eligible & (scores.score > 0)

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
