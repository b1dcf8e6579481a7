"""The daily loop: the one stateful part of the model.

:func:`simulate` runs one replicate: ``_setup`` builds the run's state (world, random streams,
records, sources, lead book, targeter, matcher, presence, detention, quota pressure, accumulators
and event buffer), then ``_Run.step(t)`` runs each day ``t`` as these steps, in this order (one
method of ``_Run`` per step):

0. sources: the day's new leads (refreshed records, plate hits, located phones, tips, reports from
   service points) enter the lead book (:meth:`scrutiny.sources.SourceSet.day`,
   :meth:`scrutiny.targeting.LeadBook.add`);
1-4. encounter triggers, in the order ``operations.triggers`` lists them
   (:mod:`scrutiny.operations._triggers`): ``site_visit`` selects sites, identifies the people
   present, visits until the quota is met, detains, and feeds arrests back into targeting
   (:mod:`scrutiny.operations._site_visit` numbers its own steps 1 to 4); ``status_check`` checks
   status at service points and reports refusals; then the allocation monitor compares the day's
   operations with where removable people at large truly are (:class:`AllocationMonitor`);
5. behavior: expected visits lost to avoidance are accumulated, then fear rises in the tracts
   where operations were seen and decays everywhere (:class:`scrutiny.behavior.Chilling`);
6. daily series: the pressure level, mean fear and the sources' and targeting's series (each
   trigger records its own, e.g. the site visits' counts, threshold and reference FPIR;
   :data:`DAILY_SERIES`);
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
from scrutiny.codes import PLACE_TYPES, Vocabulary, code
from scrutiny.events import EventBuffer, EventLog
from scrutiny.field import Matcher, Presence, enrol
from scrutiny.operations._border import Checkpoint  # noqa: F401 (registers the border triggers)
from scrutiny.operations._detention import Detention
from scrutiny.operations._monitor import AllocationMonitor
from scrutiny.operations._pressure import QuotaPressure
from scrutiny.operations._protest import Protests  # noqa: F401 (registers the trigger)
from scrutiny.operations._site_visit import SiteVisit  # noqa: F401 (registers the trigger)
from scrutiny.operations._triggers import make_triggers
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.sources import Leads, SourceSet, admin_records, source_channels
from scrutiny.targeting import LeadBook, Targeter, make_policy
from scrutiny.world import HearingCalendar, World, build_world

__all__ = ["RunOutput", "simulate", "capacity_and_quota", "CHILLED_PLACES", "DAILY_SERIES"]  # CHILLED_PLACES: behavior

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
    "pressure_level", "mean_fear", "quota_met",
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
    # chilling and dissent: {"effects": school days and WIC enrolments lost, "protest": the protests trigger's}
    dissent: dict = field(default_factory=dict)


def capacity_and_quota(s: Scenario, n_people: int) -> tuple[float, float]:
    """Return (sites a day on average, arrests a day that meet the quota; ``inf`` when there is no quota).

    Both scale with the metro's population and ``operations.rel_local_intensity`` (a surge brings
    more teams and a higher target). A day's sites are the average rounded by a daily draw
    (:func:`sites_today`), so a small metro still gets its share of operations over the days.

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> k, q = capacity_and_quota(Scenario(), 100_000)
        >>> round(k, 2), round(q, 2)
        (0.3, 4.48)
    """
    o = s.operations
    capacity = o.sites_per_day_per_100k * n_people / 1e5 * o.rel_local_intensity
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
    calendar = HearingCalendar(world, s.world, streams)
    sources = SourceSet(world, records, has_record, s, streams, calendar)
    book = LeadBook(places.n, ppl.n, s.targeting, named_mass=make_policy(s.targeting).reads_named_mass)
    cleared = np.zeros(ppl.n, dtype=bool)  # proved their status on release: no longer pursued
    _file_leads(book, sources.initial(), 0, own_record, cleared, vocab)
    targeter = Targeter(world, s, streams)
    monitor = AllocationMonitor(world)
    matcher = Matcher.build(s.field, enrolment=enrolment, own_record=own_record, group=ppl.group, status=ppl.status,
                            race_mix=s.world.race_mix, vocab=vocab)
    n_protest_sites = int(np.count_nonzero(places.kind == code(PLACE_TYPES, "protest_site")))
    protest_days = streams.generator("operations.protest_days").random((n_protest_sites, s.n_days))
    protest_days = protest_days < s.world.places.p_protest_day
    presence = Presence(world, s, streams, protest_days, calendar)
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
    capacity: float  # sites a day on average before quota pressure
    quota: float  # arrests a day that meet the quota (inf: no quota)
    pressure: QuotaPressure
    log: EventBuffer
    ti_free: np.ndarray = field(init=False)  # int32[n_people], first day free again (NEVER_FREE: removed)
    chilling: Chilling = field(init=False)  # fear by tract and the visits it cost
    triggers: list = field(init=False)  # the encounter triggers of operations.triggers, in order
    daily: dict[str, np.ndarray] = field(init=False)  # DAILY_SERIES and _SOURCE_SERIES, float64[n_days] each

    def __post_init__(self) -> None:
        self.ti_free = np.zeros(self.world.people.n, dtype=np.int32)
        self.chilling = Chilling(self.world, self.s)
        self.daily = {k: np.zeros(self.s.n_days) for k in DAILY_SERIES + _SOURCE_SERIES}
        self.triggers = make_triggers(self, self.s.operations.triggers)

    def step(self, t: int) -> None:
        """Run day ``t``: steps 0 to 7 of the module docstring, in order."""
        self.log.start_day(t)  # releases and removals scheduled for today join the log in order
        bystanders_before = self.sources.tally.bystanders.copy()
        new_leads = self.file_new_leads(t)  # 0
        days = [trigger.day(t) for trigger in self.triggers]  # 1-4, each trigger in order
        sites = np.concatenate([d.sites for d in days]) if days else np.zeros(0, np.int64)
        detained = np.concatenate([d.detained for d in days]) if days else np.zeros(0, np.int64)
        divergence = self.monitor.day(t, sites, detained)  # 4
        self.update_behavior(t, sites)  # 5
        self.record_daily(t, divergence, new_leads, bystanders_before)  # 6
        self.daily["quota_met"][t] = float(detained.size >= self.quota - 1e-9) if math.isfinite(self.quota) else np.nan
        self.pressure.update(detained.size)  # 7

    def file_new_leads(self, t: int) -> int:
        """Step 0, sources: file the day's new leads in the lead book; return how many."""
        leads = self.sources.day(t, self.ti_free, self.book.best_place)
        filed = _file_leads(self.book, leads, t, self.own_record, self.cleared, self.world.vocab)
        self.targeter.receive(t, filed)  # past outcomes fade; reports about places feed back
        return filed.n

    def update_behavior(self, t: int, sites: np.ndarray) -> None:
        """Step 5, behavior: accumulate visits lost to avoidance, then update fear from today's operations."""
        self.chilling.step(t, sites, int(self.protest_days[:, t].sum()))

    def record_daily(self, t: int, divergence: float, new_leads: int, bystanders_before: np.ndarray) -> None:
        """Step 6, daily series: the pressure level, mean fear, and the sources' and targeting's series."""
        self.daily["pressure_level"][t] = self.pressure.level
        self.daily["mean_fear"][t] = self.chilling.mean_fear
        _track_sources(self.daily, t, divergence, self.monitor, self.sources, self.book, new_leads, bystanders_before)

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
            dissent=self.dissent(),
        )

    def dissent(self) -> dict:
        """What the chilling-and-dissent metrics read: the sourced effects and, if it ran, the protests trigger."""
        out = {"effects": self.chilling.effects.as_dict()}
        protests = next((tr for tr in self.triggers if tr.p.name == "protests"), None)
        if protests is not None:
            out["protest"] = protests.as_dict()
        return out


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
                vocab: Vocabulary) -> Leads:
    """Add leads to the book, except those naming people who proved their status; return those filed.

    A lead's subject is named when their record shows a status that names them for arrest (a final
    order in the US: the jurisdiction's ``named`` role).
    """
    dropped = cleared[leads.person]
    if dropped.any():
        leads = leads.where(~dropped)
    book.add(leads, day, named=vocab.named_record[np.maximum(own_record[leads.person], 0)])
    return leads
