"""What every source yields: leads (person-at-place claims with a confidence) and a tally of records.

A lead says "person ``i`` is at place ``p``" with an address confidence 0-100 that the targeting
model reads as the probability that the claim is true. Two kinds exist: an *address* (a home from a
record, a tip, a located phone or a vehicle registration), which stays true as long as the person
lives there, and a *sighting* (a plate read at a place), which says where someone was seen and
predicts presence only for days. The targeting model discounts each kind at its own rate.

A source's *records* are everything it delivers to the enforcement system: bulk records ingested at
the start, records refreshed during the run, every plate read, every phone captured, every tip. A
record about someone who is not truly removable is a *bystander* record: data collected on a
person who is not a target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scrutiny.world import World

__all__ = [
    "ADDRESS",
    "SIGHTING",
    "Leads",
    "Tally",
    "empty_leads",
    "make_leads",
    "concat_leads",
    "wrong_address",
    "residence_tract_start",
]

#: Lead kinds (``Leads.kind``).
ADDRESS, SIGHTING = 0, 1


@dataclass(frozen=True, slots=True)
class Leads:
    """Person-at-place claims that targeting sees, each with an address confidence 0-100."""

    person: np.ndarray  # int32[L]
    place: np.ndarray  # int32[L]
    confidence: np.ndarray  # float32[L], 0-100
    source: np.ndarray  # int8[L], channel code (scrutiny.sources.source_channels)
    kind: np.ndarray  # int8[L], ADDRESS or SIGHTING

    @property
    def n(self) -> int:
        """Number of leads."""
        return int(self.person.shape[0])

    def where(self, mask: np.ndarray) -> "Leads":
        """The leads where ``mask`` is true."""
        return Leads(*(getattr(self, f)[mask] for f in Leads.__slots__))


def make_leads(person, place, confidence, source: int, kind: int = ADDRESS) -> Leads:
    """Build a :class:`Leads` of one source and kind from array-likes (confidence 0-100)."""
    person = np.asarray(person, dtype=np.int32)
    return Leads(
        person=person, place=np.asarray(place, dtype=np.int32),
        confidence=np.broadcast_to(np.asarray(confidence, dtype=np.float32), person.shape).copy(),
        source=np.full(person.size, source, dtype=np.int8), kind=np.full(person.size, kind, dtype=np.int8),
    )


def empty_leads() -> Leads:
    """Return a lead set with no leads (shared: do not write into its arrays)."""
    return _EMPTY


_EMPTY = make_leads(np.zeros(0), np.zeros(0), np.zeros(0), 0)


def concat_leads(parts: list[Leads]) -> Leads:
    """Concatenate lead sets (in the given order)."""
    parts = [p for p in parts if p.n]
    if len(parts) <= 1:
        return parts[0] if parts else _EMPTY
    return Leads(*(np.concatenate([getattr(p, f) for p in parts]) for f in Leads.__slots__))


@dataclass
class Tally:
    """Running totals of one run: records and bystander records per channel, leads and good leads.

    ``good_leads`` counts leads that name a truly removable person at their home or day place.
    """

    records: np.ndarray  # float64[S]
    bystanders: np.ndarray  # float64[S]
    leads: np.ndarray  # float64[S]
    good_leads: np.ndarray  # float64[S]
    names: tuple[str, ...] = ()  # the channels, in code order

    @classmethod
    def zeros(cls, names: tuple[str, ...] | None = None) -> "Tally":
        """A tally with every count at zero, over ``names`` (default: every registered channel)."""
        if names is None:
            from scrutiny.sources._base import source_channels

            names = source_channels()
        return cls(*(np.zeros(len(names)) for _ in range(4)), names=tuple(names))

    def add_leads(self, leads: Leads, world: World, removable: np.ndarray) -> None:
        """Count ``leads`` per source, and those that name a removable person where they really are."""
        if leads.n == 0:
            return
        ppl = world.people
        right = (ppl.home[leads.person] == leads.place) | (ppl.day_place[leads.person] == leads.place)
        good = removable[leads.person] & right
        n = len(self.names)
        self.leads += np.bincount(leads.source, minlength=n)
        self.good_leads += np.bincount(leads.source, weights=good, minlength=n)

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{"records": {source: n}, "bystander_records": {...}, "leads": {...}, "good_leads": {...}}``."""
        return {
            name: {s: float(v) for s, v in zip(self.names, arr, strict=True)}
            for name, arr in (("records", self.records), ("bystander_records", self.bystanders),
                              ("leads", self.leads), ("good_leads", self.good_leads))
        }


def residence_tract_start(world: World) -> np.ndarray:
    """CSR index of residences by tract: the residences of tract ``k`` are ``start[k]:start[k + 1]``."""
    places = world.places
    return np.searchsorted(places.tract[: places.n_residences], np.arange(world.tracts.n + 1))


def wrong_address(world: World, person: np.ndarray, u_where: np.ndarray, u_pick: np.ndarray,
                  res_start: np.ndarray | None = None) -> np.ndarray:
    """A wrong (stale or mislinked) address for each person.

    Another home in the same tract half the time, anywhere in the metro otherwise.

    Args:
        world: The world.
        person: int64[L] people.
        u_where: float64[L] uniforms choosing same tract (< 0.5) or anywhere.
        u_pick: float64[L] uniforms choosing the home.
        res_start: :func:`residence_tract_start` of the world, if already computed.

    Returns:
        int64[L] residence ids.
    """
    n_res = world.places.n_residences
    tract = world.places.tract[world.people.home[person]]
    start = residence_tract_start(world) if res_start is None else res_start
    lo, hi = start[tract], start[tract + 1]
    same_tract = lo + np.minimum((u_pick * (hi - lo)).astype(np.int64), hi - lo - 1)
    anywhere = np.minimum((u_pick * n_res).astype(np.int64), n_res - 1)
    return np.where(u_where < 0.5, same_tract, anywhere)
