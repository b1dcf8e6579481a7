import numpy as np
import pytest
from scipy import stats

from scrutiny.rng import NAMES, Streams, stream, stream_key


def test_same_key_same_numbers():
    a = stream(3, 1, "world.status", step=4).random(5)
    b = stream(3, 1, "world.status", step=4).random(5)
    assert np.array_equal(a, b), "a stream is a pure function of (seed, replicate, name, step)"


def test_spawn_key_is_numpy_spawn_tree():
    key = stream_key("world.status")
    direct = np.random.Generator(np.random.PCG64(np.random.SeedSequence(9).spawn(3)[2])).random(3)
    via_key = np.random.Generator(np.random.PCG64(np.random.SeedSequence(9, spawn_key=(2,)))).random(3)
    assert np.array_equal(direct, via_key)
    assert key == stream_key("world.status")


def test_unknown_stream_name_is_refused():
    with pytest.raises(KeyError, match="declare it"):
        stream(1, 0, "world.typo")


def test_stream_keys_unique():
    keys = [stream_key(n) for n in NAMES]
    assert len(set(keys)) == len(keys)


def test_uniform_depends_only_on_id_not_on_batch():
    s = Streams(11, 2)
    ids = np.arange(1000)
    full = s.uniform("field.scan", ids, step=7)
    some = s.uniform("field.scan", ids[[999, 3, 500]], step=7)
    assert np.array_equal(some, full[[999, 3, 500]]), "common random numbers: a person's draw ignores who else is drawn"


def test_uniform_changes_with_step_replicate_and_name():
    ids = np.arange(100)
    base = Streams(1, 0).uniform("field.scan", ids, step=0)
    for other in (Streams(1, 0).uniform("field.scan", ids, step=1), Streams(1, 1).uniform("field.scan", ids),
                  Streams(2, 0).uniform("field.scan", ids), Streams(1, 0).uniform("field.mate", ids)):
        assert not np.any(base == other)


@pytest.mark.parametrize("seed", range(5))
def test_uniform_is_uniform_and_uncorrelated(seed):
    # KS at level 1e-4 and a correlation bound of 5 standard errors: false alarm < 1e-4 per seed.
    u = Streams(seed, 0).uniform("field.scan", np.arange(200_000), step=3)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > 1e-4
    v = Streams(seed, 0).uniform("field.scan", np.arange(200_000), step=4)
    assert abs(np.corrcoef(u, v)[0, 1]) < 5 / np.sqrt(u.size)
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 / np.sqrt(u.size)


def _splitmix_uniform(streams, name, person_id, step):
    """The documented draw on Python ints: SplitMix64's finaliser of seed + (id + 1) * golden, top 53 bits."""
    from scrutiny.rng import _GOLDEN, _mix64_int

    z = (streams._seed_for(name, step) + (person_id + 1) * _GOLDEN) % 2**64
    return (_mix64_int(z) >> 11) / 2**53


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint32, np.int16])
def test_uniform_is_splitmix_of_the_id_whatever_its_dtype_or_layout(dtype):
    s = Streams(5, 1)
    ids = np.array([0, 1, 7, 2**15 - 1, 12345] if dtype != np.int16 else [0, 1, 7, 2**15 - 1], dtype=dtype)
    want = [_splitmix_uniform(s, "field.scan", int(i), 4) for i in ids]
    assert s.uniform("field.scan", ids, step=4).tolist() == want
    strided = np.repeat(ids, 2)[::2]  # a view with a stride: the same draws
    assert s.uniform("field.scan", strided, step=4).tolist() == want
    assert s.uniform("field.scan", ids.reshape(1, -1), step=4).ravel().tolist() == want


def test_uniform_of_a_negative_int64_id_wraps_as_its_uint64_cast():
    s = Streams(5, 1)
    assert s.uniform("field.scan", np.array([-1, -2**40], np.int64), step=0).tolist() == [
        _splitmix_uniform(s, "field.scan", -1, 0), _splitmix_uniform(s, "field.scan", -2**40, 0)]
