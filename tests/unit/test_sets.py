"""The sort-based set operations return exactly what NumPy's return for integer arrays."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scrutiny._sets import expand_ranges, first_occurrences, isin, union, unique

ints = hnp.arrays(st.sampled_from([np.int8, np.int32, np.int64]), hnp.array_shapes(max_dims=2, min_side=0, max_side=40),
                  elements=st.integers(-100, 100))


@given(a=ints)
def test_unique_is_numpys(a):
    got, want = unique(a), np.unique(a)
    assert got.dtype == want.dtype and np.array_equal(got, want)


@given(a=ints, b=ints)
def test_union_and_isin_are_numpys(a, b):
    assert np.array_equal(union(a, b), np.union1d(a, b))
    got, want = isin(a, b), np.isin(a, b)
    assert got.shape == want.shape and np.array_equal(got, want)


@given(a=hnp.arrays(np.int64, st.integers(0, 60), elements=st.integers(0, 100)),
       shift=st.sampled_from([0, 0, -50, 2**61]))
def test_first_occurrences_are_numpys_first_indices(a, shift):
    """Small ids pack value and position into one key; negative or huge ones take NumPy's stable sort."""
    a = a + shift
    want = np.sort(np.unique(a, return_index=True)[1])
    got = first_occurrences(a)
    assert np.array_equal(got, want) and got.dtype.kind == "i"


@given(bounds=st.lists(st.tuples(st.integers(0, 50), st.integers(-5, 30)), max_size=30),
       dtype=st.sampled_from([np.int32, np.int64]))
def test_expand_ranges_lists_every_position_of_every_range(bounds, dtype):
    """Ranges [lo, lo + length) in order; an empty or reversed range lists nothing."""
    lo = np.array([b[0] for b in bounds], dtype)
    hi = np.array([b[0] + b[1] for b in bounds], dtype)
    want_i = [i for i, (a, b) in enumerate(zip(lo, hi, strict=True)) for _ in range(a, b)]
    want_p = [p for a, b in zip(lo, hi, strict=True) for p in range(a, b)]
    index, pos = expand_ranges(lo, hi)
    assert index.tolist() == want_i and pos.tolist() == want_p and pos.dtype == np.int64
