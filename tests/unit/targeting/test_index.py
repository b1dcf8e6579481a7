"""SortedIndex answers lookups and range queries as a plain dict of its keys would, whatever the batches."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.targeting._index import SortedIndex

batches = st.lists(st.lists(st.integers(0, 500), max_size=30, unique=True), max_size=12)


@given(batches=batches, tail=st.integers(1, 20), queries=st.lists(st.integers(-5, 505), max_size=20),
       bounds=st.lists(st.tuples(st.integers(-5, 505), st.integers(0, 60)), max_size=6))
def test_index_is_a_sorted_dict(batches, tail, queries, bounds):
    ix, ref, value = SortedIndex(tail=tail), {}, 0
    for batch in batches:
        keys = [k for k in batch if k not in ref]  # the index takes keys absent from it
        vals = list(range(value, value + len(keys)))
        value += len(keys)
        ix.insert(np.array(keys, np.int64), np.array(vals))
        ref.update(zip(keys, vals, strict=True))
    got = ix.lookup(np.array(queries, np.int64))
    assert got.tolist() == [ref.get(q, -1) for q in queries]
    lo = np.array([b[0] for b in bounds], np.int64)
    hi = lo + np.array([b[1] for b in bounds], np.int64)
    owner, vals = ix.ranges(lo, hi)
    want = sorted((j, ref[k]) for j, (a, b) in enumerate(zip(lo, hi, strict=True)) for k in ref if a <= k < b)
    assert sorted(zip(owner.tolist(), vals.tolist(), strict=True)) == want
    assert vals.dtype == np.int32
