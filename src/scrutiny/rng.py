"""The one random-number discipline: every draw derives from ``(seed, replicate, name[, step])``.

Two kinds of stream exist, both addressed by purpose rather than by call order:

* :meth:`Streams.generator` returns a NumPy ``Generator`` on NumPy's own spawn tree
  (``SeedSequence(seed, spawn_key=(replicate, key[, step]))``). Use it for draws over a whole,
  fixed-size population (world synthesis, one value per place per day).
* :meth:`Streams.uniform` is counter-based: the uniform for person ``i`` on day ``t`` under stream
  ``name`` is a pure function of ``(seed, replicate, name, t, i)`` (SplitMix64 output ``i`` of a
  seed derived from the stream key and step). It does not depend on which other people are drawn,
  so an encounter that touches 40 people costs 40 draws, not one per person in the population,
  and two safeguard arms of one replicate see exactly the same uniform for the same person and
  day (common random numbers).

Nothing depends on call order, worker id, thread count or completion order. This is the only
module that constructs a ``Generator`` (with :mod:`scrutiny._seedseq`, which builds them cheaper);
stages receive a :class:`Streams` (or a ``Generator``) as an argument. Stream names are declared
in :data:`NAMES`, whose keys are checked for uniqueness at import time.
"""

from __future__ import annotations

import hashlib

import numpy as np

from scrutiny._seedseq import Prefix, generator

__all__ = ["NAMES", "Streams", "stream", "stream_key"]

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15

#: Every stream the model uses, named by purpose. Adding a name moves no existing stream.
NAMES: frozenset[str] = frozenset(
    {
        # world synthesis
        "world.tracts",
        "world.status",
        "world.group",
        "world.child",
        "world.household",
        "world.residence",
        "world.work",
        "world.places",
        "world.enrolment",
        "world.documents",
        "world.history",
        "world.hearing",
        # sources
        "sources.admin.record",
        "sources.admin.address",
        "sources.admin.status_error",
        "sources.admin.refresh",
        "sources.broker",
        "sources.broker.address",
        "sources.broker.refresh",
        "sources.agency",
        "sources.agency.address",
        "sources.agency.refresh",
        "sources.plates",
        "sources.plates.cameras",
        "sources.cell",
        "sources.tips",
        "sources.jail",
        # targeting
        "targeting.select",
        "targeting.sample",
        "targeting.thompson",
        "targeting.mix",
        "targeting.thin",
        # field
        "field.presence",
        "field.evasion",
        "field.visit",
        "field.visit_site",
        "field.hearing",
        "field.scan",
        "field.scan_questioned",
        "field.discretion",
        "field.mate",
        "field.false_match",
        "field.record",
        "field.documents",
        "field.review",
        "field.digital_check",
        "field.offline_proof",
        # operations
        "operations.release",
        "operations.capacity",
        "operations.service",
        "operations.status_check",
        "operations.report",
        "operations.booking",
        "operations.detainer",
        "operations.protest_days",
        "operations.passport",
        "operations.doubt",
        "operations.urgent",
        "operations.upfront_pay",
        "operations.debt",
        "sources.service_reports.trace",
        "sources.service_reports.address",
        "operations.protest_attend",
        "operations.protest_stay",
        "operations.protest_surveil",
        "operations.protest_call",
        # operations: the border zone (checkpoints, corridors, ports of entry)
        "operations.checkpoint",
        "operations.checkpoint_avoid",
        "operations.corridor_plates",
        "operations.contraband",
        "operations.referral",
        "operations.questioning",
        "operations.crossing",
        "operations.traveller_match",
        # experiments
        "experiments.bootstrap",
        "experiments.design",
        "experiments.sensitivity",
        # calibration (the generation plays the replicate's part in the key, the candidate the step's)
        "calibration.prior",
        "calibration.perturb",
        "calibration.resample",
        "calibration.posterior",
    }
)


def stream_key(name: str) -> int:
    """Return the stable 64-bit key of a stream name (SHA-256, never Python's salted ``hash``).

    Args:
        name: A stream name from :data:`NAMES`.

    Returns:
        An integer in ``[0, 2**64)``.

    Raises:
        KeyError: If ``name`` is not declared in :data:`NAMES`.

    Examples:
        >>> stream_key("field.scan") == stream_key("field.scan")
        True
    """
    key = _KEYS.get(name)
    if key is None:
        if name not in NAMES:
            raise KeyError(f"Unknown random stream {name!r}; declare it in scrutiny.rng.NAMES.")
        key = _KEYS[name] = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")
    return key


_KEYS: dict[str, int] = {}  # stream_key's answers, computed once per name (the draws ask thousands of times a run)


def _check_unique_keys() -> None:
    keys = [stream_key(n) for n in NAMES]
    if len(set(keys)) != len(keys):  # pragma: no cover - a collision in 64 bits is astronomically rare
        raise RuntimeError("Two random stream names hash to the same key.")


