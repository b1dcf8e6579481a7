"""Encounter triggers: what brings people before an identification and the decision rules each day.

``operations.triggers`` lists the triggers a day runs, in order (:data:`scrutiny.scenario.TRIGGERS`):

* ``site_visit`` (:class:`SiteVisit`): targeting picks the day's sites; teams visit them in order
  until the quota is met; everyone present may be scanned; the matcher returns a record; the
  decision rules of ``field.decision`` decide; the flagged are detained; arrests feed back into
  targeting and the lead book.
* ``custody_transfer`` (:class:`CustodyTransfer`): people with a criminal history booked into jail;
  their fingerprints return their own record; a record showing a removable status brings a
  detainer, which a jail may honour (287(g), Secure Communities);
* ``status_check`` (:class:`scrutiny.operations.StatusCheck`, in ``_status_check.py``): people who
  need a service come to its service point (the jurisdiction's flow); the check reads their own
  record and, for a status whose proof is digital only, can fail; the trigger's decision rules may
  clear a failed check; a checker may refuse on doubt; the service is refused, charged for or given
  regardless, and the person may be reported to enforcement (``sources.service_reports``).

A trigger is a class registered with ``@TRIGGERS.implements(name)`` whose :meth:`Trigger.day` reads
and updates the replicate's state (the loop's ``_Run``: world, streams, matcher, lead book, custody,
event buffer, daily series) and returns what the day made visible (:class:`TriggerDay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scrutiny._sets import unique
from scrutiny.scenario import TRIGGERS, ComponentParams

__all__ = ["Trigger", "TriggerDay", "CustodyTransfer", "make_triggers"]


@dataclass(frozen=True, slots=True)
class TriggerDay:
    """What one trigger did on one day that the rest of the day needs."""

    sites: np.ndarray  # int64, places where operations were seen (fear rises in their tracts)
    detained: np.ndarray  # int64, people detained


EMPTY_DAY = TriggerDay(np.zeros(0, np.int64), np.zeros(0, np.int64))


class Trigger:
    """Base class of encounter triggers: nothing happens.

    Args:
        run: The replicate's state (the daily loop).
        p: The trigger's parameter block (an element of ``operations.triggers``).
    """

    name: ClassVar[str]

    def __init__(self, run, p: ComponentParams) -> None:
        self.run, self.p = run, p

    def day(self, t: int) -> TriggerDay:
        """Run day ``t``; return the sites where operations were seen and the people detained."""
        return EMPTY_DAY


@TRIGGERS.implements("custody_transfer")
class CustodyTransfer(Trigger):
    """Jail bookings of adults (at rates by criminal history), checked against their own record (see the params)."""

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        ppl = run.world.people
        self.rates = np.array([p.bookings_per_year_none, p.bookings_per_year_pending, p.bookings_per_year_convicted])
        self.adults = np.flatnonzero(~ppl.is_child).astype(np.int32)  # held all run: int32, widened when drawn
        self.p_max = min(1.0, float(self.rates.max()) / 365.0)

    def day(self, t: int) -> TriggerDay:
        """Today's bookings; detainers honoured become detentions (at no place, in the home tract)."""
        run = self.run
        if self.adults.size == 0 or self.p_max <= 0:
            return EMPTY_DAY
        # candidates at the highest rate, thinned to each person's own (today's history), one draw each
        rng = run.streams.generator("operations.booking", step=t)
        drawn = self.adults[rng.integers(0, self.adults.size, rng.binomial(self.adults.size, self.p_max))]
        cand = unique(drawn.astype(np.int64))
        history = run.world.people.history
        p_own = np.minimum(1.0, self.rates[history[cand]] / 365.0)
        booked = cand[(rng.random(cand.size) * self.p_max < p_own) & (run.ti_free[cand] <= t)]
        flagged = run.world.vocab.shows_removable(run.own_record[booked])
        u_hold = run.streams.uniform("operations.detainer", booked, step=t)
        held = booked[flagged & (u_hold < self.p.p_detainer_honoured)]
        history[booked] = np.maximum(history[booked], 1)  # the booking itself brings a pending charge
        run.detention.detain(run.log, t, held, np.full(held.size, -1), run.world, run.ti_free,
                             own_record_error=np.ones(held.size, dtype=bool))
        _correct_records(run, held)
        run.book.close(held)
        return TriggerDay(np.zeros(0, np.int64), held)


def _correct_records(run, detained: np.ndarray) -> None:
    """Records of wrongly detained people who proved their status are corrected (if the scenario says so)."""
    from scrutiny.operations._detention import NEVER_FREE

    if not run.s.operations.record_corrected_on_release or detained.size == 0:
        return
    ppl = run.world.people
    wrong = detained[~run.world.vocab.removable[ppl.status[detained]] & (run.ti_free[detained] != NEVER_FREE)]
    run.own_record[wrong] = ppl.status[wrong]
    run.cleared[wrong] = True


def make_triggers(run, blocks: tuple[ComponentParams, ...]) -> list[Trigger]:
    """The trigger objects of ``operations.triggers``, in order."""
    return [TRIGGERS.implementation(b.name)(run, b) for b in blocks]
