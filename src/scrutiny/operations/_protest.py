"""The ``protests`` trigger: protest events, who attends, and what surveillance there records.

Each day (:meth:`Protests.day`), for every protest site hosting an event today (scheduled:
``world.places.p_protest_day``; or called the day after visible operations,
``p_protest_after_operations``), in this order:

1. would-be attendees: residents not in custody who choose to attend, drawn at
   ``world.places.p_attend_protest`` times a propensity by status (1 for citizens,
   ``rel_attend_lawful``, ``rel_attend_undocumented``), stream ``operations.protest_attend``;
2. chilling: each stays home with probability ``1 - (1 - a_fear) (1 - a_surv)``, where
   ``a_fear = min(1, rel_fear_sensitivity x behavior avoidance at the home tract's fear)`` and
   ``a_surv = surveillance_deterrence x (1 - exp(-E))``, ``E`` the expected surveillance (stream
   ``operations.protest_stay``). The would-be attendees who stayed home are the attendance lost;
3. surveillance (``surveillance``): a share ``p_face_scan`` of attendees is captured and searched
   at the matcher's operating threshold (:meth:`scrutiny.field.Matcher.identify`: their own record,
   a stranger's, or nothing); a share ``p_plate_read`` has their plate read (the registered owner is
   identified); with ``cell_site_at_protests`` and ``sources.cell`` enabled, a cell-site simulator
   captures every phone present (a share ``p_phone`` of attendees carry one): ``n`` phones present
   are ``n`` records, all of bystanders, counted under the ``cell`` source. Face scans are kept
   ``field.retention_days``, plate reads ``sources.plates.retention_days``;
4. leads (``identified_to_leads``): an attendee identified by their own record whose record shows a
   removable status enters the lead book at their home;

then ``E`` decays like fear (``behavior.fear_half_life``) and grows by ``surveillance_salience``
per surveilled event, and a day with visible operations (site visits listed before this trigger) may
call an event for tomorrow. The trigger detains nobody and is not a visible operation (it adds no
site); a site visit at a protest event finds its attendees (drawn once per event, before the visit,
so people detained there that day still count as having attended).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from scrutiny._sets import union, unique
from scrutiny.behavior import avoidance, avoidance_table
from scrutiny.codes import PLACE_TYPES, code
from scrutiny.operations._triggers import EMPTY_DAY, Trigger, TriggerDay
from scrutiny.scenario import TRIGGERS, ComponentParams
from scrutiny.sources import make_leads

__all__ = ["Protests", "PROTEST_SERIES"]

#: Daily series the trigger adds to ``RunOutput.daily``.
PROTEST_SERIES: tuple[str, ...] = (
    "protest_events", "protest_attendance", "protest_attendance_lost", "protesters_scanned",
    "phones_captured_at_protests", "expected_surveillance",
)
#: Protest sites per day are keyed ``day * _SITE_STEP + site`` in the random streams.
_SITE_STEP = 4096
#: Offset of the protest searches' step, so that they never share draws with a site visit's scans.
_SEARCH_OFFSET = 1 << 40


@TRIGGERS.implements("protests")
class Protests(Trigger):
    """Protest events with chilled attendance and surveillance (see the module docstring)."""

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        world, vocab = run.world, run.world.vocab
        self.sites = np.flatnonzero(world.places.kind == code(PLACE_TYPES, "protest_site"))
        rel = np.where(vocab.citizen, 1.0, np.where(vocab.undocumented, p.rel_attend_undocumented,
                                                     p.rel_attend_lawful))
        self.rel = rel.astype(np.float64)
        self.rel_max = float(max(self.rel.max(initial=0.0), 1e-12))
        self._avoid_table = avoidance_table(run.s.behavior, vocab)  # built once, read at every event
        n_status, n_days = len(vocab.statuses), run.s.n_days
        self.would_attend = np.zeros(n_status)  # would-be attendances, by status
        self.lost = np.zeros(n_status)  # attendances lost to fear and expected surveillance
        self.identified = np.zeros(world.people.n, dtype=bool)  # by their own record (face or plate)
        self.misidentified = np.zeros(world.people.n, dtype=bool)  # a face search returned a stranger's record
        self.face_records = np.zeros(n_days)
        self.plate_records = np.zeros(n_days)
        self.expected = 0.0  # E, expected surveillance
        s = run.s
        channels = run.sources.channels
        self.cell = channels.index("cell") if s.sources.cell.enabled and "cell" in channels else None
        self.plates_on = bool(s.sources.plates.enabled)
        self.lead_source = channels.index("plates") if "plates" in channels else 0
        for name in PROTEST_SERIES:
            run.daily[name] = np.zeros(n_days)
        self._cache: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        run.presence = dataclasses.replace(run.presence, attendees=self.attendees)  # a raid there finds them

    def day(self, t: int) -> TriggerDay:
        """Today's events (steps 1 to 4), then tomorrow's expectations and events."""
        run = self.run
        events = np.flatnonzero(run.protest_days[:, t]) if self.sites.size else np.zeros(0, np.int64)
        surveilled = 0
        n_status = self.lost.size
        for j in events:
            would, stay = self._event(t, int(j))
            status = run.world.people.status[would]
            self.would_attend += np.bincount(status, minlength=n_status)
            self.lost += np.bincount(status[stay], minlength=n_status)
            run.daily["protest_attendance"][t] += int((~stay).sum())
            run.daily["protest_attendance_lost"][t] += int(stay.sum())
            attendees = would[~stay]
            if self.p.surveillance and attendees.size:
                self._surveil(t, int(j), attendees)
                surveilled += 1
        self._cache.clear()
        run.daily["protest_events"][t] = events.size
        decay = 0.5 ** (1.0 / run.s.behavior.fear_half_life)
        self.expected = self.expected * decay + self.p.surveillance_salience * surveilled
        run.daily["expected_surveillance"][t] = -np.expm1(-self.expected)
        self._call_tomorrow(t)
        return EMPTY_DAY

    def attendees(self, t: int, j: int) -> np.ndarray:
        """Who came to protest site ``j``'s event on day ``t`` (the people a site visit there finds)."""
        would, stay = self._event(t, j)
        return would[~stay]

    def _event(self, t: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        """Steps 1-2 of event ``j`` on day ``t``: the would-be attendees and who of them stayed home (cached)."""
        key = (t, j)
        if key not in self._cache:
            self._cache[key] = self._draw(t, j)
        return self._cache[key]

    def _draw(self, t: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        run, ppl = self.run, self.run.world.people
        pp = run.s.world.places
        step = t * _SITE_STEP + j
        rng = run.streams.generator("operations.protest_attend", step=step)
        n = rng.poisson(ppl.n * min(1.0, pp.p_attend_protest * self.rel_max))
        cand = unique(rng.integers(0, ppl.n, n))
        cand = cand[rng.random(cand.size) * self.rel_max < self.rel[ppl.status[cand]]]
        who = cand[run.ti_free[cand] <= t]
        tract = run.world.places.tract[ppl.home[who]]
        a_fear = np.minimum(1.0, self.p.rel_fear_sensitivity * avoidance(
            run.chilling.fear, tract, ppl.status[who], ppl.mixed[who], run.s.behavior, run.world.vocab,
            table=self._avoid_table))
        a_surv = self.p.surveillance_deterrence * -np.expm1(-self.expected)
        stay = run.streams.uniform("operations.protest_stay", who, step=step) < 1.0 - (1.0 - a_fear) * (1.0 - a_surv)
        return who, stay

    def _surveil(self, t: int, j: int, who: np.ndarray) -> None:
        """Steps 3-4: face scans, plate reads and phones captured at event ``j``; leads where the scenario says."""
        run, p = self.run, self.p
        step = t * _SITE_STEP + j
        u = run.streams.uniform("operations.protest_surveil", np.stack([3 * who, 3 * who + 1, 3 * who + 2]), step=step)
        scanned = who[u[0] < p.p_face_scan]
        mate, false = run.matcher.identify(scanned, _SEARCH_OFFSET + step, run.streams)
        plate = who[u[1] < p.p_plate_read] if self.plates_on else np.zeros(0, np.int64)
        self.identified[scanned[mate]] = True
        self.identified[plate] = True
        self.misidentified[scanned[false]] = True
        self.face_records[t] += scanned.size
        self.plate_records[t] += plate.size
        run.daily["protesters_scanned"][t] += scanned.size
        if self.cell is not None and p.cell_site_at_protests:
            phones = int((u[2] < p.p_phone).sum())  # every phone present; none is a deployment's target
            run.sources.tally.records[self.cell] += phones
            run.sources.tally.bystanders[self.cell] += phones
            run.daily["phones_captured_at_protests"][t] += phones
        if p.identified_to_leads:
            self._file_leads(t, union(scanned[mate], plate))

    def _file_leads(self, t: int, who: np.ndarray) -> None:
        """Identified attendees whose own record shows a removable status enter the lead book at their home."""
        run, vocab = self.run, self.run.world.vocab
        record = run.own_record[who]
        who = who[vocab.shows_removable(record) & ~run.cleared[who]]
        if who.size == 0:
            return
        leads = make_leads(who, run.world.people.home[who], self.p.lead_confidence, self.lead_source)
        run.book.add(leads, t, named=vocab.named_record[np.maximum(run.own_record[who], 0)])

    def _call_tomorrow(self, t: int) -> None:
        """A day with visible operations may call an event at one protest site tomorrow."""
        run = self.run
        if t + 1 >= run.s.n_days or self.sites.size == 0 or run.daily["sites"][t] <= 0:
            return
        rng = run.streams.generator("operations.protest_call", step=t)
        if rng.random() < self.p.p_protest_after_operations:
            run.protest_days[int(rng.integers(0, self.sites.size)), t + 1] = True

    def as_dict(self) -> dict:
        """What the metrics read (``RunOutput.dissent["protest"]``)."""
        run, vocab = self.run, self.run.world.vocab
        n_status, status = len(vocab.statuses), run.world.people.status
        n_days = run.s.n_days
        face_kept = _retained(self.face_records, run.s.field.retention_days, n_days)
        plate_kept = _retained(self.plate_records, run.s.sources.plates.retention_days, n_days)
        return {
            "would_attend": self.would_attend.copy(), "lost": self.lost.copy(),
            "identified": np.bincount(status[self.identified], minlength=n_status).astype(np.float64),
            "misidentified": np.bincount(status[self.misidentified], minlength=n_status).astype(np.float64),
            "records_retained": face_kept + plate_kept,
            "phones_captured": float(run.daily["phones_captured_at_protests"].sum()),
            "events": float(run.daily["protest_events"].sum()),
        }


def _retained(per_day: np.ndarray, retention_days: float, n_days: int) -> float:
    """Records made on each day still held at the end of the last day (kept ``retention_days``)."""
    age = (n_days - 1) - np.arange(per_day.size)
    return float(per_day[age < retention_days].sum())
