"""The built-in selection policies, one class each, registered by name.

* ``dense_first``: highest scores first; a place whose only evidence is one pin below
  ``lone_pin_min_confidence`` is skipped (the reported practice).
* ``warrant_only``: residences only, ranked by the mass of pins on *named* people (records showing
  a final order).
* ``random``: eligible places with a positive score, uniformly.
* ``probability_matching`` and ``feedback_corrected``: ``capacity`` places drawn with inclusion
  probabilities proportional to score (:func:`inclusion_probabilities`, capped at 1) by systematic
  sampling, which realises those probabilities exactly; visited in random order.
  ``feedback_corrected`` keeps each arrest with probability ``p_min / p_visit`` (Ensign et al.'s
  thinning, the default) or weights it by ``p_mean / p_visit`` (``correction = "weight"``).
* ``thompson``: each place's arrests per visit drawn from ``Gamma(k * score + arrests, k + visits)``;
  highest draws first.

Adding a policy: a parameter block registered in :mod:`scrutiny.scenario._targeting` and a class
here (or anywhere) registered with ``@SELECTION_POLICIES.implements(name)``; the contract checks in
``tests/contracts`` then run over it without further code.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import SELECTION_POLICIES
from scrutiny.targeting._base import PlaceScores, Selection, SelectionPolicy, TargetingState, _tie
from scrutiny.targeting._feedback import arrest_ids, feedback_increment, thinned
from scrutiny.targeting._ranking import inclusion_probabilities, systematic, top_k

__all__ = ["DenseFirst", "ProbabilityMatching", "Thompson", "FeedbackCorrected", "Random", "WarrantOnly"]


@SELECTION_POLICIES.implements("dense_first")
class DenseFirst(SelectionPolicy):
    """Greedy by score; lone low-confidence pins skipped."""

    def candidates(self, scores: PlaceScores, eligible: np.ndarray) -> np.ndarray:
        """Eligible places with a positive score, except those resting on one weak pin."""
        ok = eligible & (scores.score > 0)
        if scores.lead_count is not None:
            lone = np.flatnonzero(scores.lead_count == 1)  # fewer places: test their mass only
            ok[lone[np.flatnonzero(scores.lead_mass[lone] * 100.0 < self.p.lone_pin_min_confidence)]] = False
        return ok

    def candidates_among(self, scores: PlaceScores, among) -> np.ndarray:
        """:meth:`candidates` at the places ``among`` only (no mask over every place)."""
        return among.ids(self.candidates(scores.take(among), True))


@SELECTION_POLICIES.implements("warrant_only")
class WarrantOnly(SelectionPolicy):
    """Residences of named people, ranked by the mass of their pins."""

    reads_named_mass = True

    def eligible(self, kind: np.ndarray) -> np.ndarray:
        """Addresses only."""
        return kind == code(PLACE_TYPES, "residence")

    def scores(self, day: int, book, prior: np.ndarray, state: TargetingState) -> PlaceScores:
        """The mass of pins on named people (no prior, no feedback)."""
        named, _ = book.mass(day, named_only=True, out=self.scratch("score", prior.size))
        return PlaceScores(score=named)


@SELECTION_POLICIES.implements("random")
class Random(SelectionPolicy):
    """Uniformly among eligible places with a positive score."""

    order_reads_scores = False

    def order(self, scores: PlaceScores | None, cand: np.ndarray, capacity: int, day: int,
              streams: Streams) -> Selection:
        """A uniform random ``capacity`` of the candidates, in random order (``scores`` is not read)."""
        u = streams.uniform("targeting.select", cand, step=day)  # _tie's uniforms, drawn once for every candidate
        order = top_k(u, u.__getitem__, capacity)
        p = min(1.0, capacity / cand.size)
        return Selection(cand[order], np.full(order.size, p), p, int(cand.size), p_min=p)


@SELECTION_POLICIES.implements("probability_matching")
class ProbabilityMatching(SelectionPolicy):
    """Inclusion probability proportional to score, by systematic sampling; uncorrected feedback."""

    def order(self, scores: PlaceScores, cand: np.ndarray, capacity: int, day: int, streams: Streams) -> Selection:
        """Systematic PPS sample of ``capacity`` places, visited in random order."""
        pi = inclusion_probabilities(scores.score[cand], capacity)
        chosen = systematic(pi, float(streams.generator("targeting.sample", step=day).random()))
        chosen = chosen[np.argsort(_tie(cand, day, streams)(chosen), kind="stable")]
        return Selection(cand[chosen], pi[chosen], float(pi.sum() / cand.size), int(cand.size), p_min=float(pi.min()))


@SELECTION_POLICIES.implements("feedback_corrected")
class FeedbackCorrected(ProbabilityMatching):
    """Probability matching with Ensign et al.'s correction of the feedback (thinning or weighting)."""

    def feedback(
        self, arrests: np.ndarray, p_visit: np.ndarray, p_mean: float, *, sites: np.ndarray | None = None,
        p_min: float | None = None, day: int = 0, streams: Streams | None = None,
    ) -> np.ndarray:
        """Arrests kept with chance ``p_min / p_visit`` (``thin``) or weighted ``p_mean / p_visit`` (``weight``).

        Weights are capped at ``max_weight``. Thinning draws one counter-based uniform per arrest
        (``targeting.thin``, keyed by place, arrest rank and day). Without ``streams`` (or ``sites``) it
        returns its expectation, ``arrests * min(1, p_min / p_visit)``; without ``p_min``, the smallest
        ``p_visit`` stands in.
        """
        if self.p.correction == "weight":
            return feedback_increment(arrests, p_visit, p_mean, corrected=True, max_weight=self.p.max_weight)
        p_min = float(np.min(p_visit, initial=1.0)) if p_min is None else p_min
        if streams is None or sites is None:
            return np.asarray(arrests, dtype=np.float64) * np.minimum(1.0, p_min / np.asarray(p_visit, np.float64))
        u = streams.uniform("targeting.thin", arrest_ids(sites, arrests), step=day)
        return thinned(arrests, p_visit, p_min, u)


@SELECTION_POLICIES.implements("thompson")
class Thompson(SelectionPolicy):
    """Thompson sampling of arrests per visit."""

    def scores(self, day: int, book, prior: np.ndarray, state: TargetingState) -> PlaceScores:
        """Prior mean of arrests per visit (prior and leads), with arrests and visits so far."""
        mass, _ = book.mass(day, out=self.scratch("score", prior.size))
        mass += self.targeting.prior_weight * prior  # the prior mean; outcomes enter through the posterior
        return PlaceScores(score=mass, arrests=state.arrests, visits=state.visits)

    def candidates(self, scores: PlaceScores, eligible: np.ndarray) -> np.ndarray:
        """Eligible places with a positive prior or a past arrest."""
        return eligible & ((scores.score > 0) | (scores.arrests > 0))

    def order(self, scores: PlaceScores, cand: np.ndarray, capacity: int, day: int, streams: Streams) -> Selection:
        """Highest posterior draws first."""
        k = self.p.prior_visits
        rng = streams.generator("targeting.thompson", step=day)
        key = -rng.gamma(k * scores.score[cand] + scores.arrests[cand], 1.0 / (k + scores.visits[cand]))
        order = top_k(key, _tie(cand, day, streams), capacity)
        return Selection(cand[order], np.full(order.size, np.nan), min(1.0, capacity / cand.size), int(cand.size))

    def feedback(self, arrests: np.ndarray, p_visit: np.ndarray, p_mean: float, **_) -> np.ndarray:
        """Unused: Thompson learns from arrests and visits directly."""
        return np.asarray(arrests, dtype=np.float64)
