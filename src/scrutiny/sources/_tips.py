"""Tips from the public: reported leads that arrive whatever the day's allocation.

In Ensign et al.'s terms these are *reported* incidents, as opposed to the *discovered* incidents
(arrests) that only occur where teams were sent. Tips arrive as a Poisson process with mean
``share_reported / (1 - share_reported)`` times the metro's nominal daily arrests, so
``share_reported`` is the reported share of the reported/discovered mix. A true tip names a truly
removable person drawn uniformly from everyone removable (so tips fall where removable people
really are); a false tip (``p_false_tip``) names a neighbour of such a person (anyone living in the
same tract). The lead is at the named person's home. A tip about someone in custody is dropped.
"""

from __future__ import annotations

import numpy as np

from scrutiny.rng import Streams
from scrutiny.scenario import SOURCES, TipParams
from scrutiny.sources._base import Source, SourceContext, channel_code
from scrutiny.sources._leads import ADDRESS, Leads, Tally, empty_leads, make_leads
from scrutiny.world import World

__all__ = ["Tips", "TipSource"]


class Tips:
    """The tip line; :meth:`day` yields today's tips."""

    def __init__(self, world: World, removable: np.ndarray, p: TipParams, rate_per_day: float, n_days: int,
                 streams: Streams) -> None:
        self.world, self.p, self.rate, self.streams = world, p, rate_per_day, streams
        self.code = channel_code("tips")
        self.targets = np.flatnonzero(removable)
        self.per_day = streams.generator("sources.tips").poisson(rate_per_day, max(int(n_days), 1))

    def day(self, day: int, ti_free: np.ndarray, removable: np.ndarray, tally: Tally) -> Leads:
        """Receive today's tips; count them (false ones are bystander records); return their leads.

        The number of tips each day is drawn for the whole run at the start (``sources.tips``); whom
        a day's tips name is drawn from that day's stream (``sources.tips``, step ``day``).
        """
        n = int(self.per_day[day]) if day < self.per_day.size else 0
        if n == 0 or self.targets.size == 0:
            return empty_leads()
        u = self.streams.generator("sources.tips", step=day).random((3, n))
        anchor = self.targets[np.minimum((u[0] * self.targets.size).astype(np.int64), self.targets.size - 1)]
        start = self.world.tracts.person_start
        tract = self.world.places.tract[self.world.people.home[anchor]]
        lo, hi = start[tract], start[tract + 1]
        neighbour = lo + np.minimum((u[1] * (hi - lo)).astype(np.int64), hi - lo - 1)
        subject = np.where(u[2] < self.p.p_false_tip, neighbour, anchor)
        tally.records[self.code] += n
        tally.bystanders[self.code] += int((~removable[subject]).sum())
        subject = subject[ti_free[subject] <= day]
        return make_leads(subject, self.world.people.home[subject], self.p.tip_confidence, self.code, ADDRESS)


@SOURCES.implements("tips")
class TipSource(Source):
    """The tip line as a registered source: tips a day = share / (1 - share) x the metro's nominal arrests."""

    def __init__(self, ctx: SourceContext, p: TipParams) -> None:
        super().__init__(ctx, p)
        s = ctx.scenario
        rate = p.share_reported / (1.0 - p.share_reported) * s.operations.arrests_per_day(ctx.world.people.n)
        self.tips = Tips(ctx.world, ctx.removable, p, rate, s.n_days, ctx.streams)

    def day(self, day: int, ti_free: np.ndarray, tally: Tally, locate) -> Leads:
        """Today's tips."""
        return self.tips.day(day, ti_free, self.ctx.removable, tally)
