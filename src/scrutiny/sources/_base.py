"""The data-source protocol: what every source is given, and the two things it does.

A source is a class registered in :data:`scrutiny.scenario.SOURCES` (its parameter block is
registered there too, and every registered source has a block ``sources.<name>`` with an
``enabled`` switch). :class:`scrutiny.sources.SourceSet` builds the enabled ones in registration
order and calls, for each:

* :meth:`Source.initial` once, before the first day: the bulk delivery of records (and their leads);
* :meth:`Source.day` every day: the day's new leads (refreshed records, reads, captures, tips).

Both count, in the run's :class:`~scrutiny.sources.Tally`, every record the source delivered and
every record about someone who is not removable (a bystander). A source writes only to its own
*channels*: the names under which its records and leads are counted (one per source, or several
for a source made of datasets, such as ``agency``). A source that keeps something worth reporting
at the end of each day (reads retained) returns it from :meth:`Source.gauges`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, ComponentParams, Scenario
from scrutiny.sources._leads import Leads, Tally, concat_leads, empty_leads
from scrutiny.world import World

__all__ = ["Source", "SourceContext", "source_channels", "channel_code", "RecordFlow"]


def source_channels() -> tuple[str, ...]:
    """Every registered source's channels, in registration order: the codes of ``Leads.source``.

    Examples:
        >>> source_channels()[:2]
        ('admin', 'broker')
    """
    return tuple(ch for name in SOURCES.names() for ch in SOURCES.implementation(name).channels_of(name))


def channel_code(channel: str) -> int:
    """The integer code of a channel (its position in :func:`source_channels`)."""
    return source_channels().index(channel)


@dataclass(frozen=True, slots=True)
class SourceContext:
    """What every source of one replicate may use (references, never copies)."""

    world: World
    records: object  # scrutiny.sources.Records: the status each person's own record shows
    has_record: np.ndarray  # bool[N], who has an administrative record
    watch: np.ndarray  # int64, sorted: people whose record shows a removable status
    removable: np.ndarray  # bool[N], truly removable (only for tallies and for whom true tips name)
    scenario: Scenario
    streams: Streams
    res_start: np.ndarray  # residence_tract_start of the world
    channels: tuple[str, ...]
    calendar: object = None  # scrutiny.world.HearingCalendar: immigration court hearings by day

    def channel(self, name: str) -> int:
        """The code of channel ``name``."""
        return self.channels.index(name)

    @property
    def scale(self) -> float:
        """The metro's share of national activity: population share times ``operations.rel_local_intensity``."""
        o = self.scenario.operations
        return self.world.people.n / o.national_population * o.rel_local_intensity


class Source:
    """Base class of data sources: no records, no leads.

    Args:
        ctx: The replicate's :class:`SourceContext`.
        p: The source's parameter block (``sources.<name>``).
    """

    name: ClassVar[str]

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        self.ctx, self.p = ctx, p

    @classmethod
    def channels_of(cls, name: str) -> tuple[str, ...]:
        """The channels this source counts under (default: its own name)."""
        return (name,)

    def initial(self, tally: Tally) -> Leads:
        """Records delivered before the first day; return their leads."""
        return empty_leads()

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Today's new leads.

        Args:
            day: Day index.
            ti_free: int32[N] first day each person is out of custody (nobody in custody is named).
            tally: The run's tally, updated in place.
            locate: ``locate(people, day)``: where the lead book puts each person with the highest
                confidence (-1: nowhere).
        """
        return empty_leads()

    def gauges(self) -> dict[str, float]:
        """Figures held at the end of the day, for the daily series (e.g. reads retained)."""
        return {}


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
        from scrutiny.sources._bulk import address_leads

        parts = []
        for src, rng in zip(self.bulk, self._rng, strict=True):
            who, u = src.refresh_draws(day, ti_free, self.ctx.removable, tally, rng)
            if who.size:
                parts.append(address_leads(self.ctx.world, who, u, np.full(who.size, src.q),
                                           np.full(who.size, src.source), self.ctx.res_start))
        return concat_leads(parts)


def zero_tally(channels: tuple[str, ...] | None = None) -> Tally:
    """A tally over every registered channel (or the given ones), all counts at zero."""
    return Tally.zeros(channels if channels is not None else source_channels())
