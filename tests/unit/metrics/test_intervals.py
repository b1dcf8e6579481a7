"""Intervals of a metric's mean stay inside the metric's range, and cover as a 95% interval should."""

import math

import numpy as np
import pytest

from scrutiny.metrics import METRICS, NON_NEGATIVE, UNIT, band, intervals, mean_interval, paired_difference


@pytest.mark.parametrize("name", list(METRICS))
def test_every_metric_declares_its_range(name):
    m = METRICS[name]
    expected = (0.0, 1.0) if m.bounded else (0.0, m.scale) if m.part_of_denominator else (0.0, math.inf)
    assert m.support == expected, f"{name}: {m.support}"
    if m.part_of_denominator:  # the numerator counts a subset of the denominator's events
        assert m.numerator and m.denominator and not m.bounded


def test_a_ratio_of_a_part_to_its_whole_stays_below_its_scale():
    """Citizens per 1,000 arrests, one replicate at 0 and one at 6: the log scale gave an upper end of 10^6."""
    r = mean_interval(np.array([0.0, 6.0]), support=METRICS["citizens_detained_per_1000_arrests"].support)
    assert 0 <= r["lo"] < 3 < r["hi"] <= 1000, r
    assert mean_interval(np.array([0.0, 6.0]), support=NON_NEGATIVE)["hi"] > 1000


def test_two_replicates_of_a_count_never_give_a_negative_interval():
    arrests = np.array([40.0, 260.0])
    plain = mean_interval(arrests)
    assert plain["lo"] < 0, "the plain t interval with one degree of freedom starts below zero"
    r = mean_interval(arrests, support=NON_NEGATIVE)
    assert 0 < r["lo"] < 40 and r["hi"] > 260 and r["mean"] == 150.0, r


def test_shares_stay_within_zero_and_one():
    for values in ([0.0, 0.02], [0.97, 1.0, 0.99], [0.5, 0.1, 0.9]):
        r = mean_interval(np.array(values), support=UNIT)
        assert 0.0 < r["lo"] <= r["mean"] <= r["hi"] < 1.0, (values, r)


def test_no_spread_gives_the_point_and_one_replicate_no_interval():
    r = mean_interval(np.zeros(4), support=NON_NEGATIVE)
    assert (r["lo"], r["hi"]) == (0.0, 0.0)
    r = mean_interval(np.ones(3), support=UNIT)
    assert (r["lo"], r["hi"]) == (1.0, 1.0)
    r = mean_interval(np.array([3.0]), support=NON_NEGATIVE)
    assert math.isnan(r["lo"]) and math.isnan(r["hi"])


def test_close_replicates_give_the_ordinary_t_interval():
    rng = np.random.default_rng(0)
    v = rng.normal(1000.0, 10.0, size=10)
    plain, ranged = mean_interval(v), mean_interval(v, support=NON_NEGATIVE)
    width = plain["hi"] - plain["lo"]
    assert abs(ranged["lo"] - plain["lo"]) < 0.01 * width and abs(ranged["hi"] - plain["hi"]) < 0.01 * width


def test_differences_keep_the_plain_t_interval():
    d = paired_difference(np.array([1.0, 5.0, 2.0]), np.array([4.0, 3.0, 3.0]))
    assert d["lo"] < 0 < d["hi"], "a difference may be negative"


@pytest.mark.parametrize("seed", range(3))
def test_the_log_scale_interval_covers_skewed_counts_at_least_as_well(seed):
    # Gamma(2) replicates, 5 per interval, 4,000 intervals: the true mean is 2. A 95% interval covers
    # 0.95; the log-scale interval covered 0.934-0.952 over seeds 0-99 (the plain t 0.907-0.930, and
    # never more). Tolerance: 0.925-0.965, about 2.5 binomial standard errors (0.0035) beyond those extremes.
    x = np.random.default_rng(seed).gamma(2.0, 1.0, size=(5, 4000))
    _, lo, hi = band(x, support=NON_NEGATIVE)
    _, tlo, thi = band(x)
    cover, t_cover = np.mean((lo <= 2) & (2 <= hi)), np.mean((tlo <= 2) & (2 <= thi))
    assert 0.925 <= cover <= 0.965, cover
    assert cover >= t_cover, (cover, t_cover)


def test_summary_intervals_respect_every_metric_range(small_results):
    summaries = [r.summary for r in small_results.replicates]
    for name, entry in intervals(summaries).items():
        lo_b, hi_b = METRICS[name].support if name in METRICS else (-math.inf, math.inf)
        for key, e in (entry.items() if "mean" not in entry else [("", entry)]):
            if not math.isnan(e["lo"]):
                assert lo_b <= e["lo"] <= e["mean"] <= e["hi"] <= hi_b, f"{name}{key}: {e}"
