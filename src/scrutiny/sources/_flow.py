"""All sources of one replicate, as a bulk delivery at the start and a flow of leads every day.

:class:`SourceSet` builds the enabled sources from the scenario. :meth:`SourceSet.initial` returns
the leads of the bulk delivery (records ingested before the first day); :meth:`SourceSet.day`
returns the day's new leads (refreshed records, plate hits, located phones, tips) and updates the
running :class:`Tally` of records and bystander records per source. Sources never see a person's
true status: truth enters only the tallies (is a record about a target or a bystander?), the
choice of whom a true tip or a true plate hit names, and whether a phone is where a deployment looks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scrutiny.codes import is_removable
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.sources._admin import Records, record_leads, watch_list
from scrutiny.sources._bulk import RecordSource, address_leads, agency_sources, broker_source
from scrutiny.sources._leads import (
    SOURCE_NAMES,
    Leads,
    Tally,
    concat_leads,
    empty_leads,
    residence_tract_start,
)
from scrutiny.sources._sensors import CellSites, PlateReaders
from scrutiny.sources._tips import Tips
from scrutiny.world import World

__all__ = ["SourceSet", "nominal_arrests_per_day"]

_ADMIN = SOURCE_NAMES.index("admin")


def nominal_arrests_per_day(s: Scenario, n_people: int) -> float:
    """The metro's share of the national daily arrest target, whether or not a quota is enforced.

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> round(nominal_arrests_per_day(Scenario(), 100_000), 2)
        4.48
    """
    o = s.operations
    return o.arrests_per_day_national * n_people / o.national_population * o.rel_local_intensity


class SourceSet:
    """The enabled sources of one replicate and the running tally of what they recorded.

    Args:
        world: The world.
        records: Every person's administrative status record.
        has_record: bool[N], who has an administrative record.
        s: The scenario (``s.sources`` switches and parameterises each source).
        streams: The replicate's random streams (``sources.*``).
    """

    def __init__(self, world: World, records: Records, has_record: np.ndarray, s: Scenario, streams: Streams) -> None:
        p = s.sources
        self.world, self.records, self.s, self.streams = world, records, s, streams
        self.removable = is_removable(world.people.status)
        self.watch = watch_list(records)
        self.tally = Tally.zeros()
        self._res_start = residence_tract_start(world)
        self._has_record = has_record
        self.bulk: list[RecordSource] = []
        if p.admin.enabled:
            self.bulk.append(self._admin_refresh(has_record))
        if p.broker.enabled:
            self.bulk.append(broker_source(world, self.watch, self.removable, p.broker, streams))
        self.bulk += agency_sources(world, self.watch, self.removable, p.agency, streams)
        self._bulk_rng = [src.refresh_generator(streams) for src in self.bulk]
        n = world.people.n
        scale = n / s.operations.national_population * s.operations.rel_local_intensity
        self.plates = PlateReaders(world, self.watch, p.plates, streams) if p.plates.enabled else None
        cell_rate = p.cell.deployments_per_year_national / 365.0 * scale
        self.cell = CellSites(world, self.watch, p.cell, cell_rate, s.n_days, streams) if p.cell.enabled else None
        tip_rate = p.tips.share_reported / (1.0 - p.tips.share_reported) * nominal_arrests_per_day(s, n)
        self.tips = Tips(world, self.removable, p.tips, tip_rate, s.n_days, streams) if p.tips.enabled else None

    def _admin_refresh(self, has_record: np.ndarray) -> RecordSource:
        in_watch = np.zeros(has_record.size, dtype=bool)
        in_watch[self.watch] = True
        other = has_record & ~in_watch
        n_rem = int((other & self.removable).sum())
        return RecordSource(
            source=_ADMIN, subjects=self.watch, n_other_lawful=int(other.sum()) - n_rem, n_other_removable=n_rem,
            p_refresh=self.s.sources.admin.p_refresh_per_day, q=1.0, stream="sources.admin.refresh",
            res_start=self._res_start,
        )

    def initial(self) -> Leads:
        """Deliver every bulk source's records (before day 0); return the leads they yield."""
        parts = []
        for src in self.bulk:
            if src.source == _ADMIN:
                parts.append(record_leads(self.world, self.records, self.s.sources.admin, self.streams))
                self.tally.records[_ADMIN] += int(self._has_record.sum())
                self.tally.bystanders[_ADMIN] += int((self._has_record & ~self.removable).sum())
            else:
                addr = "sources.broker.address" if SOURCE_NAMES[src.source] == "broker" else "sources.agency.address"
                parts.append(src.deliver(self.world, self.removable, self.tally, self.streams, addr))
        leads = concat_leads(parts)
        self.tally.add_leads(leads, self.world, self.removable)
        return leads

    def day(self, day: int, ti_free: np.ndarray, locate: Callable[[np.ndarray, int], np.ndarray]) -> Leads:
        """Today's new leads from every enabled source; the tally is updated in place.

        Args:
            day: Day index.
            ti_free: int32[N] first day each person is out of custody (nobody in custody is named).
            locate: ``locate(people, day)``: the place where the lead book puts each person with the
                highest confidence (-1: nowhere); cell-site simulators are deployed there.
        """
        parts = [self._refresh(day, ti_free)]
        if self.plates is not None:
            parts.append(self.plates.day(day, ti_free, self.removable, self.tally))
        if self.cell is not None:
            parts.append(self.cell.day(day, ti_free, self.removable, self.tally, locate))
        if self.tips is not None:
            parts.append(self.tips.day(day, ti_free, self.removable, self.tally))
        leads = concat_leads(parts)
        self.tally.add_leads(leads, self.world, self.removable)
        return leads

    def _refresh(self, day: int, ti_free: np.ndarray) -> Leads:
        """Every bulk source's refreshed records, turned into leads in one batch."""
        who, u, q, source = [], [], [], []
        for src, rng in zip(self.bulk, self._bulk_rng, strict=True):
            w, uu = src.refresh_draws(day, ti_free, self.removable, self.tally, rng)
            who.append(w)
            u.append(uu)
            q.append(np.full(w.size, src.q))
            source.append(np.full(w.size, src.source))
        if not who:
            return empty_leads()
        return address_leads(self.world, np.concatenate(who), np.concatenate(u, axis=1), np.concatenate(q),
                             np.concatenate(source), self._res_start)

    def plate_reads_retained(self) -> int:
        """Plate reads held at the end of the last day (0 without plate readers)."""
        return self.plates.retained() if self.plates is not None else 0
