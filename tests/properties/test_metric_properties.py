"""Properties of the pure metrics: bounded where they should be, independent of order, weights."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scrutiny.metrics import count, gini, top_share, total_variation

counts = arrays(np.float64, st.integers(1, 200), elements=st.floats(0, 1e6))


@given(counts)
def test_top_share_in_unit_interval_and_order_free(v):
    if v.sum() <= 0:
        return
    a = top_share(v)
    assert 0.0 < a <= 1.0 + 1e-12
    assert np.isclose(a, top_share(np.random.default_rng(0).permutation(v)))


@given(counts)
def test_gini_in_unit_interval_and_order_free(v):
    if v.sum() <= 0:
        return
    g = gini(v)
    assert -1e-9 <= g <= 1.0
    assert np.isclose(g, gini(v[::-1]))


@given(counts, counts)
def test_total_variation_in_unit_interval_symmetric_and_zero_on_itself(p, q):
    n = min(p.size, q.size)
    p, q = p[:n], q[:n]
    if p.sum() <= 0 or q.sum() <= 0:
        return
    d = total_variation(p, q)
    assert -1e-12 <= d <= 1.0 + 1e-12 and np.isclose(d, total_variation(q, p))
    assert total_variation(p, 3.0 * p) < 1e-12, "scale does not matter"


@given(arrays(np.bool_, st.integers(0, 100)))
def test_all_ones_weights_equal_no_weights(mask):
    assert count(mask) == count(mask, weights=np.ones(mask.size))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000))
def test_summary_shares_bounded(seed):
    from conftest import small

    from scrutiny.metrics import METRICS, summarize
    from scrutiny.operations import simulate

    s = small(seed=seed, n_days=8, **{"world.n_people": 5_000})
    out = simulate(s)
    m = summarize(out.events, n_days=out.n_days, n_tracts=out.world_info["n_tracts"],
                  lost_visits=out.lost_visits, expected_visits=out.expected_visits, sources=out.sources)
    for key, meta in METRICS.items():
        if not meta.bounded or key not in m:
            continue
        values = m[key].values() if isinstance(m[key], dict) else [m[key]]
        for v in values:
            assert not np.isfinite(v) or 0.0 <= v <= 1.0, key
