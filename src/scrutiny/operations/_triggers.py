"""Encounter triggers: what brings people before an identification and the decision rules each day.

``operations.triggers`` lists the triggers a day runs, in order (:data:`scrutiny.scenario.TRIGGERS`):

* ``site_visit`` (:class:`SiteVisit`): targeting picks the day's sites; teams visit them in order
  until the quota is met; everyone present may be scanned; the matcher returns a record; the
  decision rules of ``field.decision`` decide; the flagged are detained; arrests feed back into
  targeting and the lead book.
* ``custody_transfer`` (:class:`CustodyTransfer`): people with a criminal history booked into jail;
  their fingerprints return their own record; a record showing a removable status brings a
  detainer, which a jail may honour (287(g), Secure Communities);
* ``status_check`` (:class:`StatusCheck`): people who need a service come to its service point
  (the jurisdiction's flow); the check reads their own record and, for a status whose proof is
  digital only, can fail; the trigger's decision rules may clear a failed check; otherwise the
  service is refused and the person may be reported to enforcement (``sources.service_reports``).

A trigger is a class registered with ``@TRIGGERS.implements(name)`` whose :meth:`Trigger.day` reads
and updates the replicate's state (the loop's ``_Run``: world, streams, matcher, lead book, custody,
event buffer, daily series) and returns what the day made visible (:class:`TriggerDay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scrutiny.codes import EVENT_KINDS, OUTCOMES, code
from scrutiny.field import RuleContext, make_decision_rules
from scrutiny.scenario import TRIGGERS, ComponentParams

__all__ = ["Trigger", "TriggerDay", "StatusCheck", "CustodyTransfer", "make_triggers"]

_STATUS_CHECK, _REPORT = code(EVENT_KINDS, "status_check"), code(EVENT_KINDS, "report")
_PASSED, _REFUSED, _REPORTED = (code(OUTCOMES, o) for o in ("check_passed", "service_refused", "reported"))
#: Service points per day are keyed ``day * _POINT_STEP + point`` in the random streams.
_POINT_STEP = 64


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


@TRIGGERS.implements("status_check")
class StatusCheck(Trigger):
    """Everyday status checks at service points (see the module docstring)."""

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        world = run.world
        vocab = world.vocab
        names = list(vocab.service_points)
        chosen = list(p.service_points) or [n for n in names if getattr(vocab.service_points[n], "kind", "service")
                                            == "service"]  # checkpoints and ports have triggers of their own
        self.points = [(names.index(n), vocab.service_points[n]) for n in chosen]
        ppl = world.people
        everyone = np.arange(ppl.n, dtype=np.int64)
        lawful_nc = ~vocab.citizen[ppl.status] & ~vocab.removable[ppl.status]
        self.users = {
            "everyone": everyone, "adults": everyone[~ppl.is_child], "children": everyone[ppl.is_child],
            "lawful_non_citizens": everyone[lawful_nc],
        }
        ctx = RuleContext(status=ppl.status, own_record=run.own_record, group=ppl.group, vocab=vocab)
        self.rules = make_decision_rules(p.decision, ctx)
        self.reports = next((src for src in run.sources.sources if src.name == "service_reports"), None)

    def _arrivals(self, t: int, k: int, sp) -> np.ndarray:
        """People who need service point ``k`` today (not in custody)."""
        users = self.users[sp.users]
        rate = min(1.0, sp.per_person_per_year / 365.0)
        if users.size == 0 or rate <= 0:
            return np.zeros(0, np.int64)
        rng = self.run.streams.generator("operations.service", step=t * _POINT_STEP + k)
        who = np.unique(users[rng.integers(0, users.size, rng.binomial(users.size, rate))])
        return who[self.run.ti_free[who] <= t]

    def _decide(self, who: np.ndarray, failed: np.ndarray, t: int) -> np.ndarray:
        """int8 outcome of each check: passed, refused, or the rule that cleared a failed check."""
        outcome = np.where(failed, _REFUSED, _PASSED).astype(np.int8)
        pending = np.flatnonzero(failed)
        for rule in self.rules:
            if pending.size == 0:
                break
            ok = rule.clears(who[pending], np.zeros(pending.size, bool), t, self.run.streams)
            outcome[pending[ok]] = rule.outcome_code
            pending = pending[~ok]
        return outcome

    def day(self, t: int) -> TriggerDay:
        """Check everyone who comes to a service point today; refuse, clear or report."""
        run, vocab, ppl = self.run, self.run.world.vocab, self.run.world.people
        for k, sp in self.points:
            who = self._arrivals(t, k, sp)
            if who.size == 0:
                continue
            status = ppl.status[who]
            shows_removable = vocab.shows_removable(run.own_record[who])
            u = run.streams.uniform("operations.status_check", who, step=t * _POINT_STEP + k)
            cannot_prove = vocab.digital_only[status] & ~shows_removable & (u < self.p.p_digital_fails)
            outcome = self._decide(who, shows_removable | cannot_prove, t)
            common = dict(day=t, person=who, status=status, group=ppl.group[who], context=k,
                          record=run.own_record[who])
            run.log.add(who.size, kind=_STATUS_CHECK, outcome=outcome, **common)
            refused = outcome == _REFUSED
            u_report = run.streams.uniform("operations.report", who, step=t * _POINT_STEP + k)
            reported = refused & (u_report < self.p.p_report) & (self.reports is not None)
            if reported.any():
                run.log.add(int(reported.sum()), kind=_REPORT, outcome=_REPORTED,
                            **{c: (v[reported] if isinstance(v, np.ndarray) else v) for c, v in common.items()})
                self.reports.report(who[reported])
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
        cand = np.unique(drawn.astype(np.int64))
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
