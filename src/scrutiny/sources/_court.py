"""Immigration court calendars as a lead source: who will be at which courthouse, on which day.

The calendar is a public record (:class:`scrutiny.world.HearingCalendar`): each morning every hearing
of the day becomes a sighting lead at its courthouse, with a high confidence. Whether the person
is really there is the field stage's business (they attend with ``p_attend_hearing``). The records
are about people with pending cases, most of them not removable (pending asylum, parole): those
are bystander records.
"""

from __future__ import annotations

import numpy as np

from scrutiny.scenario import SOURCES, ComponentParams
from scrutiny.sources._base import Source, SourceContext
from scrutiny.sources._leads import SIGHTING, Leads, Tally, empty_leads, make_leads

__all__ = ["CourtCalendar"]


@SOURCES.implements("court_calendar")
class CourtCalendar(Source):
    """Today's hearings as sightings at the courthouse."""

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        super().__init__(ctx, p)
        self.calendar = ctx.calendar

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """The day's hearings of people not in custody."""
        if self.calendar is None:
            return empty_leads()
        who, court = self.calendar.on(day)
        if who.size == 0:
            return empty_leads()
        j = self.ctx.channel("court_calendar")
        tally.records[j] += who.size
        tally.bystanders[j] += int((~self.ctx.removable[who]).sum())
        free = ti_free[who] <= day
        return make_leads(who[free], court[free], self.p.hearing_confidence, j, SIGHTING)