_check_unique_keys()


def stream(root_seed: int, replicate: int, name: str, step: int | None = None) -> np.random.Generator:
    """Return the Generator for ``(root_seed, replicate, name[, step])`` on NumPy's spawn tree.

    Args:
        root_seed: The scenario's ``seed``.
        replicate: Replicate index (0-based).
        name: Purpose of the stream, declared in :data:`NAMES`.
        step: Optional time step, for a fresh stream per day.

    Returns:
        A PCG64-backed ``numpy.random.Generator``.

    Examples:
        >>> a = stream(1, 0, "world.status").random(3)
        >>> b = stream(1, 0, "world.status").random(3)
        >>> bool((a == b).all())
        True
    """
    key = stream_key(name)
    spawn_key = (replicate, key) if step is None else (replicate, key, step)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root_seed, spawn_key=spawn_key)))


#: Ids drawn per block in :meth:`Streams.uniform`: temporaries stay in cache and memory stays flat.
_BLOCK = 1 << 16
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(k) for k in (30, 27, 31, 11))
_GOLDEN64 = np.uint64(_GOLDEN)


def _mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (Stafford's mix 13) on a uint64 array, in place, wrapping modulo 2**64."""
    t = z >> _S30  # array arithmetic on uint64 wraps silently; only scalar arithmetic warns
    z ^= t
    z *= _M1
    np.right_shift(z, _S27, out=t)
    z ^= t
    z *= _M2
    np.right_shift(z, _S31, out=t)
    z ^= t
    return z


def _mix64_int(z: int) -> int:
    z &= _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


class Streams:
    """All random streams of one replicate of one scenario.

    Args:
        seed: The scenario's root seed.
        replicate: Replicate index (0-based).

    Examples:
        >>> s = Streams(7, 0)
        >>> u = s.uniform("field.scan", np.array([5, 1, 5]), step=3)
        >>> bool(u[0] == u[2])  # same person, same day, same stream: same number
        True
    """

    __slots__ = ("seed", "replicate", "_base", "_named", "_prefix")

    def __init__(self, seed: int, replicate: int) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        root = hashlib.sha256(f"scrutiny/{self.seed}/{self.replicate}".encode()).digest()
        self._base = int.from_bytes(root[:8], "little")
        self._named: dict[str, int] = {}  # the per-name part of _seed_for, once per name
        self._prefix: dict[str, Prefix] = {}  # the per-name part of generator, once per name

    def generator(self, name: str, step: int | None = None) -> np.random.Generator:
        """Return the Generator for ``name`` (and ``step``) of this replicate; see :func:`stream`.

        The same generator as :func:`stream`, to the bit, built from this replicate's cached hash of
        ``(seed, replicate, key)`` (:mod:`scrutiny._seedseq`): about half the cost, a few times a day.
        """
        prefix = self._prefix.get(name)
        if prefix is None:
            prefix = self._prefix[name] = Prefix(self.seed, (self.replicate, stream_key(name)))
        return generator(prefix, () if step is None else (int(step),))

    def _seed_for(self, name: str, step: int) -> int:
        z = self._named.get(name)
        if z is None:
            z = self._named[name] = _mix64_int(self._base ^ stream_key(name))
        return _mix64_int(z ^ ((int(step) + 1) * 0xD1B54A32D192ED03))

    def uniform(self, name: str, ids: np.ndarray, step: int = 0) -> np.ndarray:
        """Counter-based uniforms in ``[0, 1)``, one per id, for stream ``name`` on ``step``.

        The value for a given id depends only on ``(seed, replicate, name, step, id)``.

        Args:
            name: Purpose of the draw, declared in :data:`NAMES`.
            ids: Non-negative integer ids (people, places); any shape.
            step: Time step (day) or any other non-negative integer sub-key.

        Returns:
            float64 array shaped like ``ids``.
        """
        offset = np.uint64((self._seed_for(name, step) + _GOLDEN) & _MASK64)  # seed + 1 * golden
        ids = np.asarray(ids)
        out = np.empty(ids.shape, dtype=np.float64)
        flat_ids, flat_out = ids.reshape(-1), out.reshape(-1)
        for lo in range(0, flat_ids.size, _BLOCK):
            block = flat_ids[lo : lo + _BLOCK]
            # seed + (id + 1) * golden, modulo 2**64 (an int64 id's bits are its uint64 cast: no copy to cast)
            z = np.multiply(block.view(np.uint64) if block.dtype == np.int64 else block.astype(np.uint64), _GOLDEN64)
            z += offset
            z = _mix64(z)
            z >>= _S11
            np.multiply(z, 1.0 / 9007199254740992.0, out=flat_out[lo : lo + _BLOCK])
        return out
