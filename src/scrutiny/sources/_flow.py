"""All sources of one replicate, as a bulk delivery at the start and a flow of leads every day.

:class:`SourceSet` builds every enabled registered source (:data:`scrutiny.scenario.SOURCES`, in
registration order) from the scenario. :meth:`SourceSet.initial` returns the leads of the bulk
delivery (records ingested before the first day); :meth:`SourceSet.day` returns the day's new
leads (refreshed records, plate hits, located phones, tips) and updates the running :class:`Tally`
of records and bystander records per channel. Sources never see a person's true status: truth
enters only the tallies (is a record about a target or a bystander?), the choice of whom a true tip
or a true plate hit names, and whether a phone is where a deployment looks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, Scenario
from scrutiny.sources._admin import Records, watch_list
from scrutiny.sources._base import Source, SourceContext, source_channels
from scrutiny.sources._leads import Leads, Tally, concat_leads, residence_tract_start
from scrutiny.world import World

__all__ = ["SourceSet", "nominal_arrests_per_day"]


def nominal_arrests_per_day(s: Scenario, n_people: int) -> float:
    """The metro's share of the national daily arrest target (:meth:`OperationsParams.arrests_per_day`).

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> round(nominal_arrests_per_day(Scenario(), 100_000), 2)
        4.48
    """
    return s.operations.arrests_per_day(n_people)


class SourceSet:
    """The enabled sources of one replicate and the running tally of what they recorded.

    Args:
        world: The world.
        records: Every person's administrative status record.
        has_record: bool[N], who has an administrative record.
        s: The scenario (``s.sources`` switches and parameterises each source).
        streams: The replicate's random streams (``sources.*``).
        calendar: The immigration court calendar (:class:`scrutiny.world.HearingCalendar`), if any.
    """

    def __init__(self, world: World, records: Records, has_record: np.ndarray, s: Scenario, streams: Streams,
                 calendar=None) -> None:
        self.world, self.records, self.s, self.streams = world, records, s, streams
        self.removable = world.vocab.removable[world.people.status]
        self.watch = watch_list(records, world.vocab)
        self.channels = source_channels()
        self.tally = Tally.zeros(self.channels)
        ctx = SourceContext(
            world=world, records=records, has_record=has_record, watch=self.watch, removable=self.removable,
            scenario=s, streams=streams, res_start=residence_tract_start(world), channels=self.channels,
            calendar=calendar,
        )
        self.sources: list[Source] = [
            SOURCES.implementation(name)(ctx, s.sources[name]) for name in SOURCES.names() if s.sources[name].enabled
        ]

    def initial(self) -> Leads:
        """Deliver every source's records before day 0; return the leads they yield."""
        leads = concat_leads([src.initial(self.tally) for src in self.sources])
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
        leads = concat_leads([src.day(day, ti_free, self.tally, locate) for src in self.sources])
        self.tally.add_leads(leads, self.world, self.removable)
        return leads

    def gauges(self) -> dict[str, float]:
        """Figures the sources hold at the end of the day (``plate_reads_retained``, ...)."""
        out: dict[str, float] = {}
        for src in self.sources:
            out.update(src.gauges())
        return out

    def plate_reads_retained(self) -> int:
        """Plate reads held at the end of the last day (0 without plate readers)."""
        return int(self.gauges().get("plate_reads_retained", 0))
