"""The plan limit, checked from a plan's sizes alone: the one number that bounds a plan before it is built.

A comparison, sweep or sensitivity analysis of more than :data:`MAX_TASKS` tasks (one task is one
replicate of one arm or design point) is refused with its size and an estimate of its computing
time and memory. Raise the limit with ``--max-tasks N`` on the command line, the environment
variable ``SCRUTINY_MAX_TASKS``, or :func:`task_limit` in Python.

This module imports nothing heavy, so that the command line can refuse an absurd plan before it
loads the model; :func:`scrutiny.experiments._resources.check_plan_size` applies the same check
to a scenario.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from scrutiny.errors import ConfigError, ResourceError

__all__ = ["DEFAULT_REPLICATES", "MAX_TASKS", "MAX_TASKS_ENV", "max_tasks", "task_limit", "refuse_plan", "event_bytes"]

#: Replicates when none are asked for, the same for run, compare, sweep, sensitivity and every command:
#: enough for a 95% Student-t interval with 9 degrees of freedom (what ``scrutiny demo`` has always run).
DEFAULT_REPLICATES = 10

#: The plan limit: most tasks one comparison, sweep or sensitivity analysis may have by default.
MAX_TASKS = 100_000
#: Environment variable that overrides :data:`MAX_TASKS`.
MAX_TASKS_ENV = "SCRUTINY_MAX_TASKS"
#: Seconds of one core per person-day simulated (measured: 100,000 people x 90 days in about 0.7 s).
SECONDS_PER_PERSON_DAY = 8e-8
#: Bytes a finished task keeps in memory without its event log (summary, daily series, tract table).
BYTES_PER_TASK_SUMMARY = 64 * 2**10
#: Peak bytes per person while the world is built (sort permutations, temporaries) and held.
BYTES_PER_PERSON = 120
#: Bytes per event row in memory, including the Arrow copy made when writing.
BYTES_PER_EVENT = 48
#: Expected event rows per site visit (encounter + scan + match rows for ~60 people present).
EVENTS_PER_SITE = 180
#: Interpreter and libraries.
BASE_BYTES = 250 * 2**20
_override: list[int] = []


def event_bytes(people: int, n_days: int, sites_per_day_per_100k: float) -> float:
    """Bytes of one replicate's event log in memory (sites visited x rows per site x bytes per row)."""
    return sites_per_day_per_100k * people / 1e5 * n_days * EVENTS_PER_SITE * BYTES_PER_EVENT


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


def refuse_plan(n_tasks: int, *, people: int, n_days: int, sites_per_day_per_100k: float, what: str, fix: str,
                events: bool = False) -> None:
    """Raise :class:`ResourceError` for a plan of more than :func:`max_tasks` tasks; nothing is built.

    Args:
        n_tasks: Tasks the plan would have (an exact Python integer, however large).
        people: Residents of a task's world, for the estimates.
        n_days: Days a task simulates.
        sites_per_day_per_100k: Operations capacity, for the size of the event logs.
        what: How the size arises, for the message (``"11 arms x 10,000,000 replicates"``).
        fix: What to lower (``"the replicates"``).
        events: Whether every task's event log would be kept in memory.

    Examples:
        >>> refuse_plan(110, people=10**5, n_days=90, sites_per_day_per_100k=4, what="11 x 10", fix="it")
    """
    limit = max_tasks()
    if n_tasks <= limit:
        return
    n_float = float(min(n_tasks, 10**300))  # an exact count can be too large for a float
    per_task_s = SECONDS_PER_PERSON_DAY * people * n_days
    per_task_bytes = BYTES_PER_TASK_SUMMARY + (event_bytes(people, n_days, sites_per_day_per_100k) if events else 0)
    raise ResourceError(
        f"This plan has {_count(n_tasks)} tasks ({what}), more than the limit of {limit:,}. At about "
        f"{per_task_s:.2g} s a task ({people:,} people x {n_days} days) it would need about "
        f"{_duration(n_float * per_task_s)} of computing on one core and about {_size(n_float * per_task_bytes)} "
        f"of memory for its results. Lower {fix}, or raise the limit with --max-tasks N (or "
        f"{MAX_TASKS_ENV}=N) if you mean it."
    )
