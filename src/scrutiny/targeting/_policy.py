"""The targeting model of one replicate: prior, feedback state, and the day's selection.

:class:`Targeter` holds what targeting learns over a run (arrests, visits and feedback per place)
and exposes three calls for the daily loop: :meth:`Targeter.receive` (what was learned fades; the
day's reports about places feed back), :meth:`Targeter.select` (score every place from prior, lead
book and feedback; pick today's sites) and :meth:`Targeter.observe` (feed the day's arrests back).
It never sees anyone's true status: only public aggregates, the lead book, reports and arrest counts.
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import unique
from scrutiny.codes import PLACE_TYPES, code
from scrutiny.errors import ConfigError, did_you_mean
from scrutiny.rng import Streams
from scrutiny.scenario import Scenario
from scrutiny.sources import Leads, source_channels
from scrutiny.targeting._base import Among, PlaceScores, Selection, TargetingState, make_policy
from scrutiny.targeting._blind import BlindCandidates
from scrutiny.targeting._book import LeadBook
from scrutiny.targeting._bounds import Bounds, bounded_floor
from scrutiny.targeting._greedy import StaticRanking, greedy_among, ranks_greedily, static_scores
from scrutiny.targeting._mix import split_capacity
from scrutiny.targeting._score import place_prior
from scrutiny.targeting._select import eligible_places, select_sites
from scrutiny.world import World

__all__ = ["Targeter", "report_codes"]

#: Places from which a greedy policy keeps score bounds (:mod:`._bounds`): below, scoring every
#: pinned place each day costs no more (the loop at 1.5x10^5 people, 44,000 places: 13% slower
#: with bounds over 90 days; at 3x10^5, 88,000 places: 26% faster; the same results either way).
BOUNDS_FROM_PLACES = 60_000


class Targeter:
    """Scores places and selects sites each day; learns from arrests.

    Args:
        world: The world (places and public tract aggregates only are used).
        s: The scenario.
        streams: The replicate's random streams.
    """

    def __init__(self, world: World, s: Scenario, streams: Streams) -> None:
        self.p, self.streams = s.targeting, streams
        self.policy = make_policy(self.p)
        kind = world.places.kind
        self.kind = kind
        self.prior = place_prior(world, s)
        self.eligible = eligible_places(kind, self.p)
        self.protest_sites = np.flatnonzero(kind == code(PLACE_TYPES, "protest_site"))
        p_day = s.world.places.p_protest_day
        self._event_prior = self.prior[self.protest_sites] / p_day if p_day > 0 else np.zeros(self.protest_sites.size)
        mix = self.p.site_mix
        self.mix = None if not mix else np.array([mix.get(t, 0.0) for t in PLACE_TYPES], dtype=np.float64)
        if self.mix is not None:
            self.mix = np.where(np.isin(PLACE_TYPES, self.p.excluded_place_types), 0.0, self.mix)
            self.mix = self.mix / self.mix.sum() if self.mix.sum() > 0 else None
        n = world.places.n
        self.arrests = np.zeros(n)
        self.visits = np.zeros(n)
        self.feedback = np.zeros(n)
        self._learned = np.zeros(n, dtype=bool)  # places where arrests, visits or feedback may be non-zero
        self._support = np.zeros(0, np.int64)  # their ids
        self._reported = np.zeros(len(source_channels()), dtype=bool)  # by channel code: a report_channels source
        self._reported[report_codes(self.p.report_channels)] = True
        self.ti_faded = 0  # the day what was learned was last faded to
        # the eligible places, and those of each type (ranges: places are stored type by type)
        ids_all = np.flatnonzero(self.eligible)
        ids_type = [np.flatnonzero(self.eligible & (kind == k)) for k in range(len(PLACE_TYPES))]
        self._among, self._among_type = Among(ids_all), [Among(ids) for ids in ids_type]
        # a greedy policy looks daily at the places whose score moved, and at the best of the rest (_greedy)
        self._greedy_on = ranks_greedily(self.policy)
        self._bounds: Bounds | None = None
        # a policy that draws blind among the base rule's candidates scores only the few places in doubt (_blind)
        self._blind: BlindCandidates | None = None
        if not self._greedy_on and BlindCandidates.applies(self.policy):
            parts = {None: self._among} if self.mix is None else dict(enumerate(self._among_type))
            member = static_scores(self.policy, self.prior, self.protest_sites)[0]
            self._blind = BlindCandidates(member, self.eligible, parts)
        if self._greedy_on:
            member, value = static_scores(self.policy, self.prior, self.protest_sites)
            self._static = StaticRanking(member, value, ids_all) if self.mix is None else None
            self._static_type = None if self.mix is None else [StaticRanking(member, value, ids) for ids in ids_type]
            self._dynamic: np.ndarray | None = None  # _greedy's work array, made on first use
            # where it can, it scores only the places that can reach the day's cut (_bounds)
            parts = [self._among] if self.mix is None else self._among_type
            big = n >= BOUNDS_FROM_PLACES
            if big and Bounds.applies(self.policy, value, kind) and all(a.range for a in parts):
                bounds = Bounds(self.policy, self.prior, self.p.prior_weight, member, kind, self.protest_sites,
                                s.n_days, bounded_floor(self.policy)[1])
                if all(bounds.covers(a.index.start, a.index.stop) for a in parts):
                    self._bounds = bounds

    def prior_today(self, protest_today: np.ndarray | None) -> np.ndarray:
        """The prior with protest sites at their event-day expectation on event days, 0 otherwise."""
        if protest_today is not None and self.protest_sites.size:
            self.prior[self.protest_sites] = np.where(protest_today, self._event_prior, 0.0)
        return self.prior

    def select(self, day: int, book: LeadBook, capacity: int, protest_today: np.ndarray | None = None) -> Selection:
        """Score every place and return today's sites in visiting order.

        Args:
            day: Day index.
            book: The lead book.
            capacity: Sites the teams can visit today.
            protest_today: bool per protest site: whether it hosts an event today.
        """
        prior = self.prior_today(protest_today)
        if self._greedy_on:
            bounded = self._bounds is not None and self._bounds.usable(day)  # else every pinned place is scored
            choose = (self._bounded if bounded else self._greedy)(day, book, prior)
        elif self._blind is not None:
            choose = self._blind_draw(day, book, prior)
        else:
            scores = self.policy.scores(day, book, prior, self.state)

            def choose(k: int | None, n: int) -> Selection:
                among = self._among if k is None else self._among_type[k]  # then eligible is not read
                return select_sites(scores, self.eligible, n, day, self.p, self.streams, policy=self.policy,
                                    among=among)

        if self.mix is None:
            return choose(None, capacity)
        u = float(self.streams.generator("targeting.mix", step=day).random())
        quota = split_capacity(capacity, self.mix, u)
        parts, spill = [], 0
        for k in list(range(1, quota.size)) + [0]:  # residences last: they take what the others leave
            n = int(quota[k]) + (spill if k == 0 else 0)
            if n <= 0:
                continue
            part = choose(k, n)
            spill += n - part.sites.size if k else 0
            parts.append(part)
        return _merge(parts)

    def _blind_draw(self, day: int, book: LeadBook, prior: np.ndarray):
        """Today's chooser for a policy that draws blind (``random``): exact scores only where in doubt."""
        blind = self._blind
        scored = blind.to_score(book)
        _, ok = self._scored(scored, day, book, prior)

        def choose(k: int | None, n: int) -> Selection:
            cand = blind.candidates(k, scored, ok)
            if n <= 0 or cand.size == 0:
                return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, int(cand.size))
            return self.policy.order(None, cand, n, day, self.streams)

        return choose

    def _greedy(self, day: int, book: LeadBook, prior: np.ndarray):
        """Today's chooser for a greedy policy: scores at the dynamic places only (see :mod:`._greedy`)."""
        if self._dynamic is None:
            self._dynamic = np.zeros(self.prior.size, dtype=bool)
        dynamic = book.dynamic(self._dynamic)
        dynamic[self._support] = True
        dynamic[self.protest_sites] = True
        ids = np.flatnonzero(dynamic)
        score, ok = self._scored(ids, day, book, prior)

        def choose(k: int | None, n: int) -> Selection:
            among, static = (self._among, self._static) if k is None else (self._among_type[k], self._static_type[k])
            if among.range:
                lo, hi = np.searchsorted(ids, [among.index.start, among.index.stop])
                part = slice(int(lo), int(hi))
            else:
                part = self.eligible[ids] if k is None else self.eligible[ids] & (self.kind[ids] == k)
            return greedy_among(static, ids[part], score[part], ok[part], dynamic, n, day, self.streams)

        return choose

    def _scored(self, ids: np.ndarray, day: int, book: LeadBook, prior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scores and candidacy at ``ids`` (ascending), as over every place."""
        mass, count = book.mass_at(ids, day)
        score = prior[ids] * self.p.prior_weight  # score_places, term by term in its order
        score += mass
        learned = self._support  # unique ids (in the order they were learned); F is 0 elsewhere, and x + 0 is x
        if 4 * learned.size > ids.size:  # many: one pass, as score_places
            score += self.p.feedback_weight * self.feedback[ids]
        elif ids.size:
            at = np.minimum(np.searchsorted(ids, learned), ids.size - 1)
            among = ids[at] == learned
            score[at[among]] += self.p.feedback_weight * self.feedback[learned[among]]
        ok = self.policy.candidates(PlaceScores(score=score, lead_mass=mass, lead_count=count),
                                    np.ones(ids.size, dtype=bool))
        return score, ok

    def _bounded(self, day: int, book: LeadBook, prior: np.ndarray):
        """Today's chooser with bounds: the places scored every day, then those near the cut (:mod:`._bounds`)."""
        bounds = self._bounds
        bounds.refresh(day, book, self._support)
        ids = bounds.exact_ids()
        score, ok = self._scored(ids, day, book, prior)
        g0 = float(book._scale(day)[0])

        def choose(k: int | None, n: int) -> Selection:
            among, static = (self._among, self._static) if k is None else (self._among_type[k], self._static_type[k])
            lo, hi = among.index.start, among.index.stop
            a, z = np.searchsorted(ids, [lo, hi])
            e_ids, e_score, e_ok = ids[a:z], score[a:z], ok[a:z]
            n_cand = bounds.n_candidates(lo, hi, day, e_ids, e_ok, static)
            if n <= 0 or n_cand == 0:
                return greedy_among(static, e_ids, e_score, e_ok, bounds.dynamic, n, day, self.streams, n_cand)
            pos = static.best_outside(bounds.dynamic, n)
            known = np.concatenate([-e_score[e_ok], static.neg[pos]])
            at, b_score, b_ok = bounds.near_cut(lo, hi, n, g0, book, known)
            look = np.concatenate([e_ids, at])
            by_id = np.argsort(look, kind="stable")
            look, look_score = look[by_id], np.concatenate([e_score, b_score])[by_id]
            sel = greedy_among(static, look, look_score, np.concatenate([e_ok, b_ok])[by_id], bounds.dynamic, n, day,
                               self.streams, n_cand, pos)
            bounds.remember(lo, _last_key(sel, n, look, look_score, bounds))
            return sel

        return choose

    def receive(self, day: int, leads: Leads) -> None:
        """Start day ``day``: what was learned fades, then the day's reports add to the feedback term.

        Past outcomes (``F``, and the arrest and visit counts thompson uses) lose the share
        ``feedback_decay`` per day since the last call; each lead from a ``report_channels`` source
        then adds ``report_weight`` to ``F`` at its place, whatever today's allocation. With both at 0
        this changes nothing.

        Args:
            day: Day index (called once a day, before :meth:`select`).
            leads: The day's new leads, as filed in the lead book.
        """
        days, self.ti_faded = day - self.ti_faded, max(day, self.ti_faded)
        at = self._support  # elsewhere all three are 0 and stay 0 (fade and reported, to the bit)
        if self.p.feedback_decay > 0.0 and days > 0 and at.size:
            factor = (1.0 - self.p.feedback_decay) ** days
            for learned in (self.feedback, self.arrests, self.visits):
                if 4 * at.size > learned.size:  # most places: one pass over all is cheaper than gathering
                    learned *= factor
                else:
                    learned[at] *= factor
        if self.p.report_weight > 0.0 and leads.n:
            places, n = np.unique(leads.place[self._reported[leads.source]], return_counts=True)
            self._learn(places)
            self.feedback[places] += self.p.report_weight * n.astype(np.float64)

    def observe(self, selection: Selection, n_visited: int, arrests: np.ndarray, *, day: int) -> None:
        """Feed back today's arrests at the first ``n_visited`` selected sites (the ones teams reached).

        Args:
            selection: Today's selection.
            n_visited: Sites visited before the quota was met.
            arrests: Arrests at each visited site (aligned with ``selection.sites[:n_visited]``).
            day: Day index (the thinning's random sub-key).
        """
        sites = selection.sites[:n_visited]
        self._learn(sites)
        self.arrests[sites] += arrests
        self.visits[sites] += 1.0
        self.feedback[sites] += self.policy.feedback(
            arrests, selection.p_visit[:n_visited], selection.p_mean, sites=sites, p_min=selection.p_min, day=day,
            streams=self.streams)

    @property
    def state(self) -> TargetingState:
        """What targeting has learned so far (arrays shared, not copied)."""
        return TargetingState(arrests=self.arrests, visits=self.visits, feedback=self.feedback, support=self._support)

    def _learn(self, places: np.ndarray) -> None:
        """Note that ``places`` may now hold non-zero arrests, visits or feedback."""
        new = places[~self._learned[places]]
        if new.size:
            new = unique(new)
            self._learned[new] = True
            self._support = np.concatenate([self._support, new.astype(np.int64)])


def _last_key(sel: Selection, n: int, look: np.ndarray, look_score: np.ndarray, bounds: Bounds) -> float:
    """The key (minus the score) of the last of ``n`` sites chosen; inf where fewer were."""
    if sel.sites.size < n:
        return np.inf
    last = int(sel.sites[-1])
    if bounds.dynamic[last]:
        return float(-look_score[np.searchsorted(look, last)])
    return float(-(bounds.prior[last] * bounds.prior_weight))  # a static place: its score is the prior term


def _merge(parts: list[Selection]) -> Selection:
    """One selection from the per-type ones (sites in the order the types were visited)."""
    if not parts:
        return Selection(np.zeros(0, np.int64), np.zeros(0), 0.0, 0)
    n = sum(p.n_candidates for p in parts)
    p_mean = sum(p.p_mean * p.n_candidates for p in parts) / n if n else 0.0
    mins = np.array([p.p_min for p in parts], dtype=np.float64)
    p_min = float(np.nanmin(mins)) if np.isfinite(mins).any() else float("nan")
    return Selection(np.concatenate([p.sites for p in parts]), np.concatenate([p.p_visit for p in parts]),
                     float(p_mean), int(n), p_min=float(p_min))


def report_codes(channels: tuple[str, ...]) -> np.ndarray:
    """The channel codes (``Leads.source``) of ``targeting.report_channels``.

    Raises:
        ConfigError: Naming a channel that no registered source has, with the allowed ones.

    Examples:
        >>> report_codes(("tips",)).tolist() == [source_channels().index("tips")]
        True
    """
    known = source_channels()
    for name in channels:
        if name not in known:
            raise ConfigError(f"targeting.report_channels must name source channels from {list(known)}. "
                              f"Got {name!r} instead.{did_you_mean(name, known)}")
    return np.array([known.index(name) for name in channels], dtype=np.int8)
