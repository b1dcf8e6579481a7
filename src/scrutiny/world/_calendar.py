"""Immigration court calendars: who has a hearing at which courthouse on which day.

People with a pending immigration case (a share by status, ``world.p_pending_case``) attend a
hearing on a given day with probability ``hearings_per_year / 365`` (counter-based stream
``world.hearing`` on (person, day)), at the courthouse their id assigns them to. The calendar is a
public record, which makes it a lead source for enforcement (``sources.court_calendar``) and brings
those people to the courthouse on known days (the field stage's presence). It is computed, never
stored: each day costs one draw per person with a pending case.
"""

from __future__ import annotations

import numpy as np

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import WorldParams
from scrutiny.world._types import World

__all__ = ["HearingCalendar"]

_COURT = code(PLACE_TYPES, "courthouse")


class HearingCalendar:
    """The replicate's hearings: :meth:`on` gives who has a hearing on a day, and where.

    Args:
        world: The world.
        p: World parameters (``p_pending_case``, ``hearings_per_year``).
        streams: The replicate's random streams.
    """

    def __init__(self, world: World, p: WorldParams, streams: Streams) -> None:
        self.streams = streams
        ppl, vocab = world.people, world.vocab
        share = np.array([p.p_pending_case[s] for s in vocab.statuses])[ppl.status]
        u = streams.uniform("world.hearing", np.arange(ppl.n, dtype=np.int64), step=0)
        self.pending = np.flatnonzero((u < share) & ~ppl.is_child).astype(np.int64)
        self.courts = np.flatnonzero(world.places.kind == _COURT).astype(np.int64)
        self.rate = min(1.0, p.hearings_per_year / 365.0)

    def on(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """``(person, courthouse)`` of every hearing on ``day`` (weekdays only)."""
        if day % 7 >= 5 or self.pending.size == 0 or self.courts.size == 0 or self.rate <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        u = self.streams.uniform("world.hearing", self.pending, step=day + 1)
        who = self.pending[u < self.rate]
        return who, self.courts[who % self.courts.size]
