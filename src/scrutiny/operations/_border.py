"""The border zone's encounter triggers: interior checkpoints with plate-reader corridors, and ports of entry.

``checkpoint`` (:class:`Checkpoint`), for each of the jurisdiction's checkpoints (service points of
kind ``"checkpoint"``), each day:

1. trips: residents who drive through it today (its flow rate; removable residents
   ``rel_trips_removable`` as often; nobody in custody), drawn like a service point's arrivals;
2. corridor: every vehicle is read by the corridor's plate readers and the reads are retained; a
   watch-listed person's vehicle may be on an immigration hot list (a hit files a lead at their home
   in the lead book), and any vehicle may hit another hot list (stolen vehicles, warrants);
3. primary (only if the checkpoint operates, ``miles_inland <= max_miles_inland``): every vehicle is
   stopped (counted by status and group in the daily series, not logged one by one); it is referred
   to secondary for a plate hit, a dog's alert on drugs it carries, or by the referral rule (random,
   or by appearance);
4. secondary (logged: ``secondary`` with the reason, ``seizure``, and the scan, match and decision of a
   face search): drugs carried are seized; with ``face_search`` the traveller's face is compared with
   the scenario's galleries through the field matcher (its threshold, its decision rules); questioning
   finds out a removable person with ``p_status_found``; those found out or flagged and not cleared are
   apprehended (a detention whose event carries the checkpoint as its context).

``port_of_entry`` (:class:`PortOfEntry`): residents crossing at each port (service points of kind
``"port_of_entry"``) are photographed and compared with a manifest gallery or the full searched union
at a fixed per-comparison FMR; a stranger's match sends them to secondary (their passport settles it);
the photos retained at each day's end follow the retention rule by citizenship.

Every per-person draw is counter-based on (person, day, point), so arms share them: an arm that closes a
checkpoint or changes the referral rule changes nothing else that day.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny._sets import unique
from scrutiny.codes import EVENT_KINDS, GROUPS, OUTCOMES, RACES, code
from scrutiny.field import ScanResult, fpir
from scrutiny.operations._triggers import EMPTY_DAY, Trigger, TriggerDay, _correct_records
from scrutiny.scenario import TRIGGERS, ComponentParams
from scrutiny.sources import ADDRESS, channel_code, make_leads

__all__ = ["Checkpoint", "PortOfEntry", "CHECKPOINT_SERIES", "PORT_SERIES"]

_K = {k: code(EVENT_KINDS, k) for k in ("secondary", "seizure", "traveller_photo", "scan", "match", "decision")}
_O = {o: code(OUTCOMES, o) for o in (
    "referred_random", "referred_appearance", "referred_plate_hit", "referred_canine", "referred_face_match",
    "drugs_seized", "matched", "no_match", "mate", "false_match", "detain")}
#: Points per day are keyed ``day * _POINT_STEP + point`` in the random streams (as service points are).
_POINT_STEP = 64
#: The field matcher's draws at a checkpoint's secondary are keyed past every day's own key.
_SECONDARY_STEP = 1 << 24
#: A second draw of the same stream and point-day is keyed past the first.
_SECOND = 1 << 23
#: Daily series the checkpoint trigger adds (with one ``checkpoint_stops_<group>`` per group).
CHECKPOINT_SERIES: tuple[str, ...] = (
    "checkpoint_stops", "checkpoint_stops_citizen", *(f"checkpoint_stops_{g}" for g in GROUPS),
    "checkpoints_operating", "corridor_plate_reads", "corridor_plate_hits", "corridor_plate_reads_retained",
)
#: Daily series the port-of-entry trigger adds.
PORT_SERIES: tuple[str, ...] = ("travellers_photographed", "traveller_false_matches", "traveller_records_retained")


def _points(vocab, kind: str) -> list[tuple[int, object]]:
    """(context code, service point) of the jurisdiction's points of ``kind``."""
    return [(k, sp) for k, sp in enumerate(vocab.service_points.values()) if getattr(sp, "kind", "service") == kind]


def _users(ppl, vocab) -> dict[str, np.ndarray]:
    everyone = np.arange(ppl.n, dtype=np.int64)
    lawful_nc = ~vocab.citizen[ppl.status] & ~vocab.removable[ppl.status]
    return {"everyone": everyone, "adults": everyone[~ppl.is_child], "children": everyone[ppl.is_child],
            "lawful_non_citizens": everyone[lawful_nc]}


