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
module that constructs a ``Generator``; stages receive a :class:`Streams` (or a ``Generator``)
as an argument. Stream names are declared in :data:`NAMES`, whose keys are checked for
uniqueness at import time.
"""

from __future__ import annotations

import hashlib

import numpy as np

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
        # targeting
        "targeting.select",
        "targeting.sample",
        "targeting.thompson",
        # field
        "field.presence",
        "field.evasion",
        "field.visit",
        "field.visit_site",
        "field.scan",
        "field.mate",
        "field.false_match",
        "field.record",
        "field.documents",
        "field.review",
        "field.digital_check",
        # operations
        "operations.release",
        "operations.protest_days",
        # experiments
        "experiments.bootstrap",
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
    if name not in NAMES:
        raise KeyError(f"Unknown random stream {name!r}; declare it in scrutiny.rng.NAMES.")
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


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


def _mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser (Stafford's mix 13) on a uint64 array, wrapping modulo 2**64."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


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

    __slots__ = ("seed", "replicate", "_base")

    def __init__(self, seed: int, replicate: int) -> None:
        self.seed = int(seed)
        self.replicate = int(replicate)
        root = hashlib.sha256(f"scrutiny/{self.seed}/{self.replicate}".encode()).digest()
        self._base = int.from_bytes(root[:8], "little")

    def generator(self, name: str, step: int | None = None) -> np.random.Generator:
        """Return the Generator for ``name`` (and ``step``) of this replicate; see :func:`stream`."""
        return stream(self.seed, self.replicate, name, step)

    def _seed_for(self, name: str, step: int) -> int:
        z = _mix64_int(self._base ^ stream_key(name))
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
        seed = np.uint64(self._seed_for(name, step))
        counter = np.asarray(ids).astype(np.uint64) + np.uint64(1)
        with np.errstate(over="ignore"):
            z = _mix64(seed + counter * np.uint64(_GOLDEN))
        return (z >> np.uint64(11)).astype(np.float64) * (1.0 / 9007199254740992.0)
