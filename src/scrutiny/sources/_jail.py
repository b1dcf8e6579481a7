"""Jail and 287(g)-like data: the addresses of watch-listed people with a criminal history.

Local jails share booking data with enforcement (287(g) agreements, Secure Communities): a booked
person's fingerprints link them to their immigration record and the booking gives an address. The
source delivers, at the start, an address lead for every watch-listed adult with a pending charge or
a conviction (a booking on file), with a high confidence, and refreshes them as bookings happen
(``p_refresh_per_day``). It favours people with charges: that is its point. Records on people who are
not removable (wrong records) are bystander records.
"""

from __future__ import annotations

import numpy as np

from scrutiny.scenario import SOURCES, ComponentParams
from scrutiny.sources._base import Source, SourceContext
from scrutiny.sources._leads import ADDRESS, Leads, Tally, empty_leads, make_leads

__all__ = ["JailData"]


@SOURCES.implements("jail_data")
class JailData(Source):
    """Booking data on watch-listed adults with a criminal history."""

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        super().__init__(ctx, p)
        ppl = ctx.world.people
        w = ctx.watch
        self.subjects = w[(ppl.history[w] > 0) & ~ppl.is_child[w]].astype(np.int64)

    def initial(self, tally: Tally) -> Leads:
        """Every booking on file, as an address lead."""
        return self._leads(self.subjects, tally)

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Bookings refreshed today (a new booking or court date confirms the address)."""
        if self.subjects.size == 0 or self.p.p_refresh_per_day <= 0:
            return empty_leads()
        u = self.ctx.streams.uniform("sources.jail", self.subjects, step=day)
        who = self.subjects[(u < self.p.p_refresh_per_day) & (ti_free[self.subjects] <= day)]
        return self._leads(who, tally)

    def _leads(self, who: np.ndarray, tally: Tally) -> Leads:
        if who.size == 0:
            return empty_leads()
        j = self.ctx.channel("jail_data")
        tally.records[j] += who.size
        tally.bystanders[j] += int((~self.ctx.removable[who]).sum())
        return make_leads(who, self.ctx.world.people.home[who], self.p.confidence, j, ADDRESS)
