"""Who is present when a team arrives at a place.

Residences are raided at dawn (residents at home); workplaces and schools during the working day
(workers, pupils); clinics, churches, courthouses and protest sites during the day (visitors,
drawn only for the places visited). Nobody in detention is present. Removable people may have
evaded a raid on their home or workplace; anyone may have avoided a visit to a clinic, school,
church, court or protest. Each person appears at most once a day: at the first site visited. Where the
``protests`` trigger runs, the people at a protest event are its attendees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scrutiny._sets import expand_ranges, first_occurrences, union, unique
from scrutiny.behavior import avoidance, avoidance_table, evasion
from scrutiny.codes import PLACE_TYPES, SECTORS, code
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.world import World

__all__ = ["Presence", "expand_ranges"]

_RES, _WORK, _SCHOOL = (code(PLACE_TYPES, t) for t in ("residence", "workplace", "school"))
_CLINIC, _CHURCH = code(PLACE_TYPES, "clinic"), code(PLACE_TYPES, "church")
_COURT, _PROTEST = code(PLACE_TYPES, "courthouse"), code(PLACE_TYPES, "protest_site")
_DAY_LABOUR = code(SECTORS, "day_labour")
_VISITED = np.isin(np.arange(len(PLACE_TYPES)), [_CLINIC, _CHURCH, _COURT, _PROTEST])  # by place type: visitors drawn


@dataclass(frozen=True, slots=True)
class Presence:
    """Draws who is present at today's sites. Holds references, never copies of the world."""

    world: World
    scenario: Scenario
    streams: Streams
    protest_days: np.ndarray  # bool[n_protest_sites, n_days]
    calendar: object = None  # scrutiny.world.HearingCalendar: people with a hearing at a courthouse today
    attendees: object = None  # attendees(day, k): who came to protest site k's event (the protests trigger), if any
    _places: dict = field(init=False, repr=False, compare=False)  # visited place type -> its place ids, ascending
    _avoid_table: np.ndarray = field(init=False, repr=False, compare=False)  # avoidance_table, for every visit

    def __post_init__(self) -> None:
        kind = self.world.places.kind  # what every visit reads, found once per run
        object.__setattr__(self, "_places", {int(k): np.flatnonzero(kind == k) for k in np.flatnonzero(_VISITED)})
        object.__setattr__(self, "_avoid_table", avoidance_table(self.scenario.behavior, self.world.vocab))

    def _avoidance(self, fear: np.ndarray, person: np.ndarray, tract: np.ndarray) -> np.ndarray:
        """:func:`scrutiny.behavior.avoidance` of ``person``, who lives in ``tract``."""
        b, ppl = self.scenario.behavior, self.world.people
        return avoidance(fear, tract, ppl.status[person], ppl.mixed[person], b, self.world.vocab,
                         table=self._avoid_table)

    def _tract(self, person: np.ndarray) -> np.ndarray:
        return self.world.places.tract[self.world.people.home[person]]

    def _visitors(self, place: int, day: int, fear: np.ndarray) -> np.ndarray:
        """Visitors of one clinic, church, courthouse or protest site today."""
        w, pp = self.world, self.scenario.world.places
        kind, tract = int(w.places.kind[place]), int(w.places.tract[place])
        if kind in (_CLINIC, _CHURCH):
            rate = pp.p_visit_clinic if kind == _CLINIC else (pp.p_visit_church_sunday if day % 7 == 6 else 0.0)
            same = self._places[kind]
            same = same[w.places.tract[same] == tract]
            lo, hi = w.tracts.person_start[tract], w.tracts.person_start[tract + 1]
            who = np.arange(lo, hi, dtype=np.int64)
            pick = (self.streams.uniform("field.visit_site", who) * same.size).astype(np.int64)
            who = who[(same[np.minimum(pick, same.size - 1)] == place)]
            who = who[self.streams.uniform("field.visit", who, step=day) < rate]
        else:
            sites = self._places[kind]
            if kind == _PROTEST:
                local = int(np.searchsorted(sites, place))
                if self.attendees is not None:  # the protests trigger's attendees (already chilled)
                    return self.attendees(day, local) if self.protest_days[local, day] else np.zeros(0, np.int64)
                expected = w.people.n * pp.p_attend_protest if self.protest_days[local, day] else 0.0
            else:
                expected = w.people.n * pp.p_visit_courthouse / sites.size
            rng = self.streams.generator("field.visit", step=day * w.places.n + place)
            who = unique(rng.integers(0, w.people.n, rng.poisson(expected)))
        avoid = self._avoidance(fear, who, self._tract(who))
        who = who[self.streams.uniform("field.visit", who, step=day + 1_000_000) >= avoid]
        if kind == _COURT and self.calendar is not None:  # people with a hearing here today, most of them attending
            heard, court = self.calendar.on(day)
            heard = heard[court == place]
            heard = heard[self.streams.uniform("field.hearing", heard, step=day) < pp.p_attend_hearing]
            who = union(who, heard)
        return who

    def at(self, sites: np.ndarray, day: int, ti_free: np.ndarray, fear: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(site_index, person)`` for everyone present at ``sites`` (in visiting order).

        Args:
            sites: int64[K] place ids in visiting order.
            day: Day index (0 = a Monday).
            ti_free: int32[N] first day each person is out of detention (and present anywhere).
            fear: float64[T] fear level per tract.
        """
        w, pp = self.world, self.scenario.world.places
        kind = w.places.kind[sites]
        at_res = kind == _RES
        weekday = day % 7
        day_ok = (kind == _WORK) | (kind == _SCHOOL)
        day_ok &= (weekday < 5) | ((weekday == 5) & (w.places.sector[sites] == _DAY_LABOUR))
        # residents (people ids are stored home by home) and the people of workplaces and schools, site by site
        home = np.minimum(sites, w.places.n_residences - 1)  # residences are places 0 to n_residences - 1
        start = np.where(at_res, w.places.resident_start[home], w.places.day_start[sites])
        stop = np.where(at_res, w.places.resident_start[home + 1], w.places.day_start[sites + 1])
        site_i, person = expand_ranges(start, np.where(at_res | day_ok, stop, start))
        by_day = np.flatnonzero(~at_res[site_i])
        person[by_day] = w.people.day_order[person[by_day]]
        visited = np.flatnonzero(_VISITED[kind])
        if visited.size:  # visitors drawn at clinics, churches, courts, protests: each site's in its turn
            parts_i, parts_p = [site_i], [person]
            for j in visited:
                who = self._visitors(int(sites[j]), day, fear)
                parts_i.append(np.full(who.size, j, dtype=np.int64))
                parts_p.append(who)
            site_i, person = np.concatenate(parts_i), np.concatenate(parts_p).astype(np.int64)
            order = np.argsort(site_i, kind="stable")
            site_i, person = site_i[order], person[order]

        keep = ti_free[person] <= day
        kind_i = kind[site_i]
        at_home = kind_i == _RES
        at_day_place = (kind_i == _WORK) | (kind_i == _SCHOOL)
        p_here = np.where(at_home, pp.p_home_at_dawn, np.where(at_day_place, pp.p_at_day_place, 1.0))
        keep &= self.streams.uniform("field.presence", person, step=day) < p_here
        behavior = self.scenario.behavior
        if behavior.enabled:  # else nobody evades or avoids (both probabilities 0, and every uniform is >= 0)
            tract = self._tract(person)
            targetable = at_home | (kind_i == _WORK)
            away = np.where(targetable & w.vocab.removable[w.people.status[person]], evasion(fear, tract, behavior),
                            0.0)
            away = np.where(kind_i == _SCHOOL, self._avoidance(fear, person, tract), away)
            keep &= self.streams.uniform("field.evasion", person, step=day) >= away
        keep = np.flatnonzero(keep)  # then gathers: a boolean index of middling density costs several times more
        site_i, person = site_i[keep], person[keep]
        first = first_occurrences(person)  # one encounter a day: at the first site visited
        return site_i[first], person[first]
