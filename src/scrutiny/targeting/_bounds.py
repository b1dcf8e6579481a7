"""Greedy selection that re-scores, each day, only the places that can reach the day's cut.

A place with an active pin and nothing else (no feedback, no sighting pin ever, not a protest site)
scores ``prior_weight * prior + x * g``: ``x`` is the summed confidence of its pins in the lead book's
reference units (positive) and ``g`` the day's decay factor. Until the place is *touched* (a pin
filed, closed, swept, or missed at a visit; the reference units rescaled) ``x`` stays put and ``g``
only falls, so its score only falls, rounding included (a rounded product or sum is monotone in each
argument). Its last exact score is therefore an upper bound on every later one until the next touch,
and a place whose bound lies below the day's cut cannot make it. :class:`Bounds` keeps those bounds
(as lower bounds on the key, minus the score) and each day scores exactly only

* the places touched since the last selection (from :meth:`LeadBook.touched`),
* the places it cannot bound (feedback, sightings, protest sites, a sum not above 1e-200), and
* the bounded places whose bound reaches a cut, in at most two rounds: yesterday's cut first; then,
  if the ``capacity``-th best key among the places scored so far lies above it, that key (the day's
  true cut lies no higher: every further candidate can only lower it).

:func:`scrutiny.targeting._greedy.greedy_among` then chooses among those and the best static places,
as it does among every dynamic place. The number of candidates stays exact without scoring every
place: a bounded place is a candidate unless the policy's lone-pin rule turns it down (its score is
positive), and the day a lone pin's mass first falls below that floor is computed when the place is
touched; a histogram of those days by place type counts the day's weak lone pins.

The choice and the count are those of the unbounded path to the bit (tests/unit/targeting/
test_bounds.py compares them every day of nine scenarios, and whole runs). The daily cost follows
the places touched and the few near the cut, not every place with a pin (at 10^6 people about
1,200 touched against 90,000 pinned); the first day reads every pinned place, so the targeter keeps
bounds only from ``BOUNDS_FROM_PLACES`` places on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scrutiny._sets import isin, union, unique
from scrutiny.targeting._base import PlaceScores, SelectionPolicy

if TYPE_CHECKING:
    from scrutiny.targeting._book import LeadBook

__all__ = ["Bounds", "bounded_floor"]

_TINY = 1e-200  # a sum of pin confidences at or below this is scored exactly every day (never underflows above)
_BLOCK = 256  # places per block of the bounds' block minima
# what a place is to the bounds (Bounds.state): nothing (no pin), bounded, volatile (a pin but a sum that is
# not positive: scored exactly until touched), fixed (scored exactly every day for good: support, sightings,
# protest sites)
_NONE, _BOUNDED, _VOLATILE, _FIXED = 0, 1, 2, 3


def bounded_floor(policy: SelectionPolicy) -> tuple[bool, float | None]:
    """Whether :class:`Bounds` can count ``policy``'s candidates, and its lone-pin floor (``None``: no such rule).

    It can for the base rule (a positive score) and ``dense_first``'s (and no lone pin below its floor).
    """
    from scrutiny.targeting._policies import DenseFirst

    rule = type(policy).candidates
    if rule is SelectionPolicy.candidates:
        return True, None
    if rule is DenseFirst.candidates:
        return True, float(policy.p.lone_pin_min_confidence)
    return False, None


class Bounds:
    """Upper bounds on the scores of the places whose score only falls between touches.

    Args:
        policy: The greedy policy (its ``candidates`` rule scores a place exactly).
        prior: The targeter's prior per place (read, never written: it changes only at ``always``).
        prior_weight: Its weight in the score (``prior * prior_weight`` is non-negative everywhere).
        member: bool[P], the static candidates (:func:`scrutiny.targeting._greedy.static_scores`).
        kind: Place type per place (places stored type by type).
        always: Places scored exactly every day whatever happens (protest sites).
        n_days: Days in the run (the weak-day histogram's length).
        floor: The lone-pin floor (:func:`bounded_floor`).
    """

    def __init__(
        self, policy: SelectionPolicy, prior: np.ndarray, prior_weight: float, member: np.ndarray, kind: np.ndarray,
        always: np.ndarray, n_days: int, floor: float | None,
    ) -> None:
        n = prior.size
        self.policy, self.prior, self.prior_weight, self.member, self.floor = policy, prior, prior_weight, member, floor
        self.kind = kind  # shared with the world, not copied
        n_kinds = int(kind.max()) + 1 if n else 0
        counts = np.bincount(kind, minlength=n_kinds)
        self.kind_lo = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        self.kind_hi = np.cumsum(counts).astype(np.int64)
        self.n_days = int(n_days)
        n_blocks = -(-n // _BLOCK)
        # a lower bound on the key (minus the score) of a bounded candidate, inf elsewhere; float32 rounded down
        self._lb = np.full(n_blocks * _BLOCK, np.inf, np.float32)
        self.lb = self._lb[:n]
        self._block_min = np.full(n_blocks, np.inf, np.float32)  # at most the least bound of each block
        # the day a bounded lone pin turns weak (n_days: not in the run; runs last at most 3,650 days)
        self.weak_day = np.full(n, -1, np.int16 if self.n_days < 2**15 else np.int32)
        self.hist = np.zeros((n_kinds, self.n_days + 1), np.int64)  # bounded lone pins by kind and weak day
        self.n_bounded = np.zeros(n_kinds, np.int64)
        self.n_bounded_static = np.zeros(n_kinds, np.int64)  # of which static candidates
        self.state = np.zeros(n, np.int8)
        self.state[always] = _FIXED
        self.dynamic = np.zeros(n, bool)  # what Targeter._greedy's dynamic mask holds: a pin, or fixed
        self.dynamic[always] = True
        self._exact = unique(np.asarray(always, np.int64))  # the ids of fixed or volatile places, ascending
        self._n_support = 0
        self._ref = np.nan  # the lead book's address reference day the bounds and the weak days refer to
        self._g = np.zeros(0)  # the address decay factor of each day from _g_from on
        self._g_from = 0
        self._rate = 0.0
        self._cut: dict[int, float] = {}  # per part (first place id): the key of the last site chosen last time
        self._watching = False
        self.day = -1  # the day of the last refresh: days only move forward (see usable)

    @staticmethod
    def applies(policy: SelectionPolicy, static_value: np.ndarray, kind: np.ndarray) -> bool:
        """Whether the bounds hold: a countable rule, ``prior * prior_weight`` non-negative, places stored by type."""
        ok, _ = bounded_floor(policy)
        return ok and bool(np.all(static_value >= 0)) and bool(np.all(kind[1:] >= kind[:-1]))

    def usable(self, day: int) -> bool:
        """Whether the bounds can serve day ``day``: within the run, and not before the last day served."""
        return self.day <= day < self.n_days

    def covers(self, lo: int, hi: int) -> bool:
        """Whether ``[lo, hi)`` is a union of whole place types (then :meth:`n_candidates` can count it)."""
        inside = (self.kind_lo >= lo) & (self.kind_hi <= hi)
        return int((self.kind_hi - self.kind_lo)[inside].sum()) == hi - lo

    # ------------------------------------------------------------------ upkeep
    def refresh(self, day: int, book: LeadBook, support: np.ndarray) -> None:
        """Take in what changed since the last call: touched places, new support and sighting places, rescaling."""
        self.day = day
        sighted = book._sighting_places
        fresh = [support[self._n_support :], sighted[self.state[sighted] != _FIXED]]
        self._n_support = support.size
        for places in fresh:
            if places.size:
                self.state[places] = _FIXED
                self.dynamic[places] = True
                self._exact = union(self._exact, places.astype(np.int64))
        if not self._watching or book.ref_day[0] != self._ref:  # first day, or the units were rescaled: all
            book.watch()
            self._watching = True
            self._ref = float(book.ref_day[0])
            self._rate = float(book.rate[0])
            self._g_from, self._g = day, np.array([book._scale(d)[0] for d in range(day, self.n_days)])
            touched = np.flatnonzero((book.count > 0) | (self.state == _BOUNDED) | (self.state == _VOLATILE))
        else:
            touched = book.touched()
        self._update(unique(np.concatenate([touched, *fresh])), day, book)

    def _update(self, places: np.ndarray, day: int, book: LeadBook) -> None:
        """Score ``places`` afresh: whether each is bounded, its bound, its weak day, the counts by kind."""
        if places.size == 0:
            return
        k = self.kind[places].astype(np.int64)
        state = self.state[places]
        was = state == _BOUNDED
        n_k = self.n_kinds
        self.n_bounded -= np.bincount(k[was], minlength=n_k)
        self.n_bounded_static -= np.bincount(k[was & self.member[places]], minlength=n_k)
        w = self.weak_day[places].astype(np.int64)
        lone = w >= 0
        self._histogram(k[lone], w[lone], -1)

        count = book.count[places]
        x = book.mass_ref[0][places]
        pinned = count > 0
        fixed = state == _FIXED
        free = pinned & ~fixed
        now = free & (x > _TINY)
        volatile = free & ~now
        was_volatile = state == _VOLATILE
        if (volatile != was_volatile).any():
            self._exact = union(self._exact, places[volatile & ~was_volatile].astype(np.int64))
            self._exact = self._exact[~isin(self._exact, places[was_volatile & ~volatile])]
        self.state[places] = np.where(fixed, _FIXED, np.where(now, _BOUNDED, np.where(volatile, _VOLATILE, _NONE)))
        self.dynamic[places] = pinned | fixed
        self.lb[places] = np.inf
        self.weak_day[places] = -1

        at, k, x, count = places[now], k[now], x[now], count[now]
        self.n_bounded += np.bincount(k, minlength=n_k)
        self.n_bounded_static += np.bincount(k[self.member[at]], minlength=n_k)
        self.score(at, x, count, float(book._scale(day)[0]))
        if self.floor is not None:
            lone = count == 1
            w = self._weak_days(x[lone], day)
            self.weak_day[at[lone]] = w
            self._histogram(k[lone], w, 1)

    def _histogram(self, kind: np.ndarray, day: np.ndarray, sign: int) -> None:
        """Add (``sign`` 1) or take (-1) lone pins of these kinds and weak days from the histogram."""
        if kind.size:
            flat = np.bincount(kind * self.hist.shape[1] + day, minlength=self.hist.size)
            self.hist += sign * flat.reshape(self.hist.shape)

    @property
    def n_kinds(self) -> int:
        return self.hist.shape[0]

    @property
    def bounded(self) -> np.ndarray:
        """bool[P]: the places whose score is bounded (a new array)."""
        return self.state == _BOUNDED

    def _weak_days(self, x: np.ndarray, day: int) -> np.ndarray:
        """The first day from ``day`` on when a lone pin of sum ``x`` is below the floor (``n_days``: none).

        The rule is the policy's, operation for operation: ``(x * g) * 100 < floor`` with ``g`` the
        day's decay factor from :meth:`LeadBook._scale`; once it holds it holds on, as ``g`` falls. A
        first guess from the exponential, then exact steps to the first day it holds.
        """
        g, start, end, floor = self._g, self._g_from, self.n_days, self.floor

        def weak_on(i: np.ndarray, d: np.ndarray) -> np.ndarray:
            return (x[i] * g[d - start]) * 100.0 < floor

        w = np.full(x.size, end, np.int64)
        if floor > 0 and self._rate > 0 and x.size:
            days = np.log(100.0 * x * g[0] / floor) / self._rate  # days after start until the mass is at the floor
            w = np.clip(start + np.floor(np.minimum(days, end)) + 1, day, end).astype(np.int64)
        while True:  # exact steps: down while the day before is weak, up while this day is not
            i = np.flatnonzero(w > day)
            early = i[weak_on(i, w[i] - 1)]
            j = np.flatnonzero(w < end)
            late = j[~weak_on(j, w[j])]
            if early.size == 0 and late.size == 0:
                return w
            w[early] -= 1
            w[late] += 1

    # ------------------------------------------------------------------ daily use
    def exact_ids(self) -> np.ndarray:
        """The places scored exactly every day (fixed or volatile), ascending int64."""
        return self._exact

    def score(self, at: np.ndarray, x: np.ndarray, count: np.ndarray, g0: float) -> tuple[np.ndarray, np.ndarray]:
        """Exact scores and candidacy of bounded places ``at`` (sums ``x``) today; their bounds become those."""
        mass = x * g0  # LeadBook.mass_at at a place without sightings, to the bit
        score = self.prior[at] * self.prior_weight + mass  # Targeter._greedy's prior term, then the mass
        ok = self.policy.candidates(PlaceScores(score=score, lead_mass=mass, lead_count=count),
                                    np.ones(at.size, dtype=bool))
        self.lb[at] = np.inf
        at_ok, key = at[ok], _down32(-score[ok])
        self.lb[at_ok] = key
        np.minimum.at(self._block_min, at_ok // _BLOCK, key)  # a bound that rose leaves its block's minimum low
        return score, ok

    def n_candidates(self, lo: int, hi: int, day: int, exact_ids: np.ndarray, exact_ok: np.ndarray, static) -> int:
        """Candidates among the places ``[lo, hi)`` today, as :func:`greedy_among` counts them over every place."""
        kinds = np.flatnonzero((self.kind_lo >= lo) & (self.kind_hi <= hi))
        weak = int(self.hist[kinds, : day + 1].sum()) if self.floor is not None else 0
        n_dynamic_ok = int(np.count_nonzero(exact_ok)) + int(self.n_bounded[kinds].sum()) - weak
        n_static_dynamic = int(np.count_nonzero(self.member[exact_ids])) + int(self.n_bounded_static[kinds].sum())
        return static.size - n_static_dynamic + n_dynamic_ok

    def near_cut(
        self, lo: int, hi: int, capacity: int, g0: float, book: LeadBook, known: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The bounded places of ``[lo, hi)`` that may be among the best ``capacity``, scored exactly.

        Yesterday's cut first; then, if the ``capacity``-th best key among what is scored lies above
        it, every bounded place up to that key (the day's cut can lie no higher: more candidates
        only lower it).

        Args:
            lo: The part's first place (parts are unions of whole types).
            hi: One past its last place.
            capacity: Sites wanted (at least 1).
            g0: Today's address decay factor (``LeadBook._scale(day)[0]``).
            book: The lead book.
            known: Keys (minus scores) of candidates already scored today: the exact places' and the
                best static ones'.

        Returns:
            ``(ids, score, ok)``, ascending ids: every bounded place whose key can reach the cut.
        """
        cut = self._cut.get(lo, -np.inf)
        at = self._at_or_below(lo, hi, cut)
        score, ok = self.score(at, book.mass_ref[0][at], book.count[at], g0)
        keys = np.concatenate([known, -score[ok]])
        new_cut = float(np.partition(keys, capacity - 1)[capacity - 1]) if keys.size >= capacity else np.inf
        if new_cut > cut:  # a bounded place between the two may be missing
            at = self._at_or_below(lo, hi, new_cut)
            score, ok = self.score(at, book.mass_ref[0][at], book.count[at], g0)
        return at, score, ok

    def _at_or_below(self, lo: int, hi: int, cut: float) -> np.ndarray:
        """The bounded places of ``[lo, hi)`` whose bound is at or below ``cut`` (all of them where it is inf).

        Only blocks whose minimum reaches ``cut`` are read, and their minima are made exact as they are.
        """
        first, end = lo // _BLOCK, -(-hi // _BLOCK)
        block_min = self._block_min[first:end]
        cut = np.float64(cut)  # float32 bounds compared in float64 (a Python float would be cast to float32)
        blocks = first + np.flatnonzero(block_min <= cut if cut < np.inf else block_min < np.inf)
        if blocks.size == 0:
            return np.zeros(0, np.int64)
        lb = self._lb.reshape(-1, _BLOCK)[blocks]
        self._block_min[blocks] = lb.min(axis=1)
        row, col = np.nonzero(lb <= cut if cut < np.inf else lb < np.inf)
        at = blocks[row] * _BLOCK + col
        return at[(at >= lo) & (at < hi)]

    def remember(self, lo: int, key: float) -> None:
        """The key of the last site chosen today in the part starting at ``lo`` (inf: fewer than wanted)."""
        self._cut[lo] = key


def _down32(key: np.ndarray) -> np.ndarray:
    """float32 values at or below ``key`` (float64): nearest, stepped down where rounding went up."""
    out = key.astype(np.float32)
    up = np.flatnonzero(out > key)
    out[up] = np.nextafter(out[up], np.float32(-np.inf))
    return out
