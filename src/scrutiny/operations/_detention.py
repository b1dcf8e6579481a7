"""Detention, release and removal.

A truly removable detainee is removed ``dur_detention_to_removal`` days after detention, unless
released first (bond, parole: a share ``p_release_removable``, on a day drawn uniformly within the
time to removal). A citizen or lawful resident detained in error proves status after a lognormal
delay (log-sd ``sigma_wrongful_detention``, at least one night) and is released; the median
depends on how they must prove it:

* detained on a stranger's record (a false match): they prove who they are, median
  ``dur_wrongful_detention`` days (about a day: CALIBRATION.md round 2);
* detained on their own wrong record (naturalisation not recorded, lawful status recorded as
  expired, protection held elsewhere, merged identity): the record must be corrected, median
  ``dur_wrongful_detention_record_error`` days.

If the delay outlasts the time to removal, that person is removed: a wrongful removal, counted
separately. The delays use the counter-based stream ``operations.release`` on (person, day).
A detention at no place (a custody transfer from a jail) is logged at the person's home tract.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

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
        *, own_record_error: np.ndarray | None = None, context: int = -1,
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
            context: The service point, checkpoint or port where the detention happened (-1: none), logged
                on the detention event only.
        """
        if person.size == 0:
            return
        ppl, places = world.people, world.places
        status = ppl.status[person]
        truly = world.vocab.removable[status]
        u = self.streams.uniform("operations.release", person, step=day)
        median = self.p.dur_wrongful_detention
        if own_record_error is not None:
            median = np.where(own_record_error, self.p.dur_wrongful_detention_record_error, median)
        delay = median * np.exp(self.p.sigma_wrongful_detention * ndtri(np.clip(u, 1e-12, 1 - 1e-12)))
        to_removal = int(math.ceil(self.p.dur_detention_to_removal))
        u_bond = self.streams.uniform("operations.release", person, step=day + 1_000_000)
        bond = truly & (u_bond < self.p.p_release_removable)
        delay = np.where(truly, u_bond / max(self.p.p_release_removable, 1e-300) * to_removal, delay)
        release_day = day + np.maximum(1, np.ceil(np.minimum(delay, 1e7))).astype(np.int64)
        removal_day = day + to_removal
        released = (~truly | bond) & (release_day < removal_day)
        ti_free[person] = np.where(released, release_day, NEVER_FREE)
        place = np.asarray(place, dtype=np.int64)
        at_place = place >= 0
        home_tract = places.tract[ppl.home[person]]
        common = dict(
            place=place, place_kind=np.where(at_place, places.kind[np.maximum(place, 0)], -1),
            tract=np.where(at_place, places.tract[np.maximum(place, 0)], home_tract),
            person=person, status=status, group=ppl.group[person], history=ppl.history[person],
        )
        log.add(
            person.size, day=day, kind=code(EVENT_KINDS, "detention"), context=context,
            outcome=np.where(truly, code(OUTCOMES, "removable"), code(OUTCOMES, "wrongful")), **common,
        )
        for mask, day_of, kind, outcome in (
            (released & ~truly, release_day, "release", "released_wrongful"),
            (released & truly, release_day, "release", "released"),
            (~released, np.full(person.size, removal_day), "removal", "removed"),
        ):
            m = np.flatnonzero(mask & (day_of < self.n_days))
            if m.size:
                log.add(m.size, day=day_of[m], kind=code(EVENT_KINDS, kind), outcome=code(OUTCOMES, outcome),
                        **{k: v[m] for k, v in common.items()})
