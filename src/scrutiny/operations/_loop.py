"""The daily loop: the one stateful part of the model.

:func:`simulate` runs one replicate: ``_setup`` builds the run's state (world, random streams,
records, sources, lead book, targeter, matcher, presence, detention, quota pressure, accumulators
and event buffer), then ``_Run.step(t)`` runs each day ``t`` as these steps, in this order (one
method of ``_Run`` per step):

0. sources: the day's new leads (refreshed records, plate hits, located phones, tips) enter the
   lead book (:meth:`scrutiny.sources.SourceSet.day`, :meth:`scrutiny.targeting.LeadBook.add`);
1. targeting: score every place from prior, lead book and feedback; pick up to ``capacity``
   sites in visiting order under the policy (:meth:`scrutiny.targeting.Targeter.select`; quota
   pressure ``more_sites`` raises the capacity);
2. field: draw who is present at each site, scan them under the scan policy, search the galleries
   at the day's threshold (quota pressure ``lower_threshold`` lowers it), decide
   (:class:`scrutiny.field.Presence`, :class:`scrutiny.field.Matcher`);
3. operations: visit sites in order until the day's quota is met; detain; schedule each
   detainee's release (wrongful detentions, after a delay) or removal; log the day's events
   (every operation, encounter, scan, match, decision, detention, release and removal);
4. feedback: the visited places' arrests feed back (:meth:`scrutiny.targeting.Targeter.observe`);
   pins of people detained close and pins at visited places lose confidence
   (:meth:`scrutiny.targeting.LeadBook.visited`); the allocation monitor compares operations with
   where removable people at large truly are (:class:`AllocationMonitor`);
5. behavior: expected visits lost to avoidance are accumulated, then fear rises in the tracts
   where operations were seen and decays everywhere (:class:`scrutiny.behavior.Chilling`);
6. daily series: the day's counts, threshold, reference FPIR, pressure level and mean fear
   (:data:`DAILY_SERIES`);
7. quota pressure: the pressure level moves with whether today's quota was met
   (:class:`scrutiny.operations.QuotaPressure`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scrutiny.behavior import CHILLED_PLACES, Chilling
from scrutiny.codes import OUTCOMES, PLACE_TYPES, Vocabulary, code
from scrutiny.events import EventBuffer, EventLog
from scrutiny.field import Matcher, NamedSubjects, Presence, ScanResult, enrol, log_encounters
from scrutiny.operations._detention import NEVER_FREE, Detention
from scrutiny.operations._monitor import AllocationMonitor
from scrutiny.operations._pressure import QuotaPressure
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.sources import SourceSet, admin_records, source_channels
from scrutiny.targeting import LeadBook, Selection, Targeter
from scrutiny.world import World, build_world

__all__ = ["RunOutput", "simulate", "capacity_and_quota", "CHILLED_PLACES", "DAILY_SERIES"]  # CHILLED_PLACES: behavior

_O = {name: i for i, name in enumerate(OUTCOMES)}
#: Daily series the sources and targeting add (one ``bystander_records_<source>`` per source).
_SOURCE_SERIES: tuple[str, ...] = (
    "allocation_divergence", "removable_at_large", "leads_new", "active_pins", "plate_reads_retained",
    *(f"bystander_records_{name}" for name in source_channels()),
)
#: Per-day series in ``RunOutput.daily`` (and daily.csv): sites visited, arrests, people present,
#: scans, false matches, flagged people cleared by a safeguard, the effective match threshold, the
#: FPIR of the reference group at that threshold over the searched galleries, the quota-pressure
#: level and mean fear.
DAILY_SERIES: tuple[str, ...] = (
    "sites", "arrests", "encounters", "scans", "false_matches", "cleared", "threshold", "fpir_reference",
    "pressure_level", "mean_fear",
)


@dataclass(frozen=True, slots=True)
class RunOutput:
    """Everything one replicate produced."""

    events: EventLog
    n_days: int
    daily: dict[str, np.ndarray]  # per-day series, each float64[n_days]
    lost_visits: np.ndarray  # float64[len(CHILLED_PLACES), n_statuses], expected visits avoided
    expected_visits: np.ndarray  # same shape, visits expected without avoidance
    world_info: dict = field(default_factory=dict)
    # id, geoid, x_km, y_km, population, foreign_born, noncitizen
    tracts: dict[str, np.ndarray] = field(default_factory=dict)
    # {records, bystander_records, leads, good_leads: {source: n}}, removable_by_tract (mean at large)
    sources: dict = field(default_factory=dict)


def capacity_and_quota(s: Scenario, n_people: int) -> tuple[int, float]:
    """Return (sites a day, arrests a day that meet the quota; ``inf`` when there is no quota).

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> k, q = capacity_and_quota(Scenario(), 100_000)
        >>> k, round(q, 2)
        (4, 4.48)
    """
    o = s.operations
    capacity = int(math.ceil(o.sites_per_day_per_100k * n_people / 1e5 - 1e-9))
    return capacity, (o.arrests_per_day(n_people) if o.quota_enabled else math.inf)


def simulate(s: Scenario, replicate: int = 0, *, progress: Callable[[int], None] | None = None) -> RunOutput:
    """Run one replicate of a scenario and return its event log and daily series.

    Args:
        s: The scenario.
        replicate: Replicate index; every random stream is keyed by ``(s.seed, replicate, name)``.
        progress: Called with 1 after each simulated day.

    Returns:
        :class:`RunOutput`.
    """
    started = time.perf_counter()
    run = _setup(s, replicate)
    loop_started = time.perf_counter()
    for t in range(s.n_days):
        run.step(t)
        if progress is not None:
            progress(1)
    return run.output(seconds_setup=loop_started - started, seconds_loop=time.perf_counter() - loop_started)


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


def _setup(s: Scenario, replicate: int) -> _Run:
    """Build the state of one replicate before day 0 (the draws happen in this order)."""
    streams = Streams(s.seed, replicate)
    vocab = Vocabulary(s.jurisdiction)
    world = build_world(s.world, streams, vocab)
    ppl, places = world.people, world.places
    enrolment = enrol(ppl.status, s.field, streams, vocab)
    kind = vocab.record_kind[ppl.status]
    has_record = (kind == Vocabulary.RECORD_ALWAYS) | ((kind == Vocabulary.RECORD_IF_ENROLLED) & (enrolment > 0))
    records = admin_records(world, has_record, s.sources.admin, streams)
    own_record = np.where(records.status >= 0, records.status, ppl.status).astype(np.int8)
    sources = SourceSet(world, records, has_record, s, streams)
    book = LeadBook(places.n, ppl.n, s.targeting)
    cleared = np.zeros(ppl.n, dtype=bool)  # proved their status on release: no longer pursued
    _file_leads(book, sources.initial(), 0, own_record, cleared, vocab)
    targeter = Targeter(world, s, streams)
    monitor = AllocationMonitor(world)
    matcher = Matcher.build(s.field, enrolment=enrolment, own_record=own_record, group=ppl.group, status=ppl.status,
                            race_mix=s.world.race_mix, vocab=vocab)
    n_protest_sites = int(np.count_nonzero(places.kind == code(PLACE_TYPES, "protest_site")))
    protest_days = streams.generator("operations.protest_days").random((n_protest_sites, s.n_days))
    protest_days = protest_days < s.world.places.p_protest_day
    presence = Presence(world, s, streams, protest_days)
    detention = Detention(s.operations, s.n_days, streams)
    capacity, quota = capacity_and_quota(s, ppl.n)
    return _Run(
        s=s, streams=streams, world=world, own_record=own_record, cleared=cleared, sources=sources, book=book,
        targeter=targeter, monitor=monitor, matcher=matcher, protest_days=protest_days, presence=presence,
        detention=detention, capacity=capacity, quota=quota, pressure=QuotaPressure(s.operations, quota),
        log=EventBuffer(replicate, vocab),
    )


@dataclass(eq=False, slots=True)
class _Run:
    """The state of one replicate's daily loop; :meth:`step` runs one day (see the module docstring)."""

    s: Scenario
    streams: Streams
    world: World
    own_record: np.ndarray  # int8[n_people], the status each person's record shows (corrected on release)
    cleared: np.ndarray  # bool[n_people], proved their status on release: no longer pursued
    sources: SourceSet
    book: LeadBook
    targeter: Targeter
    monitor: AllocationMonitor
    matcher: Matcher
    protest_days: np.ndarray  # bool[n_protest_sites, n_days]
    presence: Presence
    detention: Detention
    capacity: int  # sites a day before quota pressure
    quota: float  # arrests a day that meet the quota (inf: no quota)
    pressure: QuotaPressure
    log: EventBuffer
    ti_free: np.ndarray = field(init=False)  # int32[n_people], first day free again (NEVER_FREE: removed)
    chilling: Chilling = field(init=False)  # fear by tract and the visits it cost
    daily: dict[str, np.ndarray] = field(init=False)  # DAILY_SERIES and _SOURCE_SERIES, float64[n_days] each

    def __post_init__(self) -> None:
        self.ti_free = np.zeros(self.world.people.n, dtype=np.int32)
        self.chilling = Chilling(self.world, self.s)
        self.daily = {k: np.zeros(self.s.n_days) for k in DAILY_SERIES + _SOURCE_SERIES}

    def step(self, t: int) -> None:
        """Run day ``t``: steps 0 to 7 of the module docstring, in order."""
        bystanders_before = self.sources.tally.bystanders.copy()
        new_leads = self.file_new_leads(t)  # 0
        selection = self.select_sites(t)  # 1
        scan = self.scan_present(t, selection.sites)  # 2
        visits = self.operate(t, selection.sites, scan)  # 3
        self.feed_back(t, selection, visits, new_leads, bystanders_before)  # 4
        self.update_behavior(t, visits.sites)  # 5
        self.record_daily(t, visits)  # 6
        self.pressure.update(visits.detained.size)  # 7

    def file_new_leads(self, t: int) -> int:
        """Step 0, sources: file the day's new leads in the lead book; return how many."""
        leads = self.sources.day(t, self.ti_free, self.book.best_place)
        return _file_leads(self.book, leads, t, self.own_record, self.cleared, self.world.vocab)

    def select_sites(self, t: int) -> Selection:
        """Step 1, targeting: pick the day's sites in visiting order."""
        protest_today = self.protest_days[:, t] if self.protest_days.shape[0] else None
        return self.targeter.select(t, self.book, self.pressure.capacity(self.capacity), protest_today)

    def scan_present(self, t: int, sites: np.ndarray) -> _Scan:
        """Step 2, field: who is present at each site, and their scans, searches and decisions."""
        site_i, person = self.presence.at(sites, t, self.ti_free, self.chilling.fear)
        tau = self.pressure.threshold(self.s.field.threshold)
        is_named = None
        if self.matcher.needs_named:
            is_named = _named(self.book, sites, site_i, person, t, self.world.people.n)
        result = self.matcher.scan(person, t, self.streams, threshold=tau, named=is_named, widen=self.pressure.widen)
        return _Scan(site_i, person, result, tau)

    def operate(self, t: int, sites: np.ndarray, scan: _Scan) -> _Visits:
        """Step 3, operations: visit sites until the quota is met, detain, log the day's events."""
        ppl = self.world.people
        det_per_site = np.bincount(scan.site_i[scan.result.detained], minlength=sites.size)
        n_visit = _sites_to_quota(det_per_site, self.quota)
        sites, det_per_site = sites[:n_visit], det_per_site[:n_visit]
        keep = scan.site_i < n_visit
        site_i, person, res = scan.site_i[keep], scan.person[keep], scan.result.take(keep)

        detained = person[res.detained]
        truly = self.world.vocab.removable[ppl.status[detained]]
        found = np.bincount(site_i[res.detained][truly], minlength=n_visit) > 0
        _log_day(self.log, t, sites, found, self.world)
        log_encounters(self.log, t, sites[site_i], person, res, self.world)
        self.detention.detain(self.log, t, detained, sites[site_i[res.detained]], self.world, self.ti_free,
                              own_record_error=~res.false_match[res.detained])
        if self.s.operations.record_corrected_on_release:
            proved = detained[~truly & (self.ti_free[detained] != NEVER_FREE)]
            self.own_record[proved] = ppl.status[proved]
            self.cleared[proved] = True
        return _Visits(sites, det_per_site, _Scan(site_i, person, res, scan.threshold), detained)

    def feed_back(self, t: int, selection: Selection, visits: _Visits, new_leads: int, bystanders_before) -> None:
        """Step 4, feedback: arrests to the targeter, visits to the lead book, the day to the monitor."""
        self.targeter.observe(selection, visits.sites.size, visits.det_per_site)
        self.book.visited(visits.sites, visits.detained, self.s.targeting.lead_miss_decay, t)
        divergence = self.monitor.day(t, visits.sites, visits.detained)
        _track_sources(self.daily, t, divergence, self.monitor, self.sources, self.book, new_leads, bystanders_before)

    def update_behavior(self, t: int, sites: np.ndarray) -> None:
        """Step 5, behavior: accumulate visits lost to avoidance, then update fear from today's operations."""
        self.chilling.step(t, sites, int(self.protest_days[:, t].sum()))

    def record_daily(self, t: int, visits: _Visits) -> None:
        """Step 6, daily series: record day ``t`` of :data:`DAILY_SERIES`."""
        daily, res, tau = self.daily, visits.scan.result, visits.scan.threshold
        daily["sites"][t] = visits.sites.size
        daily["arrests"][t] = visits.detained.size
        daily["encounters"][t] = visits.scan.person.size
        daily["scans"][t] = int(res.scanned.sum())
        daily["false_matches"][t] = int(res.false_match.sum())
        daily["cleared"][t] = int((res.cleared >= 0).sum())
        daily["threshold"][t] = tau
        daily["fpir_reference"][t] = self.matcher.rates(tau)[1][0]
        daily["pressure_level"][t] = self.pressure.level
        daily["mean_fear"][t] = self.chilling.mean_fear

    def output(self, *, seconds_setup: float, seconds_loop: float) -> RunOutput:
        """Everything the replicate produced, once the last day has run."""
        info = dict(
            self.world.info, capacity_sites_per_day=self.capacity, quota_arrests_per_day=self.quota,
            n_watch_list=int(self.sources.watch.size), **self.matcher.info(),
            seconds_setup=seconds_setup, seconds_loop=seconds_loop,
        )
        return RunOutput(
            events=self.log.finish(), n_days=self.s.n_days, daily=self.daily, lost_visits=self.chilling.lost,
            expected_visits=self.chilling.expected, world_info=info, tracts=_tract_table(self.world),
            sources=dict(self.sources.tally.as_dict(), removable_by_tract=self.monitor.mean_at_large()),
        )


