"""Scoring only the places near the cut (targeting/_bounds.py) chooses and counts as scoring every pinned place does."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import assert_same_run, small

import scrutiny.targeting._policy as policy_module
from scrutiny.operations import simulate
from scrutiny.operations._loop import _setup
from scrutiny.scenario import TargetingParams
from scrutiny.targeting import DenseFirst, SelectionPolicy, make_policy
from scrutiny.targeting._bounds import Bounds, bounded_floor

SCENARIOS = {
    "us-interior (site mix)": {},
    "one ranking over every place": {"targeting.site_mix": {}},
    "busy teams": {"operations.sites_per_day_per_100k": 20.0},
    "misses wipe a pin's confidence (sums of zero)": {"targeting.lead_miss_decay": 0.0},
    "short half-life: the reference units are rescaled": {
        "targeting.address_half_life_days": 3.0, "targeting.sighting_half_life_days": 1.0, "n_days": 150},
    "no lone-pin floor": {"targeting.policy.lone_pin_min_confidence": 0.0},
    "a high lone-pin floor": {"targeting.policy.lone_pin_min_confidence": 60.0},
    "feedback decays, reports feed back": {"targeting.feedback_decay": 0.05, "targeting.report_weight": 0.5},
    "protected places excluded, site mix": {"targeting.excluded_place_types": ["school", "clinic", "church"]},
}


@pytest.fixture(autouse=True)
def _bounds_on_small_worlds(monkeypatch):
    """These worlds have a few thousand places; the bounds are kept from BOUNDS_FROM_PLACES on."""
    monkeypatch.setattr(policy_module, "BOUNDS_FROM_PLACES", 0)


def _without_bounds(monkeypatch) -> None:
    monkeypatch.setattr(Bounds, "applies", staticmethod(lambda *a: False))


@pytest.mark.parametrize("overrides", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_every_day_each_part_chooses_and_counts_as_scoring_every_pinned_place(overrides):
    """Each day, for each place type and several capacities: the same sites, candidates and probabilities."""
    s = small(**{"n_days": 60, **overrides})
    run = _setup(s, 0)
    targeter, book = run.targeter, run.book
    assert targeter._bounds is not None
    parts = [None] if targeter.mix is None else [k for k, a in enumerate(targeter._among_type) if a.size]
    for t in range(s.n_days):
        prior = targeter.prior_today(None)
        bounded, full = targeter._bounded(t, book, prior), targeter._greedy(t, book, prior)
        for k in parts:
            for capacity in (1, 4, 15, 10_000):
                a, b = bounded(k, capacity), full(k, capacity)
                assert a.sites.tolist() == b.sites.tolist(), (t, k, capacity)
                assert (a.n_candidates, a.p_mean, a.p_min) == (b.n_candidates, b.p_mean, b.p_min), (t, k, capacity)
        run.step(t)


@pytest.mark.parametrize("overrides", [SCENARIOS["us-interior (site mix)"], SCENARIOS["busy teams"]],
                         ids=["us-interior", "busy teams"])
def test_a_whole_run_is_the_same_to_the_bit_with_and_without_bounds(monkeypatch, overrides):
    s = small(**{"n_days": 40, **overrides})
    bounded = simulate(s)
    _without_bounds(monkeypatch)
    assert_same_run(bounded, simulate(s))


def test_the_base_rule_a_positive_score_is_counted_too(monkeypatch):
    """A greedy policy without a lone-pin rule: every bounded place is a candidate."""
    monkeypatch.setattr(DenseFirst, "candidates", SelectionPolicy.candidates)
    assert bounded_floor(make_policy(TargetingParams())) == (True, None)
    test_every_day_each_part_chooses_and_counts_as_scoring_every_pinned_place({"n_days": 30})


def test_bounds_stay_off_where_they_cannot_count_or_bound(monkeypatch):
    class Custom(DenseFirst):
        def candidates(self, scores, eligible):
            return super().candidates(scores, eligible) & (scores.score < 5.0)

    policy = make_policy(TargetingParams())
    assert bounded_floor(policy) == (True, 10.0)
    assert bounded_floor(Custom(policy.p, policy.targeting)) == (False, None)
    kind = np.array([0, 0, 1, 1])
    assert Bounds.applies(policy, np.array([0.0, 1.0, 2.0, 0.5]), kind)
    assert not Bounds.applies(policy, np.array([0.0, -1.0, 2.0, 0.5]), kind)  # a negative static score
    assert not Bounds.applies(policy, np.array([0.0, 1.0, 2.0, 0.5]), np.array([0, 1, 0, 1]))  # not stored by type
    # one ranking over places whose eligible set is not a range: the plain greedy path
    s = small(**{"targeting.site_mix": {}, "targeting.excluded_place_types": ["church", "courthouse"]})
    assert _setup(s, 0).targeter._bounds is None
    monkeypatch.setattr(policy_module, "BOUNDS_FROM_PLACES", 10**9)  # a small world: the plain greedy path
    assert _setup(small(), 0).targeter._bounds is None


@settings(max_examples=200, deadline=None)
@given(
    x=st.lists(st.floats(1e-6, 50.0), min_size=1, max_size=40),
    floor=st.floats(0.01, 100.0),
    half_life=st.floats(1.0, 400.0),
    day=st.integers(0, 30),
)
def test_weak_days_are_the_first_days_the_rule_holds(x, floor, half_life, day):
    """Against every day in turn, computed as the lone-pin rule computes it."""
    from scrutiny.targeting import LeadBook

    n_days = 60
    book = LeadBook(1, 1, TargetingParams(address_half_life_days=half_life))
    bounds = Bounds(make_policy(TargetingParams()), np.zeros(1), 0.1, np.zeros(1, bool), np.zeros(1, np.int8),
                    np.zeros(0, np.int64), n_days, floor)
    bounds.refresh(day, book, np.zeros(0, np.int64))  # the first call reads the book's decay factors
    x = np.array(x)
    got = bounds._weak_days(x, day)
    for xi, w in zip(x, got, strict=True):
        weak = [d for d in range(day, n_days) if (xi * book._scale(d)[0]) * 100.0 < floor]
        assert w == (weak[0] if weak else n_days)


def test_a_pinned_place_whose_sum_is_not_positive_is_scored_exactly_every_day():
    """Rounding can leave a sum of -1e-17 behind; its score would then rise as the decay factor falls."""
    from scrutiny.sources import make_leads
    from scrutiny.targeting import LeadBook

    book = LeadBook(4, 3, TargetingParams())
    book.add(make_leads([0, 1, 2], [1, 2, 3], [50.0, 50.0, 50.0], source=0), day=0)
    bounds = Bounds(make_policy(TargetingParams()), np.full(4, 1.0), 0.1, np.ones(4, bool), np.zeros(4, np.int8),
                    np.zeros(0, np.int64), 10, 10.0)
    bounds.refresh(0, book, np.zeros(0, np.int64))
    assert bounds.bounded[[1, 2, 3]].all() and bounds.exact_ids().tolist() == []
    book.mass_ref[0, 2] = -1e-17  # as a rounding residue would; place 2 is touched
    book._touched.append(np.array([2], np.int32))
    bounds.refresh(1, book, np.zeros(0, np.int64))
    assert bounds.exact_ids().tolist() == [2] and not bounds.bounded[2] and bounds.dynamic[2]
    assert bounds.n_bounded.tolist() == [2]
    book.mass_ref[0, 2] = 0.3
    book._touched.append(np.array([2], np.int32))
    bounds.refresh(2, book, np.zeros(0, np.int64))
    assert bounds.exact_ids().tolist() == [] and bounds.bounded[2] and bounds.n_bounded.tolist() == [3]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-1e30, 1e30, allow_nan=False), min_size=1, max_size=50))
def test_float32_bounds_never_exceed_the_key(keys):
    """The bounds are kept in float32, rounded down: a key that rounds up would hide its place from the cut."""
    from scrutiny.targeting._bounds import _down32

    key = np.array(keys)
    low = _down32(key)
    assert low.dtype == np.float32
    assert (low.astype(np.float64) <= key).all()
    assert (np.nextafter(low, np.float32(np.inf)).astype(np.float64) > key).all()  # the largest such float32


def test_a_day_out_of_order_or_past_the_run_is_served_by_scoring_every_pinned_place():
    """The weak-day counts run forward within the run; a caller going back in time gets the plain greedy path."""
    s = small(n_days=20)
    run = _setup(s, 0)
    targeter, book = run.targeter, run.book
    for t in range(12):
        targeter.select(t, book, 4)
    bounds = targeter._bounds
    assert bounds.day == 11 and bounds.usable(12) and not bounds.usable(5) and not bounds.usable(20)
    calls = []
    greedy = targeter._greedy
    targeter._greedy = lambda *a: calls.append(a[0]) or greedy(*a)
    for day in (5, 25):
        targeter.select(day, book, 4)
    assert calls == [5, 25] and bounds.day == 11
