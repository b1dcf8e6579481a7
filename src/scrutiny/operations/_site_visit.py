"""The ``site_visit`` encounter trigger: teams visit the places targeting chose and identify who is there.

A day of site visits (:meth:`SiteVisit.day`), in this order:

1. targeting: score every place from prior, lead book and feedback; pick up to ``capacity`` sites
   in visiting order under the policy (:meth:`scrutiny.targeting.Targeter.select`; quota pressure
   ``more_sites`` raises the capacity);
2. field: draw who is present at each site, scan them under the scan policy, search the galleries
   at the day's threshold (quota pressure ``lower_threshold`` lowers it), decide
   (:class:`scrutiny.field.Presence`, :class:`scrutiny.field.Matcher`);
3. operations: visit every selected site (the quota is a floor: it never stops the day's work; while
   behind it, quota pressure raises tomorrow's capacity, widens scanning or lowers the threshold);
   detain; schedule each detainee's release (wrongful detentions, after a delay) or removal; log the
   visit's events (every operation, encounter, scan, match, decision, detention, release and removal);
4. feedback: the visited places' arrests feed back (:meth:`scrutiny.targeting.Targeter.observe`);
   pins of people detained close and pins at visited places lose confidence
   (:meth:`scrutiny.targeting.LeadBook.visited`);

and it records its daily series (sites, arrests, encounters, scans, false matches, cleared, the
effective threshold and the reference group's FPIR at it). A day whose capacity rounds to no site
(most days of a small metro's ordinary workload) skips steps 1 to 4 (:meth:`SiteVisit.no_sites`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scrutiny.codes import OUTCOMES
from scrutiny.events import EventBuffer
from scrutiny.field import NamedSubjects, ScanResult, log_encounters
from scrutiny.operations._detention import NEVER_FREE
from scrutiny.operations._pressure import sites_today
from scrutiny.operations._triggers import Trigger, TriggerDay
from scrutiny.scenario import TRIGGERS
from scrutiny.targeting import LeadBook, Selection
from scrutiny.world import World

__all__ = ["SiteVisit"]

_O = {name: i for i, name in enumerate(OUTCOMES)}


@dataclass(frozen=True, slots=True)
class _Scan:
    """What step 2 (field) produced: everyone present at the day's sites and their scan results."""

    site_i: np.ndarray  # index into the day's sites, per person present
    person: np.ndarray  # person id, per person present
    result: ScanResult
    threshold: float  # the day's effective match threshold


@dataclass(frozen=True, slots=True)
class _Visits:
    """What step 3 (operations) produced: the sites actually visited and who was detained there."""

    sites: np.ndarray  # place ids visited, in visiting order
    det_per_site: np.ndarray  # detentions per visited site
    scan: _Scan  # restricted to the visited sites
    detained: np.ndarray  # person ids detained


