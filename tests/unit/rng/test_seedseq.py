"""Streams.generator builds the very generator stream() builds (NumPy's SeedSequence), to the bit."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutiny._seedseq import Prefix
from scrutiny.rng import NAMES, Streams, stream

seeds = st.one_of(st.integers(0, 2**32 - 1), st.integers(0, 2**200))  # huge seeds: more words than the pool
steps = st.one_of(st.none(), st.integers(0, 400), st.integers(0, 2**70))


@given(seed=seeds, replicate=st.integers(0, 2**40), name=st.sampled_from(sorted(NAMES)), step=steps)
def test_generator_is_numpys(seed, replicate, name, step):
    fast, ref = Streams(seed, replicate).generator(name, step), stream(seed, replicate, name, step)
    assert fast.bit_generator.state == ref.bit_generator.state
    assert np.array_equal(fast.random(5), ref.random(5))


@given(seed=seeds, prefix=st.lists(st.integers(0, 2**96), min_size=1, max_size=4),
       more=st.lists(st.integers(0, 2**96), max_size=3))
def test_prefix_state_is_numpys(seed, prefix, more):
    want = np.random.SeedSequence(seed, spawn_key=tuple(prefix + more)).generate_state(4, np.uint64)
    assert np.array_equal(Prefix(seed, tuple(prefix)).state(tuple(more)), want)


def test_cached_prefix_is_not_changed_by_use():
    s = Streams(3, 1)
    first = s.generator("operations.booking", 5).random(3)
    s.generator("operations.booking", 6).random(3)
    assert np.array_equal(s.generator("operations.booking", 5).random(3), first)


def test_negative_entropy_is_refused():
    with pytest.raises(ValueError, match="non-negative"):
        Prefix(-1, (0,))
    with pytest.raises(ValueError, match="non-negative"):
        Streams(1, 0).generator("operations.booking", -2)


def test_a_prefix_needs_a_spawn_key():
    with pytest.raises(ValueError, match="spawn key"):
        Prefix(5, ())
