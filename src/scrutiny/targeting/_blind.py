"""Candidates of a policy that draws among them blind (``random``), without scoring every place.

A policy that scores as the base class does, keeps the base candidates rule (a positive score) and
orders its candidates without reading their scores needs only *which* eligible places have a
positive score each day. With ``prior_weight > 0`` that is known without scoring most of them. The
score is ``prior_weight * prior + lead mass + feedback_weight * F``, summed in that order
(:func:`scrutiny.targeting.score_places`), and rounding to nearest never takes ``a + b`` below
``a`` when ``b >= 0``. The feedback term is never negative (arrests and reports only add to ``F``,
fading multiplies it by ``1 - feedback_decay``, and the weights are ``>= 0`` by validation), so a
place whose prior term is positive is a candidate whenever its lead mass is not negative. What is
left to score exactly each day is small: places whose stored mass is negative (a rounding residue
of pins removed), eligible places whose prior term is 0, and protest sites (their prior changes by
day). The candidates are the same, in the same ascending order, as those
:func:`scrutiny.targeting.select_sites` finds by scoring every place
(tests/unit/targeting/test_blind.py).
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import isin, union
from scrutiny.targeting._base import Among, SelectionPolicy

__all__ = ["BlindCandidates"]


class BlindCandidates:
    """The static candidates of each part of the day (every eligible place, or one place type's).

    Args:
        member: bool[P], candidates on the prior term alone (:func:`._greedy.static_scores`: never a
            protest site, whose prior changes by day).
        eligible: bool[P], the places the policy may visit.
        parts: The parts a day is chosen in: ``{None: every eligible place}`` or ``{k: type k's}``.
    """

    def __init__(self, member: np.ndarray, eligible: np.ndarray, parts: dict[int | None, Among]) -> None:
        self.member = member & eligible
        self.eligible = eligible
        self.parts = parts
        self.static = {k: among.ids(among.take(self.member)) for k, among in parts.items()}
        self.always = np.flatnonzero(eligible & ~self.member)  # a zero prior term, or a protest site

    @staticmethod
    def applies(policy: SelectionPolicy) -> bool:
        """Whether ``policy`` draws blind among the base rule's candidates, with a positive prior weight."""
        cls = type(policy)
        return (cls.scores is SelectionPolicy.scores and cls.candidates is SelectionPolicy.candidates
                and cls.feedback is SelectionPolicy.feedback and not policy.order_reads_scores
                and policy.targeting.prior_weight > 0)

    def to_score(self, book) -> np.ndarray:
        """The eligible places whose candidacy today needs their exact score (int64, ascending)."""
        negative = book.negative_mass()
        if negative.size == 0:
            return self.always
        return union(self.always, negative[self.eligible[negative]])

    def candidates(self, k: int | None, scored: np.ndarray, ok: np.ndarray) -> np.ndarray:
        """Part ``k``'s candidates (int64, ascending), given the places ``scored`` and whether each is one."""
        cand = self.static[k]
        if scored.size == 0:
            return cand
        among = self.parts[k]
        if among.range:
            inside = (scored >= among.index.start) & (scored < among.index.stop)
        else:
            inside = isin(scored, among.index)
        at, yes = scored[inside], ok[inside]
        drop = at[~yes & self.member[at]]
        if drop.size:
            cand = cand[~isin(cand, drop)]
        add = at[yes & ~self.member[at]]
        return union(cand, add) if add.size else cand
