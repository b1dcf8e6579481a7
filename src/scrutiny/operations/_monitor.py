"""Where operations go against where removable people truly are, day by day (the runaway chart).

The monitor is the only part of the loop besides the metrics that compares targeting with the
truth: targeting itself never sees it. Each day it records operations by tract and the removable
people still at large by home tract (the unauthorised and people with final orders not detained),
and reports the total-variation distance between the two distributions: the share of operations
that would have to move to another tract for operations to be spread like the people removal is
lawful for. Operations are counted over a trailing window (a week by default) so that a day with
few sites does not read as a divergence.
"""

from __future__ import annotations

import numpy as np

from scrutiny.metrics import total_variation
from scrutiny.world import World

__all__ = ["AllocationMonitor"]


class AllocationMonitor:
    """Operations by tract against removable people at large by tract.

    Args:
        world: The world.
        window: Days of operations compared with each day's distribution of removable people.
    """

    def __init__(self, world: World, window: int = 7) -> None:
        self.world = world
        removable = np.flatnonzero(world.vocab.removable[world.people.status])
        home_tract = world.places.tract[world.people.home[removable]]
        self.at_large = np.bincount(home_tract, minlength=world.tracts.n).astype(np.float64)
        self.ops = np.zeros((max(1, int(window)), world.tracts.n))
        self.total_at_large = np.zeros(world.tracts.n)
        self.n_days = 0

    def day(self, t: int, sites: np.ndarray, detained: np.ndarray) -> float:
        """Record day ``t`` (sites visited, people detained); return the day's divergence in [0, 1]."""
        w = self.world
        self.ops[t % self.ops.shape[0]] = np.bincount(w.places.tract[sites], minlength=w.tracts.n)
        value = total_variation(self.ops.sum(axis=0), self.at_large)
        self.total_at_large += self.at_large
        self.n_days += 1
        gone = detained[w.vocab.removable[w.people.status[detained]]]
        if gone.size:
            self.at_large -= np.bincount(w.places.tract[w.people.home[gone]], minlength=w.tracts.n)
        return value

    def mean_at_large(self) -> np.ndarray:
        """Removable people at large by tract, averaged over the days recorded."""
        return self.total_at_large / max(self.n_days, 1)

    @property
    def n_at_large(self) -> float:
        """Removable people at large today."""
        return float(self.at_large.sum())
