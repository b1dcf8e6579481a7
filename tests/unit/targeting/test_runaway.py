"""Truth check: the runaway feedback loop and Ensign et al.'s correction, on a two-place urn.

The driver uses the real score (:func:`score_places`), selection (:func:`select_sites`) and feedback
update (the policy's ``feedback``): two places with equal priors (5 balls each: prior weight 1,
feedback weight 1), one visit a day, arrests at the visited place Poisson with rate 2 (place 0) or
1 (place 1); the true allocation is 2/3 : 1/3.
"""

import numpy as np
import pytest

from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.targeting import PlaceScores, make_policy, score_places, select_sites

RATES = np.array([2.0, 1.0])
TRUE_SHARE = RATES[0] / RATES.sum()


def urn(policy: str, days: int, seed: int, prior: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Run the two-place loop; return (visits per day to place 0, final allocation = score shares)."""
    block = {"name": policy, **({"lone_pin_min_confidence": 0.0} if policy == "dense_first" else {})}
    p = TargetingParams(policy=block, prior_weight=1.0, feedback_weight=1.0)
    rule = make_policy(p)
    streams, draw = Streams(seed, 0), Streams(seed, 1).generator("experiments.bootstrap")
    prior, feedback, zero = np.full(2, prior), np.zeros(2), np.zeros(2)
    at_zero = np.zeros(days)
    for t in range(days):
        scores = PlaceScores(score_places(prior, zero, feedback, p), lead_mass=zero, lead_count=np.zeros(2, int))
        sel = select_sites(scores, np.ones(2, bool), 1, t, p, streams)
        arrests = draw.poisson(RATES[sel.sites])
        feedback[sel.sites] += rule.feedback(arrests, sel.p_visit, sel.p_mean)
        at_zero[t] = sel.sites[0] == 0
    score = score_places(prior, zero, feedback, p)
    return at_zero, score / score.sum()


@pytest.mark.parametrize("seed", range(5))
def test_uncorrected_dense_first_runs_away_to_one_place(seed):
    at_zero, _ = urn("dense_first", 200, seed)
    # once a place yields an arrest it outranks the other forever; P(no arrest in the first 10 days) < 1e-4
    assert max(at_zero.mean(), 1 - at_zero.mean()) >= 0.95, "nearly all operations at one place after 200 days"


def test_the_runaway_place_is_often_the_wrong_one():
    lower = [urn("dense_first", 50, seed)[0].mean() < 0.5 for seed in range(30)]
    # P(lock on the lower-rate place) ~ 0.42 per seed; all 30 on the higher-rate place has probability < 1e-7
    assert any(lower), "greedy allocation locks on whichever place yields first, not the one with more targets"


@pytest.mark.parametrize("seed", range(3))
def test_feedback_corrected_converges_to_the_true_rates(seed):
    at_zero, share = urn("feedback_corrected", 2000, seed)
    # tolerance 0.07: about 4.5 x the sd of the final share over 60 seeds (0.013-0.015 at 2,000 days)
    assert abs(share[0] - TRUE_SHARE) < 0.07, f"allocation {share[0]:.3f}, true rates {TRUE_SHARE:.3f}"
    # visit share over days 1,000-2,000: sd 0.026 over 60 seeds (binomial noise plus drift); tolerance 4.5 sd
    assert abs(at_zero[1000:].mean() - TRUE_SHARE) < 0.12, "operations are spread in proportion to the true rates"
