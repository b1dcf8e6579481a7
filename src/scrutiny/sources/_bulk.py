"""Bulk record sources: administrative records, brokers and utilities, and cross-agency datasets.

Each holds records on a covered population. The records of its *subjects* (watch-listed people it
covers, and for cross-agency data the people its status inference flags) become leads; every other
record is counted, not materialised. Records arrive twice over:

* in bulk at the start of the run: every covered person's record is delivered;
* as a daily flow: each record is refreshed with probability ``p_refresh_per_day`` a day. The number
  refreshed is drawn in aggregate (a binomial per group), and only subjects' refreshed records are
  materialised as leads, so a day costs time in proportion to the leads it yields, not to the
  population.

A refreshed record's address is the subject's current home with probability ``q`` (1 for an
administrative record just confirmed, ``1 - p_link_error`` for a broker record, the dataset's address
yield for cross-agency data), otherwise a wrong address (see :func:`wrong_address`); its confidence
is ``100 q``, so confidence is calibrated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, AgencyParams, BrokerParams, ComponentParams
from scrutiny.sources._base import Source, SourceContext, channel_code
from scrutiny.sources._leads import (
    ADDRESS,
    Leads,
    Tally,
    concat_leads,
    empty_leads,
    residence_tract_start,
    wrong_address,
)
from scrutiny.world import World

__all__ = [
    "RecordFlow", "RecordSource", "address_leads", "broker_source", "agency_sources", "AGENCY_DATASETS",
    "BrokerSource", "AgencySource",
]

#: Cross-agency datasets, in the order of their source codes after "agency_".
AGENCY_DATASETS: tuple[str, ...] = ("health", "school", "tax")


@dataclass(frozen=True, slots=True)
class RecordSource:
    """One bulk source: its subjects, the size of the rest of its coverage, and its refresh model."""

    source: int  # channel code (scrutiny.sources.source_channels)
    subjects: np.ndarray  # int64, sorted: people whose records become leads
    n_other_lawful: int  # covered people who are not subjects and not removable (bystanders)
    n_other_removable: int  # covered removable people who are not subjects
    p_refresh: float  # per record per day
    q: float  # probability that a fresh record's address is current (= confidence / 100)
    stream: str  # random stream of the daily flow
    sub_step: int = 0  # distinguishes datasets sharing one stream
    res_start: np.ndarray | None = None  # residence_tract_start of the world

    def deliver(self, world: World, removable: np.ndarray, tally: Tally, streams: Streams, addr_stream: str) -> Leads:
        """Deliver every record at the start: count them all, and turn subjects' records into leads."""
        n_sub = self.subjects.size
        tally.records[self.source] += n_sub + self.n_other_lawful + self.n_other_removable
        tally.bystanders[self.source] += self.n_other_lawful + int((~removable[self.subjects]).sum())
        step = 3 * self.sub_step
        u = [streams.uniform(addr_stream, self.subjects, step=step + j) for j in range(3)]
        return self._leads(world, self.subjects, *u)

    def refresh(self, world: World, day: int, ti_free: np.ndarray, removable: np.ndarray, tally: Tally,
                rng: np.random.Generator) -> Leads:
        """Today's refreshed records: counted in aggregate; subjects' records materialised as leads."""
        who, u = self.refresh_draws(day, ti_free, removable, tally, rng)
        return address_leads(world, who, u, np.full(who.size, self.q), np.full(who.size, self.source), self.res_start)

    def refresh_generator(self, streams: Streams) -> np.random.Generator:
        """The run-long generator of this source's daily flow (stream ``self.stream``, step ``sub_step``).

        Each day's draws depend only on the days before it and on this source's own parameters (how
        many records, how often refreshed), never on who is in custody, so arms that leave the source
        alone draw the same numbers; one generator per run saves building one per day.
        """
        return streams.generator(self.stream, step=self.sub_step)

    def refresh_draws(self, day: int, ti_free: np.ndarray, removable: np.ndarray, tally: Tally,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw today's refreshed records and count them; return the subjects at large and their uniforms.

        Args:
            day: Day index.
            ti_free: First day each person is out of custody.
            removable: Whether each person is truly removable.
            tally: Counts, updated in place.
            rng: This source's :meth:`refresh_generator`, called once a day in day order.

        The uniforms (float64[3, k]: address current, same tract, which home) feed :func:`address_leads`.
        """
        if self.p_refresh <= 0.0:
            return np.zeros(0, np.int64), np.zeros((3, 0))
        n_sub = self.subjects.size
        # three scalar draws: the same numbers as one draw over the list, without its broadcasting cost
        k, n_law, n_rem = (int(rng.binomial(n, self.p_refresh)) for n in (n_sub, self.n_other_lawful,
                                                                         self.n_other_removable))
        u = rng.random((4, k))  # which subject; address current, same tract, which home
        who = self.subjects[np.minimum((u[0] * n_sub).astype(np.int64), max(n_sub - 1, 0))]
        u = u[1:]
        tally.records[self.source] += k + n_law + n_rem
        tally.bystanders[self.source] += n_law + int((~removable[who]).sum())
        free = ti_free[who] <= day
        return who[free], u[:, free]

    def _leads(self, world: World, who: np.ndarray, u_current, u_where, u_pick) -> Leads:
        u = np.stack([u_current, u_where, u_pick]) if who.size else np.zeros((3, 0))
        return address_leads(world, who, u, np.full(who.size, self.q), np.full(who.size, self.source), self.res_start)


def address_leads(world: World, who: np.ndarray, u: np.ndarray, q: np.ndarray, source: np.ndarray,
                  res_start: np.ndarray | None = None) -> Leads:
    """Address leads from records: the subject's home with probability ``q``, else a wrong address.

    Args:
        world: The world.
        who: int64[L] subjects.
        u: float64[3, L] uniforms (address current, same tract or anywhere, which home).
        q: float64[L] probability that each record's address is current; the confidence is ``100 q``.
        source: int[L] source codes.
        res_start: :func:`residence_tract_start` of the world, if already computed.
    """
    if who.size == 0:
        return empty_leads()
    current = u[0] < q
    place = np.where(current, world.people.home[who], wrong_address(world, who, u[1], u[2], res_start))
    return Leads(person=who.astype(np.int32), place=place.astype(np.int32), confidence=(100.0 * q).astype(np.float32),
                 source=source.astype(np.int8), kind=np.full(who.size, ADDRESS, dtype=np.int8))


def broker_source(world: World, watch: np.ndarray, removable: np.ndarray, p: BrokerParams,
                  streams: Streams) -> RecordSource:
    """Brokers and utilities: adults' names and addresses (no status); subjects are covered watch-listed adults."""
    ppl = world.people
    adult = ~ppl.is_child
    p_cov = np.where(removable, p.p_coverage * p.rel_coverage_removable, p.p_coverage)
    w = watch[adult[watch]]
    covered = w[streams.uniform("sources.broker", w) < p_cov[w]]
    rng = streams.generator("sources.broker", step=1)
    in_watch = np.zeros(ppl.n, dtype=bool)
    in_watch[watch] = True
    rest = adult & ~in_watch
    n_rem_rest = int((rest & removable).sum())
    n_law = int(rng.binomial(int(rest.sum()) - n_rem_rest, p.p_coverage))
    n_rem = int(rng.binomial(n_rem_rest, p.p_coverage * p.rel_coverage_removable))
    return RecordSource(
        source=channel_code("broker"), subjects=covered, n_other_lawful=n_law, n_other_removable=n_rem,
        p_refresh=p.p_refresh_per_day, q=1.0 - p.p_link_error, stream="sources.broker.refresh",
        res_start=residence_tract_start(world),
    )


def _false_flag_rate(p_flag: float, false_share: float, exp_removable: float, exp_lawful: float) -> float:
    """Per-person flag probability for covered lawful foreign-born people.

    It makes the expected share of false flags equal ``false_share``.

    Examples:
        >>> round(_false_flag_rate(0.5, 0.5, 100.0, 1000.0), 3)
        0.05
    """
    if exp_lawful <= 0 or false_share <= 0:
        return 0.0
    return min(1.0, p_flag * exp_removable * false_share / (1.0 - false_share) / exp_lawful)


def agency_sources(world: World, watch: np.ndarray, removable: np.ndarray, p: AgencyParams,
                   streams: Streams) -> list[RecordSource]:
    """Cross-agency datasets (health, school, tax) that are enabled, as :class:`RecordSource` objects.

    Subjects are covered people who are on the watch list or whom cross-database status inference
    flags: a covered removable person is flagged with probability ``p_flag_removable``; covered
    foreign-born people who are not removable are flagged at the rate that makes the expected share
    of false flags ``false_share`` (calibrated to the HMRC pilot).
    """
    ppl = world.people
    native = world.vocab.native[ppl.status]
    foreign = np.flatnonzero(~native)  # the watch list lies inside it
    in_watch = np.zeros(ppl.n, dtype=bool)
    in_watch[watch] = True
    res_start = residence_tract_start(world)
    out = []
    for j, name in enumerate(AGENCY_DATASETS):
        d = getattr(p, name)
        if not d.enabled:
            continue
        eligible = {"health": np.ones(ppl.n, bool), "school": ppl.is_child, "tax": ~ppl.is_child}[name]
        cand = foreign[eligible[foreign]]
        rem = removable[cand]
        p_cov = np.where(rem, d.p_coverage * d.rel_coverage_removable, d.p_coverage)
        q_false = _false_flag_rate(p.p_flag_removable, p.false_flag_share, float(p_cov[rem].sum()),
                                   float(p_cov[~rem].sum()))
        covered = streams.uniform("sources.agency", cand, step=j) < p_cov
        u_flag = streams.uniform("sources.agency", cand, step=10 + j)
        flagged = u_flag < np.where(rem, p.p_flag_removable, q_false)
        subject = covered & (in_watch[cand] | flagged)
        others = covered & ~subject
        n_native = int((eligible & native).sum())
        n_native_cov = int(streams.generator("sources.agency", step=20 + j).binomial(n_native, d.p_coverage))
        out.append(RecordSource(
            source=channel_code(f"agency_{name}"), subjects=cand[subject],
            n_other_lawful=int((others & ~rem).sum()) + n_native_cov, n_other_removable=int((others & rem).sum()),
            p_refresh=d.p_refresh_per_day, q=d.p_address_current, stream="sources.agency.refresh", sub_step=j,
            res_start=res_start,
        ))
    return out


class RecordFlow(Source):
    """A source made of bulk record sources (:class:`~scrutiny.sources.RecordSource`).

    Their records are delivered in bulk at the start, then refreshed day by day. Subclasses build
    :attr:`bulk` in ``__init__``.
    """

    bulk: list

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        super().__init__(ctx, p)
        self.bulk = []
        self._rng: list[np.random.Generator] = []

    def _start_refresh(self) -> None:
        self._rng = [src.refresh_generator(self.ctx.streams) for src in self.bulk]

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Every record refreshed today, the subjects' ones turned into leads."""
        whos, us, qs, codes = [], [], [], []
        for src, rng in zip(self.bulk, self._rng, strict=True):
            who, u = src.refresh_draws(day, ti_free, self.ctx.removable, tally, rng)
            if who.size:
                whos.append(who)
                us.append(u)
                qs.append(np.full(who.size, src.q))
                codes.append(np.full(who.size, src.source))
        if not whos:
            return concat_leads([])
        # one pass over every source's records (the same leads, in the same order, as one per source)
        return address_leads(self.ctx.world, np.concatenate(whos), np.concatenate(us, axis=1), np.concatenate(qs),
                             np.concatenate(codes), self.ctx.res_start)


@SOURCES.implements("broker")
class BrokerSource(RecordFlow):
    """Brokers and utilities (see :func:`broker_source`)."""

    def __init__(self, ctx: SourceContext, p: BrokerParams) -> None:
        super().__init__(ctx, p)
        self.bulk = [broker_source(ctx.world, ctx.watch, ctx.removable, p, ctx.streams)]
        self._start_refresh()

    def initial(self, tally: Tally) -> Leads:
        """Every covered adult's record at the start; watch-listed ones become leads."""
        from scrutiny.sources._leads import concat_leads

        return concat_leads([src.deliver(self.ctx.world, self.ctx.removable, tally, self.ctx.streams,
                                         "sources.broker.address") for src in self.bulk])


@SOURCES.implements("agency")
class AgencySource(RecordFlow):
    """Cross-agency datasets (see :func:`agency_sources`), one channel each."""

    @classmethod
    def channels_of(cls, name: str) -> tuple[str, ...]:
        """``agency_health``, ``agency_school``, ``agency_tax``."""
        return tuple(f"{name}_{d}" for d in AGENCY_DATASETS)

    def __init__(self, ctx: SourceContext, p: AgencyParams) -> None:
        super().__init__(ctx, p)
        self.bulk = agency_sources(ctx.world, ctx.watch, ctx.removable, p, ctx.streams)
        self._start_refresh()

    def initial(self, tally: Tally) -> Leads:
        """Every covered person's record at the start; subjects' records become leads."""
        from scrutiny.sources._leads import concat_leads

        return concat_leads([src.deliver(self.ctx.world, self.ctx.removable, tally, self.ctx.streams,
                                         "sources.agency.address") for src in self.bulk])
