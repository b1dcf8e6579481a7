"""Biometric metrics: pure functions, and their place in the summary."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.codes import GROUPS
from scrutiny.metrics import METRICS, count_by_group, rate_by_group, records_retained


def test_rate_by_group_counts_events_per_exposure():
    r = rate_by_group(np.array([2, 2, 0]), np.array([0, 0, 0, 0, 2, 2, 2, 2]))
    assert r["white_man"] == 0.25 and r["black_man"] == 0.5 and math.isnan(r["white_woman"])
    assert set(r) == set(GROUPS)


@given(st.lists(st.integers(0, len(GROUPS) - 1), min_size=1, max_size=200), st.randoms(use_true_random=False))
def test_rate_by_group_bounded_and_order_free(exposed, rnd):
    exposed = np.array(exposed)
    events = exposed[: len(exposed) // 2]  # a subset of the exposures
    r = rate_by_group(events, exposed)
    assert all(0.0 <= v <= 1.0 for v in r.values() if not math.isnan(v))
    shuffled = list(exposed)
    rnd.shuffle(shuffled)
    assert rate_by_group(events[::-1], np.array(shuffled)) == r


def test_count_by_group_and_retention():
    assert sum(count_by_group(np.array([1, 1, 7])).values()) == 3
    days = np.arange(90)
    assert records_retained(days, n_days=90, retention_days=30) == 30
    assert records_retained(days, n_days=90, retention_days=15 * 365) == 90
    assert records_retained(days, n_days=90, retention_days=0.5) == 0


def test_new_metrics_are_registered(small_results):
    m = small_results.summary()["metrics"]
    for key in ("false_match_rate_by_group", "citizens_detained_by_group", "wrongful_detention_days",
                "citizens_removed", "fpir_reference_by_day", "scans_of_citizens", "scan_records_retained",
                "cleared_by_safeguard"):
        assert key in m and key in METRICS, key
    assert set(m["false_match_rate_by_group"]) == set(GROUPS)
