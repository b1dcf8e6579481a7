import math

import numpy as np
import pytest

from scrutiny.metrics import days_detained, gini, per_1000, rate_ratio_max, share, top_share


def test_per_1000_and_share_handle_zero():
    assert per_1000(5, 1000) == 5.0
    assert math.isnan(per_1000(1, 0)) and math.isnan(share(1, 0))


def test_top_share_extremes():
    assert top_share(np.r_[100.0, np.zeros(99)]) == 1.0
    assert top_share(np.ones(100)) == pytest.approx(0.1)


def test_gini_extremes():
    assert gini(np.ones(10)) == 0.0
    assert gini(np.r_[1.0, np.zeros(999)]) == pytest.approx(0.999)


def test_rate_ratio_recovers_known_ratio():
    assert rate_ratio_max(np.array([100, 1000]), np.array([10_000, 10_000]), reference=0) == pytest.approx(10, rel=0.01)


def test_rate_ratio_nan_without_reference_exposure():
    assert math.isnan(rate_ratio_max(np.array([1, 1]), np.array([0, 50]), reference=0, min_exposed=20))


def test_days_detained_pairs_each_detention_with_its_own_release():
    d = days_detained(np.array([0, 5, 2]), np.array([1, 1, 2]), np.array([4, 9]), np.array([1, 1]), n_days=20)
    assert d.tolist() == [4.0, 4.0, 18.0]
