"""The world's state: tracts, places and people as frozen structs of arrays.

People are stored sorted by home place (residences are the first place ids), so the residents of
residence ``p`` are ``slice(places.resident_start[p], places.resident_start[p + 1])`` and the
residents of tract ``k`` are ``slice(tracts.person_start[k], tracts.person_start[k + 1])``.
Nothing here is a per-person Python object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scrutiny.codes import Vocabulary

__all__ = ["Tracts", "Places", "People", "World"]


@dataclass(frozen=True, slots=True)
class Tracts:
    """Areas (census tracts or synthetic grid cells) and their public aggregates."""

    x: np.ndarray  # float32[T], centroid, km
    y: np.ndarray  # float32[T]
    person_start: np.ndarray  # int64[T+1]; residents of tract k are a contiguous slice
    population: np.ndarray  # int32[T]
    foreign_born: np.ndarray  # int32[T]; the public aggregate the agency can see
    noncitizen: np.ndarray  # int32[T]
    geoid: tuple[str, ...] = ()  # real tract ids for imported geography; empty for synthetic
    geometry: dict | None = None  # GeoJSON FeatureCollection for imported geography

    @property
    def n(self) -> int:
        """Number of tracts."""
        return int(self.x.shape[0])


@dataclass(frozen=True, slots=True)
class Places:
    """Every place an operation can visit. Residences come first (ids 0..n_residences-1)."""

    kind: np.ndarray  # int8[P], code in PLACE_TYPES
    sector: np.ndarray  # int8[P], code in SECTORS for workplaces, -1 otherwise
    tract: np.ndarray  # int32[P]
    n_households: np.ndarray  # int32[P], households living there (residences), 0 otherwise
    resident_start: np.ndarray  # int64[n_residences+1]
    day_start: np.ndarray  # int64[P+1] into People.day_order: people whose day place is p
    n_residences: int

    @property
    def n(self) -> int:
        """Number of places."""
        return int(self.kind.shape[0])


@dataclass(frozen=True, slots=True)
class People:
    """Synthetic residents, struct of arrays, sorted by home place."""

    home: np.ndarray  # int32[N], residence place id, non-decreasing
    household: np.ndarray  # int32[N], non-decreasing
    day_place: np.ndarray  # int32[N], workplace or school id; -1 = no fixed day place
    day_order: np.ndarray  # int32[M], people with a day place, grouped by it (CSR with Places.day_start)
    status: np.ndarray  # int8[N], code in STATUSES
    group: np.ndarray  # int8[N], code in GROUPS
    is_child: np.ndarray  # bool[N]
    mixed: np.ndarray  # bool[N], lives in a mixed-status household
    history: np.ndarray  # int8[N], criminal history (scrutiny.codes.HISTORIES: none, pending charge, conviction)

    @property
    def n(self) -> int:
        """Number of people."""
        return int(self.home.shape[0])


@dataclass(frozen=True, slots=True)
class World:
    """Geography, places and people of one replicate."""

    tracts: Tracts
    places: Places
    people: People
    info: dict = field(default_factory=dict)  # summary figures of the synthesis (shares, counts)
    vocab: Vocabulary = field(default_factory=Vocabulary.default)  # the jurisdiction's statuses and their roles

    def tract_of_person(self) -> np.ndarray:
        """Return the home tract of every person (int32[N]), derived from the sorted layout."""
        counts = np.diff(self.tracts.person_start)
        return np.repeat(np.arange(self.tracts.n, dtype=np.int32), counts)
