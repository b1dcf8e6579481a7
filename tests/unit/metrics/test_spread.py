import math

import numpy as np
import pytest

from scrutiny.metrics import (
    counts_by,
    cumulative_top_share,
    gini,
    lorenz_curve,
    rate_ratios,
    top_share,
)


def test_lorenz_curve_of_equal_values_is_the_diagonal():
    x, y = lorenz_curve(np.full(8, 3.0))
    assert np.allclose(x, y) and x[0] == 0 and y[-1] == 1


def test_lorenz_curve_area_matches_gini():
    v = np.array([0.0, 1, 1, 3, 10, 25])
    x, y = lorenz_curve(v)
    area = np.trapezoid(y, x) if hasattr(np, "trapezoid") else np.trapz(y, x)
    assert 1 - 2 * area == pytest.approx(gini(v), abs=1e-12), "Gini is one minus twice the area under the curve"


def test_lorenz_curve_does_not_depend_on_order():
    rng = np.random.default_rng(0)
    v = rng.integers(0, 50, 40).astype(float)
    assert np.array_equal(lorenz_curve(v)[1], lorenz_curve(rng.permutation(v))[1])


def test_cumulative_top_share_ends_at_the_overall_top_share():
    rng = np.random.default_rng(1)
    day, unit = rng.integers(0, 30, 500), rng.integers(0, 40, 500)
    series = cumulative_top_share(day, unit, n_days=30, n_units=40)
    assert series[-1] == pytest.approx(top_share(counts_by(unit, size=40)))
    assert np.all((series >= 0.1 - 1e-12) & (series <= 1)), "the top 10% hold at least 10% of events"


def test_cumulative_top_share_is_nan_before_the_first_event():
    s = cumulative_top_share(np.array([2]), np.array([0]), n_days=4, n_units=5)
    assert math.isnan(s[0]) and math.isnan(s[1]) and s[2] == 1.0 and s[3] == 1.0


def test_rate_ratios_recover_known_ratios_and_skip_small_groups():
    r = rate_ratios(np.array([100, 300, 1]), np.array([10_000, 10_000, 5]), reference=0, min_exposed=20)
    assert r[0] == 1.0 and r[1] == pytest.approx(3.0, rel=0.01) and math.isnan(r[2])


def test_counts_by_ignores_missing_units_and_weights():
    c = counts_by(np.array([0, 1, 1, -1]), size=3, weights=np.array([1.0, 2.0, 3.0, 10.0]))
    assert c.tolist() == [1.0, 5.0, 0.0]
