"""Run a plan of tasks, with or without a results store, and hand back each task's payload."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scrutiny.errors import InputError, ResourceError
from scrutiny.experiments._execute import check_workers, execute
from scrutiny.experiments._resources import (
    BASE_BYTES,
    BYTES_PER_PERSON,
    available_bytes,
    estimate_bytes,
)
from scrutiny.experiments._store import DamagedPart, Store
from scrutiny.experiments._task import Task, TaskOutput, decode_part, task_vocab
from scrutiny.world import population_of

__all__ = ["run_plan", "check_plan_memory", "check_inputs"]


def _task_label(task: Task) -> str:
    if task.arm is not None:
        return f"Arm {task.arm!r}"
    return f"Design point {task.point}" if task.point is not None else f"Task {task.task_id}"


def check_inputs(tasks: Sequence[Task]) -> None:
    """Read and validate every input file the plan's scenarios name, before any output is created.

    Each distinct geography folder and score file is read once (a fixed threshold is checked
    against the score file too; one set from a target FPIR depends on the searched gallery's size
    and is checked when the task builds it), so a bad file named by one arm or design point stops
    the whole plan before the results store exists.

    Raises:
        InputError: Naming the arm or design point and the file.
    """
    from scrutiny.field import EmpiricalScores, read_score_file
    from scrutiny.world import load_aggregates

    checked: set = set()
    for task in tasks:
        world, field = task.scenario.world, task.scenario.field
        keys = []
        if world.geography != "synthetic":
            keys.append(("geography", world.geography))
        if field.matcher == "empirical":
            fixed = getattr(field, "threshold_rule", "fixed") == "fixed"
            keys.append(("scores", field.score_file, field.score_file_tail, field.threshold if fixed else None))
        for key in keys:
            if key in checked:
                continue
            try:
                if key[0] == "geography":
                    load_aggregates(key[1])
                elif key[3] is None:
                    read_score_file(key[1])
                else:
                    EmpiricalScores.from_file(key[1], tail=key[2], threshold=key[3])
            except InputError as exc:
                raise type(exc)(f"{_task_label(task)}: {exc}") from None
            checked.add(key)


def check_plan_memory(tasks: Sequence[Task], workers: int, local: bool = True) -> None:
    """Refuse a plan whose worlds (one per local worker) and kept event logs would not fit in memory."""
    if not tasks:
        return
    people = {id(t.scenario): population_of(t.scenario.world) for t in tasks}
    biggest = max(tasks, key=lambda t: people[id(t.scenario)] * t.scenario.n_days)
    n_people = people[id(biggest.scenario)]
    biggest_world = n_people * BYTES_PER_PERSON
    per_task_events = estimate_bytes(biggest.scenario, 1) - BASE_BYTES - biggest_world
    n_parallel = min(workers, len(tasks)) if local else 1
    kept = sum(t.keep_events for t in tasks)
    need = BASE_BYTES + n_parallel * (biggest_world + per_task_events)
    need += kept * per_task_events
    have = available_bytes()
    if need > have:
        raise ResourceError(
            f"This plan needs about {need / 2**30:.1f} GiB of memory ({len(tasks)} tasks, {n_parallel} at a time, "
            f"largest world {n_people:,} people, n_days = {biggest.scenario.n_days}), "
            f"but only {have / 2**30:.1f} GiB is available. Use fewer workers, fewer replicates or a smaller scenario."
        )


def run_plan(
    tasks: Sequence[Task],
    *,
    kind: str,
    store: str | Path | None = None,
    meta: dict[str, Any] | None = None,
    points: list[dict[str, Any]] | None = None,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool = False,
    events: bool = True,
) -> dict[str, dict]:
    """Run ``tasks`` (skipping those the store already holds); return ``{task_id: payload}``.

    Args:
        tasks: The plan.
        kind: Experiment kind recorded in (and checked against) the store.
        store: Store folder; ``None`` keeps everything in memory.
        meta: JSON values recorded in the store's ``experiment`` table.
        points: Design points recorded in the store's ``points`` table.
        workers: Local worker processes.
        scheduler: Dask scheduler address or client (overrides ``workers``).
        progress: Show a progress bar.
        events: Decode event logs into the payloads.

    Returns:
        Decoded payloads (see :func:`scrutiny.experiments._task.decode_part`), in task order.
    """
    workers = check_workers(workers)
    ids = [t.task_id for t in tasks]
    if len(set(ids)) != len(ids):
        raise ValueError("two tasks of one plan share an id")
    check_inputs(tasks)  # before the store exists: a bad file in one arm leaves no output behind
    check_plan_memory(tasks, workers, local=scheduler is None)
    if store is None:
        parts: dict[str, bytes] = {}

        def keep(task: Task, output: TaskOutput) -> None:
            parts[task.task_id] = output.part

        execute(tasks, keep, workers=workers, scheduler=scheduler, progress=progress, desc=kind)
        return {t.task_id: decode_part(parts[t.task_id], events=events, vocab=task_vocab(t)) for t in tasks}
    with Store(store, kind) as st:
        for key, value in (meta or {}).items():
            st.set_meta(key, value)
        if points is not None:
            st.set_points(points)
        done = st.finished(list(tasks))
        todo = [t for t in tasks if t.task_id not in done]
        execute(todo, st.add, workers=workers, scheduler=scheduler, progress=progress, desc=kind, initial=len(done))
        payloads, damaged = {}, []
        for t in tasks:
            try:
                payloads[t.task_id] = st.read(t, events=events)
            except DamagedPart as exc:  # a part whose footer was sound but whose data is not
                st.forget(t, exc.why)
                damaged.append(t)
        if damaged:  # computed again once; a second failure is raised
            execute(damaged, st.add, workers=workers, scheduler=scheduler, progress=progress, desc=kind)
            payloads.update({t.task_id: st.read(t, events=events) for t in damaged})
        return {t.task_id: payloads[t.task_id] for t in tasks}
