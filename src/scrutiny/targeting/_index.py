"""A sorted int64 key index that takes daily insertions without copying itself each day.

Keys live in a large sorted main array and a small sorted tail; a day's new keys are inserted into
the tail, which is merged into the main array when it grows past a threshold. Lookups and range
queries search both, so each costs ``O(log n)`` per key or range plus the size of the answer.

The merge is a linear merge of two sorted arrays (never a re-sort), and the tail's threshold grows
with the main array (an eighth of it), so merges happen a logarithmic number of times and all of
them together copy each key a bounded number of times: inserting ``n`` keys costs ``O(n)``
copies in all, not ``O(n^2 / tail)``.
"""

from __future__ import annotations

import numpy as np

from scrutiny._sets import expand_ranges

__all__ = ["SortedIndex"]


def _insert(keys: np.ndarray, vals: np.ndarray, pos: np.ndarray, new_keys: np.ndarray, new_vals: np.ndarray):
    """``np.insert`` of sorted ``new_keys`` (and their values) before positions ``pos`` (ascending), both arrays.

    NumPy's own algorithm (scatter the new, fill the rest by mask), without its per-call checks, which
    cost more than the copy for the day-sized arrays here.
    """
    at = pos + np.arange(pos.size)  # where each new key lands
    out_k, out_v = np.empty(keys.size + pos.size, keys.dtype), np.empty(keys.size + pos.size, vals.dtype)
    out_k[at], out_v[at] = new_keys, new_vals
    old = np.ones(out_k.size, dtype=bool)
    old[at] = False
    out_k[old], out_v[old] = keys, vals
    return out_k, out_v


class SortedIndex:
    """Map unique int64 keys to non-negative int32 values (pin indices), with range queries.

    Args:
        tail: Keys held in the tail before it is merged into the main array.

    Examples:
        >>> ix = SortedIndex(tail=2)
        >>> ix.insert(np.array([30, 10]), np.array([0, 1]))
        >>> ix.insert(np.array([20]), np.array([2]))
        >>> ix.lookup(np.array([10, 15, 30])).tolist()
        [1, -1, 0]
        >>> owner, value = ix.ranges(np.array([0, 25]), np.array([25, 99]))
        >>> owner.tolist(), value.tolist()
        ([0, 0, 1], [1, 2, 0])
    """

    def __init__(self, tail: int = 16_384) -> None:
        self.tail = int(tail)
        self._keys = [np.zeros(0, np.int64), np.zeros(0, np.int64)]  # main, tail
        self._vals = [np.zeros(0, np.int32), np.zeros(0, np.int32)]

    def insert(self, keys: np.ndarray, values: np.ndarray) -> None:
        """Insert keys absent from the index (unique among themselves) with their values."""
        order = np.argsort(keys, kind="stable")
        keys, values = np.asarray(keys, np.int64)[order], np.asarray(values).astype(np.int32)[order]
        self._keys[1], self._vals[1] = _insert(self._keys[1], self._vals[1], np.searchsorted(self._keys[1], keys),
                                               keys, values)
        if self._keys[1].size > max(self.tail, self._keys[0].size // 8):
            at = np.searchsorted(self._keys[0], self._keys[1])  # both sorted: a linear merge
            main = _insert(self._keys[0], self._vals[0], at, self._keys[1], self._vals[1])
            self._keys = [main[0], np.zeros(0, np.int64)]
            self._vals = [main[1], np.zeros(0, np.int32)]

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The value of each key, -1 where the key is absent."""
        keys = np.asarray(keys, np.int64)
        out = np.full(keys.size, -1, np.int64)
        for k, v in zip(self._keys, self._vals, strict=True):
            if k.size:
                pos = np.minimum(np.searchsorted(k, keys), k.size - 1)
                hit = k[pos] == keys
                out[hit] = v[pos[hit]]
        return out

    def ranges(self, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every value whose key lies in ``[lo_j, hi_j)``, with its range number ``j``."""
        owners, values = [], []
        for k, v in zip(self._keys, self._vals, strict=True):
            if k.size:
                owner, pos = expand_ranges(np.searchsorted(k, lo), np.searchsorted(k, hi))
                owners.append(owner)
                values.append(v[pos])
        if not owners:
            return np.zeros(0, np.int64), np.zeros(0, np.int32)
        return np.concatenate(owners), np.concatenate(values)