class _Flow(Trigger):
    """Arrivals at a point: its users at its flow rate, removable people less often, nobody in custody."""

    stream: str = ""  # the generator of the day's arrivals
    avoid_step: int = 0  # offset of the avoidance draw's step (ports draw past checkpoints)
    rel_removable: float = 1.0

    def _arrivals(self, t: int, k: int, sp, users: dict[str, np.ndarray]) -> np.ndarray:
        run = self.run
        pool = users[sp.users]
        rate = min(1.0, sp.per_person_per_year / 365.0)
        if pool.size == 0 or rate <= 0:
            return np.zeros(0, np.int64)
        step = t * _POINT_STEP + k
        rng = run.streams.generator(self.stream, step=step)
        who = unique(pool[rng.integers(0, pool.size, rng.binomial(pool.size, rate))])
        removable = run.world.vocab.removable[run.world.people.status[who]]
        u = run.streams.uniform("operations.checkpoint_avoid", who, step=step + self.avoid_step)
        who = who[~removable | (u < self.rel_removable)]
        return who[run.ti_free[who] <= t]

    def _log(self, kind: str, t: int, k: int, who: np.ndarray, outcome, record=None) -> None:
        ppl, places = self.run.world.people, self.run.world.places
        if who.size == 0:
            return
        cols = dict(day=t, kind=_K[kind], outcome=outcome, person=who, status=ppl.status[who],
                    group=ppl.group[who], tract=places.tract[ppl.home[who]], context=k)
        if record is not None:
            cols["record"] = record
        self.run.log.add(who.size, **cols)


