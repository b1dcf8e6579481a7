"""The ``status_check`` encounter trigger: everyday status checks at a jurisdiction's service points.

Each day, for each service point the trigger checks (``service_points``, default all):

1. arrivals: people who need the service come (the point's ``users`` and ``statuses``, at its flow
   rate ``per_person_per_year``; nobody in custody);
2. the check: it reads the person's own record; a record showing a removable status fails, and so
   does a lawful status whose proof is digital only when the digital service fails
   (``p_digital_fails``: the eVisa). A failed check goes through the trigger's decision rules (an
   ``offline_proof`` honoured clears it);
3. doubt: a checker may refuse someone whose status was shown, or who never needed to show one:
   a citizen with no passport (``p_doubt_no_passport``, plus ``p_doubt_minority_extra`` for an
   ethnic-minority citizen: the discrimination mystery shopping measures) or a non-citizen
   (``p_doubt_non_citizen``);
4. the consequence, by the point's kind (the jurisdiction's ``consequence``): ``refuse`` the service;
   ``charge`` for it (NHS charging: urgent care treated and billed; otherwise up front, and some
   cannot pay and go without; an unpaid bill is a debt reported ``dur_debt_report`` days later);
   ``record`` the status and serve regardless (a school admits every child);
5. reports: a refusal after a failed check (a doubt refusal is reported to nobody), or an unpaid
   debt, is reported to enforcement with the point's share (``p_report_by_point``), when the
   ``service_reports`` source shares that point's data; the report becomes a lead the next day.

Every check is a ``status_check`` event (``context`` = the service point) and every report a
``report`` event. Knowing that a service shares data (and, at a charging point, that care is
charged up front) adds standing fear at the point's place type (``fear_of_sharing``,
``fear_of_charging``; :meth:`scrutiny.behavior.Chilling.add_standing_fear`), so people, lawful
ones included, skip clinics and school. The trigger records daily series of its own (checks,
failed checks of lawful residents, lawful residents, digital-only lawful residents).
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import unique
from scrutiny.behavior import CHILLED_PLACES
from scrutiny.codes import EVENT_KINDS, OUTCOMES, RACES, code
from scrutiny.field import RuleContext, make_decision_rules
from scrutiny.operations._triggers import EMPTY_DAY, Trigger, TriggerDay
from scrutiny.scenario import TRIGGERS, ComponentParams

__all__ = ["StatusCheck", "STATUS_CHECK_SERIES"]

_STATUS_CHECK, _REPORT = code(EVENT_KINDS, "status_check"), code(EVENT_KINDS, "report")
_PASSED, _REFUSED, _REPORTED, _DOUBT, _CHARGED, _NO_CARE, _UNPROVEN = (code(OUTCOMES, o) for o in (
    "check_passed", "service_refused", "reported", "refused_doubt", "charged", "care_refused", "served_unproven"))
#: Service points per day are keyed ``day * _POINT_STEP + point`` in the random streams.
_POINT_STEP = 64
_WHITE = code(RACES, "white")
#: Daily series the trigger adds to the run's (and daily.csv): checks made, checks of lawful residents
#: that failed (digital failure or a wrong record, whether or not a rule then cleared them), lawful
#: residents at large, and lawful residents whose status is digital only.
STATUS_CHECK_SERIES: tuple[str, ...] = (
    "status_checks", "check_failures_lawful", "lawful_residents", "digital_only_lawful")


@TRIGGERS.implements("status_check")
class StatusCheck(Trigger):
    """Everyday status checks at service points (see the module docstring)."""

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        world, ppl = run.world, run.world.people
        vocab = world.vocab
        names = list(vocab.service_points)
        chosen = list(p.service_points) or [n for n in names if vocab.service_points[n].kind == "service"]
        # (checkpoints and ports of entry have triggers of their own)
        self.points = [(names.index(n), n, vocab.service_points[n]) for n in chosen]
        everyone = np.arange(ppl.n, dtype=np.int64)
        lawful_nc = ~vocab.citizen[ppl.status] & ~vocab.removable[ppl.status]
        self.users = {
            "everyone": everyone, "adults": everyone[~ppl.is_child], "children": everyone[ppl.is_child],
            "lawful_non_citizens": everyone[lawful_nc],
        }
        pools: dict[tuple, np.ndarray] = {}  # statuses never change: each pool filtered once, shared by points
        for _, _, sp in self.points:
            if (sp.users, tuple(sp.statuses)) not in pools:
                pools[sp.users, tuple(sp.statuses)] = self._pool(sp)
        self._pools = {k: pools[sp.users, tuple(sp.statuses)] for k, _, sp in self.points}
        self.lawful = vocab.is_lawful(ppl.status)
        self.digital_lawful = self.lawful & vocab.digital_only[ppl.status]
        ctx = RuleContext(status=ppl.status, own_record=run.own_record, group=ppl.group, vocab=vocab)
        self.rules = make_decision_rules(p.decision, ctx)
        self.reports = next((src for src in run.sources.sources if src.name == "service_reports"), None)
        u_passport = run.streams.uniform("operations.passport", everyone)
        self.no_passport = vocab.citizen[ppl.status] & (u_passport < p.p_no_passport)
        self.minority = (ppl.group // 2) != _WHITE
        self.debts: list[tuple[int, int, np.ndarray]] = []  # (day due, point, people) unpaid bills to report
        for key in STATUS_CHECK_SERIES:
            run.daily.setdefault(key, np.zeros(run.s.n_days))
        self._add_fear()

    def _shares(self, k: int, name: str) -> bool:
        """Whether point ``k``'s data reaches enforcement (reports or tracing) through an enabled source."""
        if self.reports is None or not self.reports.shares(k):
            return False
        rp = self.reports.p
        reported = self.p.p_report_by_point.get(name, self.p.p_report) > 0
        traced = rp.traces_per_year_national.get(name, 0.0) > 0 and rp.p_traced.get(name, 0.0) > 0
        return reported or traced

    def _add_fear(self) -> None:
        """Standing fear at the place types of points that share data (and of charging points charging up front)."""
        sharing: set[str] = set()
        charging: set[str] = set()
        for k, name, sp in self.points:
            if self._shares(k, name):
                sharing.add(sp.place_type)
            if sp.consequence == "charge" and self.p.upfront_charging:
                charging.add(sp.place_type)
        for place_type in CHILLED_PLACES:
            p = self.p
            level = p.fear_of_sharing * (place_type in sharing) + p.fear_of_charging * (place_type in charging)
            if level > 0:
                self.run.chilling.add_standing_fear(place_type, level)

    def _pool(self, sp) -> np.ndarray:
        """The people who may need a service point: its users, of its statuses (int32 where filtered)."""
        users = self.users[sp.users]
        if not sp.statuses:
            return users
        vocab = self.run.world.vocab
        keep = np.isin(self.run.world.people.status[users], [vocab.code(s) for s in sp.statuses])
        return users[keep].astype(np.int32 if self.run.world.people.n < 2**31 else np.int64)

    def _arrivals(self, t: int, k: int, sp) -> np.ndarray:
        """People who need service point ``k`` today (of its users and statuses; not in custody)."""
        users = self._pools[k]
        rate = min(1.0, sp.per_person_per_year / 365.0)
        if users.size == 0 or rate <= 0:
            return np.zeros(0, np.int64)
        rng = self.run.streams.generator("operations.service", step=t * _POINT_STEP + k)
        who = unique(users[rng.integers(0, users.size, rng.binomial(users.size, rate))].astype(np.int64, copy=False))
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

    def _doubted(self, who: np.ndarray, name: str, step: int) -> np.ndarray:
        """Whom the checker refuses (or classifies as chargeable) on doubt, among those whose check did not fail."""
        p = self.p
        citizen = self.run.world.vocab.citizen[self.run.world.people.status[who]]
        no_passport = self.no_passport[who]
        p_doubt = np.where(
            citizen,
            np.where(no_passport, p.p_doubt_no_passport.get(name, 0.0)
                     + self.minority[who] * p.p_doubt_minority_extra.get(name, 0.0), 0.0),
            p.p_doubt_non_citizen.get(name, 0.0))
        return self.run.streams.uniform("operations.doubt", who, step=step) < np.minimum(p_doubt, 1.0)

    def _consequence(self, who: np.ndarray, outcome: np.ndarray, sp, name: str, step: int) -> np.ndarray:
        """Apply the point's consequence to the checks' outcomes (in place); return who is billed (bool)."""
        open_ = outcome != _REFUSED  # passed, or cleared by a rule
        billed = np.zeros(who.size, dtype=bool)
        if sp.consequence == "record":
            outcome[~open_] = _UNPROVEN
            return billed
        doubt = open_ & self._doubted(who, name, step)
        if sp.consequence == "refuse":
            outcome[doubt] = _DOUBT
            return billed
        chargeable = ~open_ | doubt
        streams = self.run.streams
        urgent = streams.uniform("operations.urgent", who, step=step) < self.p.p_urgent
        cannot_pay = streams.uniform("operations.upfront_pay", who, step=step) < self.p.p_cannot_pay
        no_care = chargeable & ~urgent & cannot_pay & self.p.upfront_charging
        billed = chargeable & ~no_care
        outcome[billed] = _CHARGED
        outcome[no_care] = _NO_CARE
        return billed

    def day(self, t: int) -> TriggerDay:
        """Check everyone who comes to a service point today; refuse, charge, record, report."""
        run, vocab, ppl = self.run, self.run.world.vocab, self.run.world.people
        n_checks = n_failed_lawful = 0
        for k, name, sp in self.points:
            who = self._arrivals(t, k, sp)
            if who.size == 0:
                continue
            step = t * _POINT_STEP + k
            status = ppl.status[who]
            shows_removable = vocab.shows_removable(run.own_record[who])
            u = run.streams.uniform("operations.status_check", who, step=step)
            cannot_prove = vocab.digital_only[status] & ~shows_removable & (u < self.p.p_digital_fails)
            failed = shows_removable | cannot_prove
            outcome = self._decide(who, failed, t)
            billed = self._consequence(who, outcome, sp, name, step)
            common = dict(day=t, person=who, status=status, group=ppl.group[who], context=k,
                          record=run.own_record[who])
            run.log.add(who.size, kind=_STATUS_CHECK, outcome=outcome, **common)
            n_checks += who.size
            n_failed_lawful += int((failed & self.lawful[who]).sum())
            self._report(t, k, name, sp, who, outcome, billed, common, step)
        self._report_debts(t)
        self._record_daily(t, n_checks, n_failed_lawful)
        return EMPTY_DAY

    def _report(self, t: int, k: int, name: str, sp, who, outcome, billed, common, step: int) -> None:
        """Report today's refusals after a failed check, or queue unpaid bills as debts to report later."""
        if self.reports is None or not self.reports.shares(k):
            return
        p_report = self.p.p_report_by_point.get(name, self.p.p_report)
        u_report = self.run.streams.uniform("operations.report", who, step=step)
        if sp.consequence == "charge":
            unpaid = self.run.streams.uniform("operations.debt", who, step=step) < self.p.p_debt_unpaid
            debtors = who[billed & unpaid & (u_report < p_report)]
            due = t + int(round(self.p.dur_debt_report))
            if debtors.size and self.p.dur_debt_report <= self.reports.p.retention_days and due < self.run.s.n_days:
                self.debts.append((due, k, debtors))
            return
        reported = (outcome == _REFUSED) & (u_report < p_report)
        if reported.any():
            self._log_reports(int(reported.sum()), {c: (v[reported] if isinstance(v, np.ndarray) else v)
                                                    for c, v in common.items()})
            self.reports.report(who[reported])

    def _report_debts(self, t: int) -> None:
        """Report the debts falling due today (people in custody or removed are reported too: the data flows)."""
        due = [d for d in self.debts if d[0] == t]
        if not due:
            return
        self.debts = [d for d in self.debts if d[0] != t]
        ppl, own = self.run.world.people, self.run.own_record
        for _, k, people in due:
            self._log_reports(people.size, dict(day=t, person=people, status=ppl.status[people],
                                                group=ppl.group[people], context=k, record=own[people]))
            self.reports.report(people)

    def _log_reports(self, n: int, columns: dict) -> None:
        self.run.log.add(n, kind=_REPORT, outcome=_REPORTED, **columns)

    def _record_daily(self, t: int, n_checks: int, n_failed_lawful: int) -> None:
        """The trigger's daily series (:data:`STATUS_CHECK_SERIES`)."""
        daily, at_large = self.run.daily, self.run.ti_free <= t
        daily["status_checks"][t] = n_checks
        daily["check_failures_lawful"][t] = n_failed_lawful
        daily["lawful_residents"][t] = int((self.lawful & at_large).sum())
        daily["digital_only_lawful"][t] = int((self.digital_lawful & at_large).sum())
