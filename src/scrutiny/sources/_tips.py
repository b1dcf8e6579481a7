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
from scrutiny.scenario import TipParams
from scrutiny.sources._leads import ADDRESS, SOURCE_NAMES, Leads, Tally, empty_leads, make_leads
from scrutiny.world import World

__all__ = ["Tips"]

_TIPS = SOURCE_NAMES.index("tips")


class Tips:
    """The tip line; :meth:`day` yields today's tips."""

    def __init__(self, world: World, removable: np.ndarray, p: TipParams, rate_per_day: float, n_days: int,
                 streams: Streams) -> None:
        self.world, self.p, self.rate, self.streams = world, p, rate_per_day, streams
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
        tally.records[_TIPS] += n
        tally.bystanders[_TIPS] += int((~removable[subject]).sum())
        subject = subject[ti_free[subject] <= day]
        return make_leads(subject, self.world.people.home[subject], self.p.tip_confidence, _TIPS, ADDRESS)
