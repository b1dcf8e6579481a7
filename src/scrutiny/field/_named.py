"""Who is named at a place: the subjects of active leads there (for ``scan_policy = "named_only"``).

The subjects at site ``p`` are ``leads.person[j]`` for the leads ``j`` with ``leads.place[j] == p``
whose confidence is still positive. Keys ``place * n_people + person`` are sorted once; each day
only the people present are looked up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["NamedSubjects"]


@dataclass(frozen=True, slots=True)
class NamedSubjects:
    """Sorted (place, person) keys of every lead, to test who present is a named subject."""

    key: np.ndarray  # int64[L], sorted
    lead: np.ndarray  # int64[L], lead index of each key
    n_people: int

    @classmethod
    def build(cls, lead_person: np.ndarray, lead_place: np.ndarray, n_people: int) -> "NamedSubjects":
        """Index the leads (``sources.Leads.person`` and ``.place``).

        Examples:
            >>> ns = NamedSubjects.build(np.array([3, 5]), np.array([10, 11]), n_people=100)
            >>> ns.at(np.array([10, 10, 11]), np.array([3, 5, 5]), np.array([50.0, 0.0])).tolist()
            [True, False, False]
        """
        key = np.asarray(lead_place, dtype=np.int64) * n_people + np.asarray(lead_person, dtype=np.int64)
        order = np.argsort(key, kind="stable")
        return cls(key=key[order], lead=order.astype(np.int64), n_people=int(n_people))

    def at(self, place: np.ndarray, person: np.ndarray, confidence: np.ndarray) -> np.ndarray:
        """bool: each person present at ``place`` is the subject of an active lead (confidence > 0) there."""
        active = confidence[self.lead] > 0
        keys = self.key[active]
        query = np.asarray(place, dtype=np.int64) * self.n_people + np.asarray(person, dtype=np.int64)
        if keys.size == 0:
            return np.zeros(query.size, dtype=bool)
        pos = np.minimum(np.searchsorted(keys, query), keys.size - 1)
        return keys[pos] == query
