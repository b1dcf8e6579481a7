"""What a run or a plan would cost, checked before any work starts: memory, and the number of tasks.

The plan limit: a comparison, sweep or sensitivity analysis of more than :data:`MAX_TASKS` tasks
(one task is one replicate of one arm or design point) is refused from its sizes alone, before
any plan is built, with the size and an estimate of its computing time and memory. Raise it with
``--max-tasks N`` on the command line, the environment variable ``SCRUTINY_MAX_TASKS``, or
:func:`task_limit` from Python.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from scrutiny.errors import ConfigError, ResourceError
from scrutiny.scenario import Scenario
from scrutiny.world import population_of

__all__ = ["estimate_bytes", "available_bytes", "check_memory", "MAX_TASKS", "MAX_TASKS_ENV", "max_tasks",
           "task_limit", "check_plan_size"]

#: The plan limit: most tasks one comparison, sweep or sensitivity analysis may have by default.
MAX_TASKS = 100_000
#: Environment variable that overrides :data:`MAX_TASKS`.
MAX_TASKS_ENV = "SCRUTINY_MAX_TASKS"
#: Seconds of one core per person-day simulated (measured: 100,000 people x 90 days in about 0.7 s).
SECONDS_PER_PERSON_DAY = 8e-8
#: Bytes a finished task keeps in memory without its event log (summary, daily series, tract table).
BYTES_PER_TASK_SUMMARY = 64 * 2**10
_override: list[int] = []

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


def max_tasks() -> int:
    """The plan limit now: :func:`task_limit`'s, else ``SCRUTINY_MAX_TASKS``, else :data:`MAX_TASKS`.

    Raises:
        ConfigError: If ``SCRUTINY_MAX_TASKS`` is not a positive integer.
    """
    if _override:
        return _override[-1]
    text = os.environ.get(MAX_TASKS_ENV)
    if text is None or not text.strip():
        return MAX_TASKS
    try:
        value = int(text.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{MAX_TASKS_ENV} must be a positive integer (the most tasks a plan may have); got {text!r}.")
    return value


@contextlib.contextmanager
def task_limit(limit: int | None) -> Iterator[None]:
    """Raise (or lower) the plan limit inside a ``with`` block; ``None`` leaves it as it is.

    Examples:
        >>> with task_limit(10**9):
        ...     max_tasks()
        1000000000
    """
    if limit is None:
        yield
        return
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigError(f"the task limit must be a positive integer; got {limit!r}.")
    _override.append(limit)
    try:
        yield
    finally:
        _override.pop()


def _count(n: int) -> str:
    return f"{n:,}" if n < 10**15 else f"about {float(min(n, 10**300)):.1e}" + ("" if n < 10**300 else " or more")


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365.25 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:,.3g} {unit}" if seconds / size < 1e15 else f"{seconds / size:.1e} {unit}"
    return f"{seconds:.2g} seconds"


def _size(n_bytes: float) -> str:
    for unit, size in (("PiB", 2**50), ("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if n_bytes >= size:
            return f"{n_bytes / size:,.3g} {unit}" if n_bytes / size < 1e15 else f"{n_bytes / size:.1e} {unit}"
    return f"{n_bytes / 2**10:.3g} KiB"


def check_plan_size(n_tasks: int, scenario: Scenario, *, what: str, fix: str, events: bool = False) -> None:
    """Refuse a plan of more than :func:`max_tasks` tasks, from its sizes alone (nothing is built).

    Args:
        n_tasks: Tasks the plan would have (an exact Python integer, however large).
        scenario: The base scenario, for the time and memory estimates.
        what: How the size arises, for the message (``"11 arms x 10,000,000 replicates"``).
        fix: What to lower (``"--replicates"``).
        events: Whether every task's event log would be kept in memory.

    Raises:
        ResourceError: With the size, the limit, estimates of time and memory, and how to raise the limit.

    Examples:
        >>> check_plan_size(110, Scenario(), what="11 arms x 10 replicates", fix="--replicates")
    """
    limit = max_tasks()
    if n_tasks <= limit:
        return
    n = population_of(scenario.world)
    n_float = float(min(n_tasks, 10**300))  # an exact count can be too large for a float
    per_task_s = SECONDS_PER_PERSON_DAY * n * scenario.n_days
    per_task_bytes = BYTES_PER_TASK_SUMMARY
    if events:
        per_task_bytes += estimate_bytes(scenario, 1) - BASE_BYTES - n * BYTES_PER_PERSON
    raise ResourceError(
        f"This plan has {_count(n_tasks)} tasks ({what}), more than the limit of {limit:,}. At about "
        f"{per_task_s:.2g} s a task ({n:,} people x {scenario.n_days} days) it would need about "
        f"{_duration(n_float * per_task_s)} of computing on one core and about {_size(n_float * per_task_bytes)} "
        f"of memory for its results. Lower {fix}, or raise the limit with --max-tasks N (or "
        f"{MAX_TASKS_ENV}=N) if you mean it."
    )
