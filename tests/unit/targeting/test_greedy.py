"""The greedy shortcut (score only the places whose score moved) chooses exactly what ranking every place chooses."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import assert_same_run, small

import scrutiny.targeting._policy as policy_module
from scrutiny.operations import simulate
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.targeting import DenseFirst, PlaceScores, make_policy, select_sites
from scrutiny.targeting._greedy import StaticRanking, greedy_among, ranks_greedily, static_scores


def test_only_policies_that_score_and_order_as_the_base_class_take_the_shortcut():
    assert ranks_greedily(make_policy(TargetingParams()))  # dense_first: its own candidates rule only
    for name in ("probability_matching", "feedback_corrected", "random", "thompson", "warrant_only"):
        assert not ranks_greedily(make_policy(TargetingParams(policy=name))), name
    assert isinstance(make_policy(TargetingParams()), DenseFirst)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 60),
    capacity=st.integers(0, 12),
    seed=st.integers(0, 2**32 - 1),
    levels=st.integers(1, 6),
    p_dynamic=st.floats(0.0, 1.0),
)
def test_greedy_among_equals_the_order_over_every_candidate(n, capacity, seed, levels, p_dynamic):
    """Priors on a few levels (many exact ties), random pins, lone weak pins and feedback at random places."""
    rng = np.random.default_rng(seed)
    policy = make_policy(TargetingParams())
    prior = rng.integers(0, levels, n).astype(np.float64) * 3.0  # zeros: not candidates on the prior alone
    dynamic = rng.random(n) < p_dynamic
    mass = np.where(dynamic, rng.choice([0.0, 0.005, 0.2, 0.9], n), 0.0)
    count = np.where(mass > 0, rng.integers(1, 3, n), 0).astype(np.int32)
    feedback = np.where(dynamic & (rng.random(n) < 0.3), rng.random(n), 0.0)
    score = prior * policy.targeting.prior_weight + mass + policy.targeting.feedback_weight * feedback
    streams = Streams(seed % 1000, 0)
    full = select_sites(PlaceScores(score, lead_mass=mass, lead_count=count), np.ones(n, bool), capacity, 3,
                        policy.targeting, streams, policy=policy)

    member, value = static_scores(policy, prior, np.zeros(0, np.int64))
    static = StaticRanking(member, value, np.arange(n))
    ids = np.flatnonzero(dynamic)
    ok = policy.candidates(PlaceScores(score[ids], lead_mass=mass[ids], lead_count=count[ids]), np.ones(ids.size, bool))
    fast = greedy_among(static, ids, score[ids], ok, dynamic, capacity, 3, streams)
    assert fast.sites.tolist() == full.sites.tolist()
    assert fast.n_candidates == full.n_candidates and fast.p_mean == full.p_mean
    assert fast.p_min == full.p_min or (np.isnan(fast.p_min) and np.isnan(full.p_min))
    assert np.array_equal(fast.p_visit, full.p_visit)


RUNS = {
    "us-interior (site mix)": {},
    "one ranking over every place": {"targeting.site_mix": {}},
    "protected places excluded, one ranking (not a range)": {
        "targeting.site_mix": {}, "targeting.excluded_place_types": ["church", "courthouse"]},
    "protected places excluded, site mix": {"targeting.excluded_place_types": ["school", "clinic", "church"]},
    "feedback decays, reports feed back": {"targeting.feedback_decay": 0.05, "targeting.report_weight": 0.5},
    "busy teams": {"operations.sites_per_day_per_100k": 20.0},
}


@pytest.mark.parametrize("overrides", RUNS.values(), ids=RUNS.keys())
def test_a_whole_run_is_the_same_to_the_bit_with_and_without_the_shortcut(monkeypatch, overrides):
    s = small(**{"n_days": 40, **overrides})
    fast = simulate(s)
    monkeypatch.setattr(policy_module, "ranks_greedily", lambda policy: False)
    assert_same_run(fast, simulate(s))