@TRIGGERS.implements("checkpoint")
class Checkpoint(_Flow):
    """Interior checkpoints on corridors read by plate readers (see the module docstring)."""

    stream = "operations.checkpoint"

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        vocab = run.world.vocab
        self.rel_removable = p.rel_trips_removable
        self.points = _points(vocab, "checkpoint")
        self.operating = {k: sp.miles_inland <= p.max_miles_inland for k, sp in self.points}
        self.users = _users(run.world.people, vocab)
        self.rel_referral = np.array([p.rel_referral_by_race[r] for r in RACES], dtype=np.float64)
        plates = run.s.sources.plates
        self.p_other_hit = -math.expm1(p.plate_readers_per_corridor * math.log1p(-min(plates.p_hot_list, 1 - 1e-12)))
        self.hit_confidence = plates.hit_confidence
        self.reads = np.zeros(max(1, int(math.ceil(p.plate_retention_days))), dtype=np.int64)
        if self.points:
            for name in CHECKPOINT_SERIES:
                run.daily.setdefault(name, np.zeros(run.s.n_days))

    def day(self, t: int) -> TriggerDay:
        """Trips, corridor reads, stops, referrals, seizures, identification and apprehensions of day ``t``."""
        if not self.points:
            return EMPTY_DAY
        run, held_all, reads, hits = self.run, [], 0, 0
        for k, sp in self.points:
            who = self._arrivals(t, k, sp, self.users)
            if who.size == 0:
                continue
            hit = self._corridor(t, k, who)
            reads += who.size * self.p.plate_readers_per_corridor
            hits += int(hit.sum())
            if self.operating[k]:
                held_all.append(self._stop(t, k, who, hit))
        daily = run.daily
        self.reads[t % self.reads.size] = reads
        daily["corridor_plate_reads"][t], daily["corridor_plate_hits"][t] = reads, hits
        daily["corridor_plate_reads_retained"][t] = self.reads.sum()
        daily["checkpoints_operating"][t] = sum(self.operating.values())
        held = np.concatenate(held_all) if held_all else np.zeros(0, np.int64)
        return TriggerDay(np.zeros(0, np.int64), held)

    def _corridor(self, t: int, k: int, who: np.ndarray) -> np.ndarray:
        """Bool per vehicle: a hot-list hit on the corridor's readers; immigration hits file leads."""
        run, p = self.run, self.p
        if p.plate_readers_per_corridor == 0:
            return np.zeros(who.size, dtype=bool)
        step = t * _POINT_STEP + k
        watch = run.world.vocab.shows_removable(run.own_record[who]) & ~run.cleared[who]
        listed = watch & (run.streams.uniform("operations.corridor_plates", who, step=step) < p.p_vehicle_hot_listed)
        other = run.streams.uniform("operations.corridor_plates", who, step=step + _SECOND) < self.p_other_hit
        if listed.any():
            subject = who[listed]
            leads = make_leads(subject, run.world.people.home[subject], self.hit_confidence, channel_code("plates"),
                               ADDRESS)
            run.book.add(leads, t, named=run.world.vocab.named_record[np.maximum(run.own_record[subject], 0)])
        return listed | other

    def _stop(self, t: int, k: int, who: np.ndarray, hit: np.ndarray) -> np.ndarray:
        """Primary and secondary inspection at an operating checkpoint; return the people apprehended."""
        run, p, ppl, vocab = self.run, self.p, self.run.world.people, self.run.world.vocab
        step = t * _POINT_STEP + k
        group = ppl.group[who].astype(np.int64)
        daily = run.daily
        daily["checkpoint_stops"][t] += who.size
        daily["checkpoint_stops_citizen"][t] += int(vocab.citizen[ppl.status[who]].sum())
        for g, n in enumerate(np.bincount(group, minlength=len(GROUPS))):
            daily[f"checkpoint_stops_{GROUPS[g]}"][t] += n
        u_drugs = run.streams.uniform("operations.contraband", who, step=step)
        carrying = u_drugs < p.p_contraband
        canine = u_drugs < p.p_contraband * p.p_canine_alert  # nested: only a vehicle carrying drugs
        rel = self.rel_referral[group // 2] if p.referral == "appearance" else 1.0
        rule = run.streams.uniform("operations.referral", who, step=step) < np.minimum(1.0, p.p_referral * rel)
        referred = hit | canine | rule
        rule_code = _O["referred_appearance"] if p.referral == "appearance" else _O["referred_random"]
        reason = np.where(hit, _O["referred_plate_hit"], np.where(canine, _O["referred_canine"], rule_code))
        sec = who[referred]
        self._log("secondary", t, k, sec, reason[referred], run.own_record[sec])
        self._log("seizure", t, k, who[referred & carrying], _O["drugs_seized"])
        face_held = np.zeros(sec.size, dtype=bool)
        own_error = np.ones(sec.size, dtype=bool)
        if p.face_search and sec.size:
            res = run.matcher.scan(sec, _SECONDARY_STEP + step, run.streams, widen=True)
            self._log_scans(t, k, sec, res)
            face_held, own_error = res.detained, ~res.false_match
        found = vocab.removable[ppl.status[sec]] & (
            run.streams.uniform("operations.questioning", sec, step=step) < p.p_status_found)
        appr = found | face_held
        held = sec[appr]
        run.detention.detain(run.log, t, held, np.full(held.size, -1), run.world, run.ti_free,
                             own_record_error=own_error[appr], context=k)
        _correct_records(run, held)
        run.book.close(held)
        return held

    def _log_scans(self, t: int, k: int, who: np.ndarray, res: ScanResult) -> None:
        """Scan, match and decision events of the face search at secondary (everyone there is scanned)."""
        self._log("scan", t, k, who, np.where(res.matched, _O["matched"], _O["no_match"]))
        m = res.matched
        self._log("match", t, k, who[m], np.where(res.mate[m], _O["mate"], _O["false_match"]), res.record[m])
        f = res.flagged
        self._log("decision", t, k, who[f], np.where(res.cleared[f] >= 0, res.cleared[f], _O["detain"]),
                  res.record[f])


@TRIGGERS.implements("port_of_entry")
class PortOfEntry(_Flow):
    """Traveller face comparison at ports of entry (see the module docstring)."""

    stream = "operations.crossing"
    avoid_step = _SECOND

    def __init__(self, run, p: ComponentParams) -> None:
        super().__init__(run, p)
        vocab = run.world.vocab
        self.rel_removable = p.rel_crossings_removable
        self.points = _points(vocab, "port_of_entry")
        self.users = _users(run.world.people, vocab)
        rel = np.array([run.s.field.rel_fmr_group[g] for g in GROUPS], dtype=np.float64)
        self.n_gallery = float(p.manifest_size) if p.gallery == "manifest" else float(run.matcher.gallery_size)
        self.fpir = fpir(np.minimum(1.0, rel * p.fmr), self.n_gallery)  # per group
        n = run.s.n_days
        self.photos = np.zeros((2, n))  # [citizen, not], photos taken each day
        if self.points:
            for name in PORT_SERIES:
                run.daily.setdefault(name, np.zeros(n))

    def day(self, t: int) -> TriggerDay:
        """Photograph and compare today's crossing travellers; refer strangers' matches; count photos kept."""
        if not self.points:
            return EMPTY_DAY
        run, p, ppl = self.run, self.p, self.run.world.people
        for k, sp in self.points:
            who = self._arrivals(t, k, sp, self.users)
            if who.size == 0:
                continue
            step = t * _POINT_STEP + k
            group = ppl.group[who].astype(np.int64)
            false = run.streams.uniform("operations.traveller_match", who, step=step) < self.fpir[group]
            mate = run.streams.uniform("operations.traveller_match", who, step=step + _SECOND) >= p.fnmr
            outcome = np.where(false, _O["false_match"], np.where(mate, _O["mate"], _O["no_match"]))
            self._log("traveller_photo", t, k, who, outcome)
            self._log("secondary", t, k, who[false], _O["referred_face_match"])
            citizen = run.world.vocab.citizen[ppl.status[who]]
            self.photos[0, t] += citizen.sum()
            self.photos[1, t] += (~citizen).sum()
            run.daily["travellers_photographed"][t] += who.size
            run.daily["traveller_false_matches"][t] += int(false.sum())
        kept = 0.0
        for row, days in ((0, p.retention_days_citizen), (1, p.retention_days_non_citizen)):
            lo = max(0, int(math.ceil(t + 1 - days)))  # a photo of day d is d..t+1 days old at the end of day t
            kept += self.photos[row, lo:t + 1].sum()
        run.daily["traveller_records_retained"][t] = kept
        return EMPTY_DAY
