"""What targeting learns day by day: decay of past outcomes, reports about places, Ensign et al.'s thinning."""

import numpy as np
import pytest
from conftest import tiny

from scrutiny.errors import ConfigError
from scrutiny.operations import simulate
from scrutiny.operations._loop import _setup
from scrutiny.rng import Streams
from scrutiny.scenario import TargetingParams
from scrutiny.sources import channel_code, concat_leads, make_leads
from scrutiny.targeting import Targeter, arrest_ids, make_policy, thinned
from scrutiny.targeting._policy import report_codes


def _same_run(a, b) -> bool:
    return all(np.array_equal(a.events[c], b.events[c]) for c in a.events) and all(
        np.array_equal(a.daily[k], b.daily[k], equal_nan=True) for k in a.daily)


@pytest.mark.parametrize("policy", ["dense_first", "thompson"])
def test_no_decay_and_no_report_weight_reproduce_the_loop_without_them(policy, monkeypatch):
    s = tiny(**{"n_days": 12, "targeting.policy": policy, "targeting.feedback_decay": 0.0,
                "targeting.report_weight": 0.0, "sources.tips.share_reported": 0.4})
    with_them = simulate(s)
    monkeypatch.setattr(Targeter, "receive", lambda self, day, leads: None)  # the loop before either existed
    assert _same_run(with_them, simulate(s)), "decay 0 and report weight 0 must change nothing, bit for bit"


def test_the_loop_hands_the_days_reports_to_targeting():
    run = _setup(tiny(**{"targeting.report_weight": 1.0, "targeting.feedback_decay": 0.0,
                       "sources.tips.share_reported": 0.9}), 0)  # 1.2 tips a day
    for t in range(5):
        run.step(t)
    reports = run.targeter.feedback.sum() - run.targeter.arrests.sum()  # uncorrected, no decay: F = arrests + reports
    assert reports > 0 and reports == round(reports), f"one per tip filed; got {reports}"


def test_decay_fades_what_was_learned_once_a_day():
    targeter = _setup(tiny(**{"targeting.feedback_decay": 0.01}), 0).targeter
    for learned in (targeter.feedback, targeter.arrests, targeter.visits):
        learned[:3] = [100.0, 10.0, 0.0]
    targeter._learn(np.arange(3))  # as observe and receive do where they write
    empty = make_leads([], [], [], 0)
    targeter.receive(0, empty)
    assert targeter.feedback[:3].tolist() == [100.0, 10.0, 0.0], "day 0: nothing to fade yet"
    targeter.receive(1, empty)
    targeter.receive(1, empty)
    targeter.receive(3, empty)
    for learned in (targeter.feedback, targeter.arrests, targeter.visits):
        assert np.allclose(learned[:3], [100.0 * 0.99**3, 10.0 * 0.99**3, 0.0]), "0.99 a day, once per day"


def test_reports_add_their_weight_at_their_place_whatever_the_allocation():
    targeter = _setup(tiny(**{"targeting.report_weight": 0.5}), 0).targeter
    tips = make_leads([1, 2, 3], [7, 7, 9], 50.0, channel_code("tips"))
    broker = make_leads([4], [11], 90.0, channel_code("broker"))  # not a reporting channel by default
    targeter.receive(0, concat_leads([tips, broker]))
    assert targeter.feedback[[7, 9, 11]].tolist() == [1.0, 0.5, 0.0], "0.5 per report at its place"
    assert targeter.feedback.sum() == 1.5 and targeter.arrests.sum() == 0.0, "reports are not arrests"


def test_report_channels_must_be_source_channels():
    assert report_codes(("tips", "service_reports")).tolist() == [channel_code("tips"),
                                                                  channel_code("service_reports")]
    with pytest.raises(ConfigError, match="Did you mean 'tips'"):
        report_codes(("tipps",))


def test_thinning_keeps_each_arrest_with_probability_p_min_over_p_visit():
    rule = make_policy(TargetingParams(policy={"name": "feedback_corrected", "correction": "thin"}))
    sites, arrests, p_visit = np.array([4, 8]), np.array([3, 2]), np.array([0.8, 0.1])
    kept = np.array([rule.feedback(arrests, p_visit, 0.3, sites=sites, p_min=0.1, day=t, streams=Streams(2, 0))
                     for t in range(4000)])
    assert np.all(kept == np.round(kept)) and np.all(kept <= arrests), "whole arrests kept, never more than made"
    assert kept[:, 1].mean() == 2.0, "the least likely place keeps every arrest"
    # kept at place 4 ~ Binomial(3, 1/8) a day: mean 0.375, sd of the mean over 4,000 days 0.009
    assert abs(kept[:, 0].mean() - 0.375) < 0.04, f"{kept[:, 0].mean():.3f} kept, expected 3 x 0.1 / 0.8"


def test_thinning_draws_are_common_random_numbers_per_place_day_and_arrest():
    u = Streams(2, 0).uniform("targeting.thin", arrest_ids(np.array([5, 9]), np.array([2, 1])), step=3)
    alone = Streams(2, 0).uniform("targeting.thin", arrest_ids(np.array([9]), np.array([1])), step=3)
    assert u[2] == alone[0], "an arrest's draw does not depend on the other places visited that day"
    assert thinned(np.array([2, 1]), np.array([0.5, 0.5]), 0.5, u).tolist() == [2.0, 1.0], "p_min = p: all kept"


def test_thinning_without_draws_returns_its_expectation():
    rule = make_policy(TargetingParams(policy={"name": "feedback_corrected", "correction": "thin"}))
    expected = rule.feedback(np.array([1, 0, 3]), np.array([0.5, 1.0, 0.2]), 0.4)
    assert np.allclose(expected, [0.4, 0.0, 3.0]), "arrests x p_min / p_visit, p_min the smallest p_visit"
