"""The daily loop: the one stateful part of the model.

:func:`simulate` runs one replicate. Each day ``t`` does, in this order:

0. sources: the day's new leads (refreshed records, plate hits, located phones, tips) enter the
   lead book (:meth:`scrutiny.sources.SourceSet.day`, :meth:`scrutiny.targeting.LeadBook.add`);
1. targeting: score every place from prior, lead book and feedback; pick up to ``capacity``
   sites in visiting order under the policy (:meth:`scrutiny.targeting.Targeter.select`; quota
   pressure ``more_sites`` raises the capacity);
2. field: draw who is present at each site, scan them under the scan policy, search the galleries
   at the day's threshold (quota pressure ``lower_threshold`` lowers it), decide
   (:class:`scrutiny.field.Presence`, :class:`scrutiny.field.Matcher`);
3. operations: visit sites in order until the day's quota is met; detain; schedule each
   detainee's release (wrongful detentions, after a delay) or removal;
4. feedback: the visited places' arrests feed back (:meth:`scrutiny.targeting.Targeter.observe`);
   pins of people detained close and pins at visited places lose confidence
   (:meth:`scrutiny.targeting.LeadBook.visited`); the allocation monitor compares operations with
   where removable people at large truly are (:class:`AllocationMonitor`);
5. behavior: fear rises in the tracts where operations were seen and decays everywhere;
   expected visits lost to avoidance are accumulated;
6. events: every operation, encounter, scan, match, decision, detention, release and removal is
   logged;
7. quota pressure: the pressure level moves with whether today's quota was met
   (:class:`scrutiny.operations.QuotaPressure`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scrutiny.behavior import avoidance_table, update_fear
from scrutiny.codes import OUTCOMES, PLACE_TYPES, STATUSES, code, is_removable
from scrutiny.events import EventBuffer, EventLog
from scrutiny.field import Matcher, NamedSubjects, Presence, enrol, log_encounters
from scrutiny.operations._detention import NEVER_FREE, Detention
from scrutiny.operations._monitor import AllocationMonitor
from scrutiny.operations._pressure import QuotaPressure
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.sources import SOURCE_NAMES, SourceSet, admin_records
from scrutiny.targeting import LeadBook, Targeter
from scrutiny.world import World, build_world

__all__ = ["RunOutput", "simulate", "capacity_and_quota", "CHILLED_PLACES", "DAILY_SERIES"]

_O = {name: i for i, name in enumerate(OUTCOMES)}
_FINAL_ORDER = code(STATUSES, "final_order")
#: Daily series the sources and targeting add (one ``bystander_records_<source>`` per source).
_SOURCE_SERIES: tuple[str, ...] = (
    "allocation_divergence", "removable_at_large", "leads_new", "active_pins", "plate_reads_retained",
    *(f"bystander_records_{name}" for name in SOURCE_NAMES),
)
#: Place types whose visits avoidance reduces, in the order of ``RunOutput.lost_visits`` rows.
CHILLED_PLACES: tuple[str, ...] = ("clinic", "school", "church", "protest_site")
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
    lost_visits: np.ndarray  # float64[len(CHILLED_PLACES), len(STATUSES)], expected visits avoided
    expected_visits: np.ndarray  # same shape, visits expected without avoidance
    world_info: dict = field(default_factory=dict)
    tracts: dict[str, np.ndarray] = field(default_factory=dict)  # id, geoid, x_km, y_km, population, foreign_born, noncitizen
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
    quota = o.arrests_per_day_national * n_people / o.national_population * o.rel_local_intensity
    return capacity, (quota if o.quota_enabled else math.inf)


def _visit_counts(world: World) -> tuple[np.ndarray, np.ndarray]:
    """People per (tract, status, mixed) among all residents and among children."""
    t = world.tract_of_person()
    ppl = world.people
    shape = (world.tracts.n, len(STATUSES), 2)
    key = (t.astype(np.int64) * len(STATUSES) + ppl.status) * 2 + ppl.mixed
    everyone = np.bincount(key, minlength=int(np.prod(shape))).reshape(shape)
    children = np.bincount(key[ppl.is_child], minlength=int(np.prod(shape))).reshape(shape)
    return everyone.astype(np.float64), children.astype(np.float64)


def _visit_rates(s: Scenario, day: int, n_protest_events: int, n_people: int) -> np.ndarray:
    pp = s.world.places
    sunday, weekday = day % 7 == 6, day % 7 < 5
    protest = pp.p_attend_protest * n_protest_events
    return np.array([pp.p_visit_clinic, 1.0 if weekday else 0.0, pp.p_visit_church_sunday if sunday else 0.0, protest])


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
    streams = Streams(s.seed, replicate)
    world = build_world(s.world, streams)
    ppl, places = world.people, world.places
    enrolment = enrol(ppl.status, s.field, streams)
    enrolled = enrolment > 0
    citizen_birth, unauthorised = code(STATUSES, "citizen_birth"), code(STATUSES, "unauthorised")
    has_record = (ppl.status != citizen_birth) & ((ppl.status != unauthorised) | enrolled)
    records = admin_records(world, has_record, s.sources.admin, streams)
    own_record = np.where(records.status >= 0, records.status, ppl.status).astype(np.int8)
    sources = SourceSet(world, records, has_record, s, streams)
    book = LeadBook(places.n, ppl.n, s.targeting)
    cleared = np.zeros(ppl.n, dtype=bool)  # proved their status on release: no longer pursued
    _file_leads(book, sources.initial(), 0, own_record, cleared)
    targeter = Targeter(world, s, streams)
    monitor = AllocationMonitor(world)
    matcher = Matcher.build(s.field, enrolment=enrolment, own_record=own_record, group=ppl.group, status=ppl.status,
                            race_mix=s.world.race_mix)
    protest_sites = np.flatnonzero(places.kind == code(PLACE_TYPES, "protest_site"))
    protest_days = streams.generator("operations.protest_days").random((protest_sites.size, s.n_days))
    protest_days = protest_days < s.world.places.p_protest_day
    presence = Presence(world, s, streams, protest_days)
    detention = Detention(s.operations, s.n_days, streams)
    capacity, quota = capacity_and_quota(s, ppl.n)
    pressure = QuotaPressure(s.operations, quota)

    loop_started = time.perf_counter()
    ti_free = np.zeros(ppl.n, dtype=np.int32)
    fear = np.zeros(world.tracts.n, dtype=np.float64)
    counts_all, counts_child = _visit_counts(world)
    avoid_max = avoidance_table(s.behavior)
    lost = np.zeros((len(CHILLED_PLACES), len(STATUSES)))
    expected = np.zeros_like(lost)
    daily = {k: np.zeros(s.n_days) for k in DAILY_SERIES + _SOURCE_SERIES}
    log = EventBuffer(replicate)

    for t in range(s.n_days):
        bystanders_before = sources.tally.bystanders.copy()
        new_leads = _file_leads(book, sources.day(t, ti_free, book.best_place), t, own_record, cleared)
        protest_today = protest_days[:, t] if protest_sites.size else None
        selection = targeter.select(t, book, pressure.capacity(capacity), protest_today)
        sites = selection.sites
        site_i, person = presence.at(sites, t, ti_free, fear)
        tau = pressure.threshold(s.field.threshold)
        is_named = _named(book, sites, site_i, person, t, ppl.n) if s.field.scan_policy == "named_only" else None
        res = matcher.scan(person, t, streams, threshold=tau, named=is_named, widen=pressure.widen)

        det_per_site = np.bincount(site_i[res.detained], minlength=sites.size)
        n_visit = sites.size
        if math.isfinite(quota) and sites.size:
            reached = np.flatnonzero(np.cumsum(det_per_site) >= quota - 1e-9)
            n_visit = int(reached[0]) + 1 if reached.size else sites.size
        sites, det_per_site = sites[:n_visit], det_per_site[:n_visit]
        keep = site_i < n_visit
        site_i, person = site_i[keep], person[keep]
        res = res.take(keep)

        detained = person[res.detained]
        truly = is_removable(ppl.status[detained])
        found = np.bincount(site_i[res.detained][truly], minlength=n_visit) > 0
        _log_day(log, t, sites, found, world)
        log_encounters(log, t, sites[site_i], person, res, world)
        detention.detain(log, t, detained, sites[site_i[res.detained]], world, ti_free,
                         own_record_error=~res.false_match[res.detained])
        if s.operations.record_corrected_on_release:
            proved = detained[~truly & (ti_free[detained] != NEVER_FREE)]
            own_record[proved] = ppl.status[proved]
            cleared[proved] = True

        targeter.observe(selection, n_visit, det_per_site)
        book.visited(sites, detained, s.targeting.lead_miss_decay, t)
        _track_sources(daily, t, monitor.day(t, sites, detained), monitor, sources, book, new_leads, bystanders_before)
        ops_tract = np.bincount(places.tract[sites], minlength=world.tracts.n)
        level = -np.expm1(-fear)
        n_events = int(protest_days[:, t].sum()) if protest_sites.size else 0
        rates = _visit_rates(s, t, n_events, ppl.n)
        for j, base in enumerate((counts_all, counts_child, counts_all, counts_all)):
            per_status = np.einsum("k,ksm->sm", level, base)
            lost[j] += rates[j] * (per_status * avoid_max).sum(axis=1) if s.behavior.enabled else 0.0
            expected[j] += rates[j] * base.sum(axis=(0, 2))
        fear = update_fear(fear, ops_tract, s.behavior)

        daily["sites"][t] = n_visit
        daily["arrests"][t] = detained.size
        daily["encounters"][t] = person.size
        daily["scans"][t] = int(res.scanned.sum())
        daily["false_matches"][t] = int(res.false_match.sum())
        daily["cleared"][t] = int((res.cleared >= 0).sum())
        daily["threshold"][t] = tau
        daily["fpir_reference"][t] = matcher.rates(tau)[1][0]
        daily["pressure_level"][t] = pressure.level
        daily["mean_fear"][t] = float(fear.mean()) if fear.size else 0.0
        pressure.update(detained.size)
        if progress is not None:
            progress(1)

    info = dict(
        world.info, capacity_sites_per_day=capacity, quota_arrests_per_day=quota,
        n_watch_list=int(sources.watch.size), **matcher.info(),
        seconds_setup=loop_started - started, seconds_loop=time.perf_counter() - loop_started,
    )
    tracts = {
        "tract": np.arange(world.tracts.n),
        "geoid": np.array(world.tracts.geoid if world.tracts.geoid else [""] * world.tracts.n, dtype=object),
        "x_km": world.tracts.x, "y_km": world.tracts.y,
        "population": world.tracts.population, "foreign_born": world.tracts.foreign_born,
        "noncitizen": world.tracts.noncitizen,
    }
    return RunOutput(
        events=log.finish(), n_days=s.n_days, daily=daily, lost_visits=lost, expected_visits=expected,
        world_info=info, tracts=tracts,
        sources=dict(sources.tally.as_dict(), removable_by_tract=monitor.mean_at_large()),
    )


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
    for j, name in enumerate(SOURCE_NAMES):
        daily[f"bystander_records_{name}"][t] = sources.tally.bystanders[j] - before[j]
    daily["plate_reads_retained"][t] = sources.plate_reads_retained()


def _file_leads(book: LeadBook, leads, day: int, own_record: np.ndarray, cleared: np.ndarray) -> int:
    """Add leads to the book, except those naming people who proved their status; return how many.

    A lead's subject is named when their record shows a final order.
    """
    dropped = cleared[leads.person]
    if dropped.any():
        leads = leads.where(~dropped)
    book.add(leads, day, named=own_record[leads.person] == _FINAL_ORDER)
    return leads.n
