"""world._sort.lexsort returns np.lexsort's permutation: ties, NaN, signed zeros and wide integer keys included."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scrutiny.world._sort import lexsort

floats = st.one_of(st.sampled_from([0.0, -0.0, 0.5, 1.0, np.nan, np.inf]), st.floats(-1e3, 1e3))
int_dtypes = st.sampled_from([np.bool_, np.int8, np.int16, np.int32, np.int64])


@given(data=st.data(), n=st.integers(0, 60), n_int=st.integers(0, 3))
def test_lexsort_is_numpys(data, n, n_int):
    first = data.draw(hnp.arrays(np.float64, n, elements=floats))
    ints = []
    for _ in range(n_int):
        dtype = data.draw(int_dtypes)
        bound = 1 if dtype is np.bool_ else data.draw(st.sampled_from([3, 300, 70_000, 2**40]))
        bound = min(bound, np.iinfo(dtype).max) if dtype is not np.bool_ else 1
        ints.append(data.draw(hnp.arrays(dtype, n, elements=st.integers(0 if dtype is np.bool_ else -bound, bound))))
    keys = (first, *ints)
    assert lexsort(keys).tolist() == np.lexsort(keys).tolist()


def test_distinct_float_keys_take_the_quick_path_and_agree():
    rng = np.random.default_rng(1)
    key, tract = rng.random(5000), np.sort(rng.integers(0, 40, 5000))
    assert np.array_equal(lexsort((key, tract)), np.lexsort((key, tract)))
