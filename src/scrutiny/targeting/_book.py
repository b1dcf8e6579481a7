"""The lead book: what the targeting model believes about who is where, kept up to date cheaply.

Leads from every source are merged into *pins*, one per (person, place, kind). Several leads that
put the same person at the same place combine by noisy-OR: a pin's confidence is
``1 - prod(1 - c_i)``, the probability that at least one of them is right if each is right
independently with its own confidence. A pin's confidence then decays with time since its last
lead (half-life ``address_half_life_days`` for addresses, ``sighting_half_life_days`` for
sightings); a pin below 1% is dropped. A pin closes when its person is detained, and loses
confidence (``lead_miss_decay``) when its place is visited and its person is not taken.

The book keeps, per place, the summed confidence of its active pins (the expected number of lead
subjects present, if each pin is right with its confidence) and the number of active pins. Decay
is global per kind, so the per-place sums are stored in the units of a reference day and scaled
by one number a day; every update costs time in proportion to the pins it touches, never to the
number of places or people, and the weekly sweep for pins that decayed below 1% looks at the
pins active since the last sweep, never at every pin ever made.
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import union, unique
from scrutiny.scenario import TargetingParams
from scrutiny.sources import Leads
from scrutiny.targeting._index import SortedIndex

__all__ = ["LeadBook"]

_MIN_CONFIDENCE = 0.01  # pins below 1% confidence are dropped
_SWEEP_EVERY = 7  # days between sweeps for pins that decayed below the minimum
_RENORMALISE_AT = 30.0  # rescale the reference units when exp(-rate * age) falls below exp(-30)
_TAIL = 16_384  # keys in the index's small sorted tail before it is merged into the main index


class LeadBook:
    """Pins (person, place, kind) with decaying confidence, and per-place sums for scoring.

    Args:
        n_places: Number of places.
        n_people: Number of people.
        p: Targeting parameters (half-lives).
        named_mass: Keep the per-place mass of pins on named people too (``mass(named_only=True)``,
            which ``warrant_only`` ranks on); without it the book weighs a float per place less.

    Examples:
        >>> from scrutiny.scenario import TargetingParams
        >>> from scrutiny.sources import make_leads
        >>> book = LeadBook(3, 5, TargetingParams())
        >>> book.add(make_leads([1, 1], [2, 2], [50.0, 50.0], source=0), day=0)
        >>> mass, count = book.mass(0)
        >>> round(float(mass[2]), 2), int(count[2])  # two leads on one pin: 1 - 0.5 * 0.5
        (0.75, 1)
    """

    def __init__(self, n_places: int, n_people: int, p: TargetingParams, *, named_mass: bool = True) -> None:
        self.n_places, self.n_people = int(n_places), int(n_people)
        self.rate = np.log(2.0) / np.array([p.address_half_life_days, p.sighting_half_life_days])
        self.ref_day = np.zeros(2)
        self.n = 0
        cap = 1024
        self.person = np.zeros(cap, np.int32)  # ids below 2**31 (a person or place id never exceeds that)
        self.place = np.zeros(cap, np.int32)
        self.kind = np.zeros(cap, np.int8)
        self.cref = np.zeros(cap, np.float64)  # confidence 0-1 in units of the kind's reference day
        self.named = np.zeros(cap, bool)
        self.active = np.zeros(cap, bool)
        self.listed = np.zeros(cap, bool)  # the pin is in the live list
        self._live = np.zeros(cap, np.int32)  # the live list: every active pin, and some closed since the last sweep
        self._n_live = 0
        self._n_active = 0
        self.mass_ref = np.zeros((2, self.n_places))
        self.named_ref = np.zeros((2, self.n_places)) if named_mass else None
        self.count = np.zeros(self.n_places, np.int32)
        self._sighting_places = np.zeros(0, np.int64)  # places that ever held a sighting pin
        self._by_person = SortedIndex(_TAIL)  # key (person, place, kind)
        self._by_place = SortedIndex(_TAIL)  # key (place, person, kind)
        self._touched: list[np.ndarray] | None = None  # places whose sums changed, once watch() is called

    # ---------------------------------------------------------------- helpers
    def _scale(self, day: int) -> np.ndarray:
        return np.exp(-self.rate * (day - self.ref_day))

    def _key(self, a, b, kind, n_b: int | None = None) -> np.ndarray:
        """The int64 key ``(a * n_b + b) * 2 + kind`` (by person: a person, b place; by place: the reverse)."""
        n_b = self.n_places if n_b is None else n_b
        return (np.asarray(a, np.int64) * n_b + np.asarray(b, np.int64)) * 2 + np.asarray(kind)

    def _grow(self, need: int) -> None:
        cap = self.person.size
        if need <= cap:
            return
        new = max(need, 2 * cap)
        for name in ("person", "place", "kind", "cref", "named", "active", "listed", "_live"):
            old = getattr(self, name)
            arr = np.zeros(new, old.dtype)
            arr[:cap] = old
            setattr(self, name, arr)

    def _pins_of(self, people: np.ndarray) -> np.ndarray:
        """Active pins of ``people``."""
        lo = np.asarray(people, np.int64) * (2 * self.n_places)
        _, idx = self._by_person.ranges(lo, lo + 2 * self.n_places)
        return idx[self.active[idx]]

    def _pins_at(self, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Active pins at ``places``, with the position in ``places`` of each."""
        lo = np.asarray(places, np.int64) * (2 * self.n_people)
        owner, idx = self._by_place.ranges(lo, lo + 2 * self.n_people)
        keep = self.active[idx]
        return owner[keep], idx[keep]

    def _add_mass(self, idx: np.ndarray, sign: float) -> None:
        place = self.place[idx]
        if self._touched is not None:
            self._touched.append(place)
        flat = self.kind[idx].astype(np.int64) * self.n_places + place
        np.add.at(self.mass_ref.reshape(-1), flat, sign * self.cref[idx])
        if self.named_ref is not None:
            named = self.named[idx]
            np.add.at(self.named_ref.reshape(-1), flat[named], sign * self.cref[idx][named])

    def _deactivate(self, idx: np.ndarray) -> None:
        if idx.size == 0:
            return
        self._add_mass(idx, -1.0)
        self.active[idx] = False
        self._n_active -= idx.size
        np.subtract.at(self.count, self.place[idx], 1)
        empty = self.place[idx][self.count[self.place[idx]] == 0]
        self.mass_ref[:, empty] = 0.0  # no rounding residue where no pin is left
        if self.named_ref is not None:
            self.named_ref[:, empty] = 0.0

    # ---------------------------------------------------------------- updates
    def add(self, leads: Leads, day: int, named: np.ndarray | None = None) -> None:
        """Merge new leads into the book on ``day``.

        Args:
            leads: The new leads.
            day: Day index.
            named: Optional bool per lead: the subject is *named* (their record shows a final order).
        """
        if leads.n == 0:
            return
        c = np.minimum(leads.confidence.astype(np.float64) / 100.0, 1.0 - 1e-12)
        keys, inv = np.unique(self._key(leads.person, leads.place, leads.kind), return_inverse=True)
        c_new = -np.expm1(np.bincount(inv, weights=np.log1p(-c), minlength=keys.size))
        nm = np.zeros(keys.size, bool) if named is None else np.bincount(inv, weights=named, minlength=keys.size) > 0
        idx = self._by_person.lookup(keys)
        new = idx < 0
        n_new = int(new.sum())
        self._grow(self.n + n_new)
        fresh = np.arange(self.n, self.n + n_new)
        kind_new = (keys[new] % 2).astype(np.int8)
        self.kind[fresh] = kind_new
        self.place[fresh] = (keys[new] // 2) % self.n_places
        self.person[fresh] = keys[new] // 2 // self.n_places
        self.active[fresh], self.cref[fresh], self.named[fresh] = False, 0.0, False
        self.n += n_new
        idx[new] = fresh
        sighted = self.place[fresh[kind_new == 1]]
        if sighted.size:
            self._sighting_places = union(self._sighting_places, sighted)
        self._by_person.insert(keys[new], fresh)
        self._by_place.insert(self._key(self.place[fresh], self.person[fresh], self.kind[fresh], self.n_people), fresh)
        was_active = self.active[idx]
        self._add_mass(idx[was_active], -1.0)
        g = self._scale(day)[self.kind[idx]]
        c_now = np.where(was_active, self.cref[idx] * g, 0.0)
        self.cref[idx] = (1.0 - (1.0 - c_now) * (1.0 - c_new)) / g
        self.named[idx] = (self.named[idx] & was_active) | nm
        self.active[idx] = True
        opened = idx[~was_active]
        self._n_active += opened.size
        listed = opened[~self.listed[opened]]  # each pin is listed once, however often it closes and reopens
        self.listed[listed] = True
        self._live[self._n_live : self._n_live + listed.size] = listed
        self._n_live += listed.size
        np.add.at(self.count, self.place[opened], 1)
        self._add_mass(idx, 1.0)

    def visited(self, sites: np.ndarray, detained: np.ndarray, miss_decay: float, day: int) -> None:
        """Update the book after today's operations.

        Every pin of the people ``detained`` closes; pins at the visited ``sites`` whose person was not
        detained lose confidence (times ``miss_decay``).
        """
        self.close(detained)
        if sites.size and self.n:
            _, idx = self._pins_at(unique(sites))
            self._add_mass(idx, -1.0)
            self.cref[idx] *= miss_decay
            self._add_mass(idx, 1.0)
        self.sweep(day)

    def close(self, people: np.ndarray) -> None:
        """Close every active pin of ``people`` (detained: no longer at large)."""
        if people.size == 0 or self.n == 0:
            return
        self._deactivate(self._pins_of(unique(people)))

    def sweep(self, day: int) -> None:
        """Every few days drop pins below 1% confidence; rescale reference units when needed."""
        renormalise = [k for k in (0, 1) if self.rate[k] * (day - self.ref_day[k]) > _RENORMALISE_AT]
        if day % _SWEEP_EVERY == 0 or renormalise:  # the live list keeps its active pins only
            live = self._live[: self._n_live]
            keep = self.active[live]
            self.listed[live[~keep]] = False
            live = live[keep]
            self._live[: live.size], self._n_live = live, live.size
        if day % _SWEEP_EVERY == 0 and self.n:
            conf = self.cref[live] * self._scale(day)[self.kind[live]]
            self._deactivate(np.sort(live[conf < _MIN_CONFIDENCE]))  # in the order they were made, as ever
        for k in renormalise:
            g = float(self._scale(day)[k])
            self.mass_ref[k] *= g
            if self.named_ref is not None:
                self.named_ref[k] *= g
            live = self._live[: self._n_live]
            live = live[self.active[live]]  # a closed pin's confidence is never read again
            live = live[self.kind[live] == k]
            self.cref[live] *= g
            self.ref_day[k] = day

    # ---------------------------------------------------------------- queries
    def watch(self) -> None:
        """Start (or restart) keeping the places whose per-place sums or pin count change (:meth:`touched`)."""
        self._touched = []

    def touched(self) -> np.ndarray:
        """The places whose sums or pin count changed since the last call (or :meth:`watch`), with repeats.

        Every change to ``mass_ref`` and ``count`` goes through one helper that records its places;
        rescaling the reference units (``ref_day`` moves) is not recorded: the caller compares ``ref_day``.
        """
        if self._touched is None:
            raise RuntimeError("LeadBook.touched() before LeadBook.watch()")
        out = np.concatenate(self._touched) if self._touched else np.zeros(0, np.int32)
        self._touched = []
        return out

    def mass(
        self, day: int, *, named_only: bool = False, out: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (expected lead subjects present, active pins) per place on ``day``.

        With ``named_only``, the first array counts only pins whose subject is named (record shows a
        final order); the pin count is always all active pins. ``out`` (float64[n_places]) receives
        the first array instead of a new one.
        """
        if named_only and self.named_ref is None:
            raise ValueError("this lead book keeps no named mass (mass(named_only=True)): a selection policy that "
                             "reads it says so with the class attribute reads_named_mass = True, and the loop then "
                             "builds the book with named_mass=True")
        ref = self.named_ref if named_only else self.mass_ref
        g = self._scale(day)
        out = np.multiply(ref[0], g[0], out=out)
        sp = self._sighting_places
        out[sp] += ref[1, sp] * g[1]  # sightings sit at a few (camera) places
        return out, self.count

    def mass_at(self, places: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`mass` at ``places`` only (int64 ascending ids): the same values to the bit."""
        g = self._scale(day)
        out = self.mass_ref[0][places] * g[0]  # a row, then a gather: cheaper than one mixed index
        sp = self._sighting_places
        if sp.size and places.size:
            at = np.minimum(np.searchsorted(places, sp), places.size - 1)
            hit = at[places[at] == sp]
            out[hit] += self.mass_ref[1, places[hit]] * g[1]
        return out, self.count[places]

    def negative_mass(self) -> np.ndarray:
        """Places (int64, ascending) whose stored lead mass is negative: a rounding residue of pins removed."""
        negative = np.flatnonzero(self.mass_ref[0] < 0)
        sp = self._sighting_places
        if sp.size:
            negative = union(negative, sp[self.mass_ref[1, sp] < 0])
        return negative

    def dynamic(self, out: np.ndarray) -> np.ndarray:
        """bool[P] into ``out``: places whose lead mass may be non-zero (an active pin, or ever a sighting)."""
        np.greater(self.count, 0, out=out)
        out[self._sighting_places] = True
        return out

    def confidence(self, idx: np.ndarray, day: int) -> np.ndarray:
        """Current confidence (0-1) of pins ``idx``."""
        return self.cref[idx] * self._scale(day)[self.kind[idx]]

    def subjects_at(
        self, sites: np.ndarray, day: int, *, named_only: bool = False
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The lead subjects the book places at each site: who teams are sent to look for.

        Args:
            sites: int[K] place ids (today's sites, in visiting order; each at most once).
            day: Day index.
            named_only: Only subjects whose record showed a final order when the lead arrived.

        Returns:
            ``(site_index, person, confidence)``: int64 index into ``sites``, int64 person id and the
            pin's confidence 0-100, ordered by site then person. A person appears once per site.
        """
        if sites.size == 0 or self.n == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        site_i, idx = self._pins_at(unique(sites))
        if named_only:
            site_i, idx = site_i[self.named[idx]], idx[self.named[idx]]
        by_place = np.argsort(sites, kind="stable")
        site_i = by_place[np.searchsorted(sites[by_place], self.place[idx])]
        conf = 100.0 * self.confidence(idx, day)
        person = self.person[idx].astype(np.int64)
        order = np.lexsort((-conf, person, site_i))
        site_i, person, conf = site_i[order], person[order], conf[order]
        first = np.ones(site_i.size, bool)
        first[1:] = (site_i[1:] != site_i[:-1]) | (person[1:] != person[:-1])
        return site_i[first], person[first], conf[first]

    def best_place(self, people: np.ndarray, day: int) -> np.ndarray:
        """The place of each person's most confident active pin (int64; -1 where they have none)."""
        out = np.full(people.size, -1, np.int64)
        if people.size == 0 or self.n == 0:
            return out
        idx = self._pins_of(unique(people))
        if idx.size == 0:
            return out
        conf = self.confidence(idx, day)
        order = np.lexsort((self.place[idx], -conf, self.person[idx]))
        who, where = self.person[idx][order], self.place[idx][order]
        first = np.concatenate([[True], who[1:] != who[:-1]])
        who, where = who[first], where[first]
        pos = np.searchsorted(who, people)
        ok = pos < who.size
        ok[ok] &= who[pos[ok]] == people[ok]
        out[ok] = where[pos[ok]]
        return out

    @property
    def n_active(self) -> int:
        """Number of active pins."""
        return self._n_active
