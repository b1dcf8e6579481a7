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


def test_total_variation_extremes():
    from scrutiny.metrics import total_variation

    assert total_variation(np.array([3.0, 0.0]), np.array([0.0, 7.0])) == 1.0, "disjoint: everything must move"
    assert total_variation(np.array([1.0, 2.0]), np.array([2.0, 4.0])) == 0.0
    assert math.isnan(total_variation(np.zeros(2), np.ones(2)))


def test_source_metrics_in_summary():
    from scrutiny.events import EventBuffer
    from scrutiny.metrics import summarize
    from scrutiny.sources import SOURCE_NAMES

    buf = EventBuffer()
    buf.add(2, day=0, kind=0, place=np.array([1, 2]), place_kind=np.array([0, 3]), tract=np.array([0, 1]), outcome=1)
    buf.add(4, day=0, kind=4, place=1, place_kind=0, tract=0, person=np.arange(4), status=5, group=0, outcome=8)
    zeros = {s: 0.0 for s in SOURCE_NAMES}
    sources = {"bystander_records": dict(zeros, plates=1000.0, broker=200.0), "leads": dict(zeros, admin=10.0),
               "good_leads": dict(zeros, admin=4.0), "removable_by_tract": np.array([1.0, 3.0])}
    m = summarize(buf.finish(), n_days=1, n_tracts=2, sources=sources)
    assert m["bystander_records_per_arrest"] == 300.0, "1,200 bystander records over 4 arrests"
    assert m["bystander_records_by_source"]["plates"] == 1000.0
    assert m["lead_precision_by_source"]["admin"] == 0.4 and math.isnan(m["lead_precision_by_source"]["tips"])
    assert m["operations_at_protected_places"] == 1.0, "the clinic visit"
    assert m["allocation_divergence"] == pytest.approx(0.25), "operations 1:1 over tracts, removable people 1:3"
    assert m["gini_operations_by_place"] == 0.0
