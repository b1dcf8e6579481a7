"""Reports from service points and tracing through their records: data shared with enforcement, as leads.

Two flows carry what everyday services learn to enforcement:

* **reports**: a status check (the ``status_check`` encounter trigger) that refuses a service, or
  a bill left unpaid at a charging point, may report the person. The trigger queues reports during
  a day (:meth:`ServiceReports.report`) and this source delivers them the next morning.
* **tracing**: enforcement sends the services' records trace requests about people on its watch
  list (records showing a removable status), at the national volumes observed, scaled to the metro
  (``traces_per_year_national``); a request returns an address with the observed yield
  (``p_traced``: NHS tracing 0.72, school records 0.26).

A shared address is the person's current home with probability ``report_confidence / 100`` (the
lead's confidence, calibrated), otherwise a former address. Switching the source off
(``sources.service_reports.enabled = false``) is the firewall between every service and
enforcement: checks still happen, nothing is shared; ``blocked_points`` is a firewall for some
service points only (health and education). With ``share_address`` off (data minimisation) a report
carries no address: enforcement falls back on the address of its own record, and tracing returns
nothing; ``retention_days`` limits what a service can still share about an old contact.
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny.scenario import SOURCES, ComponentParams
from scrutiny.sources._base import Source, SourceContext
from scrutiny.sources._leads import ADDRESS, Leads, Tally, empty_leads, make_leads, wrong_address

__all__ = ["ServiceReports"]

#: Service points per day are keyed ``day * _POINT_STEP + point`` in the random streams.
_POINT_STEP = 64


@SOURCES.implements("service_reports")
class ServiceReports(Source):
    """Reports queued by the status-check trigger, and trace requests to the services' records."""

    def __init__(self, ctx: SourceContext, p: ComponentParams) -> None:
        super().__init__(ctx, p)
        self._queue: list[np.ndarray] = []
        points = ctx.world.vocab.service_points
        self.point_names: tuple[str, ...] = tuple(points)
        blocked = set(p.blocked_points)
        self.blocked = np.array([n in blocked for n in self.point_names], dtype=bool)
        retention = p.retention_days / 365.0
        self.traces = [  # (point, requests a day in the metro, share answered with an address)
            (k, p.traces_per_year_national.get(n, 0.0) * ctx.scale / 365.0,
             p.p_traced.get(n, 0.0) * -math.expm1(-points[n].per_person_per_year * retention))
            for k, n in enumerate(self.point_names)
        ]
        self.traces = [(k, rate, q) for k, rate, q in self.traces if rate > 0 and q > 0 and not self.blocked[k]]

    def shares(self, point: int) -> bool:
        """Whether service point ``point`` (its position in the jurisdiction's list) shares data with enforcement."""
        return not bool(self.blocked[point])

    def report(self, person: np.ndarray) -> None:
        """Queue reports on ``person`` (int64 ids) for delivery on the next day."""
        if person.size:
            self._queue.append(np.asarray(person, dtype=np.int64))

    def _traced(self, day: int) -> np.ndarray:
        """People whose address today's trace requests returned (int64)."""
        watch = self.ctx.watch
        if not self.traces or watch.size == 0 or not self.p.share_address:
            return np.zeros(0, np.int64)
        found = []
        for k, rate, q in self.traces:
            rng = self.ctx.streams.generator("sources.service_reports.trace", step=day * _POINT_STEP + k)
            n = int(rng.poisson(rate))
            who = watch[rng.integers(0, watch.size, n)]
            found.append(who[rng.random(n) < q])
        return np.concatenate(found)

    def _places(self, person: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """The address each shared record gives, and its confidence 0-100 (place -1: no address at all)."""
        ctx, streams = self.ctx, self.ctx.streams
        u = [streams.uniform("sources.service_reports.address", person, step=day * 3 + i) for i in range(3)]
        if self.p.share_address:
            confidence = float(self.p.report_confidence)
        else:  # minimised: only the address on enforcement's own record, if it holds one
            confidence = 100.0 * float(ctx.scenario.sources.admin.p_address_current)
        current = u[0] < confidence / 100.0
        stale = wrong_address(ctx.world, person, u[1], u[2], ctx.res_start)
        place = np.where(current, ctx.world.people.home[person], stale)
        if not self.p.share_address:
            place = np.where(ctx.has_record[person], place, -1)
        return place, np.full(person.size, confidence)

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Yesterday's reports and today's traced addresses, as leads (those in custody dropped)."""
        parts = [*self._queue, self._traced(day)]
        self._queue = []
        person = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        if person.size == 0:
            return empty_leads()
        j = self.ctx.channel("service_reports")
        tally.records[j] += person.size
        tally.bystanders[j] += int((~self.ctx.removable[person]).sum())
        person = person[ti_free[person] <= day]
        place, confidence = self._places(person, day)
        keep = place >= 0
        return make_leads(person[keep], place[keep], confidence[keep], j, ADDRESS)
