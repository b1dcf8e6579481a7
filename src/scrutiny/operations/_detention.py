"""Detention, release and removal.

A truly removable detainee is removed ``dur_detention_to_removal`` days after detention. A citizen
or lawful resident detained in error proves status after an exponential delay (at least one night)
and is released; the mean depends on how they must prove it:

* detained on a stranger's record (a false match): they prove who they are, with mean
  ``dur_wrongful_detention`` days;
* detained on their own wrong record (naturalisation not recorded, lawful status recorded as
  expired, protection held elsewhere, merged identity): the record must be corrected, with mean
  ``dur_wrongful_detention_record_error`` days.

If the delay outlasts the time to removal, that person is removed: a wrongful removal, counted
separately. The delay uses the counter-based stream ``operations.release`` on (person, day).
"""

from __future__ import annotations

import math

import numpy as np

from scrutiny.codes import EVENT_KINDS, OUTCOMES, code
from scrutiny.events import EventBuffer
from scrutiny.rng import Streams
from scrutiny.scenario import OperationsParams
from scrutiny.world import World

__all__ = ["Detention", "NEVER_FREE"]

#: ``ti_free`` of a removed person: never present again.
NEVER_FREE = np.iinfo(np.int32).max


class Detention:
    """Schedules each detainee's release or removal and logs the events."""

    def __init__(self, p: OperationsParams, n_days: int, streams: Streams) -> None:
        self.p, self.n_days, self.streams = p, n_days, streams

    def detain(
        self, log: EventBuffer, day: int, person: np.ndarray, place: np.ndarray, world: World, ti_free: np.ndarray,
        *, own_record_error: np.ndarray | None = None,
    ) -> None:
        """Detain ``person`` (taken at ``place``) on ``day``; update ``ti_free`` in place and log.

        Args:
            log: The event buffer.
            day: Day of detention.
            person: People detained.
            place: Place where each was taken.
            world: The world (statuses, groups, places).
            ti_free: int32[N] first day each person is free; updated in place.
            own_record_error: bool aligned with ``person``: detained on their own (wrong) record rather
                than on a stranger's; sets the mean delay before a wrongly detained person is released.
        """
        if person.size == 0:
            return
        ppl, places = world.people, world.places
        status = ppl.status[person]
        truly = world.vocab.removable[status]
        u = self.streams.uniform("operations.release", person, step=day)
        mean = self.p.dur_wrongful_detention
        if own_record_error is not None:
            mean = np.where(own_record_error, self.p.dur_wrongful_detention_record_error, mean)
        delay = -mean * np.log1p(-u)
        release_day = day + np.maximum(1, np.ceil(delay)).astype(np.int64)
        removal_day = day + int(math.ceil(self.p.dur_detention_to_removal))
        released = ~truly & (release_day < removal_day)
        ti_free[person] = np.where(released, release_day, NEVER_FREE)
        common = dict(
            place=place, place_kind=places.kind[place], tract=places.tract[place],
            person=person, status=status, group=ppl.group[person],
        )
        log.add(
            person.size, day=day, kind=code(EVENT_KINDS, "detention"),
            outcome=np.where(truly, code(OUTCOMES, "removable"), code(OUTCOMES, "wrongful")), **common,
        )
        for mask, day_of, kind, outcome in (
            (released, release_day, "release", "released_wrongful"),
            (~released, np.full(person.size, removal_day), "removal", "removed"),
        ):
            m = mask & (day_of < self.n_days)
            log.add(
                int(m.sum()), day=day_of[m], kind=code(EVENT_KINDS, kind), outcome=code(OUTCOMES, outcome),
                **{k: v[m] for k, v in common.items()},
            )
