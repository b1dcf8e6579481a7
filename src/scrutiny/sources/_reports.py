"""Reports from service points: data a status check shares with enforcement, delivered as leads.

A status check (the ``status_check`` encounter trigger) that refuses a service may report the person
to enforcement. Reports are queued by the trigger during a day and delivered by this source the next
morning, as address leads at the person's home (a service holds a current address). Switching the
source off (``sources.service_reports.enabled = false``) is the firewall between services and
enforcement: checks still happen, nothing is shared.
"""

from __future__ import annotations

import numpy as np

from scrutiny.scenario import SOURCES, ComponentParams
from scrutiny.sources._base import Source, SourceContext
from scrutiny.sources._leads import ADDRESS, Leads, Tally, empty_leads, make_leads

__all__ = ["ServiceReports"]


@SOURCES.implements("service_reports")
class ServiceReports(Source):
    """The queue of reports from service points; :meth:`report` is called by the status-check trigger."""

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        super().__init__(ctx, p)
        self._queue: list[np.ndarray] = []

    def report(self, person: np.ndarray) -> None:
        """Queue reports on ``person`` (int64 ids) for delivery on the next day."""
        if person.size:
            self._queue.append(np.asarray(person, dtype=np.int64))

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Yesterday's reports, as leads at the reported people's homes (those in custody dropped)."""
        if not self._queue:
            return empty_leads()
        person = np.concatenate(self._queue)
        self._queue = []
        j = self.ctx.channel("service_reports")
        tally.records[j] += person.size
        tally.bystanders[j] += int((~self.ctx.removable[person]).sum())
        person = person[ti_free[person] <= day]
        return make_leads(person, self.ctx.world.people.home[person], self.p.report_confidence, j, ADDRESS)
