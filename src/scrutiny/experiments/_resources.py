"""What a run or a plan would cost, checked before any work starts: memory, and the number of tasks.

The plan limit itself (one number, overridable) lives in :mod:`scrutiny._limits`, which the
command line can use before it loads the model; :func:`check_plan_size` applies it to a scenario.
"""

from __future__ import annotations

import os

from scrutiny._limits import (
    BASE_BYTES,
    BYTES_PER_EVENT,
    BYTES_PER_PERSON,
    EVENTS_PER_SITE,
    MAX_TASKS,
    MAX_TASKS_ENV,
    event_bytes,
    max_tasks,
    refuse_plan,
    task_limit,
)
from scrutiny.errors import ResourceError
from scrutiny.scenario import Scenario
from scrutiny.world import population_of

__all__ = ["estimate_bytes", "available_bytes", "check_memory", "MAX_TASKS", "MAX_TASKS_ENV", "max_tasks",
           "task_limit", "check_plan_size", "BASE_BYTES", "BYTES_PER_PERSON", "BYTES_PER_EVENT", "EVENTS_PER_SITE"]


def estimate_bytes(s: Scenario, replicates: int = 1) -> int:
    """Rough peak memory of a run: world, per-day state and the event log of every replicate.

    Examples:
        >>> from scrutiny.scenario import Scenario
        >>> estimate_bytes(Scenario()) < 2**30
        True
    """
    n = population_of(s.world)
    events = event_bytes(n, s.n_days, s.operations.sites_per_day_per_100k) * max(1, replicates)
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


def check_plan_size(n_tasks: int, scenario: Scenario, *, what: str, fix: str, events: bool = False) -> None:
    """Refuse a plan of more than :func:`max_tasks` tasks of ``scenario``, from its sizes alone (nothing is built).

    Raises:
        ResourceError: With the size, the limit, estimates of time and memory, and how to raise the limit.

    Examples:
        >>> check_plan_size(110, Scenario(), what="11 arms x 10 replicates", fix="the replicates")
    """
    refuse_plan(n_tasks, people=population_of(scenario.world), n_days=scenario.n_days,
                sites_per_day_per_100k=scenario.operations.sites_per_day_per_100k, what=what, fix=fix, events=events)
