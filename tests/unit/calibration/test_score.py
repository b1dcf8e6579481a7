"""Scores are deviances: never negative, zero at the observed rate, growing away from it, finite for zero counts."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.calibration import band_count_deviance, band_value_deviance, binomial_deviance, undercount_deviance

counts = st.integers(min_value=0, max_value=5000)


@settings(max_examples=60, deadline=None)
@given(k=counts, extra=counts, n_sim=st.integers(min_value=1, max_value=5000),
       model=st.sampled_from(["binomial", "poisson"]))
def test_deviance_is_non_negative_and_zero_at_the_observed_rate(k, extra, n_sim, model):
    n = k + extra + 1
    d = binomial_deviance(k, n, np.arange(n_sim + 1), n_sim, model)
    assert np.all(d >= 0) and np.all(np.isfinite(d)), "finite and non-negative, zero counts included"
    assert float(binomial_deviance(k, n, 3 * k, 3 * n, model)) == 0.0, "same rate, zero deviance"


@settings(max_examples=60, deadline=None)
@given(k=st.integers(min_value=0, max_value=300), n=st.integers(min_value=300, max_value=300000),
       n_sim=st.integers(min_value=1, max_value=3000))
def test_deviance_grows_monotonically_away_from_the_observed_rate(k, n, n_sim):
    d = binomial_deviance(k, n, np.arange(n_sim + 1), n_sim)
    best = int(np.argmin(d))
    assert np.all(np.diff(d[best:]) >= -1e-9) and np.all(np.diff(d[: best + 1]) <= 1e-9)


def test_tiny_counts_over_a_national_denominator_score_moderately():
    d = binomial_deviance(170, 222_000, np.array([0, 3, 6, 30]), 4000)
    assert d[1] < 0.01 and 4 < d[0] < 8 and d[3] > 40, f"0 and 6 of 4,000 are plausible at 0.077%; 30 is not: {d}"
    assert np.isinf(binomial_deviance(1, 10, 0, 0)), "a simulation with no denominator cannot be scored"


def test_undercount_is_zero_over_its_range_and_grows_outside():
    k_sim = np.arange(0, 60)
    d = undercount_deviance(170, 222_000, k_sim, 4000, 1.0, 10.0)
    inside = (k_sim / 4000 >= 170 / 222_000) & (k_sim / 4000 <= 1700 / 222_000)
    assert np.all(d[inside] == 0) and np.all(d[~inside] > 0)
    assert np.all(np.diff(d[k_sim / 4000 > 1700 / 222_000]) > 0)


def test_bands_score_zero_inside_and_grow_outside():
    d = band_count_deviance(np.arange(0, 101), 100, 0.2, 0.4)
    assert np.all(d[20:41] == 0) and np.all(np.diff(d[:21]) < 0) and np.all(np.diff(d[40:]) > 0)
    r = band_count_deviance(np.array([10, 30, 300]), 100, 0.2, 1.0, "poisson")
    assert r[1] == 0 and r[0] > 0 and r[2] > 0, "a rate per arrest may exceed one"
    v = band_value_deviance(np.array([0.1, 0.2, 0.5, 0.8, 1.6, np.nan]), 0.2, 0.8)
    assert v[1] == v[2] == v[3] == 0 and v[0] == v[4] == 4.0 and np.isinf(v[5])
