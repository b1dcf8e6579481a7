"""A blind draw's candidates found without scoring every place (targeting/_blind.py) are those scoring finds."""

import numpy as np
import pytest
from tests.conftest import assert_same_run, small

from scrutiny.operations import simulate
from scrutiny.operations._loop import _setup
from scrutiny.scenario import TargetingParams
from scrutiny.targeting import make_policy, select_sites
from scrutiny.targeting._blind import BlindCandidates

RANDOM = {"targeting.policy": "random"}
SCENARIOS = {
    "site mix": {},
    "one draw over every place": {"targeting.site_mix": {}},
    "protected places excluded, one draw (not a range)": {
        "targeting.site_mix": {}, "targeting.excluded_place_types": ["church", "courthouse"]},
    "schools with a zero prior term": {"targeting.rel_place_prior": [1.0, 1.0, 0.0, 0.5, 0.5, 2.0, 0.5]},
    "feedback decays, reports feed back": {"targeting.feedback_decay": 0.05, "targeting.report_weight": 0.5},
    "busy teams": {"operations.sites_per_day_per_100k": 20.0},
}


def test_only_blind_draws_with_a_prior_weight_take_the_shortcut():
    assert BlindCandidates.applies(make_policy(TargetingParams(policy="random")))
    assert not BlindCandidates.applies(make_policy(TargetingParams(policy="random", prior_weight=0.0)))
    for name in ("dense_first", "probability_matching", "feedback_corrected", "thompson", "warrant_only"):
        assert not BlindCandidates.applies(make_policy(TargetingParams(policy=name))), name


def _scoring_every_place(targeter, day, book, prior):
    """The chooser the targeter uses without the shortcut: score every place, then select_sites."""
    scores = targeter.policy.scores(day, book, prior, targeter.state)

    def choose(k, n):
        among = targeter._among if k is None else targeter._among_type[k]
        return select_sites(scores, targeter.eligible, n, day, targeter.p, targeter.streams, policy=targeter.policy,
                            among=among)

    return choose


def _tamper(run, rng):
    """Put the cases the shortcut must score exactly in the book: negative residues and fed-back zero priors."""
    targeter, book = run.targeter, run.book
    static = np.flatnonzero(targeter._blind.member)
    hit = rng.choice(static, 3, replace=False)
    book.mass_ref[0, hit] = -rng.choice([1e-17, 1e3], 3)  # a residue (still a candidate) or a sum below the prior
    zero = targeter._blind.always
    if zero.size:
        fed = rng.choice(zero, min(2, zero.size), replace=False)
        targeter._learn(fed)
        targeter.feedback[fed] += 1.0


@pytest.mark.parametrize("overrides", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_every_day_each_part_draws_among_the_candidates_scoring_every_place_finds(overrides):
    """Each day, for each part and several capacities: the same sites, candidate count and probabilities."""
    s = small(**{"n_days": 40, **RANDOM, **overrides})
    run = _setup(s, 0)
    targeter, book = run.targeter, run.book
    assert targeter._blind is not None
    parts = [None] if targeter.mix is None else [k for k, a in enumerate(targeter._among_type) if a.size]
    rng = np.random.default_rng(7)
    for t in range(s.n_days):
        prior = targeter.prior_today(run.protest_days[:, t] if run.protest_days.shape[0] else None)
        saved = (book.mass_ref.copy(), targeter.feedback.copy(), targeter._support.copy(), targeter._learned.copy())
        if t % 5 == 4:
            _tamper(run, rng)
        blind, full = targeter._blind_draw(t, book, prior), _scoring_every_place(targeter, t, book, prior)
        for k in parts:
            for capacity in (0, 1, 4, 10_000):
                a, b = blind(k, capacity), full(k, capacity)
                assert a.sites.tolist() == b.sites.tolist(), (t, k, capacity)
                assert (a.n_candidates, a.p_mean) == (b.n_candidates, b.p_mean), (t, k, capacity)
                assert np.array_equal(a.p_visit, b.p_visit) and (a.p_min == b.p_min or np.isnan(a.p_min + b.p_min))
        book.mass_ref[...], targeter.feedback[...] = saved[0], saved[1]
        targeter._support, targeter._learned[...] = saved[2], saved[3]
        run.step(t)


def test_the_tampered_cases_do_move_the_candidates():
    """The residue below the prior term drops a place and fed-back zero priors join: the test above is not idle."""
    s = small(**{"n_days": 5, **RANDOM, **SCENARIOS["schools with a zero prior term"], "targeting.site_mix": {}})
    run = _setup(s, 0)
    targeter, book = run.targeter, run.book
    prior = targeter.prior_today(None)
    before = targeter._blind_draw(0, book, prior)(None, 1).n_candidates
    zero, static = targeter._blind.always, np.flatnonzero(targeter._blind.member)
    book.mass_ref[0, static[:3]] = -1e3
    targeter._learn(zero[:2])
    targeter.feedback[zero[:2]] += 1.0
    after = targeter._blind_draw(0, book, prior)(None, 1)
    assert after.n_candidates == before - 3 + 2
    assert after.n_candidates == _scoring_every_place(targeter, 0, book, prior)(None, 1).n_candidates


@pytest.mark.parametrize("overrides", [SCENARIOS["site mix"], SCENARIOS["busy teams"],
                                       SCENARIOS["protected places excluded, one draw (not a range)"]],
                         ids=["site mix", "busy teams", "not a range"])
def test_a_whole_run_is_the_same_to_the_bit_with_and_without_the_shortcut(monkeypatch, overrides):
    s = small(**{"n_days": 40, **RANDOM, **overrides})
    fast = simulate(s)
    monkeypatch.setattr(BlindCandidates, "applies", staticmethod(lambda policy: False))
    assert_same_run(fast, simulate(s))
