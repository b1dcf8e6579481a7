"""NumPy's ``SeedSequence`` hashing, resumed from a cached prefix: the same generators, built cheaper.

A run builds a few ``Generator`` objects a day, each from ``SeedSequence(seed, spawn_key=(replicate,
key, step))``; NumPy re-hashes every entropy word each time (about 20 µs with the ``PCG64`` around
it, and two to three times that with cold caches inside the daily loop). Only the last word, the
step, differs between days, and NumPy's entropy mixing walks the words in order with a hash
constant that does not depend on them. :class:`Prefix` keeps the pool after the fixed words, so a
generator costs the step's word or two and the output hash: about half the time, and the same
state to the bit (tests/unit/rng/test_seedseq.py compares it with NumPy's over random seeds, keys and
steps). The constants and the algorithm are NumPy's (``numpy/random/bit_generator.pyx``, after
O'Neill's ``seed_seq_fe``), pool size 4.
"""

from __future__ import annotations

import numpy as np
from numpy.random.bit_generator import ISeedSequence

__all__ = ["Prefix", "generator"]

_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_XSHIFT = 16
_POOL = 4


def _words(x: int) -> list[int]:
    """A non-negative int as little-endian uint32 words, as NumPy coerces entropy (0 is one word)."""
    if x < 0:
        raise ValueError(f"expected a non-negative integer for the seed sequence, got {x}")
    out = [x & _M32]
    x >>= 32
    while x:
        out.append(x & _M32)
        x >>= 32
    return out


def _mix(x: int, y: int) -> int:
    r = (_MIX_L * x - _MIX_R * y) & _M32
    return r ^ (r >> _XSHIFT)


class Prefix:
    """The entropy pool of ``SeedSequence(seed, spawn_key=spawn_prefix + more)`` after ``spawn_prefix``.

    Args:
        seed: The root entropy (a non-negative int).
        spawn_prefix: The spawn key's leading non-negative ints (replicate, stream key); not empty.

    Examples:
        >>> p = Prefix(7, (0, 12345))
        >>> ref = np.random.SeedSequence(7, spawn_key=(0, 12345, 3)).generate_state(4, np.uint64)
        >>> bool((p.state((3,)) == ref).all())
        True
    """

    __slots__ = ("_pool", "_hash")

    def __init__(self, seed: int, spawn_prefix: tuple[int, ...]) -> None:
        if not spawn_prefix:  # NumPy pads the run entropy only when a spawn key follows
            raise ValueError("a Prefix needs a non-empty spawn key prefix")
        self._hash = _INIT_A  # NumPy's mixing constant: it moves with every word hashed, whatever the word
        run = _words(seed)
        run += [0] * (_POOL - len(run))  # a spawn key follows: the run entropy is padded to the pool size
        entropy = run + [w for v in spawn_prefix for w in _words(v)]
        pool = [self._hashmix(entropy[i]) if i < len(entropy) else self._hashmix(0) for i in range(_POOL)]
        for src in range(_POOL):
            for dst in range(_POOL):
                if src != dst:
                    pool[dst] = _mix(pool[dst], self._hashmix(pool[src]))
        self._pool = pool
        self._absorb(entropy[_POOL:])

    def _hashmix(self, value: int) -> int:
        value = (value ^ self._hash) & _M32
        self._hash = (self._hash * _MULT_A) & _M32
        value = (value * self._hash) & _M32
        return value ^ (value >> _XSHIFT)

    def _absorb(self, words: list[int]) -> None:
        pool = self._pool
        for w in words:
            for dst in range(_POOL):
                pool[dst] = _mix(pool[dst], self._hashmix(w))

    def state(self, more: tuple[int, ...]) -> np.ndarray:
        """``generate_state(4, np.uint64)`` of the sequence with ``more`` appended to the spawn key."""
        pool, h = list(self._pool), self._hash
        for v in more:  # _absorb, inlined on copies: the prefix itself never changes
            for w in _words(v):
                for dst in range(_POOL):
                    x = (w ^ h) & _M32
                    h = (h * _MULT_A) & _M32
                    x = (x * h) & _M32
                    pool[dst] = _mix(pool[dst], x ^ (x >> _XSHIFT))
        out, hb = [], _INIT_B
        for i in range(8):
            x = (pool[i & 3] ^ hb) & _M32
            hb = (hb * _MULT_B) & _M32
            x = (x * hb) & _M32
            out.append(x ^ (x >> _XSHIFT))
        return np.array(out, dtype=np.uint32).view(np.uint64)


class _Known(ISeedSequence):
    """A seed sequence whose ``generate_state(4, np.uint64)`` is already computed (what PCG64 asks for)."""

    __slots__ = ("_state",)

    def __init__(self, state: np.ndarray) -> None:
        self._state = state

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:  # pragma: no cover - PCG64 asks for exactly this
            raise ValueError("only PCG64's request, generate_state(4, np.uint64), is known")
        return self._state


def generator(prefix: Prefix, more: tuple[int, ...]) -> np.random.Generator:
    """``Generator(PCG64(SeedSequence(seed, spawn_key=prefix + more)))``, the same state to the bit."""
    return np.random.Generator(np.random.PCG64(_Known(prefix.state(more))))
