"""The galleries a search goes over: who is enrolled where, the searched union and the records in it.

Enrolment is drawn once per person and gallery (counter-based stream ``world.enrolment``, step =
the gallery's index in the jurisdiction's gallery list), for every gallery whether it is searched
or not, so an arm that searches fewer galleries sees the same people enrolled in the rest.

The searched union keeps, from each gallery named in ``field.searched_galleries``, the records
whose status is in ``field.searched_record_statuses``:

    N'_g = size_g * sum_{r allowed} mix_g[r],      N' = sum_g N'_g

and a person's own record can be returned only if they are enrolled in a searched gallery and
their own record shows an allowed status. A false match returns a stranger drawn from the union;
strangers of the probe's own race are ``rel_false_match_same_race`` times likelier (demographically
matched impostors dominate false matches, NISTIR 8280), with each record status's race mix taken
from ``world.race_mix`` (a record-only status uses the mix its jurisdiction names: in the US,
records shown as expired use the visa holders' mix):

    P(record r | probe race q) ∝ sum_k w(q, k) * mass(r, k),   mass(r, k) = sum_g N'_g mix_g[r] race_mix[r][k]

with ``w(q, k) = rel_false_match_same_race`` when ``k == q`` and 1 otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scrutiny.codes import RACES, Vocabulary
from scrutiny.rng import Streams
from scrutiny.scenario import FieldParams

__all__ = ["SearchedUnion", "enrol", "searched_union", "MAX_GALLERIES"]

#: Galleries are bits of a uint8 per person.
MAX_GALLERIES = 8


def _gallery_names(p: FieldParams) -> tuple[str, ...]:
    names = tuple(p.galleries)
    if len(names) > MAX_GALLERIES:
        raise ValueError(f"at most {MAX_GALLERIES} galleries; got {len(names)}: {list(names)}")
    return names


def enrol(status: np.ndarray, p: FieldParams, streams: Streams, vocab: Vocabulary | None = None) -> np.ndarray:
    """Return uint8[N]: bit ``g`` is set when the person is enrolled in the ``g``-th gallery of ``field.galleries``.

    Args:
        status: int8[N] true status of every person.
        p: Field parameters (``galleries.*.p_enrolled``).
        streams: Random streams (``world.enrolment``, one step per gallery).
        vocab: The jurisdiction's vocabulary (default: the US).
    """
    vocab = vocab or Vocabulary.default()
    ids = np.arange(status.size, dtype=np.int64)
    bits = np.zeros(status.size, dtype=np.uint8)
    for g, name in enumerate(_gallery_names(p)):
        p_enrolled = np.array([p.galleries[name].p_enrolled[s] for s in vocab.statuses])
        inside = streams.uniform("world.enrolment", ids, step=g) < p_enrolled[status]
        bits |= inside.astype(np.uint8) << np.uint8(g)
    return bits


@dataclass(frozen=True, slots=True)
class SearchedUnion:
    """The union of galleries one search goes over."""

    sizes: np.ndarray  # float64[n_galleries], images searched in each gallery (0 if not searched)
    mask: np.uint8  # bits of the searched galleries
    allowed_record: np.ndarray  # bool[R], record statuses kept in the search
    record_mix: np.ndarray  # float64[len(RACES), R], stranger's record by probe race

    @property
    def size(self) -> float:
        """N: images compared per search."""
        return float(self.sizes.sum())

    def record_cum(self) -> np.ndarray:
        """Cumulative stranger-record mix by probe race, last column exactly 1 (for ``searchsorted``)."""
        cum = np.cumsum(self.record_mix, axis=1)
        cum[:, -1] = 1.0
        return cum

    def searchable(self, enrolment: np.ndarray, own_record: np.ndarray) -> np.ndarray:
        """bool: the person's own record is in the searched union (enrolled there, status allowed)."""
        return ((enrolment & self.mask) != 0) & self.allowed_record[own_record]


def _race_mix_by_record(race_mix: Mapping[str, Sequence[float]] | None, vocab: Vocabulary) -> np.ndarray:
    """float64[R, len(RACES)]; a record-only status uses the mix of the status its jurisdiction names."""
    if race_mix is None:
        return np.full((len(vocab.record_statuses), len(RACES)), 1.0 / len(RACES))
    rows = [race_mix[vocab.race_mix_as[r]] for r in vocab.record_statuses]
    return np.asarray(rows, dtype=np.float64)


def searched_union(
    p: FieldParams, race_mix: Mapping[str, Sequence[float]] | None = None, vocab: Vocabulary | None = None
) -> SearchedUnion:
    """Build the searched union of a scenario's galleries.

    Args:
        p: Field parameters.
        race_mix: ``world.race_mix`` (race shares by true status); ``None`` means equal shares.
        vocab: The jurisdiction's vocabulary (default: the US).

    Examples:
        >>> from scrutiny.scenario import FieldParams
        >>> u = searched_union(FieldParams())
        >>> round(u.size / 1e8, 2)
        2.0
        >>> only = searched_union(FieldParams(searched_record_statuses=("final_order",)))
        >>> round(only.size / 1e6, 2), bool(only.record_mix[:, -2].min() == 1.0)
        (1.68, True)
    """
    vocab = vocab or Vocabulary.default()
    allowed = np.isin(vocab.record_statuses, p.searched_record_statuses)
    names = _gallery_names(p)
    sizes = np.zeros(len(names))
    mass = np.zeros((len(vocab.record_statuses), len(RACES)))
    by_race = _race_mix_by_record(race_mix, vocab)
    mask = 0
    for g, name in enumerate(names):
        if name not in p.searched_galleries:
            continue
        gp = p.galleries[name]
        mix = np.array([gp.record_mix[r] for r in vocab.record_statuses]) * allowed
        size = gp.size * p.rel_gallery_size
        sizes[g] = size * mix.sum()
        mass += size * mix[:, None] * by_race
        mask |= 1 << g
    total = mass.sum(axis=1)  # records of each status, all races
    same = float(p.rel_false_match_same_race) - 1.0
    weights = total[None, :] + same * mass.T  # [race of probe, record status]
    rows = weights.sum(axis=1, keepdims=True)
    fallback = np.where(allowed, 1.0, 0.0) / allowed.sum()
    record_mix = np.where(rows > 0, weights / np.where(rows > 0, rows, 1.0), fallback[None, :])
    return SearchedUnion(sizes=sizes, mask=np.uint8(mask), allowed_record=allowed, record_mix=record_mix)