def _sites_to_quota(det_per_site: np.ndarray, quota: float) -> int:
    """How many of the day's sites are visited: in order, until the detentions meet the quota."""
    if math.isfinite(quota) and det_per_site.size:
        reached = np.flatnonzero(np.cumsum(det_per_site) >= quota - 1e-9)
        return int(reached[0]) + 1 if reached.size else det_per_site.size
    return det_per_site.size


def _tract_table(world: World) -> dict[str, np.ndarray]:
    """The tracts table of :class:`RunOutput` (tracts.csv)."""
    tracts = world.tracts
    return {
        "tract": np.arange(tracts.n),
        "geoid": np.array(tracts.geoid if tracts.geoid else [""] * tracts.n, dtype=object),
        "x_km": tracts.x, "y_km": tracts.y,
        "population": tracts.population, "foreign_born": tracts.foreign_born,
        "noncitizen": tracts.noncitizen,
    }


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


def _track_sources(daily, t: int, divergence: float, monitor, sources, book, new_leads: int, before) -> None:
    """Record day ``t`` of the sources and targeting series (see ``_SOURCE_SERIES``)."""
    daily["allocation_divergence"][t] = divergence
    daily["removable_at_large"][t] = monitor.n_at_large
    daily["leads_new"][t] = new_leads
    daily["active_pins"][t] = book.n_active
    for j, name in enumerate(sources.channels):
        daily[f"bystander_records_{name}"][t] = sources.tally.bystanders[j] - before[j]
    daily["plate_reads_retained"][t] = sources.plate_reads_retained()


def _file_leads(book: LeadBook, leads, day: int, own_record: np.ndarray, cleared: np.ndarray,
                vocab: Vocabulary) -> int:
    """Add leads to the book, except those naming people who proved their status; return how many.

    A lead's subject is named when their record shows a status that names them for arrest (a final
    order in the US: the jurisdiction's ``named`` role).
    """
    dropped = cleared[leads.person]
    if dropped.any():
        leads = leads.where(~dropped)
    book.add(leads, day, named=vocab.named_record[np.maximum(own_record[leads.person], 0)])
    return leads.n
