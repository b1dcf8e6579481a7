"""The behavioural state of one replicate: fear by tract, and the visits it costs day by day.

:class:`Chilling` is the part of the daily loop that belongs to behaviour: each evening
(:meth:`Chilling.step`) it accumulates, per place type and status, the visits people expected to
make and the share fear made them skip, then updates fear from the day's visible operations
(:func:`scrutiny.behavior.update_fear`), and accounts the school days and benefit enrolments lost
(:class:`scrutiny.behavior.SourcedEffects`). The field stage reads :attr:`Chilling.fear` to draw who
avoided a visit or evaded a raid. Fear that known data sharing keeps up at a place type, in every
tract and whatever operations are seen (NHS charging and data sharing, school records), is
*standing* fear (:meth:`Chilling.add_standing_fear`): it adds to the tract's fear for that place
type's visits only.
"""

from __future__ import annotations

import numpy as np

from scrutiny.behavior._effects import SourcedEffects
from scrutiny.behavior._fear import avoidance_table, update_fear
from scrutiny.scenario import Scenario
from scrutiny.world import World

__all__ = ["Chilling", "CHILLED_PLACES", "visit_rates"]

#: Place types whose visits avoidance reduces, in the order of ``Chilling.lost`` rows.
CHILLED_PLACES: tuple[str, ...] = ("clinic", "school", "church", "protest_site")


def _visit_counts(world: World) -> tuple[np.ndarray, np.ndarray]:
    """People per (tract, status, mixed) among all residents and among children."""
    t = world.tract_of_person()
    ppl = world.people
    n_status = len(world.vocab.statuses)
    shape = (world.tracts.n, n_status, 2)
    key = (t.astype(np.int64) * n_status + ppl.status) * 2 + ppl.mixed
    everyone = np.bincount(key, minlength=int(np.prod(shape))).reshape(shape)
    children = np.bincount(key[ppl.is_child], minlength=int(np.prod(shape))).reshape(shape)
    return everyone.astype(np.float64), children.astype(np.float64)


def visit_rates(s: Scenario, day: int, n_protest_events: int) -> np.ndarray:
    """Visits per person on ``day`` to each of :data:`CHILLED_PLACES` (day 0 is a Monday)."""
    pp = s.world.places
    sunday, weekday = day % 7 == 6, day % 7 < 5
    protest = pp.p_attend_protest * n_protest_events
    return np.array([pp.p_visit_clinic, 1.0 if weekday else 0.0, pp.p_visit_church_sunday if sunday else 0.0, protest])


class Chilling:
    """Fear by tract and the expected visits it costs, for one replicate.

    Args:
        world: The world.
        s: The scenario (``behavior`` and the visit rates in ``world.places``).
    """

    def __init__(self, world: World, s: Scenario) -> None:
        self.world, self.s = world, s
        self.fear = np.zeros(world.tracts.n, dtype=np.float64)
        self.counts_all, self.counts_child = _visit_counts(world)
        self._bases = (self.counts_all, self.counts_child, self.counts_all, self.counts_all)  # by CHILLED_PLACES
        self._base_total = [base.sum(axis=(0, 2)) for base in self._bases]  # visitors by status
        self.avoid_max = avoidance_table(s.behavior, world.vocab)
        n_status = len(world.vocab.statuses)
        self.lost = np.zeros((len(CHILLED_PLACES), n_status))  # expected visits avoided
        self.expected = np.zeros_like(self.lost)  # visits expected without avoidance
        self.effects = SourcedEffects(world, s.behavior)  # school days and WIC enrolments lost (sourced sizes)
        self.standing = np.zeros(len(CHILLED_PLACES))  # fear felt everywhere at a place type (known data sharing)

    def add_standing_fear(self, place_type: str, level: float) -> None:
        """Add fear felt in every tract, every day, about visits to ``place_type`` (one of :data:`CHILLED_PLACES`).

        Known data sharing and charging at a service (NHS data to enforcement, school records) keep people
        away whatever operations they see: this fear adds to the tract's own fear for that place type.
        """
        self.standing[CHILLED_PLACES.index(place_type)] += float(level)

    def step(self, t: int, sites: np.ndarray, n_protest_events: int) -> None:
        """Evening of day ``t``: accumulate visits lost to today's fear, then update fear from ``sites`` visited."""
        s, world = self.s, self.world
        ops_tract = np.bincount(world.places.tract[sites], minlength=world.tracts.n)
        level = -np.expm1(-self.fear)
        rates = visit_rates(s, t, n_protest_events)
        for j, base in enumerate(self._bases):
            if s.behavior.enabled:  # without behaviour nothing is avoided: lost stays 0
                level_j = level if self.standing[j] == 0 else -np.expm1(-(self.fear + self.standing[j]))
                per_status = np.einsum("k,ksm->sm", level_j, base)
                self.lost[j] += rates[j] * (per_status * self.avoid_max).sum(axis=1)
            self.expected[j] += rates[j] * self._base_total[j]
        self.effects.step(t, ops_tract, self.fear)
        self.fear = update_fear(self.fear, ops_tract, s.behavior)

    @property
    def mean_fear(self) -> float:
        """Mean fear over tracts."""
        return float(self.fear.mean()) if self.fear.size else 0.0
