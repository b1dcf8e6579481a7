"""Exact top-k: the block-minimum shortcuts return what a full sort returns, ties and repeats included."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scrutiny.targeting._ranking import _at_or_below_kth, _kth_smallest, top_k

# few distinct values, so that ties at the cut are common; sizes around the 256-key block
keys = hnp.arrays(np.float64, st.integers(1, 900), elements=st.sampled_from([-3.0, -1.5, 0.0, 0.25, 2.0, 7.0]))


@given(key=keys, k=st.integers(1, 60), block=st.sampled_from([2, 7, 256]))
def test_kth_and_the_keys_at_or_below_it_are_a_full_sorts(key, k, block):
    k = min(k, key.size)
    kth = np.sort(key)[k - 1]
    assert _kth_smallest(key, k, block) == kth
    if k < key.size:
        assert np.array_equal(_at_or_below_kth(key, k, block), np.flatnonzero(key <= kth))


@given(key=keys, capacity=st.integers(0, 60), seed=st.integers(0, 2**32 - 1))
def test_top_k_is_a_full_lexsorts_head(key, capacity, seed):
    tie_value = np.random.default_rng(seed).random(key.size)
    want = np.lexsort((tie_value, key))[:capacity]
    got = top_k(key, tie_value.__getitem__, capacity)
    assert np.array_equal(got, want)
