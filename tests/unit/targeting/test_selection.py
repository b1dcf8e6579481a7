"""Selection policies: inclusion probabilities, the lone-pin rule, warrant-only addresses, protest days."""

import math

import numpy as np
import pytest

from scrutiny.codes import PLACE_TYPES, code
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams, load_scenario
from scrutiny.targeting import (
    PlaceScores,
    Targeter,
    eligible_places,
    inclusion_probabilities,
    place_prior,
    select_sites,
)
from scrutiny.world import build_world


def test_inclusion_probabilities_sum_to_capacity_and_are_capped():
    w = np.array([100.0, 5.0, 3.0, 1.0, 1.0])
    pi = inclusion_probabilities(w, 3)
    assert np.isclose(pi.sum(), 3.0) and pi.max() <= 1.0 and pi[0] == 1.0
    assert np.isclose(pi[1] / pi[3], 5.0), "proportional to the weight below the cap"


@pytest.mark.parametrize("policy", ["probability_matching", "feedback_corrected"])
def test_systematic_sampling_realises_the_inclusion_probabilities(policy):
    p = TargetingParams(policy=policy)
    score = np.array([4.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.0])
    scores = PlaceScores(score, lead_mass=np.zeros(7), lead_count=np.zeros(7, int))
    streams, days = Streams(11, 0), 3000
    hits = np.zeros(7)
    for t in range(days):
        sel = select_sites(scores, np.ones(7, bool), 3, t, p, streams)
        assert sel.sites.size == 3 and np.unique(sel.sites).size == 3, "exactly capacity distinct sites"
        hits[sel.sites] += 1
    pi = inclusion_probabilities(score[:6], 3)
    assert np.allclose(sel.p_visit, pi[sel.sites])
    # tolerance: 4.5 binomial standard deviations per place
    assert (np.abs(hits[:6] / days - pi) < 4.5 * np.sqrt(pi * (1 - pi) / days) + 1e-9).all() and hits[6] == 0


def test_dense_first_skips_lone_low_confidence_pins_and_takes_highest_scores():
    p = TargetingParams()
    scores = PlaceScores(np.array([0.05, 3.0, 0.5, 1.0]), lead_mass=np.array([0.05, 2.0, 0.5, 0.0]),
                         lead_count=np.array([1, 3, 1, 0]))
    sel = select_sites(scores, np.ones(4, bool), 10, 0, p, Streams(0, 0))
    assert sel.sites.tolist() == [1, 3, 2] and (sel.p_visit == 1).all(), "place 0 is a lone pin at 5% confidence"


def test_thompson_prefers_places_with_more_arrests_per_visit():
    p = TargetingParams(policy="thompson")
    scores = PlaceScores(np.array([1.0, 1.0]), arrests=np.array([300.0, 30.0]), visits=np.array([100.0, 100.0]))
    picks = [select_sites(scores, np.ones(2, bool), 1, t, p, Streams(1, 0)).sites[0] for t in range(200)]
    assert np.mean(np.array(picks) == 0) > 0.99, "posterior yields 3.0 vs 0.3 per visit"


def test_random_is_uniform_over_candidates():
    p = TargetingParams(policy="random")
    scores = PlaceScores(np.array([5.0, 0.1, 0.1, 0.0]))
    counts = np.zeros(4)
    for t in range(3000):
        counts[select_sites(scores, np.ones(4, bool), 1, t, p, Streams(2, 0)).sites] += 1
    # tolerance: 4.5 binomial standard deviations
    assert (np.abs(counts[:3] - 1000) < 4.5 * math.sqrt(3000 * (1 / 3) * (2 / 3))).all() and counts[3] == 0


def test_warrant_only_visits_addresses_and_protected_places_can_be_excluded():
    kind = np.array([code(PLACE_TYPES, t) for t in PLACE_TYPES])
    assert eligible_places(kind, TargetingParams(policy="warrant_only")).tolist() == [True] + [False] * 6
    excl = TargetingParams(excluded_place_types=("school", "clinic", "church", "courthouse", "protest_site"))
    assert eligible_places(kind, excl).tolist() == [True, True] + [False] * 5


def test_protest_sites_carry_a_prior_only_on_event_days():
    s = load_scenario(overrides={"world.n_people": 20_000})
    world = build_world(s.world, Streams(1, 0))
    targeter = Targeter(world, s, Streams(1, 0))
    sites = targeter.protest_sites
    assert sites.size >= 1
    on = targeter.prior_today(np.ones(sites.size, bool))[sites].copy()
    off = targeter.prior_today(np.zeros(sites.size, bool))[sites]
    assert (on > 0).all() and (off == 0).all()
    average = place_prior(world, s)[sites]
    assert np.allclose(on * s.world.places.p_protest_day, average), "event-day prior x share of event days = average"
