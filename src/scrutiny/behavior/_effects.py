"""The sourced effects of visible enforcement on schooling and benefits, accounted day by day.

Two published effect sizes (CALIBRATION.md, "Chilling: effect sizes") are applied as expectations,
with no random draw, so they change no other result:

* **School days lost.** After a visible operation in a tract, its pupils' absences rise by
  ``rel_school_absence_after_operation`` (+22%, Dee 2025) over the baseline ``p_school_absence``,
  decaying as ``exp(-d / dur_school_effect)`` with the days ``d`` since the tract's last operation
  (about two months). On a school day (Monday to Friday) a tract's pupils lose
  ``children x p_school_absence x rel x exp(-d / dur)`` days. Every pupil of the tract counts, as in
  the district-wide estimate; the figure is kept by status and for citizen pupils in mixed-status
  households.
* **Benefit enrolments lost.** Births arrive at ``births_per_1000`` a year; in ordinary times a
  share ``p_wic_prenatal`` enrol in WIC during pregnancy. For non-citizens and everyone in a
  mixed-status household, the odds of enrolling fall by the factor
  ``1 - (1 - wic_odds_ratio_chilled) x (1 - exp(-F_k))`` at the tract's fear level ``F_k`` (-19% at
  full fear, Choi et al. 2023).
"""

from __future__ import annotations

import numpy as np

from scrutiny.scenario import BehaviorParams
from scrutiny.world import World

__all__ = ["SourcedEffects", "school_days_lost_after_one_operation"]


def school_days_lost_after_one_operation(n_children: float, days: np.ndarray, p: BehaviorParams) -> np.ndarray:
    """Expected school days lost by a tract's ``n_children`` on each day of ``days`` after one operation (day 0).

    The closed form of :class:`SourcedEffects` for one operation and nothing else: weekdays only
    (day 0 is a Monday), starting the day after the operation.

    Examples:
        >>> from scrutiny.scenario import BehaviorParams
        >>> lost = school_days_lost_after_one_operation(1000, np.arange(3), BehaviorParams())
        >>> [round(float(x), 2) for x in lost]
        [0.0, 13.2, 12.98]
    """
    days = np.asarray(days)
    weekday = (days % 7) < 5
    since = days.astype(np.float64) - 1.0  # seen from the day after
    lost = n_children * p.p_school_absence * p.rel_school_absence_after_operation * np.exp(-since / p.dur_school_effect)
    return np.where(weekday & (days >= 1), lost, 0.0)


class SourcedEffects:
    """Expected school days and prenatal WIC enrolments lost, by status, for one replicate (see the module).

    Args:
        world: The world.
        p: The behaviour parameters.
    """

    def __init__(self, world: World, p: BehaviorParams) -> None:
        self.p = p
        vocab, ppl = world.vocab, world.people
        n_status = len(vocab.statuses)
        tract = world.tract_of_person()
        n_tracts = world.tracts.n
        key = tract.astype(np.int64) * n_status + ppl.status
        size = n_tracts * n_status
        self.children = np.bincount(key[ppl.is_child], minlength=size).reshape(n_tracts, n_status).astype(np.float64)
        citizen_mixed = ppl.is_child & vocab.citizen[ppl.status] & ppl.mixed.astype(bool)
        self.children_citizen_mixed = np.bincount(tract[citizen_mixed], minlength=n_tracts).astype(np.float64)
        exposed = ~vocab.citizen[ppl.status] | ppl.mixed.astype(bool)  # non-citizens and mixed households
        self.exposed = np.bincount(key[exposed], minlength=size).reshape(n_tracts, n_status).astype(np.float64)
        self.since = np.full(n_tracts, np.inf)  # days since each tract's last operation
        self.school_days_lost = np.zeros(n_status)
        self.school_days_lost_citizen_mixed = 0.0
        self.school_days_expected = 0.0
        self.benefit_enrolments_lost = np.zeros(n_status)
        self.benefit_enrolments_expected = 0.0

    def step(self, t: int, ops_tract: np.ndarray, fear: np.ndarray) -> None:
        """Day ``t``: absences and enrolments lost today, then today's operations (seen from tomorrow)."""
        p = self.p
        if p.enabled:
            if t % 7 < 5:
                rel = p.rel_school_absence_after_operation
                effect = p.p_school_absence * rel * np.exp(-self.since / p.dur_school_effect)
                self.school_days_lost += effect @ self.children
                self.school_days_lost_citizen_mixed += float(effect @ self.children_citizen_mixed)
            births = self.exposed * (p.births_per_1000 / 1000.0 / 365.0)
            odds0 = p.p_wic_prenatal / max(1.0 - p.p_wic_prenatal, 1e-12)
            ratio = 1.0 - (1.0 - p.wic_odds_ratio_chilled) * -np.expm1(-fear)
            odds = odds0 * ratio
            p_now = odds / (1.0 + odds)
            self.benefit_enrolments_lost += (p.p_wic_prenatal - p_now) @ births
        if t % 7 < 5:
            self.school_days_expected += float(self.children.sum())
        self.benefit_enrolments_expected += float(self.exposed.sum()) * p.births_per_1000 / 365_000.0 * p.p_wic_prenatal
        self.since += 1.0
        self.since[ops_tract > 0] = 0.0

    def as_dict(self) -> dict:
        """The accumulated figures (``RunOutput.dissent["effects"]``)."""
        return {
            "school_days_lost": self.school_days_lost.copy(),
            "school_days_lost_citizen_mixed": self.school_days_lost_citizen_mixed,
            "school_days": self.school_days_expected,
            "benefit_enrolments_lost": self.benefit_enrolments_lost.copy(),
            "benefit_enrolments": self.benefit_enrolments_expected,
        }