@TRIGGERS.implements("site_visit")
class SiteVisit(Trigger):
    """Targeted site visits with biometric identification of the people present."""

    def day(self, t: int) -> TriggerDay:
        """Steps 1 to 4 of the module docstring, then this trigger's daily series."""
        n_sites = self.sites_today(t)
        if n_sites == 0:
            return self.no_sites(t)
        selection = self.select_sites(t, n_sites)  # 1
        scan = self.scan_present(t, selection.sites)  # 2
        visits = self.operate(t, selection.sites, scan)  # 3
        self.feed_back(t, selection, visits)  # 4
        self.record_daily(t, visits)
        return TriggerDay(visits.sites, visits.detained)

    def sites_today(self, t: int) -> int:
        """The number of sites the teams can visit on day ``t`` (the capacity, rounded by the day's draw)."""
        run = self.run
        u = float(run.streams.generator("operations.capacity", step=t).random())
        return sites_today(run.pressure.capacity(run.capacity), u)

    def select_sites(self, t: int, n_sites: int | None = None) -> Selection:
        """Step 1, targeting: pick the day's sites (``n_sites``, default :meth:`sites_today`) in visiting order."""
        run = self.run
        protest_today = run.protest_days[:, t] if run.protest_days.shape[0] else None
        n_sites = self.sites_today(t) if n_sites is None else n_sites
        return run.targeter.select(t, run.book, n_sites, protest_today)

    def no_sites(self, t: int) -> TriggerDay:
        """A day whose capacity rounds to no site: what steps 1 to 4 come to with nothing to visit.

        Nothing is chosen, nobody is met, detained or fed back; the lead book still sweeps its weak
        pins, and the daily series are written as on any day. Every draw is keyed by its day
        (:mod:`scrutiny.rng`), so skipping this day's draws moves no other day's: the run is the same
        to the bit as one that ranks the places to choose none (tests/unit/operations/test_no_sites.py).
        """
        run = self.run
        none = np.zeros(0, np.int64)
        run.book.visited(none, none, run.s.targeting.lead_miss_decay, t)
        self._write_daily(t, 0, 0, 0, 0, 0, 0, run.pressure.threshold(run.matcher.operating_threshold))
        return TriggerDay(none, none)

    def scan_present(self, t: int, sites: np.ndarray) -> _Scan:
        """Step 2, field: who is present at each site, and their scans, searches and decisions."""
        run = self.run
        site_i, person = run.presence.at(sites, t, run.ti_free, run.chilling.fear)
        tau = run.pressure.threshold(run.matcher.operating_threshold)
        is_named = None
        if run.matcher.needs_named:
            is_named = _named(run.book, sites, site_i, person, t, run.world.people.n)
        result = run.matcher.scan(person, t, run.streams, threshold=tau, named=is_named, widen=run.pressure.widen)
        return _Scan(site_i, person, result, tau)

    def operate(self, t: int, sites: np.ndarray, scan: _Scan) -> _Visits:
        """Step 3, operations: visit every site, detain, log the day's events."""
        run = self.run
        ppl = run.world.people
        n_visit = sites.size
        det_per_site = np.bincount(scan.site_i[scan.result.detained], minlength=n_visit)
        site_i, person, res = scan.site_i, scan.person, scan.result

        detained = person[res.detained]
        truly = run.world.vocab.removable[ppl.status[detained]]
        found = np.bincount(site_i[res.detained][truly], minlength=n_visit) > 0
        _log_day(run.log, t, sites, found, run.world)
        log_encounters(run.log, t, sites[site_i], person, res, run.world)
        run.detention.detain(run.log, t, detained, sites[site_i[res.detained]], run.world, run.ti_free,
                             own_record_error=~res.false_match[res.detained])
        if run.s.operations.record_corrected_on_release:
            proved = detained[~truly & (run.ti_free[detained] != NEVER_FREE)]
            run.own_record[proved] = ppl.status[proved]
            run.cleared[proved] = True
        return _Visits(sites, det_per_site, _Scan(site_i, person, res, scan.threshold), detained)

    def feed_back(self, t: int, selection: Selection, visits: _Visits) -> None:
        """Step 4, feedback: arrests to the targeter, visits to the lead book."""
        run = self.run
        run.targeter.observe(selection, visits.sites.size, visits.det_per_site, day=t)
        run.book.visited(visits.sites, visits.detained, run.s.targeting.lead_miss_decay, t)

    def record_daily(self, t: int, visits: _Visits) -> None:
        """The site visits' daily series (see ``scrutiny.operations.DAILY_SERIES``)."""
        res = visits.scan.result
        self._write_daily(t, visits.sites.size, visits.detained.size, visits.scan.person.size, int(res.scanned.sum()),
                          int(res.false_match.sum()), int((res.cleared >= 0).sum()), visits.scan.threshold)

    def _write_daily(self, t: int, sites: int, arrests: int, encounters: int, scans: int, false_matches: int,
                     cleared: int, tau: float) -> None:
        daily = self.run.daily
        daily["sites"][t], daily["arrests"][t], daily["encounters"][t] = sites, arrests, encounters
        daily["scans"][t], daily["false_matches"][t], daily["cleared"][t] = scans, false_matches, cleared
        daily["threshold"][t] = tau
        daily["fpir_reference"][t] = self.run.matcher.rates(tau)[1][0]


def _log_day(log: EventBuffer, t: int, sites, found, world: World) -> None:
    places = world.places
    log.add(
        sites.size, day=t, kind=0, place=sites, place_kind=places.kind[sites], tract=places.tract[sites],
        outcome=np.where(found, _O["found_removable"], _O["found_none"]),
    )


def _named(book: LeadBook, sites: np.ndarray, site_i: np.ndarray, person: np.ndarray, day: int, n_people: int):
    """Bool per person present: they are a subject of an active pin at the site (``named_only`` scans)."""
    subject_site, subject, _ = book.subjects_at(sites, day)
    index = NamedSubjects.build(subject, sites[subject_site], n_people)
    return index.at(sites[site_i], person, np.ones(subject.size))
