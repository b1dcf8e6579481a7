"""Memory estimate of a run, checked before any work starts."""

from __future__ import annotations

import os

from scrutiny.errors import ResourceError
from scrutiny.scenario import Scenario
from scrutiny.world import population_of

__all__ = ["estimate_bytes", "available_bytes", "check_memory"]

#: Peak bytes per person while the world is built (sort permutations, temporaries) and held.
BYTES_PER_PERSON = 120
#: Bytes per event row in memory, including the Arrow copy made when writing.
BYTES_PER_EVENT = 48
#: Expected event rows per site visit (encounter + scan + match rows for ~60 people present).
EVENTS_PER_SITE = 180
#: Interpreter and libraries.
BASE_BYTES = 250 * 2**20


def estimate_bytes(s: Scenario, replicates: int = 1) -> int:
    """Rough peak memory of a run: world, per-day state and the event log of every replicate.

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> estimate_bytes(Scenario()) < 2**30
        True
    """
    n = population_of(s.world)
    sites = s.operations.sites_per_day_per_100k * n / 1e5 * s.n_days
    events = sites * EVENTS_PER_SITE * BYTES_PER_EVENT * max(1, replicates)
    return int(BASE_BYTES + n * BYTES_PER_PERSON + events)


def available_bytes() -> int:
    """Memory available to this process now (Linux ``MemAvailable``; physical memory elsewhere)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def check_memory(s: Scenario, replicates: int = 1) -> int:
    """Raise :class:`ResourceError` when the run would not fit in available memory; return the estimate."""
    need, have = estimate_bytes(s, replicates), available_bytes()
    if need > have:
        raise ResourceError(
            f"This scenario needs about {need / 2**30:.1f} GiB of memory (people = {population_of(s.world):,}, "
            f"n_days = {s.n_days}, replicates = {replicates}), but only {have / 2**30:.1f} GiB is available. "
            "Lower world.n_people or n_days, or run on a larger machine."
        )
    return need
